"""Nodes: populations with local connectivity, and the node library."""
from .aln import aln_couplings, aln_node
from .node import Connection, Node
from .tcm_column import TCMColumn, lfp
from .thalamus import thalamus_node
from .wilson_cowan import wilson_cowan_node

__all__ = ["aln_couplings", "aln_node", "Connection", "Node", "TCMColumn", "lfp", "thalamus_node", "wilson_cowan_node"]
