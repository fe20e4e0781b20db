"""The Epileptor (Jirsa et al. 2014): seizure onset and offset as slow-fast bursting, TVB's form."""
from ..mass import Mass


class Epileptor(Mass):
    r"""Six-variable Epileptor of Jirsa et al. (2014), as The Virtual Brain integrates it.

    .. math::

        \dot x_1 &= t_t\,(y_1 - z + I_{ext} + K_{vf}\, c_1 + f_1(x_1, x_2, z)\, x_1) \\
        \dot y_1 &= t_t\,(c - d\, x_1^2 - y_1) \\
        \dot z &= t_t\, r\,(s\,(x_1 - x_0) + h_z(z) - z + K_s\, c_1) \\
        \dot x_2 &= t_t\,(-y_2 + x_2 - x_2^3 + I_{ext2} + b_b\, g - 0.3\,(z - 3.5) + K_f\, c_2) \\
        \dot y_2 &= t_t\,(-y_2 + f_2(x_2))/\tau \\
        \dot g &= -0.01\, t_t\,(g - 0.1\, x_1)

    with :math:`f_1 = -a x_1^2 + b x_1` for :math:`x_1 < 0` and
    :math:`f_1 = \mathrm{slope} - x_2 + 0.6 (z - 4)^2` otherwise (so the
    population-1 nonlinearity is :math:`-a x_1^3 + b x_1^2` below 0);
    :math:`h_z = -0.1 z^7` for :math:`z < 0`, else 0;
    :math:`f_2 = 0` for :math:`x_2 < -0.25`, else :math:`a_a (x_2 + 0.25)`.

    Population 1 (:math:`x_1, y_1`) generates the fast discharges, population 2
    (:math:`x_2, y_2`) the spike-wave events, :math:`z` is the slow
    permittivity variable that drives the system in and out of seizures, and
    :math:`g` low-pass filters :math:`x_1`. :math:`x_0` is the excitability
    ("epileptogenicity"): above about -2.05 (at :math:`I_{ext} = 3.1`) the
    interictal fixed point is gone and seizures recur; below it the node rests.

    Units: as in TVB, which integrates the model in its own time unit and
    calls it ms (dt = 0.05-0.1): with :math:`r = 0.00035` a seizure lasts a
    few thousand units. ``tt`` rescales the whole system.

    Ports: ``c_pop1`` (TVB's first coupling variable, the difference coupling
    on :math:`x_1`, entering with :math:`K_{vf}` and :math:`K_s`) and ``c_pop2``
    (on :math:`x_2`, with :math:`K_f`). Outputs ``x1``, ``x2``, ``lfp`` =
    :math:`x_2 - x_1` (TVB's monitored signal) and ``z``. Permittivity
    coupling (Proix et al. 2014) is
    ``tc.Coupling("E.x1", "E.c_pop1", kind="diffusive")`` with ``Ks`` set
    (TVB's ``Difference`` coupling is the diffusive kind).

    Defaults: TVB 2.x (a = 1, b = 3, c = 1, d = 5, r = 0.00035, s = 4,
    x0 = -1.6, Iext = 3.1, slope = 0, Iext2 = 0.45, tau = 10, aa = 6, bb = 2,
    Kvf = Kf = Ks = 0, tt = 1). TVB writes the factor ``s`` as the literal 4;
    it is a parameter here. TVB's ``modification`` switch (sigmoidal
    :math:`h`) is not included. Initial state: the interictal rest of
    :math:`x_0 = -2.5` (a seizure starts within a few thousand units at the
    default :math:`x_0`).

    References: Jirsa V.K., Stacey W.C., Quilichini P.P., Ivanov A.I. &
    Bernard C. (2014) Brain 137:2210-2230; Proix T. et al. (2014) J Neurosci
    34:15009-15021; Sanz-Leon P. et al. (2015) NeuroImage 111:385-430 (TVB).
    """

    category = "physiological"
    typical_use = "seizure onset and propagation"
    reference = "Jirsa et al. 2014, Brain 137:2210-2230"

    name = "epileptor"
    states = {"x1": -1.694, "y1": -13.354, "z": 3.223, "x2": -0.883, "y2": 0.0, "g": -0.169}
    params = {"a": 1.0, "b": 3.0, "c": 1.0, "d": 5.0, "r": 0.00035, "s": 4.0, "x0": -1.6, "Iext": 3.1,
              "slope": 0.0, "Iext2": 0.45, "tau": 10.0, "aa": 6.0, "bb": 2.0, "Kvf": 0.0, "Kf": 0.0,
              "Ks": 0.0, "tt": 1.0}
    inputs = ["c_pop1", "c_pop2"]
    outputs = {"x1": "x1", "x2": "x2", "lfp": "x2 - x1", "z": "z"}
    equations = {
        "x1": "tt*(y1 - z + Iext + Kvf*c_pop1 + Piecewise((-a*x1**2 + b*x1, x1 < 0), "
              "(slope - x2 + 0.6*(z - 4)**2, True))*x1)",
        "y1": "tt*(c - d*x1**2 - y1)",
        "z": "tt*r*(s*(x1 - x0) + Piecewise((-0.1*z**7, z < 0), (0, True)) - z + Ks*c_pop1)",
        "x2": "tt*(-y2 + x2 - x2**3 + Iext2 + bb*g - 0.3*(z - 3.5) + Kf*c_pop2)",
        "y2": "tt*(-y2 + Piecewise((0, x2 < -0.25), (aa*(x2 + 0.25), True)))/tau",
        "g": "-0.01*tt*(g - 0.1*x1)",
    }
