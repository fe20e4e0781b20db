"""Stuart-Landau oscillator with separate amplitude and frequency control."""
from ..mass import Mass


class StuartLandau(Mass):
    r"""Stuart-Landau oscillator in its general complex form, with the
    amplitude set by a saturation rate and the frequency by a linear term plus
    an amplitude-dependent shear (as brainmass lists it apart from the Hopf
    normal form :class:`~tcmcompose.masses.library.hopf.Hopf`, which is the
    case :math:`\beta = 1, \gamma = 0`).

    .. math::

        \dot z &= (a + i\omega)\, z - (\beta + i\gamma)\,|z|^2 z + u,
        \qquad z = x + i y \\
        \dot x &= (a - \beta\rho^2)\, x - (\omega - \gamma\rho^2)\, y + u_x \\
        \dot y &= (a - \beta\rho^2)\, y + (\omega - \gamma\rho^2)\, x + u_y,
        \qquad \rho^2 = x^2 + y^2

    In polar form :math:`\dot\rho = (a - \beta\rho^2)\rho`,
    :math:`\dot\phi = \omega - \gamma\rho^2`: for :math:`a, \beta > 0` a
    stable limit cycle of radius :math:`\sqrt{a/\beta}` (amplitude control)
    and angular frequency :math:`\omega - \gamma a/\beta` (frequency control;
    :math:`\gamma` makes the frequency depend on the amplitude). The exact
    solution from :math:`\rho_0` is
    :math:`\rho^2(t) = (a/\beta) / (1 + (a/(\beta\rho_0^2) - 1) e^{-2at})`.

    Units: time in ms; :math:`a, \beta` in 1/ms, :math:`\omega, \gamma` in
    rad/ms; :math:`x, y` dimensionless. Defaults: ``a`` = 0.1 /ms, ``beta`` =
    0.1 /ms (unit radius), ``omega`` = :math:`2\pi\cdot 0.01` rad/ms (10 Hz),
    ``gamma`` = 0 (no shear). Initial state x = 0.5, y = 0.

    Ports ``u_x``, ``u_y`` add to :math:`\dot x`, :math:`\dot y`; outputs
    ``x``, ``y``.

    References: Kuramoto Y. (1984) Chemical Oscillations, Waves, and
    Turbulence, Springer, ch. 2 (the Stuart-Landau equation);
    Pikovsky A., Rosenblum M. & Kurths J. (2001) Synchronization, Cambridge
    University Press, §7.4 (amplitude-dependent frequency, shear).
    """

    category = "phenomenological"
    typical_use = "limit-cycle unit with set amplitude and amplitude-dependent frequency"
    reference = "Kuramoto 1984, Chemical Oscillations, Waves and Turbulence"

    name = "stuart_landau"
    states = {"x": 0.5, "y": 0.0}
    params = {"a": 0.1, "beta": 0.1, "omega": 0.06283185307179587, "gamma": 0.0}
    inputs = ["u_x", "u_y"]
    outputs = {"x": "x", "y": "y"}
    equations = {
        "x": "(a - beta*(x**2 + y**2))*x - (omega - gamma*(x**2 + y**2))*y + u_x",
        "y": "(a - beta*(x**2 + y**2))*y + (omega - gamma*(x**2 + y**2))*x + u_y",
    }
