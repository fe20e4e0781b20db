"""The :class:`Network`: nodes wired by weight and delay matrices."""
import numpy as np

from ..address import split_ref
from ..errors import ModelError
from ..masses.mass import Mass
from ..nodes.node import Node
from .coupling import Coupling
from .matrices import as_delays, as_square, delays_from_lengths


class Network:
    """Nodes (possibly of different types) coupled through matrices.

    Parameters
    ----------
    nodes : list of Node
        One entry per network node; the same Node object may repeat.
    weights : (N, N) array or DataFrame, optional
        ``weights[i, j]`` scales the edge from node j to node i (row =
        target, column = source); zero means no edge. Default: all zero.
    delays : (N, N) array or DataFrame, optional
        Conduction delays in ms (default 0). Alternatively ``lengths`` (mm)
        and ``speed`` (mm/ms), giving ``delays = lengths / speed``.
    couplings : list of Coupling
        Which output feeds which port through the matrices.
    labels : list of str, optional
        Node labels (default ``node0``, ``node1``, ...).
    """

    def __init__(self, nodes, weights=None, delays=None, couplings=(), labels=None,
                 lengths=None, speed=None):
        nodes = list(nodes)
        if not nodes:
            raise ModelError("A Network needs at least one node.")
        for k, node in enumerate(nodes):
            if isinstance(node, Mass):
                nodes[k] = node = Node(node.name, {node.name: node})
            if not isinstance(node, Node):
                raise ModelError(f"network node {k} must be a Node (or a Mass), got {type(node).__name__}.")
        self.nodes = nodes
        n = len(nodes)
        if labels is None:
            labels = [f"node{k}" for k in range(n)]
        labels = [str(x) for x in labels]
        dotted = [x for x in labels if "." in x or not x.strip()]
        if dotted:
            raise ModelError(f"node label {dotted[0]!r} is empty or contains '.', the separator of addresses "
                             "such as 'node3.E.V'; use e.g. underscores instead.")
        if len(labels) != n or len(set(labels)) != n:
            raise ModelError(f"labels: give {n} distinct node labels (got {len(labels)}, "
                             f"{len(set(labels))} distinct).")
        self.labels = labels
        self.weights = np.zeros((n, n)) if weights is None else as_square(weights, n, labels, "weights")
        if delays is not None and lengths is not None:
            raise ModelError("Give either delays (ms) or lengths and speed, not both.")
        if lengths is not None:
            self.delays = delays_from_lengths(lengths, speed, n, labels)
        elif delays is None:
            self.delays = np.zeros((n, n))
        else:
            self.delays = as_delays(delays, n, labels)
        self.couplings = []
        for c in couplings:
            if not isinstance(c, Coupling):
                raise ModelError(f"couplings must be tc.Coupling objects, got {c!r}.")
            self.couplings.append(self._check_coupling(c))
        names = [c.name for c in self.couplings]
        if len(set(names)) != len(names):
            raise ModelError(f"coupling names must be distinct, got {names}; pass name= to tell them apart.")

    def _check_coupling(self, c):
        n = len(self.nodes)
        src_label, src_out = split_ref(c.source)
        dst_label, dst_port = split_ref(c.target)
        has_src = [src_label in nd.masses and src_out in nd.masses[src_label].outputs for nd in self.nodes]
        has_dst = [dst_label in nd.masses and dst_port in nd.masses[dst_label].inputs for nd in self.nodes]
        if not any(has_src):
            raise ModelError(f"coupling {c.name!r}: no node has output {c.source!r}; "
                             f"available outputs: {self._available('outputs')}.")
        if not any(has_dst):
            raise ModelError(f"coupling {c.name!r}: no node has input port {c.target!r}; "
                             f"available ports: {self._available('inputs')}.")
        if c.coupling_kind.uses_target:
            lacking = [self.labels[k] for k in range(n) if has_dst[k] and not has_src[k]]
            if lacking:
                raise ModelError(f"coupling {c.name!r} ({c.kind}) compares the source output with the "
                                 f"target node's own {c.source!r}, which node(s) {lacking[:5]} lack.")
        weights = self.weights if c.weights is None else as_square(c.weights, n, self.labels,
                                                                   f"weights of coupling {c.name!r}")
        delays = self.delays if c.delays is None else as_delays(c.delays, n, self.labels,
                                                                f"delays of coupling {c.name!r}")
        return Coupling(c.source, c.target, c.gain, c.kind, weights, delays, c.name)

    def _available(self, what):
        names = set()
        for nd in self.nodes:
            for label, m in nd.masses.items():
                items = m.outputs if what == "outputs" else m.inputs
                names.update(f"{label}.{x}" for x in items)
        return sorted(names)

    def graph(self):
        """A :class:`networkx.DiGraph` of the whole hierarchy.

        Vertices are populations ``"node.label"`` (attributes ``node``,
        ``mass``, ``model``). An edge u -> v holds ``links``: one dict per
        link between them (``kind`` "local" or the coupling name, ``output``,
        ``port``, ``weight``, ``delay`` in ms), since one pair of populations
        can be linked through several ports (AMPA and NMDA, say).
        """
        import networkx as nx        # here: only this view needs it (~0.13 s to import)
        g = nx.DiGraph()
        for k, (label, node) in enumerate(zip(self.labels, self.nodes)):
            for pop, mass in node.masses.items():
                g.add_node(f"{label}.{pop}", node=label, node_index=k, node_type=node.name,
                           mass=pop, model=mass.name)
            for c in node.connections:
                _add_link(g, f"{label}.{c.source}", f"{label}.{c.target}", kind="local",
                          output=c.output, port=c.port, weight=float(node.evaluate(c.weight)),
                          delay=float(node.evaluate(c.delay)))
        for c in self.couplings:
            src_label, src_out = split_ref(c.source)
            dst_label, dst_port = split_ref(c.target)
            for i, j in zip(*np.nonzero(c.weights)):
                u, v = f"{self.labels[j]}.{src_label}", f"{self.labels[i]}.{dst_label}"
                if u in g and v in g:
                    _add_link(g, u, v, kind=c.name, output=src_out, port=dst_port,
                              weight=float(c.gain * c.weights[i, j]), delay=float(c.delays[i, j]))
        return g

    def __repr__(self):
        types = sorted({nd.name for nd in self.nodes})
        return f"Network({len(self.nodes)} nodes of type(s) {types}, {len(self.couplings)} couplings)"


def _add_link(g, u, v, **link):
    if g.has_edge(u, v):
        g.edges[u, v]["links"].append(link)
    else:
        g.add_edge(u, v, links=[link])
