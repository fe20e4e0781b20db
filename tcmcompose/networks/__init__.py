"""Networks: nodes wired with connectivity and delay matrices, and couplings."""
from .coupling import KINDS, Coupling
from .network import Network
from .tcm_network import tcm_network

__all__ = ["Coupling", "KINDS", "Network", "tcm_network"]
