"""TVB's generic two-dimensional oscillator."""
from ..mass import Mass


class Generic2dOscillator(Mass):
    r"""The Virtual Brain's ``Generic2dOscillator`` (Sanz-Leon et al. 2015), a
    FitzHugh-Nagumo-like planar system whose nullclines are a cubic
    (:math:`V`) and a parabola (:math:`W`):

    .. math::

        \dot V &= d\,\tau \left(\alpha W - f V^3 + e V^2 + g V
                   + \gamma I + \gamma\, c_{glob}\right) \\
        \dot W &= \frac{d}{\tau} \left(a + b V + c V^2 - \beta W\right)

    This is the form TVB integrates (its numba ``dfun``), term by term; TVB's
    surface-only local-coupling term (:math:`V c_{local}`) is left out.

    Units: time in ms (``d`` = 0.02 sets the time scale: the rates are
    :math:`d\tau` and :math:`d/\tau` per ms); :math:`V`, :math:`W` and all
    parameters dimensionless.

    Defaults: TVB 2.x, tau = 1, I = 0, a = -2, b = -10, c = 0, d = 0.02,
    e = 3, f = 1, g = 0, alpha = 1, beta = 1, gamma = 1. With these the
    single fixed point (V = -0.18865, W = -0.11348) is a stable focus
    (excitable regime); a = 2 makes it unstable and the node oscillates
    (period 108.5 ms, about 9.2 Hz). Initial state V = 0.5, W = -2 (an excursion that returns
    to rest).

    Names: as in TVB. Parameter ``c`` is the model's :math:`c` (the
    quadratic term of the :math:`W` nullcline, :math:`c_2` in some texts),
    *not* the coupling. The coupling arrives at input port ``c_glob`` (TVB's
    ``c_0`` / :math:`c_{glob}`) and enters as :math:`\gamma\,c_{glob}`;
    TVB's linear coupling :math:`c_i = a_{cpl}\sum_j w_{ij} V_j(t - d_{ij})`
    is ``tc.Coupling("generic_2d_oscillator.V", "generic_2d_oscillator.c_glob",
    gain=a_cpl)``. Outputs ``V`` and ``W``.

    References: Sanz-Leon P., Knock S.A., Spiegler A. & Jirsa V.K. (2015)
    NeuroImage 111:385-430; FitzHugh R. (1961) Biophys J 1:445-466.
    """

    category = "phenomenological"
    typical_use = "configurable 2D oscillator (TVB's default model)"
    reference = "Sanz-Leon et al. 2015, NeuroImage 111:385-430"

    name = "generic_2d_oscillator"
    states = {"V": 0.5, "W": -2.0}
    params = {"tau": 1.0, "I": 0.0, "a": -2.0, "b": -10.0, "c": 0.0, "d": 0.02, "e": 3.0,
              "f": 1.0, "g": 0.0, "alpha": 1.0, "beta": 1.0, "gamma": 1.0}
    inputs = ["c_glob"]
    outputs = {"V": "V", "W": "W"}
    equations = {
        "V": "d*tau*(alpha*W - f*V**3 + e*V**2 + g*V + gamma*I + gamma*c_glob)",
        "W": "d*(a + b*V + c*V**2 - beta*W)/tau",
    }
