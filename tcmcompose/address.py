"""One resolver for every name a user writes.

A built model labels each state, parameter, output and input port with three
levels, ``(node, mass, name)``: the node's label in the network, the
population's label in its node, and the variable's own name. Every place that
takes a name (``set_param``, ``record``, ``initial``, ``stimuli``, noise,
the read-outs of transfer functions and spectra, the Jacobian pieces) resolves
it here, with the same rules and the same errors:

=====================  ==============================================
``"E.V"``              population ``E``'s ``V`` in every node that has it
``"ctx.E.tau"``        only in node ``ctx``
``"SP.g_*"``           glob patterns (``*``, ``?``, ``[...]``) in any level;
``"*.tau"``            a ``*`` never crosses a ``.``
``"node.c_ee"``        a node parameter (population label ``node``)
``"E->I.gain"``        a coupling parameter (coupling name, then ``gain``
                       or ``delay_scale``); the coupling name may itself
                       contain dots and may be a glob
=====================  ==============================================

Nodes are selected by label, label pattern, index, slice, list of any of
these, or a boolean mask over the network's nodes (``nodes=`` arguments, or a
``(name, nodes)`` pair). Matches come in node-selection order, then in the
index's own order (network order for masks, slices and patterns).

Errors are :class:`~tcmcompose.errors.ModelError` naming what was asked,
the close matches (``difflib``) and the valid choices.
"""
import difflib
import fnmatch
import re

import numpy as np

from .errors import ModelError

#: node label under which coupling parameters appear in ``model.params``
NETWORK = "network"
_GLOB = re.compile(r"[*?\[]")


def is_pattern(text):
    return bool(_GLOB.search(text))


def _matcher(pattern):
    """A compiled regex for one level: glob characters never cross a '.'."""
    if not is_pattern(pattern):
        return None
    rx = fnmatch.translate(pattern).replace(".*", "[^.]*")
    return re.compile(rx)


def _match_values(values, pattern):
    """Boolean array: which of ``values`` (strings) match ``pattern``."""
    rx = _matcher(pattern)
    if rx is None:
        return np.array([v == pattern for v in values], dtype=bool)
    return np.array([bool(rx.fullmatch(v)) for v in values], dtype=bool)


def _level_mask(index, level, pattern):
    """Rows of a MultiIndex whose ``level`` matches ``pattern`` (vectorised over the level's codes)."""
    lev = index.levels[level]
    ok = _match_values([str(v) for v in lev], pattern)
    codes = index.codes[level]
    return ok[codes] & (codes >= 0)


def _full_mask(index, pattern):
    """Coupling rows: the whole ``mass`` level is matched by ``pattern`` with '*' free to cross dots."""
    lev = index.levels[1]
    rx = re.compile(fnmatch.translate(pattern)) if is_pattern(pattern) else None
    ok = np.array([(bool(rx.fullmatch(str(v))) if rx else str(v) == pattern) for v in lev], dtype=bool)
    return ok[index.codes[1]]


# ------------------------------------------------------- declarations
def split_ref(ref, what="reference", kinds=("label", "name")):
    """``"label.name"`` -> ``(label, name)``: how couplings name a population's
    output or port. Anything else is an error saying the expected form."""
    if not isinstance(ref, str) or ref.count(".") != 1 or not all(ref.split(".")):
        raise ModelError(f"{what} must read '{kinds[0]}.{kinds[1]}', got {ref!r}.")
    label, name = ref.split(".")
    return label, name


# ------------------------------------------------------------------ nodes
def select_nodes(labels, nodes, what="nodes"):
    """Positions (in selection order, no repeats) of the nodes chosen by ``nodes``.

    ``nodes``: None (all), a label, a label pattern (``"ctx*"``), an integer
    index (negative counts from the end), a slice, a boolean mask with one
    entry per node, or a list of labels / patterns / indices.
    """
    labels = [str(x) for x in labels]
    n = len(labels)
    if nodes is None:
        return np.arange(n)
    if isinstance(nodes, slice):
        return np.arange(n)[nodes]
    if isinstance(nodes, (str, int, np.integer)):
        nodes = [nodes]
    arr = np.asarray(nodes, dtype=object) if not isinstance(nodes, np.ndarray) else nodes
    if arr.dtype == bool or (arr.dtype == object and len(arr) and all(isinstance(v, (bool, np.bool_)) for v in arr)):
        mask = np.asarray(arr, dtype=bool).reshape(-1)
        if len(mask) != n:
            raise ModelError(f"{what}: a boolean mask has {len(mask)} entries; the network has {n} nodes "
                             f"({_show(labels)}).")
        return np.nonzero(mask)[0]
    out = []
    for item in np.asarray(arr, dtype=object).reshape(-1):
        if isinstance(item, (bool, np.bool_)):
            raise ModelError(f"{what}: mix of booleans and labels {list(nodes)!r}; give a mask with one "
                             f"entry per node ({n}) or a list of labels / indices.")
        if isinstance(item, (int, np.integer)):
            k = int(item)
            if not -n <= k < n:
                raise ModelError(f"{what}: node index {k} is out of range; the network has {n} nodes "
                                 f"(0..{n - 1}: {_show(labels)}).")
            out.append(k % n)
            continue
        if not isinstance(item, str):
            raise ModelError(f"{what}: a node is selected by label, index, slice or boolean mask, "
                             f"got {item!r} ({type(item).__name__}).")
        hit = np.nonzero(_match_values(labels, item))[0]
        if not len(hit):
            raise ModelError(f"{what}: no node labelled {item!r}{_close(item, labels)}; "
                             f"nodes are {_show(labels)}.")
        out.extend(hit.tolist())
    return np.array(list(dict.fromkeys(out)), dtype=np.int64)


# ------------------------------------------------------------------ names
def resolve(index, name, labels, nodes=None, what="parameter", extra=None):
    """Row positions of ``index`` (a (node, mass, var) MultiIndex) named by ``name``.

    ``labels`` are the network's node labels in network order (what node
    indices, slices and masks refer to). ``nodes`` restricts to a node
    selection (see :func:`select_nodes`);
    ``name`` may also be a pair ``(name, nodes)``. ``extra`` is a list of
    further (kind, index) pairs tried in turn when ``index`` has no match (a
    record name is a state, else an output). Returns ``(positions, kind)``
    when ``extra`` is given, else the positions. No match is an error naming
    the close matches and the valid names.
    """
    if isinstance(name, tuple):
        if len(name) != 2 or nodes is not None:
            raise ModelError(f"{what} {name!r}: write a name, or a pair (name, nodes).")
        name, nodes = name
    if not isinstance(name, str) or not name:
        raise ModelError(f"{what} name must be a non-empty string like 'E.V', got {name!r}.")
    tries = [(what, index)] + list(extra or [])
    for kind, idx in tries:
        pos = _positions(idx, name, labels, nodes, what)
        if len(pos):
            return (pos, kind) if extra is not None else pos
    choices = sorted({n for _, idx in tries for n in short_names(idx)})
    sel = "" if nodes is None else f" in the selected nodes {_show(_chosen(labels, nodes))}"
    kinds = " or ".join(k for k, _ in tries)
    hint = ""
    if "." not in name:
        hint = f" (a name reads 'population.{name}'; '*.{name}' means every population's)"
    raise ModelError(f"no {kinds} {name!r}{sel}{hint}{_close(name, choices)}; "
                     f"{kinds}s are {_show(choices, 40)}.")


def _chosen(labels, nodes):
    return [labels[k] for k in select_nodes(labels, nodes)]


def _positions(index, name, labels, nodes, what):
    parts = name.split(".")
    masks = []
    if len(parts) >= 2:
        # a coupling parameter: '<coupling name>.<param>' or 'network.<coupling name>.<param>'
        coupling = ".".join(parts[1:-1]) if parts[0] == NETWORK and len(parts) > 2 else ".".join(parts[:-1])
        is_net = _level_mask(index, 0, NETWORK)
        if is_net.any():
            masks.append(is_net & _full_mask(index, coupling) & _level_mask(index, 2, parts[-1]))
    if len(parts) == 2:
        masks.append(_level_mask(index, 1, parts[0]) & _level_mask(index, 2, parts[1]))
    elif len(parts) == 3:
        masks.append(_level_mask(index, 0, parts[0]) & _level_mask(index, 1, parts[1])
                     & _level_mask(index, 2, parts[2]))
    if not masks:
        return np.zeros(0, dtype=np.int64)
    mask = np.logical_or.reduce(masks)
    if nodes is None:
        return np.nonzero(mask)[0].astype(np.int64)
    chosen = select_nodes(labels, nodes, f"{what} {name!r}")
    level = [str(v) for v in index.levels[0]]
    code_of = {v: k for k, v in enumerate(level)}
    node_codes = index.codes[0]
    pos = [np.nonzero(mask & (node_codes == code_of.get(str(labels[k]), -2)))[0] for k in chosen]
    return np.concatenate(pos).astype(np.int64) if pos else np.zeros(0, np.int64)


def short_names(index):
    """'mass.var' names of an index (and 'coupling.param' for coupling rows)."""
    return {f"{m}.{v}" for m, v in zip(index.get_level_values(1), index.get_level_values(2))}


def _close(name, choices):
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _show(items, limit=12):
    items = list(items)
    text = ", ".join(repr(str(v)) for v in items[:limit])
    return f"[{text}{', ...' if len(items) > limit else ''}] ({len(items)})" if len(items) > limit else f"[{text}]"


# ---------------------------------------------------------------- values
class _NeedNames(Exception):
    pass


class _Lazy:
    """Stands for the entry names until an error message needs them."""

    def __getitem__(self, k):
        raise _NeedNames

    def __iter__(self):
        raise _NeedNames

    def __len__(self):
        raise _NeedNames


def broadcast_values(value, n, name, entries, what="set_param"):
    """``value`` as ``n`` finite floats: a scalar, or one value per matched entry.

    Names the parameter, the shape expected and the entries matched when the
    shape is wrong or a value is not a finite number. ``entries``: their
    names, or a callable giving them (built only for an error message).
    """
    if callable(entries):
        try:
            return broadcast_values(value, n, name, _Lazy(), what)
        except _NeedNames:
            return broadcast_values(value, n, name, list(entries()), what)
    try:
        if np.iscomplexobj(np.asarray(value)):
            raise ModelError(f"{what}({name!r}): complex value {value!r}; give real numbers.")
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        if isinstance(err, ModelError):
            raise
        raise ModelError(f"{what}({name!r}): value {value!r} is not numeric; give a number or "
                         f"{n} numbers (one per entry: {_show(entries, 6)}).") from None
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    elif arr.shape != (n,):
        raise ModelError(f"{what}({name!r}): value has shape {arr.shape}; expected a scalar or shape ({n},), "
                         f"one per matched entry: {_show(entries, 6)}. Narrow the selection with nodes= "
                         "or the name ('node.mass.param').")
    bad = ~np.isfinite(arr)
    if bad.any():
        k = int(np.nonzero(bad)[0][0])
        raise ModelError(f"{what}({name!r}): value {arr[k]} for {entries[k]} is not finite; "
                         "give finite numbers.")
    return arr


def find(index, name, labels=None, nodes=None):
    """Like :func:`resolve` but an empty array when nothing matches (for
    callers that try several kinds of name in turn). ``labels`` default to the
    node labels in order of appearance in ``index``."""
    if labels is None:
        labels = node_order(index)
    if isinstance(name, tuple) and len(name) == 2 and nodes is None:
        name, nodes = name
    return _positions(index, str(name), labels, nodes, "name")


def node_order(index):
    """Node labels in order of first appearance in ``index`` (coupling rows left out)."""
    seen = dict.fromkeys(str(v) for v in index.get_level_values(0))
    seen.pop(NETWORK, None)
    return list(seen)
