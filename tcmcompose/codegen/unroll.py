"""Unrolled kernels for small models: one straight-line block per instance.

The group kernels loop over a group's instances with offsets read from the
``layout`` array, and local connections run through the generic edge loop,
so one module serves every model of a structure however large. For a small
model (one column, a few nodes) that generality costs more than the
arithmetic: short loops over offsets read at run time, an indexed gather per
edge, and a firing rate computed twice per stage (for the outputs and again
where a right-hand side uses it). Measured on the TCM column (bench_tcm.py):
3.7x the hand-written twin with group kernels, 1.07x unrolled. So the time loop calls two stage kernels, which in
a small model's module are written out instance by instance:

* ``stage_outputs``: each instance's outputs, indices written as numbers;
* ``stage_derivs``: each instance's right-hand side, reading its outputs back
  from ``y`` instead of recomputing them, with every local connection written
  out as ``port += w[k] * ye[src]``.

In other modules they are the group loops (:data:`STUBS`).

The local connections are baked in by structure (source and target), never
by value: their weights arrive in ``w`` at every run, and a connection that
is delayed in this run gets weight 0 there while the generic delayed-edge
pass handles it. So editing weights or delays never needs a rebuild.

Unrolling stops above :data:`MAX_INSTANCES` instances or
:data:`MAX_EDGES` local connections, which bounds its compile time; larger
models use the group kernels only, whose compile time does not grow with size.
Within a small model, a group of more than :data:`MAX_GROUP_INSTANCES`
instances (20 Jansen-Rit nodes beside a thalamus) keeps its loop inside the
stage kernels, with its offsets written in: its loop is already efficient,
and unrolled it would dominate the compile time (Numba lowers an unrolled
kernel at a few ms per line: 20-node Jansen-Rit + thalamus, stage kernels
5.3 s unrolled, ~1.5 s with the Jansen-Rit group looped). Local connections
into a looped group stay in the generic edge pass.
"""
import re
from dataclasses import dataclass

from ..errors import ModelError

MAX_INSTANCES = 64
MAX_EDGES = 1024
MAX_GROUP_INSTANCES = 8


@dataclass(frozen=True)
class UnrollPlan:
    """What the unrolled kernels are specialised to (part of the cache key):
    integers only, so renaming nodes or populations never recompiles
    (``model.source`` shows the names in its header)."""
    layout: tuple        # per group: (xo, n, po, uo, yo)
    n_params: int        # base parameters; derived parameters follow
    edges: tuple         # per local connection, in connection-table order: (src y, dst u)
    looped: tuple = ()   # groups kept as loops (more than MAX_GROUP_INSTANCES instances)


def plan_unroll(lowered, unroll=None):
    """The :class:`UnrollPlan` of a lowered model, or None for group kernels only.

    ``unroll``: None decides by size (large groups stay loops), True forces
    unrolling of every instance (any size; the compile time then grows with
    the model), False never unrolls.
    """
    if unroll not in (None, True, False):
        raise ModelError(f"unroll={unroll!r}; use None (decide by size), True or False.")
    n_inst = sum(g.n for g in lowered.groups)
    nodes = lowered.network.nodes
    n_links = sum(len(node.connections) for node in nodes)
    if unroll is False or (unroll is None and (n_inst > MAX_INSTANCES or n_links > MAX_EDGES)):
        return None
    # the order of the connection table: node by node, links in order
    edges = tuple((lowered.y_index(k, c.source, c.output), lowered.u_index(k, c.target, c.port))
                  for k, node in enumerate(nodes) for c in node.connections)
    layout = tuple(tuple(int(v) for v in row) for row in lowered.base_layout)
    looped = () if unroll else tuple(k for k, g in enumerate(lowered.groups) if g.n > MAX_GROUP_INSTANCES)
    if len(looped) == len(lowered.groups):
        return None
    return UnrollPlan(layout, int(lowered.n_p), edges, looped)


STUBS = '''
# ---- stage kernels of the time loop: the group loops (no unrolling)
UNROLLED = False
LOCAL_SRC = LOCAL_DST = ()
stage_outputs = outputs         # (one kernel: the loop and the driver share its compilation)
'''   # generate.py appends stage_derivs: the group loops of derivs with the stage signature


_INDEX = re.compile(r"\[(_xo|_po|_qo|_uo|_yo) \+ (?:(\d+)\*_n \+ |(_n) \+ )?_i\]")


def _literal(lines, offsets, n, i):
    """Template lines with every ``[_xo + k*_n + _i]``-style index replaced by
    its number: one load per value for Numba to type (its compile time grows
    with the operations it types, and index arithmetic is most of them)."""
    def number(m):
        k = int(m.group(2)) if m.group(2) else (1 if m.group(3) else 0)
        return f"[{offsets[m.group(1)] + k * n + i}]"
    return [_INDEX.sub(number, line) for line in lines]


def templates(writers):
    """Per group: (outputs (loads, lines), right-hand side (loads, lines)).
    Made before the derive kernels are written: they may hoist more derived
    parameters."""
    return [(w.outputs_parts(), w.rhs_reusing_outputs()) for w in writers]


def render_unrolled(writers, plan, n_derived, parts, loops):
    """Source of the unrolled ``stage_outputs`` and ``stage_derivs`` (see the module
    docstring): the group templates ``parts`` (from :func:`templates`)
    instantiated once per instance; ``n_derived`` is the derived-parameter
    count of each group; ``loops``: per group, the loop bodies of its outputs
    and right-hand side for the groups ``plan.looped`` keeps as loops."""
    qo, q_offsets = plan.n_params, []
    for g, (_, n, _, _, _) in enumerate(plan.layout):
        q_offsets.append(qo)
        qo += n_derived[g] * n
    into = {}
    for k, (src, dst) in enumerate(plan.edges):
        into.setdefault(dst, []).append((k, src))

    looped_u = [range(plan.layout[g][3], plan.layout[g][3] + len(writers[g].inputs) * plan.layout[g][1])
                for g in plan.looped]
    baked = tuple(not any(dst in r for r in looped_u) for _, dst in plan.edges)
    out = ["", "# ---- stage kernels of the time loop: this model's instances one by one (indices written out)",
           "UNROLLED = True",
           "# local connection k: output y[LOCAL_SRC[k]] into input u[LOCAL_DST[k]], written into",
           "# stage_derivs if LOCAL_BAKED[k] (else its target's group is a loop: the edge pass adds it)",
           f"LOCAL_SRC = {tuple(src for src, _ in plan.edges)!r}",
           f"LOCAL_DST = {tuple(dst for _, dst in plan.edges)!r}",
           f"LOCAL_BAKED = {baked!r}",
           "", "", "@kernel", "def stage_outputs(t, _x, _p, _y, layout):",
           '    """Outputs of every instance (layout: unused, the offsets are written in)."""']
    rhs = ["@kernel", "def stage_derivs(t, _x, _p, _u, _y, _ye, _w, _dx, layout):",
           '    """dx/dt. Outputs used in the equations come from _y; local connection k',
           '    adds _w[k] * _ye[LOCAL_SRC[k]] to its port (_ye is _y: a node\'s own links',
           '    read the current stage in both coupling modes)."""']
    body_out = []
    for g, w in enumerate(writers):
        xo, n, po, uo, yo = plan.layout[g]
        if g in plan.looped:
            title = f"    # group {g} ({w.mass.name}), {n} instances: a loop"
            if loops["outputs"][g]:
                body_out += [title, f"    _xo, _n, _po, _qo, _yo = {xo}, {n}, {po}, {q_offsets[g]}, {yo}"]
                body_out += loops["outputs"][g]
            rhs += [title, f"    _xo, _n, _po, _qo, _uo = {xo}, {n}, {po}, {q_offsets[g]}, {uo}"] + loops["rhs"][g]
            continue
        (out_loads, out_rest), (rhs_loads, rhs_rest) = parts[g]
        for i in range(n):
            offsets = {"_xo": xo, "_po": po, "_qo": q_offsets[g], "_uo": uo, "_yo": yo}
            title = f"    # group {g} ({w.mass.name}), instance {i}"
            if out_rest:
                body_out += [title] + _literal(out_loads + out_rest, offsets, n, i)
            rhs += [title] + _literal(rhs_loads, offsets, n, i)
            for p, port in enumerate(w.inputs):
                edges = into.get(uo + p * n + i, [])
                if edges and any(line.startswith(f"    {port} = ") for line in rhs_loads):
                    terms = " + ".join(f"_w[{k}]*_ye[{src}]" for k, src in edges)
                    rhs.append(f"    {port} += {terms}  # local connections {[k for k, _ in edges]}")
            rhs += _literal(rhs_rest, offsets, n, i)
    return "\n".join(out + (body_out or ["    pass"]) + ["", ""] + rhs) + "\n"
