"""Masses, nodes and networks to plain data (the model-file schema) and back.

:func:`dump` turns an object into the mapping a YAML/JSON file holds;
:func:`build_objects` turns a validated :class:`~.schema.FileSpec` back into
objects. Masses and nodes are written once under ``masses:``/``nodes:`` and
referred to by key; a reference that no key defines is looked up in the
catalogue (``tc.get_model``), so a hand-written file may say
``masses: {JR: jansen_rit}``.
"""
import difflib
import json

import numpy as np
import sympy as sp

from .. import __version__
from ..errors import ModelError
from ..masses.mass import Mass
from ..networks.coupling import Coupling, CouplingKind
from ..networks.network import Network
from ..nodes.node import Node
from .expressions import agrees, exact_form, from_exact, from_text, to_text
from .matrices import read_matrix, write_matrix
from .schema import SCHEMA_VERSION, key_path


# ------------------------------------------------------------------- writing
def _params(values, info):
    out = {}
    for p, v in values.items():
        extra = dict(info.get(p, {}))
        out[p] = {"value": float(v), **extra} if extra else float(v)
    return out


def _tables(m):
    """Tables (``tc.Table``) the mass's expressions call, by name."""
    from ..masses.table import TableFunctionBase
    found = {}
    for field in ("outputs", "equations", "noise"):
        for e in getattr(m, field).values():
            for call in (e.atoms(TableFunctionBase) if isinstance(e, sp.Basic) else ()):
                table = type(call)._table
                if found.setdefault(table.name, table) is not table:
                    raise ModelError(f"mass {m.name!r}: two different tables are named {table.name!r}; "
                                     "rename one (tc.Table(..., name=...)) to save the mass.")
    return found


def _table_dict(table, path, stem):
    values = table.values
    return {"axes": [[float(v) for v in a] for a in table.axes],
            "values": values.tolist() if values.ndim == 1 and (path is None or values.size <= 400)
            else write_matrix(values, path, stem), "method": table.method, "outside": table.outside}


def _mass_dict(m, path=None):
    exact = {}
    d = {"name": m.name}
    if type(m).__doc__ and type(m) is not Mass:
        d["doc"] = type(m).__doc__.strip().splitlines()[0]
    d["states"] = {s: float(v) for s, v in m.states.items()}
    d["params"] = _params(m.params, m.param_info)
    d["inputs"] = list(m.inputs)
    tables = _tables(m)
    names = {**m.symbols, **tables}
    for field in ("outputs", "equations", "noise"):
        table = {}
        for k, e in getattr(m, field).items():
            table[k] = to_text(e)
            ex = exact_form(e, names)
            if ex:
                exact[f"{field}.{k}"] = ex
        d[field] = table
    if not d["noise"]:
        del d["noise"]
    if tables:
        d["tables"] = {name: _table_dict(t, path, f"{m.name}.{name}") for name, t in tables.items()}
    if exact:
        d["exact"] = exact
    return d


def _node_dict(node, mass_keys):
    exact = {}
    d = {"name": node.name, "masses": {label: mass_keys[id(m)] for label, m in node.masses.items()}}
    if node.params:
        d["params"] = _params(node.params, node.param_info)
    links = []
    for k, c in enumerate(node.connections):
        item = {"source": f"{c.source}.{c.output}", "target": c.target, "port": c.port}
        for attr in ("weight", "delay"):
            value = getattr(c, attr)
            item[attr] = to_text(value)
            ex = exact_form(value, node._symbols)
            if ex:
                exact[f"connections[{k}].{attr}"] = ex
        links.append(item)
    d["connections"] = links
    if exact:
        d["exact"] = exact
    return d


def _unique_key(wanted, taken):
    key, k = wanted, 2
    while key in taken:
        key, k = f"{wanted}_{k}", k + 1
    return key


def _register(table, keys, obj, make):
    """Put ``obj``'s dict in ``table`` once (equal content shares a key); remember its key by id."""
    if id(obj) in keys:
        return keys[id(obj)]
    d = make(obj)
    text = json.dumps(d, sort_keys=True)
    for key, other in table.items():
        if json.dumps(other, sort_keys=True) == text:
            keys[id(obj)] = key
            return key
    key = _unique_key(obj.name, table)
    if key == d["name"]:
        del d["name"]
    table[key] = d
    keys[id(obj)] = key
    return key


def dump(obj, path=None, simulation=None):
    """The file mapping for a Mass, Node, Network or :class:`~.simulation.Simulation`.

    ``path`` (the file about to be written) lets large matrices go to
    ``.npy`` files beside it; without it every matrix is inline.
    """
    from .simulation import Simulation
    out = {"schema_version": SCHEMA_VERSION, "kind": None, "tcmcompose_version": __version__}
    masses, nodes, mkeys, nkeys = {}, {}, {}, {}

    def mass_dict(m):
        return _mass_dict(m, path)

    def node_key(node):
        for m in node.masses.values():
            _register(masses, mkeys, m, mass_dict)
        return _register(nodes, nkeys, node, lambda n: _node_dict(n, mkeys))

    if isinstance(obj, Simulation):
        out["kind"] = "simulation"
    elif isinstance(obj, Mass):
        out["kind"], out["model"] = "mass", _register(masses, mkeys, obj, mass_dict)
    elif isinstance(obj, Node):
        out["kind"] = "node"
        out["model"] = node_key(obj)
    elif isinstance(obj, Network):
        out["kind"] = "network"
        keys = [node_key(nd) for nd in obj.nodes]
        runs = []
        for key in keys:
            if runs and runs[-1]["node"] == key:
                runs[-1]["count"] += 1
            else:
                runs.append({"node": key, "count": 1})
        net = {"nodes": [r["node"] if r["count"] == 1 else r for r in runs], "labels": list(obj.labels)}
        for field in ("weights", "delays"):       # all-zero matrices are the default: left out
            if np.any(getattr(obj, field)):
                net[field] = write_matrix(getattr(obj, field), path, field)
        net["couplings"] = []
        for k, c in enumerate(obj.couplings):
            kind = c.kind if isinstance(c.kind, str) else {"name": c.kind.name, "h": to_text(c.kind.h)}
            cd = {"name": c.name, "source": c.source, "target": c.target, "gain": float(c.gain), "kind": kind}
            if c.weights is not obj.weights:
                cd["weights"] = write_matrix(c.weights, path, f"coupling{k}.weights")
            if c.delays is not obj.delays:
                cd["delays"] = write_matrix(c.delays, path, f"coupling{k}.delays")
            net["couplings"].append(cd)
        out["network"] = net
    else:
        raise ModelError(f"tc.save writes a Mass, Node, Network or Simulation, not {type(obj).__name__}.")
    if masses:
        out["masses"] = masses
    if nodes:
        out["nodes"] = nodes
    sim = obj if isinstance(obj, Simulation) else simulation
    if sim is not None:
        out["simulation"] = sim.to_dict()
    return out


# ------------------------------------------------------------------- reading
class _Context:
    """What building objects from one file needs: its name, folder and line finder."""

    def __init__(self, where, base_dir, lines):
        self.where, self.base_dir, self.lines = where, base_dir, lines
        self.connectomes = {}

    def error(self, loc, message):
        line = self.lines(loc)
        at = key_path(loc) + (f" (line {line})" if line else "")
        return ModelError(f"{self.where}: {at}: {message}")


def _suggest(name, known):
    near = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {near[0]!r}? " if near else ""


def _expr(ctx, loc, value, symbols, owner, exact):
    """Text -> expression; the exact tree stands in while it agrees with the text."""
    try:
        expr = from_text(value, symbols, owner, key_path(loc[2:]))
    except ModelError as err:
        raise ctx.error(loc, str(err).split(": ", 1)[-1]) from None
    if not isinstance(expr, float):
        bad = sorted(x.name for x in expr.free_symbols if x.name not in symbols and x.name != "t")
        if bad:
            raise ctx.error(loc, f"uses undeclared symbol(s) {bad}; declare them under states:, params: "
                                 f"or inputs:, or fix the spelling; {_suggest(bad[0], symbols)}")
    tree = exact.get(key_path(loc[2:]))
    if tree is not None and not isinstance(expr, float):
        try:
            candidate = from_exact(tree, {k: v for k, v in symbols.items() if callable(v)})
        except (ValueError, TypeError, SyntaxError) as err:
            raise ctx.error(loc[:2] + ("exact", key_path(loc[2:])), f"not a SymPy tree ({err}); delete it") from None
        if agrees(candidate, expr):
            return candidate
    return expr


def _split_params(entries):
    values, info = {}, {}
    for p, v in entries.items():
        if isinstance(v, float):
            values[p] = v
        else:
            values[p] = v.value
            extra = {k: x for k, x in (v.model_extra or {}).items()}
            if extra:
                info[p] = extra
    return values, info


def _table(ctx, loc, name, spec):
    from ..masses.table import Table
    values = spec.values
    if not isinstance(values, list):
        n = len(spec.axes[0])
        values = read_matrix(values, None, ctx.base_dir, f"{ctx.where}: {key_path(loc + ('values',))}",
                             ctx.connectomes)
        if values.shape[0] != n:
            raise ctx.error(loc + ("values",), f"values have {values.shape[0]} rows; axis 0 has {n} points.")
    try:
        return Table(tuple(spec.axes), values, spec.method, spec.outside, name)
    except ModelError as err:
        raise ctx.error(loc, str(err)) from None


def _mass(ctx, key, spec):
    loc = ("masses", key)
    names = list(spec.states) + list(spec.params) + list(spec.inputs)
    symbols = {n: sp.Symbol(n, real=True) for n in names}
    tables = {name: _table(ctx, loc + ("tables", name), name, t) for name, t in spec.tables.items()}
    symbols.update(tables)
    owner = f"mass {spec.name or key!r}"
    fields = {}
    for field in ("outputs", "equations", "noise"):
        fields[field] = {k: _expr(ctx, loc + (field, k), v, symbols, owner, spec.exact)
                         for k, v in getattr(spec, field).items()}
    values, info = _split_params(spec.params)
    try:
        return Mass(name=spec.name or key, states=dict(spec.states), params=values, inputs=list(spec.inputs),
                    param_info=info, **fields)
    except ModelError as err:
        raise ctx.error(loc, str(err)) from None


def _catalogue(name, want):
    from ..catalogue import ENTRIES, get_model
    if not any(name == e.name or name in e.aliases for e in ENTRIES):
        return None
    obj = get_model(name)
    return obj if want is None or isinstance(obj, want) else None


def _resolve_mass(ctx, loc, ref, masses):
    if ref in masses:
        return masses[ref]
    found = _catalogue(ref, Mass)
    if found is None:
        raise ctx.error(loc, f"no mass {ref!r}: it is neither defined under masses: {sorted(masses)} "
                             f"nor a catalogue mass; {_suggest(ref, masses)}")
    return found


def _node(ctx, key, spec, masses):
    loc = ("nodes", key)
    pops = {label: _resolve_mass(ctx, loc + ("masses", label), ref, masses) for label, ref in spec.masses.items()}
    values, info = _split_params(spec.params)
    symbols = {p: sp.Symbol(p, real=True) for p in values}
    owner = f"node {spec.name or key!r}"
    links = []
    for k, c in enumerate(spec.connections):
        here = loc + ("connections", k)
        src = c.source.partition(".")[0]
        for label, what in ((src, "source"), (c.target, "target")):
            if label not in pops:
                raise ctx.error(here + (what,), f"no population {label!r} in this node; populations are "
                                                f"{list(pops)}; {_suggest(label, pops)}")
        if c.port not in pops[c.target].inputs:
            raise ctx.error(here + ("port",), f"population {c.target!r} ({pops[c.target].name}) has no input port "
                                              f"{c.port!r}; its ports are {pops[c.target].inputs}; "
                                              f"{_suggest(c.port, pops[c.target].inputs)}")
        weight = _expr(ctx, here + ("weight",), c.weight, symbols, owner, spec.exact)
        delay = _expr(ctx, here + ("delay",), c.delay, symbols, owner, spec.exact)
        links.append((c.source, c.target, c.port, weight, delay))
    try:
        return Node(spec.name or key, pops, links, params=values, param_info=info)
    except ModelError as err:
        raise ctx.error(loc, str(err)) from None


def _resolve_node(ctx, loc, ref, nodes, masses):
    if ref in nodes:
        return nodes[ref]
    if ref in masses:
        m = masses[ref]
        return Node(m.name, {m.name: m})
    found = _catalogue(ref, None)
    if found is None:
        raise ctx.error(loc, f"no node {ref!r}: it is neither defined under nodes: {sorted(nodes)} "
                             f"(or masses:) nor a catalogue model; {_suggest(ref, list(nodes) + list(masses))}")
    return found if isinstance(found, Node) else Node(found.name, {found.name: found})


def _network(ctx, spec, nodes, masses):
    members = []
    for k, item in enumerate(spec.nodes):
        ref, count = (item, 1) if isinstance(item, str) else (item.node, item.count)
        members += [_resolve_node(ctx, ("network", "nodes", k), ref, nodes, masses)] * count
    n = len(members)
    if spec.labels is not None and len(spec.labels) != n:
        raise ctx.error(("network", "labels"), f"{len(spec.labels)} labels for {n} nodes; give one label per node.")

    def matrix(value, loc):
        if value is None:
            return None
        return read_matrix(value, n, ctx.base_dir, f"{ctx.where}: {key_path(loc)}", ctx.connectomes)

    couplings = []
    for k, c in enumerate(spec.couplings):
        loc = ("network", "couplings", k)
        try:
            kind = c.kind if isinstance(c.kind, str) else CouplingKind(c.kind.name, c.kind.h)
            couplings.append(Coupling(c.source, c.target, c.gain, kind, matrix(c.weights, loc + ("weights",)),
                                      matrix(c.delays, loc + ("delays",)), c.name))
        except ModelError as err:
            raise ctx.error(loc, str(err)) from None
    try:
        return Network(members, matrix(spec.weights, ("network", "weights")),
                       matrix(spec.delays, ("network", "delays")), couplings, labels=spec.labels)
    except ModelError as err:
        raise ctx.error(("network",), str(err)) from None


def build_objects(spec, ctx):
    """(model object, Simulation or None) from a validated :class:`~.schema.FileSpec`."""
    from .simulation import Simulation
    masses = {key: _mass(ctx, key, m) for key, m in spec.masses.items()}
    nodes = {key: _node(ctx, key, nd, masses) for key, nd in spec.nodes.items()}
    sim = Simulation(**spec.simulation.model_dump()) if spec.simulation is not None else None
    if spec.kind == "simulation":
        if sim is None:
            raise ctx.error(("simulation",), "a kind: simulation file needs a simulation: section.")
        return sim, sim
    if spec.kind == "network":
        if spec.network is None:
            raise ctx.error(("network",), "a kind: network file needs a network: section.")
        return _network(ctx, spec.network, nodes, masses), sim
    table = masses if spec.kind == "mass" else nodes
    if spec.model is None:
        if len(table) != 1:
            raise ctx.error(("model",), f"name the {spec.kind} to load with model: (one of {sorted(table)}).")
        return next(iter(table.values())), sim
    if spec.model not in table:
        if spec.kind == "node":
            return _resolve_node(ctx, ("model",), spec.model, nodes, masses), sim
        return _resolve_mass(ctx, ("model",), spec.model, masses), sim
    return table[spec.model], sim
