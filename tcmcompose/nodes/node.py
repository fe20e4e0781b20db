"""The :class:`Node`: populations with local connectivity (a column, a nucleus)."""
import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..checks import check_constants, number
from ..errors import ModelError
from ..masses.mass import Mass, check_param_info
from ..masses.symbols import check_name, to_expr


@dataclass(frozen=True)
class Connection:
    """One local link: output ``source.output`` of one population feeds input
    ``port`` of ``target`` with a weight and a delay (ms). Weight and delay
    are numbers or SymPy expressions of the node's parameters."""
    source: str
    output: str
    target: str
    port: str
    weight: object
    delay: object = 0.0


def resolve_output(masses, ref, owner):
    """Split ``"label.output"`` (or ``"label"`` for a mass with one output)."""
    label, _, output = ref.partition(".")
    if label not in masses:
        raise ModelError(f"{owner}: no population labelled {label!r}; labels are {list(masses)}.")
    mass = masses[label]
    if not output:
        if len(mass.outputs) != 1:
            raise ModelError(f"{owner}: population {label!r} ({mass.name}) has outputs "
                             f"{list(mass.outputs)}; name one as '{label}.<output>'.")
        output = next(iter(mass.outputs))
    if output not in mass.outputs:
        raise ModelError(f"{owner}: population {label!r} ({mass.name}) has no output {output!r}; "
                         f"its outputs are {list(mass.outputs)}.")
    return label, output


def check_port(masses, label, port, owner):
    if label not in masses:
        raise ModelError(f"{owner}: no population labelled {label!r}; labels are {list(masses)}.")
    if port not in masses[label].inputs:
        raise ModelError(f"{owner}: population {label!r} ({masses[label].name}) has no input port "
                         f"{port!r}; its ports are {masses[label].inputs}.")


class Node:
    """Populations grouped with local connectivity.

    Parameters
    ----------
    name : str
        Node type name (``"column"``).
    masses : dict
        Label -> :class:`~tcmcompose.Mass`. Labels name the populations
        (``"E"``, ``"SP"``) and prefix their variables (``"E.V"``).
    connections : list of tuples
        ``(source, target, weight[, delay_ms])`` with ``source``
        ``"label.output"`` (or ``"label"`` for a population with one output)
        and ``target`` ``"label.port"`` -- the order and names of
        :class:`~tcmcompose.Coupling` -- or equivalently
        ``(source, target_label, port, weight[, delay_ms])`` or
        :class:`Connection` objects. The target's port receives
        ``weight * output(t - delay)``.
        Weight and delay are numbers, or expressions (strings or SymPy) of
        the node parameters, e.g. ``"4*exp(H_SS_SP)"``: they are evaluated
        from the current parameter values at every run, so fitting a
        log-scale gain never rebuilds anything.
    params : dict, optional
        Node parameters (name -> default) used by connection expressions;
        they appear in ``model.params`` under mass ``"node"``.
    param_info : dict, optional
        As for :class:`~tcmcompose.Mass` (transform, prior mean/variance).
    """

    def __init__(self, name, masses, connections=(), params=None, param_info=None):
        if not isinstance(name, str) or not name:
            raise ModelError(f"A Node needs a non-empty string name, got {name!r}.")
        self.name = name
        if not masses:
            raise ModelError(f"node {name!r}: give at least one population, masses={{'E': mass}}.")
        self.masses = {}
        pairs = list(masses.items()) if isinstance(masses, dict) else list(masses)
        if not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
            raise ModelError(f"node {name!r}: masses is a dict label -> Mass (or a list of (label, Mass) pairs).")
        labels = [p[0] for p in pairs]
        dup = sorted({str(x) for x in labels if labels.count(x) > 1})
        if dup:
            raise ModelError(f"node {name!r}: population label(s) {dup} appear more than once; "
                             "give each population its own label.")
        for label, mass in dict(pairs).items():
            if not isinstance(label, str) or not label.isidentifier():
                raise ModelError(f"node {name!r}: population label {label!r} must be an identifier.")
            if not isinstance(mass, Mass):
                raise ModelError(f"node {name!r}: population {label!r} must be a Mass, "
                                 f"got {type(mass).__name__}.")
            if label == "node":
                raise ModelError(f"node {name!r}: the label 'node' is reserved for node parameters.")
            self.masses[label] = mass
        self.params = {}
        for p, v in dict(params or {}).items():
            check_name(p, "node parameter", f"node {name!r}")
            self.params[p] = number(v, f"node {name!r}: parameter {p!r}")
        self.param_info = check_param_info(param_info, self.params, f"node {name!r}")
        self._symbols = {p: sp.Symbol(p, real=True) for p in self.params}
        self._compiled = {}
        self.connections = [self._connection(c) for c in connections]

    def _connection(self, item):
        owner = f"node {self.name!r}"
        if isinstance(item, Connection):
            item = (f"{item.source}.{item.output}", item.target, item.port, item.weight, item.delay)
        if isinstance(item, (tuple, list)) and len(item) in (3, 4) and isinstance(item[1], str) and "." in item[1]:
            # the Coupling order: ("label.output", "label.port", weight[, delay_ms])
            target, _, port = item[1].partition(".")
            item = (item[0], target, port) + tuple(item[2:])
        if not isinstance(item, (tuple, list)) or len(item) not in (4, 5):
            raise ModelError(f"{owner}: a connection is (source, target, weight[, delay_ms]) with source "
                             f"'label.output' and target 'label.port' (as a Coupling), or (source, target, port, "
                             f"weight[, delay_ms]); got {item!r}.")
        source, target, port, weight = item[:4]
        delay = item[4] if len(item) == 5 else 0.0
        label, output = resolve_output(self.masses, source, f"{owner}, connection {item!r}")
        check_port(self.masses, target, port, f"{owner}, connection {item!r}")
        weight = self._value(weight, f"{owner}, weight of connection {item!r}")
        delay = self._value(delay, f"{owner}, delay of connection {item!r}")
        if not math.isfinite(self.evaluate(weight)):
            raise ModelError(f"{owner}: connection {item!r} has a non-finite weight.")
        d = self.evaluate(delay)
        if not math.isfinite(d) or d < 0:
            raise ModelError(f"{owner}: connection {item!r} has delay {d}; delays are finite and >= 0 ms.")
        return Connection(label, output, target, port, weight, delay)

    def _value(self, value, what):
        """A float, or a SymPy expression of the node parameters."""
        if not isinstance(value, (str, sp.Basic)):
            return number(value, what)
        expr = to_expr(value, self._symbols, f"node {self.name!r}", what)
        check_constants(expr, f"node {self.name!r}", what)
        bad = sorted(s.name for s in expr.free_symbols if s.name not in self.params)
        if bad:
            raise ModelError(f"node {self.name!r}: {what} uses undeclared symbol(s) {bad}; declare them "
                             "in the node's params=.")
        return float(expr) if not expr.free_symbols else expr

    def evaluate(self, value, params=None):
        """Value of a connection weight/delay for parameter values ``params``
        (dict name -> scalar or array over instances; default the node's)."""
        if isinstance(value, float):
            return value
        fn = self._compiled.get(value)
        if fn is None:
            names = sorted(s.name for s in value.free_symbols)
            fn = (names, sp.lambdify([self._symbols[n] for n in names], value, "numpy"))
            self._compiled[value] = fn
        names, f = fn
        params = self.params if params is None else params
        return f(*(params[n] for n in names))

    def link_values(self, params=None):
        """(weights, delays) of every connection, in order, for parameter
        values ``params`` (dict name -> scalar; default the node's): one
        compiled call for all links, as a run re-evaluates them every time."""
        cached = self._compiled.get("_links")
        if cached is None:
            exprs = [c.weight for c in self.connections] + [c.delay for c in self.connections]
            first = {}                               # (a TCM column: 100 values, 54 expressions)
            where = np.array([first.setdefault(e, len(first)) for e in exprs], dtype=np.int64)
            unique = list(first)
            names = sorted({s.name for e in unique if not isinstance(e, float) for s in e.free_symbols})
            f = sp.lambdify([self._symbols[n] for n in names], unique, "numpy")
            cached = self._compiled["_links"] = (names, f, where)
        names, f, where = cached
        params = self.params if params is None else params
        values = np.array(f(*(params[n] for n in names)), dtype=float)[where]
        n = len(self.connections)
        return values[:n], values[n:]

    def replace(self, label, mass, ports=None, outputs=None):
        """A new node with population ``label`` swapped for ``mass``; links kept.

        ``ports`` maps the old population's input ports to the new one's
        (``{"ampa": "c"}``: links into ``label.ampa`` now feed ``label.c``);
        ``outputs`` maps its outputs (``{"rate": "r"}``: links from
        ``label.rate`` now read ``label.r``). Unmapped names are kept.
        Refuses when the new mass lacks an output or input port that a link
        uses (after mapping), or when a mapping names a port or output that
        the old population does not have. Network couplings name ports by
        ``"label.port"`` and are not rewritten: give the new names there.
        """
        if label not in self.masses:
            raise ModelError(f"node {self.name!r}: cannot replace {label!r}; labels are {list(self.masses)}.")
        old = self.masses[label]
        ports, outputs = dict(ports or {}), dict(outputs or {})
        for kind, mapping, have in (("input port", ports, old.inputs), ("output", outputs, list(old.outputs))):
            unknown = [k for k in mapping if k not in have]
            if unknown:
                raise ModelError(f"node {self.name!r}: replace({label!r}) maps {kind}(s) {unknown}, which "
                                 f"{label!r} ({old.name}) lacks; its {kind}s are {have}.")
        masses = dict(self.masses)
        masses[label] = mass
        links = []
        for c in self.connections:
            if c.source == label and c.output in outputs:
                c = dataclasses.replace(c, output=outputs[c.output])
            if c.target == label and c.port in ports:
                c = dataclasses.replace(c, port=ports[c.port])
            links.append(c)
        for c in links:
            if c.source == label and c.output not in mass.outputs:
                raise ModelError(f"node {self.name!r}: cannot put {mass.name!r} in place of {label!r}: "
                                 f"link {c.source}.{c.output} -> {c.target}.{c.port} needs output "
                                 f"{c.output!r}, which {mass.name!r} lacks (its outputs: {list(mass.outputs)}); "
                                 f"map it with outputs={{{c.output!r}: ...}}.")
            if c.target == label and c.port not in mass.inputs:
                raise ModelError(f"node {self.name!r}: cannot put {mass.name!r} in place of {label!r}: "
                                 f"link {c.source}.{c.output} -> {c.target}.{c.port} needs input port "
                                 f"{c.port!r}, which {mass.name!r} lacks (its ports: {mass.inputs}); "
                                 f"map it with ports={{{c.port!r}: ...}}.")
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.masses = masses
        new.connections = links
        new._compiled = {}
        return new

    def with_noise(self, noise):
        """A copy with additive noise on population states: ``{"E.x": 0.01}``
        (``"label.state"`` -> intensity, as :meth:`Mass.with_noise`)."""
        per_label = {}
        for key, value in dict(noise).items():
            label, _, state = str(key).partition(".")
            if label not in self.masses or not state:
                raise ModelError(f"node {self.name!r}: noise key {key!r} must read 'label.state' with a label "
                                 f"in {list(self.masses)}.")
            per_label.setdefault(label, {})[state] = value
        node = self
        for label, terms in per_label.items():
            node = node.replace(label, node.masses[label].with_noise(terms))
        return node

    def __getstate__(self):
        # compiled link functions are a cache (lambdified code does not pickle)
        state = dict(self.__dict__)
        state["_compiled"] = {}
        return state

    def __repr__(self):
        pops = ", ".join(f"{k}={m.name}" for k, m in self.masses.items())
        return f"Node({self.name!r}, {pops}, {len(self.connections)} connections)"


def split_node_params(owner, local_defaults, masses, params):
    """Sort a node factory's keyword arguments: the node's own parameters
    (``local_defaults`` updated) and each population's defaults.

    ``masses``: label -> Mass. A name several populations share is set on
    each; an unknown name is an error listing every known one. Returns
    (node parameters, label -> Mass with its new defaults).
    """
    local, per_mass = dict(local_defaults), {label: {} for label in masses}
    for key, value in params.items():
        if key in local:
            local[key] = value
            continue
        owners = [label for label, m in masses.items() if key in m.params]
        if not owners:
            known = list(local_defaults) + sorted(set().union(*(m.params for m in masses.values())))
            raise ModelError(f"{owner}: unknown parameter {key!r}; parameters are {known}.")
        for label in owners:
            per_mass[label][key] = value
    return local, {label: m.with_params(**per_mass[label]) if per_mass[label] else m for label, m in masses.items()}

