"""Lorenz (1963) chaotic system."""
from ..mass import Mass


class Lorenz(Mass):
    r"""Lorenz (1963) convection model, the classic chaotic test system:

    .. math::

        \tau\,\dot x &= \sigma (y - x) + u \\
        \tau\,\dot y &= x(\rho - z) - y \\
        \tau\,\dot z &= x y - \beta z

    Time scaling: Lorenz's equations are in a dimensionless time
    :math:`s`; here :math:`s = t/\tau` with :math:`t` in ms, so ``tau`` = 1
    ms (default) makes one unit of Lorenz time one millisecond, and all of
    Lorenz's times (e.g. the ~0.75 loop time) are multiplied by ``tau``.

    Fixed points: the origin and
    :math:`C_\pm = (\pm\sqrt{\beta(\rho-1)}, \pm\sqrt{\beta(\rho-1)}, \rho - 1)`,
    unstable for the classic values (subcritical Hopf at
    :math:`\rho_H = \sigma(\sigma + \beta + 3)/(\sigma - \beta - 1) = 24.74`).

    Defaults: sigma = 10, rho = 28, beta = 8/3 (Lorenz 1963), tau = 1 ms.
    Initial state (1, 1, 1). Variables dimensionless.

    Port ``u`` adds to :math:`\tau\dot x` (coupling slot); outputs ``x``,
    ``y``, ``z``.

    References: Lorenz E.N. (1963) J Atmos Sci 20:130-141; Strogatz S.H.
    (2015) Nonlinear Dynamics and Chaos, 2nd ed., ch. 9.
    """

    category = "phenomenological"
    typical_use = "chaotic test system"
    reference = "Lorenz 1963, J Atmos Sci 20:130-141"

    name = "lorenz"
    states = {"x": 1.0, "y": 1.0, "z": 1.0}
    params = {"sigma": 10.0, "rho": 28.0, "beta": 8.0 / 3.0, "tau": 1.0}
    inputs = ["u"]
    outputs = {"x": "x", "y": "y", "z": "z"}
    equations = {
        "x": "(sigma*(y - x) + u)/tau",
        "y": "(x*(rho - z) - y)/tau",
        "z": "(x*y - beta*z)/tau",
    }
