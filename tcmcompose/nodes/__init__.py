"""Nodes: populations with local connectivity, and the node library."""
from .node import Connection, Node
from .tcm_column import TCMColumn, lfp

__all__ = ["Connection", "Node", "TCMColumn", "lfp"]
