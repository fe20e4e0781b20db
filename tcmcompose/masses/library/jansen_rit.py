"""Jansen-Rit cortical column, in The Virtual Brain's form."""
from ..mass import Mass


class JansenRit(Mass):
    r"""Jansen & Rit (1995) three-population cortical column (TVB's ``JansenRit``).

    .. math::

        S(v) &= \frac{2\nu_{max}}{1 + e^{r(v_0 - v)}} \\
        \dot y_0 &= y_3, \quad \dot y_1 = y_4, \quad \dot y_2 = y_5 \\
        \dot y_3 &= A a\, S(y_1 - y_2 + u_{pyr}) - 2 a y_3 - a^2 y_0 \\
        \dot y_4 &= A a\,(\mu + a_2 J S(a_1 J y_0) + c) - 2 a y_4 - a^2 y_1 \\
        \dot y_5 &= B b\, a_4 J S(a_3 J y_0 + u_{inh}) - 2 b y_5 - b^2 y_2

    Time in ms, potentials in mV, rates in 1/ms (``nu_max`` = 0.0025/ms,
    i.e. 2.5 spikes/s). ``y0`` is the pyramidal output PSP, ``y1`` and
    ``y2`` the excitatory and inhibitory PSPs on the pyramidal cells; the EEG
    proxy is ``y1 - y2`` (output ``v``). Input port ``c`` adds to the
    excitatory drive of the pyramidal cells (TVB's long-range coupling slot,
    brainmass' ``E_inp``), in 1/ms.

    Peer conventions. Outputs ``y1`` and ``y2`` are the two PSPs that TVB
    couples (its linear coupling sums ``y1 - y2`` of the sources: two
    couplings ``JR.y1 -> JR.c`` with gain ``a`` and ``JR.y2 -> JR.c`` with
    gain ``-a``, or one ``JR.v -> JR.c``). Ports ``u_pyr`` and ``u_inh`` (mV)
    add inside the sigmoids of the pyramidal cells and of the inhibitory
    interneurons, as brainmass' ``M_inp`` and ``I_inp`` (David & Friston
    2003 place extrinsic input the same way); unconnected they are 0 and the
    model is TVB's.

    Output ``rate`` is TVB's ``SigmoidalJansenRit`` coupling function of the
    PSP, :math:`c_{min} + (c_{max} - c_{min}) / (1 + e^{r_c(m - (y_1 - y_2))})`,
    to be summed over (delayed) edges with a linear coupling; the coupling's
    ``gain`` plays TVB's ``a``.

    Defaults: TVB 2.x (A = 3.25 mV, B = 22 mV, a = 0.1/ms, b = 0.05/ms,
    v0 = 5.52 mV, nu_max = 0.0025/ms, r = 0.56/mV, J = 135, a1 = 1,
    a2 = 0.8, a3 = a4 = 0.25, mu = 0.22); coupling sigmoid cmin = 0,
    cmax = 0.005, midpoint = 6 mV, r_c = 0.56/mV.

    References: Jansen B.H. & Rit V.G. (1995) Biol Cybern 73:357-366;
    Sanz-Leon P. et al. (2015) NeuroImage 111:385-430 (TVB); David O. &
    Friston K.J. (2003) NeuroImage 20:1743-1755 (inputs inside the sigmoids).
    """

    name = "jansen_rit"
    states = {"y0": 0.0, "y1": 15.0, "y2": 10.0, "y3": 0.0, "y4": 0.0, "y5": 0.0}
    params = {"A": 3.25, "B": 22.0, "a": 0.1, "b": 0.05, "v0": 5.52, "nu_max": 0.0025, "r": 0.56,
              "J": 135.0, "a_1": 1.0, "a_2": 0.8, "a_3": 0.25, "a_4": 0.25, "mu": 0.22,
              "cmin": 0.0, "cmax": 0.005, "midpoint": 6.0, "r_c": 0.56}
    inputs = ["c", "u_pyr", "u_inh"]
    outputs = {"v": "y1 - y2", "y1": "y1", "y2": "y2",
               "rate": "cmin + (cmax - cmin)/(1 + exp(r_c*(midpoint - (y1 - y2))))"}
    equations = {
        "y0": "y3",
        "y1": "y4",
        "y2": "y5",
        "y3": "A*a*2*nu_max/(1 + exp(r*(v0 - (y1 - y2 + u_pyr)))) - 2*a*y3 - a**2*y0",
        "y4": "A*a*(mu + a_2*J*2*nu_max/(1 + exp(r*(v0 - a_1*J*y0))) + c) - 2*a*y4 - a**2*y1",
        "y5": "B*b*a_4*J*2*nu_max/(1 + exp(r*(v0 - (a_3*J*y0 + u_inh)))) - 2*b*y5 - b**2*y2",
    }
