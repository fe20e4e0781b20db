"""Nodes: populations with local connectivity, and the node library."""
from .node import Connection, Node
from .tcm_column import TCMColumn, lfp
from .wilson_cowan import wilson_cowan_node

__all__ = ["Connection", "Node", "TCMColumn", "lfp", "wilson_cowan_node"]
