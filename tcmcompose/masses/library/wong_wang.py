"""Wong & Wang (2006) reduced two-variable model of perceptual decision making."""
from ..mass import Mass


class WongWang(Mass):
    r"""Wong & Wang (2006) two-population decision circuit (reduced 2-variable model).

    Two selective excitatory populations compete through effective mutual
    inhibition; each is described by its NMDA gating variable :math:`S_i`.

    .. math::

        x_1 &= J_{11} S_1 - J_{12} S_2 + I_0 + I_1 + \mathrm{I1} \\
        x_2 &= J_{22} S_2 - J_{21} S_1 + I_0 + I_2 + \mathrm{I2} \\
        I_{1,2} &= J_{ext}\,\mu_0\,(1 \pm c'/100) \\
        H(x) &= \frac{a x - b}{1 - e^{-d (a x - b)}} \\
        \dot S_i &= -\frac{S_i}{\tau_S} + (1 - S_i)\,\gamma\, 10^{-3} H(x_i)

    Units: time in ms; currents :math:`x_i, J, I_0` in nA; rates
    :math:`H, \mu_0` in Hz; :math:`a` in Hz/nA, :math:`b` in Hz, :math:`d` in s.
    The factor :math:`10^{-3}` turns :math:`\gamma H` (per second) into per
    ms, so :math:`\tau_S` is in ms (100 ms) while the paper writes it in s.

    Defaults (Wong & Wang 2006, Table/Eqs. of the reduced model):
    a = 270 Hz/nA, b = 108 Hz, d = 0.154 s, gamma = 0.641, tau_S = 100 ms,
    J11 = J22 = 0.2609 nA, J12 = J21 = 0.0497 nA, J_ext = 5.2e-4 nA/Hz,
    I0 = 0.3255 nA, mu0 = 30 Hz, coherence c' = 0 % (parameter ``coh``,
    in percent). Initial S1 = S2 = 0.1.

    Ports ``I1`` and ``I2`` (nA) add to :math:`x_1` and :math:`x_2`: the
    coupling ports, and where the paper's noise goes (an OU stimulus with
    tau = 2 ms and sigma = 0.02 nA on each reproduces its
    :math:`I_{noise}`). Outputs ``S1``, ``S2`` and ``S = S1 + S2``.

    Names: the paper's :math:`J_{N,11}` etc. are ``J11``..``J22``,
    :math:`c'` is ``coh``, :math:`\tau_S` is ``tau_S``, :math:`\mu_0` is
    ``mu0``. (TVB's ``ReducedWongWang`` is the one-population version.)

    References: Wong K.-F. & Wang X.-J. (2006) J Neurosci 26:1314-1328.
    """

    category = "physiological"
    typical_use = "two-choice perceptual decision"
    reference = "Wong & Wang 2006, J Neurosci 26:1314-1328"

    name = "wong_wang"
    states = {"S1": 0.1, "S2": 0.1}
    params = {"a": 270.0, "b": 108.0, "d": 0.154, "gamma": 0.641, "tau_S": 100.0,
              "J11": 0.2609, "J22": 0.2609, "J12": 0.0497, "J21": 0.0497,
              "J_ext": 5.2e-4, "I0": 0.3255, "mu0": 30.0, "coh": 0.0}
    inputs = ["I1", "I2"]
    outputs = {"S1": "S1", "S2": "S2", "S": "S1 + S2"}

    def define(self):
        def rate(x):
            return f"((a*({x}) - b)/(1 - exp(-d*(a*({x}) - b))))"
        x1 = "J11*S1 - J12*S2 + I0 + J_ext*mu0*(1 + coh/100) + I1"
        x2 = "J22*S2 - J21*S1 + I0 + J_ext*mu0*(1 - coh/100) + I2"
        return {"equations": {
            "S1": f"-S1/tau_S + (1 - S1)*gamma*1e-3*{rate(x1)}",
            "S2": f"-S2/tau_S + (1 - S2)*gamma*1e-3*{rate(x2)}",
        }}
