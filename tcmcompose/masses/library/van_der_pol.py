"""Van der Pol relaxation oscillator."""
from ..mass import Mass


class VanDerPol(Mass):
    r"""Van der Pol (1926) oscillator :math:`\ddot x - \mu(1 - x^2)\dot x + x = u`,
    written as a first-order system with a time constant :math:`\tau`:

    .. math::

        \tau\,\dot x &= y \\
        \tau\,\dot y &= \mu\,(1 - x^2)\, y - x + u

    With :math:`s = t/\tau` this is the textbook form in the dimensionless
    time :math:`s`, so every period in that unit is multiplied by
    :math:`\tau` ms. For :math:`\mu > 0` the origin is unstable and a
    unique stable limit cycle exists; for :math:`\mu = 1` its period is
    :math:`T = 6.6632869\,\tau` and its amplitude (max :math:`x`) is
    2.0086; for large :math:`\mu` it becomes a relaxation oscillation with
    :math:`T \approx (3 - 2\ln 2)\mu\tau`.

    Units: time in ms; :math:`x, y, \mu, u` dimensionless. Defaults
    ``mu`` = 1, ``tau`` = 1 ms (so the model's time unit is 1 ms and the
    default rhythm is 150 Hz; ``tau`` = 15 ms gives 10 Hz). Initial state
    x = 2, y = 0 (close to the limit cycle).

    Port ``u`` is a force added to :math:`\tau\dot y` (the coupling slot);
    outputs ``x`` and ``y``. TVB has no Van der Pol model; names follow the
    usual textbook notation (the damping :math:`\mu` is ``mu``).

    References: van der Pol B. (1926) Phil Mag 2:978-992; Strogatz S.H.
    (2015) Nonlinear Dynamics and Chaos, 2nd ed., §7.5.
    """

    category = "phenomenological"
    typical_use = "relaxation oscillator"
    reference = "van der Pol 1926, Phil Mag 2:978-992"

    name = "van_der_pol"
    states = {"x": 2.0, "y": 0.0}
    params = {"mu": 1.0, "tau": 1.0}
    inputs = ["u"]
    outputs = {"x": "x", "y": "y"}
    equations = {
        "x": "y/tau",
        "y": "(mu*(1 - x**2)*y - x + u)/tau",
    }
