"""Lowering: flatten Mass / Node / Network into groups and edges (arrays).

A *group* holds every instance of one distinct mass, wherever it sits; an
*edge* feeds one output of one instance into one input port of another, with
a weight, a delay and a kind (a code into :attr:`Lowered.kinds`). Local node
connections and network couplings lower to the same edge arrays, so the
generated code never depends on the connectivity or on N.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..address import split_ref
from ..errors import ModelError
from ..masses.mass import Mass
from ..networks.coupling import KINDS, coupling_kind
from ..networks.network import Network
from ..nodes.node import Node


@dataclass
class Group:
    index: int
    mass: Mass                      # representative: equations and names
    members: list = field(default_factory=list)   # (node index, label, Mass)

    @property
    def n(self):
        return len(self.members)


@dataclass
class Edges:
    """Flat edge arrays (one entry per edge)."""
    src: np.ndarray      # index into the output vector y
    dst: np.ndarray      # index into the input vector u
    weight: np.ndarray
    delay: np.ndarray    # ms
    kind: np.ndarray     # code: index into the model's Lowered.kinds (0: linear)
    ref: np.ndarray      # index into y of the target's own copy of the output (-1 for linear)

    @classmethod
    def concat(cls, parts):
        if not parts:
            z = np.zeros(0)
            zi = np.zeros(0, dtype=np.int64)
            return cls(zi, zi, z, z, zi, zi)
        return cls(*(np.concatenate([getattr(p, f) for p in parts])
                     for f in ("src", "dst", "weight", "delay", "kind", "ref")))


def as_network(obj):
    """Wrap a Mass or Node into a one-node Network."""
    if isinstance(obj, Network):
        return obj
    if isinstance(obj, Mass):
        return Network([Node(obj.name, {obj.name: obj})], labels=[obj.name])
    if isinstance(obj, Node):
        return Network([obj], labels=[obj.name])
    raise ModelError(f"build() takes a Mass, a Node or a Network, got {type(obj).__name__}.")


class Lowered:
    """Groups, index maps and edges of a network."""

    def __init__(self, network):
        self.network = network
        self.node_labels = network.labels
        groups, by_sig = [], {}
        for k, node in enumerate(network.nodes):
            for label, mass in node.masses.items():
                sig = mass.signature()
                if sig not in by_sig:
                    by_sig[sig] = len(groups)
                    groups.append(Group(len(groups), mass))
                groups[by_sig[sig]].members.append((k, label, mass))
        self.groups = groups
        self._node_pos = {lab: k for k, lab in enumerate(self.node_labels)}
        self.masses = [g.mass for g in groups]
        # (node index, label) -> (group, instance)
        self.where = {(k, label): (g.index, i) for g in groups for i, (k, label, _) in enumerate(g.members)}
        self.kinds = _kinds_table(network.couplings)
        self._layout_base()

    def _layout_base(self):
        xo = po = uo = yo = 0
        rows, state_rows, param_rows, y_rows, u_rows = [], [], [], [], []
        x0, p0 = [], []
        for g in self.groups:
            m, n = g.mass, g.n
            rows.append([xo, n, po, uo, yo])
            for name in m.states:
                for k, label, inst in g.members:
                    state_rows.append((self.node_labels[k], label, name))
                    x0.append(inst.states[name])
            for name in m.params:
                for k, label, inst in g.members:
                    param_rows.append((self.node_labels[k], label, name))
                    p0.append(inst.params[name])
            for name in m.outputs:
                y_rows += [(self.node_labels[k], label, name) for k, label, _ in g.members]
            for name in m.inputs:
                u_rows += [(self.node_labels[k], label, name) for k, label, _ in g.members]
            xo += len(m.states) * n
            po += len(m.params) * n
            uo += len(m.inputs) * n
            yo += len(m.outputs) * n
        self.base_layout = np.array(rows, dtype=np.int64).reshape(-1, 5)
        self.n_x, self.n_p, self.n_u, self.n_y = xo, po, uo, yo
        names = ["node", "mass", "state"]
        self.state_index = pd.MultiIndex.from_tuples(state_rows, names=names)
        self.param_index = pd.MultiIndex.from_tuples(param_rows, names=["node", "mass", "param"])
        self.output_index = pd.MultiIndex.from_tuples(y_rows, names=["node", "mass", "output"])
        self.input_index = pd.MultiIndex.from_tuples(u_rows, names=["node", "mass", "port"])
        self.x0 = np.array(x0, dtype=float)
        self.p0 = np.array(p0, dtype=float)

    # ------------------------------------------------------------ index maps
    def y_index(self, k, label, output):
        g, i = self.where[(k, label)]
        grp = self.groups[g]
        return int(self.base_layout[g, 4] + list(grp.mass.outputs).index(output) * grp.n + i)

    def u_index(self, k, label, port):
        g, i = self.where[(k, label)]
        grp = self.groups[g]
        return int(self.base_layout[g, 3] + grp.mass.inputs.index(port) * grp.n + i)

    def _per_node(self, label, name, what):
        """Array over nodes: index of label.name in y ('outputs') or u ('inputs'); -1 if absent."""
        out = np.full(len(self.node_labels), -1, dtype=np.int64)
        for k, node in enumerate(self.network.nodes):
            m = node.masses.get(label)
            if m is None:
                continue
            if what == "outputs" and name in m.outputs:
                out[k] = self.y_index(k, label, name)
            elif what == "inputs" and name in m.inputs:
                out[k] = self.u_index(k, label, name)
        return out

    def param_table(self):
        """All parameters (mass parameters, and node parameters under mass
        ``"node"``) with value, transform and prior columns, ordered by node,
        then population, then parameter (a lexsorted MultiIndex, so ``.loc``
        is fast). Returns the table and the table row of each kernel parameter."""
        rows, info = list(self.param_index), []
        for g in self.groups:
            pi = g.mass.param_info
            for name in g.mass.params:
                info += [pi.get(name, {})] * g.n
        values = list(self.p0)
        for k, node in enumerate(self.network.nodes):
            for name, v in node.params.items():
                rows.append((self.node_labels[k], "node", name))
                values.append(v)
                info.append(node.param_info.get(name, {}))
        index, order = _sorted_index(rows, ["node", "mass", "param"], self.node_labels)
        table = pd.DataFrame({
            "value": np.array(values, dtype=float)[order],
            "transform": [info[i].get("transform", "") for i in order],
            "prior_mean": np.array([info[i].get("prior_mean", np.nan) for i in order], dtype=float),
            "prior_var": np.array([info[i].get("prior_var", np.nan) for i in order], dtype=float),
        }, index=index)
        # kernel parameter j sits in table row kernel_pos[j]
        kernel_pos = np.argsort(order)[:self.n_p]
        return table, kernel_pos

    # ----------------------------------------------------------------- edges
    def connection_table(self):
        """Local (within-node) links, one row per node: an editable DataFrame.

        ``weight`` and ``delay`` are editable numbers for constant links;
        links defined by an expression of node parameters (``weight_expr``,
        ``delay_expr``) are recomputed from ``model.params`` at every run.
        Blank an expression (``""``) to freeze that value and edit it directly.
        """
        rows, text = [], {}       # nodes often share link expressions: print each once

        def show(v):
            if isinstance(v, float):
                return ""
            if v not in text:
                text[v] = str(v)
            return text[v]

        for k, node in enumerate(self.network.nodes):
            weights, delays = node.link_values()
            for n_link, c in enumerate(node.connections):
                rows.append((self.node_labels[k], c.source, c.output, c.target, c.port,
                             float(weights[n_link]), float(delays[n_link]), show(c.weight), show(c.delay), n_link))
        return pd.DataFrame(rows, columns=["node", "source", "output", "target", "port", "weight", "delay",
                                           "weight_expr", "delay_expr", "link"])

    def local_edges(self, table, params):
        """Edges of the local links; expression links evaluated with ``params``
        (the model's parameter table). A row is identified by its ``node`` and
        ``link`` (the link's index in that node); source and target follow
        from them. The table is read, never written."""
        if len(table) == 0:
            return Edges.concat([])
        nodes, links = table["node"].tolist(), table["link"].tolist()
        src, dst = self._local_indices(nodes, links)
        weight, delay = self._link_values(table, params, nodes, links)
        _check_edge_values(weight, delay, "connections table")
        n = len(src)
        return Edges(src, dst, weight, delay, np.zeros(n, dtype=np.int64), np.full(n, -1, dtype=np.int64))

    def show_link_values(self, table, params):
        """Write the current values of the expression links into ``table``'s
        weight and delay columns (for display; what a run uses is computed by
        :meth:`local_edges`). A table whose rows no longer name links is left
        as it is: the next run says what is wrong with it."""
        if len(table) == 0:
            return
        nodes, links = table["node"].tolist(), table["link"].tolist()
        try:
            self._local_indices(nodes, links)
        except ModelError:
            return
        for col, new in zip(("weight", "delay"), self._link_values(table, params, nodes, links)):
            if not np.array_equal(table[col].to_numpy(dtype=float), new, equal_nan=True):
                table[col] = new

    def _link_values(self, table, params, nodes, links):
        """(weight, delay) of every row: its numbers, or where it has an
        expression (``weight_expr`` / ``delay_expr``), that evaluated with ``params``."""
        weight = table["weight"].to_numpy(dtype=float, copy=True)
        delay = table["delay"].to_numpy(dtype=float, copy=True)
        w_expr = table["weight_expr"].to_numpy() != ""
        d_expr = table["delay_expr"].to_numpy() != ""
        rows = np.nonzero(w_expr | d_expr)[0]
        if len(rows):
            values = params["value"].to_numpy()
            where = self._node_param_rows(params.index)
            per_node = {}
            for r in rows:
                node = nodes[r]
                if node not in per_node:     # every link of the node in one call
                    names, pos = where.get(node, ((), ()))
                    per_node[node] = self.network.nodes[self._node_pos[node]].link_values(
                        dict(zip(names, values[list(pos)])))
                w, d = per_node[node]
                if w_expr[r]:
                    weight[r] = w[links[r]]
                if d_expr[r]:
                    delay[r] = d[links[r]]
        return weight, delay

    def _node_param_rows(self, index):
        """node label -> (parameter names, their rows in the parameter table);
        cached for the table's index."""
        cached = getattr(self, "_node_rows_cache", None)
        if cached is not None and cached[0] is index:
            return cached[1]
        rows = {}
        masses = index.get_level_values("mass")
        for r in np.nonzero(masses == "node")[0]:
            node, _, name = index[r]
            names, pos = rows.setdefault(node, ([], []))
            names.append(name)
            pos.append(r)
        self._node_rows_cache = (index, rows)
        return rows

    def _local_indices(self, nodes, links):
        """(y index of the source, u index of the target) of every row (node,
        link); cached, as they follow from the structure alone."""
        key = (tuple(nodes), tuple(links))
        cached = getattr(self, "_local_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        src, dst = [], []
        for node, link in zip(nodes, links):
            k = self._node_pos.get(node)
            conns = self.network.nodes[k].connections if k is not None else ()
            if not isinstance(link, (int, np.integer)) or not 0 <= link < len(conns):
                raise ModelError(f"connections table: node {node!r} has no link {link!r}; the table's node and "
                                 "link columns identify a connection (edit weight and delay only).")
            c = conns[link]
            src.append(self.y_index(k, c.source, c.output))
            dst.append(self.u_index(k, c.target, c.port))
        src, dst = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
        self._local_cache = (key, src, dst)
        return src, dst

    def kind_code(self, kind):
        """Code of a coupling kind in :attr:`kinds`."""
        kind = coupling_kind(kind)
        try:
            return self.kinds.index(kind)
        except ValueError:
            raise ModelError(f"coupling kind {kind!r} is not one of this model's kinds "
                             f"{[k.name for k in self.kinds]}; build a model with it.") from None

    def coupling_edges(self, coupling):
        src_label, src_out = split_ref(coupling.source)
        dst_label, dst_port = split_ref(coupling.target)
        src_y = self._per_node(src_label, src_out, "outputs")
        dst_u = self._per_node(dst_label, dst_port, "inputs")
        W = np.asarray(coupling.weights, dtype=float)
        D = np.asarray(coupling.delays, dtype=float)
        _check_edge_values(W, D, f"coupling {coupling.name!r}")
        i, j = np.nonzero(W)
        keep = (src_y[j] >= 0) & (dst_u[i] >= 0)
        i, j = i[keep], j[keep]
        kind = self.kind_code(coupling.kind)
        # (a kind that does not read b may link a target lacking the source output: b unused, any index)
        ref = np.where(src_y[i] >= 0, src_y[i], src_y[j]) if kind else np.full(len(i), -1, dtype=np.int64)
        return Edges(src_y[j], dst_u[i], coupling.gain * W[i, j], D[i, j].astype(float),
                     np.full(len(i), kind, dtype=np.int64), ref.astype(np.int64))


def _kinds_table(couplings):
    """The coupling kinds of a network: ``linear`` (code 0, also every local
    connection) then the others in order of first use."""
    kinds = [KINDS["linear"]]
    for c in couplings:
        kind = coupling_kind(c.kind, f"coupling {c.name!r}")
        if kind not in kinds:
            same = [k for k in kinds if k.name == kind.name]
            if same:
                raise ModelError(f"coupling {c.name!r}: two different coupling kinds are named {kind.name!r} "
                                 f"({same[0].h} and {kind.h}); give them different names.")
            kinds.append(kind)
    return tuple(kinds)


def _check_edge_values(weight, delay, what):
    if not np.all(np.isfinite(weight)):
        raise ModelError(f"{what}: weights contain NaN or inf; use 0 for absent edges.")
    if not np.all(np.isfinite(delay)) or np.any(delay < 0):
        raise ModelError(f"{what}: delays must be finite and >= 0 ms.")


def _sorted_index(rows, names, node_labels):
    """A lexsorted MultiIndex over ``rows`` with levels in order of appearance
    (nodes in network order); returns it and the row permutation used."""
    levels = [list(node_labels)]
    for lev in range(1, len(names)):
        levels.append(list(dict.fromkeys(r[lev] for r in rows)))
    lookup = [{v: i for i, v in enumerate(level)} for level in levels]
    codes = np.array([[lookup[lev][r[lev]] for lev in range(len(names))] for r in rows],
                     dtype=np.int64).reshape(-1, len(names))
    order = np.lexsort(codes.T[::-1]) if len(rows) else np.zeros(0, dtype=np.int64)
    index = pd.MultiIndex(levels=levels, codes=[codes[order, lev] for lev in range(len(names))], names=names)
    return index, order
