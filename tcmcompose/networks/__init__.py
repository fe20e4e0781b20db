"""Networks: nodes wired with connectivity and delay matrices, and couplings."""
from .coupling import KINDS, Coupling, CouplingKind
from .network import Network
from .tcm_network import tcm_network

__all__ = ["Coupling", "CouplingKind", "KINDS", "Network", "tcm_network"]
