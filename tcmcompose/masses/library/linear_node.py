"""Linear damped node (TVB's ``Linear``)."""
from ..mass import Mass


class LinearNode(Mass):
    r"""Linear damped node, The Virtual Brain's ``Linear`` model:

    .. math::

        \dot x = \gamma\, x + c

    For constant input :math:`c` the solution is exact:
    :math:`x(t) = x_0 e^{\gamma t} + \frac{c}{\gamma}\left(e^{\gamma t} - 1\right)`,
    relaxing to :math:`-c/\gamma` with time constant :math:`-1/\gamma`.
    A network of these nodes, :math:`\dot x = \gamma x + G W x + \xi`, is the
    linear (Ornstein-Uhlenbeck) model whose covariance solves a Lyapunov
    equation: the usual baseline for functional connectivity. It is stable
    while :math:`\gamma + G\lambda_{max}(W) < 0`.

    Units: time in ms, ``gamma`` in 1/ms (must be negative for a damped
    node; positive values give exponential growth), ``x`` and ``c`` in the
    units of the coupled signal (per ms for ``c``). Default ``gamma`` =
    -10 /ms (TVB's default). Initial state x = 1.

    Port ``c`` is the coupling (TVB's ``c_0``; drive the node with noise by
    an Ornstein-Uhlenbeck or white stimulus on it); output ``x``. Names as
    in TVB.

    References: Sanz-Leon P. et al. (2015) NeuroImage 111:385-430 (TVB);
    Galán R.F. (2008) PLoS ONE 3:e2148 (linear model of resting-state FC).
    """

    category = "phenomenological"
    typical_use = "linear damped node; noise-driven FC baselines"
    reference = "Sanz-Leon et al. 2015, NeuroImage 111:385-430"

    name = "linear"
    states = {"x": 1.0}
    params = {"gamma": -10.0}
    inputs = ["c"]
    outputs = {"x": "x"}
    equations = {"x": "gamma*x + c"}
