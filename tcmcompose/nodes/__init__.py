"""Nodes: populations with local connectivity, and the node library."""
from .node import Connection, Node

__all__ = ["Connection", "Node"]
