"""Stuart-Landau oscillator: the normal form of a supercritical Hopf bifurcation."""
from ..mass import Mass


class Hopf(Mass):
    r"""Normal form of a supercritical Hopf bifurcation (Stuart-Landau oscillator),
    as used for whole-brain models (Deco et al. 2017; TVB's ``SupHopf``).

    .. math::

        \dot x &= \left(a - x^2 - y^2\right) x - \omega\, y + u_x \\
        \dot y &= \left(a - x^2 - y^2\right) y + \omega\, x + u_y

    In polar form :math:`z = x + i y = \rho e^{i\phi}`:
    :math:`\dot\rho = (a - \rho^2)\rho`, :math:`\dot\phi = \omega`. For
    :math:`a < 0` the origin is a stable focus (decay rate :math:`-a`,
    damped oscillation at :math:`\omega`); at :math:`a = 0` a supercritical
    Hopf bifurcation; for :math:`a > 0` a stable limit cycle of radius
    :math:`\sqrt a` and angular frequency :math:`\omega`.

    Units: time in ms, so :math:`a` is in 1/ms and :math:`\omega` in rad/ms;
    :math:`x, y` are dimensionless. Defaults: ``a`` = 0.1 /ms (oscillating,
    radius 0.316), ``omega`` = :math:`2\pi \cdot 0.01` rad/ms = 0.0628 rad/ms,
    i.e. 10 Hz (alpha band). TVB's defaults are a = -0.5 and omega = 1
    rad/ms (159 Hz); Deco et al. (2017) fit :math:`\omega` per region from
    the BOLD peak frequency (0.04-0.07 Hz) with :math:`a` near 0. Initial
    state x = 0.1, y = 0 (off the unstable origin).

    Ports ``u_x``, ``u_y`` add to :math:`\dot x`, :math:`\dot y`; outputs
    ``x``, ``y``. Deco et al.'s diffusive coupling
    :math:`G\sum_j C_{ij}(x_j - x_i)` is
    ``tc.Coupling("hopf.x", "hopf.u_x", gain=G, kind="diffusive")`` plus the
    same for ``y``. Names as in TVB's ``SupHopf`` (``a``, ``omega``, ``x``,
    ``y``).

    References: Kuznetsov Y.A. (2004) Elements of Applied Bifurcation Theory,
    3rd ed., Springer, §3.4; Deco G. et al. (2017) Sci Rep 7:3095.
    """

    category = "phenomenological"
    typical_use = "oscillator near a Hopf bifurcation; whole-brain alpha/gamma networks"
    reference = "Deco et al. 2017, Sci Rep 7:3095"

    name = "hopf"
    states = {"x": 0.1, "y": 0.0}
    params = {"a": 0.1, "omega": 0.06283185307179587}
    inputs = ["u_x", "u_y"]
    outputs = {"x": "x", "y": "y"}
    equations = {
        "x": "(a - x**2 - y**2)*x - omega*y + u_x",
        "y": "(a - x**2 - y**2)*y + omega*x + u_y",
    }
