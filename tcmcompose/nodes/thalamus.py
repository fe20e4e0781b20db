"""The thalamic node of Costa et al. (2016): relay (TCR) and reticular (TRN) populations."""
from ..masses.library.costa_thalamus import ThalamicRelay, ThalamicReticular
from .node import Node, split_node_params

#: local connection strengths (neurolib defaults): TRN -> TCR, TCR -> TRN, TRN -> TRN
LOCAL_DEFAULTS = {"N_tr": 5.0, "N_rt": 3.0, "N_rr": 25.0}


def thalamus_node(**params):
    r"""A thalamic node: ``"TCR"`` (:class:`ThalamicRelay`) and ``"TRN"``
    (:class:`ThalamicReticular`) with neurolib's local connections.

    Local links (undelayed, on the firing rates :math:`F` in 1/ms):
    ``TRN.rate -> TCR.gaba`` weight ``N_tr`` (5), ``TCR.rate -> TRN.ampa``
    weight ``N_rt`` (3), ``TRN.rate -> TRN.gaba`` weight ``N_rr`` (25); the
    three are node parameters (editable without rebuilding). Cortical input
    goes to ``TCR.ampa`` (and, if wanted, ``TRN.ampa``); the relay's output
    to cortex is ``TCR.rate`` (1/ms) or ``TCR.Q_t`` (Hz).

    With ``method="euler"`` at ``dt = 0.01`` ms this integrates neurolib's
    native ``ThalamicMassModel`` step for step (all right-hand sides from the
    previous state); its outputs ``Q_t``, ``Q_r`` are our outputs of the same
    names. Keyword arguments set the node's ``N_tr``, ``N_rt``, ``N_rr`` or
    any parameter of the populations (a name both populations have, such as
    ``g_LK``, is set on both).

    References: Costa M.S. et al. (2016) PLoS Comput Biol 12:e1005022;
    Cakan C. et al. (2023) Cogn Comput 15:1132-1152 (neurolib).
    """
    local, masses = split_node_params("thalamus_node", LOCAL_DEFAULTS,
                                      {"TCR": ThalamicRelay(), "TRN": ThalamicReticular()}, params)
    return Node("thalamus", masses,
                connections=[("TRN.rate", "TCR", "gaba", "N_tr"),
                             ("TCR.rate", "TRN", "ampa", "N_rt"),
                             ("TRN.rate", "TRN", "gaba", "N_rr")],
                params=local)
