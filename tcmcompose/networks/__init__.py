"""Networks: nodes wired with connectivity and delay matrices, and couplings."""
from .coupling import KINDS, Coupling
from .network import Network

__all__ = ["Coupling", "KINDS", "Network"]
