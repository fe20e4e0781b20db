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
  out as ``port += w[k] * y[src]``; with ``with_y`` it computes the outputs
  first (the body of ``stage_outputs`` written in once more; ``fused`` in its
  :class:`~.description.KernelDescription`), so
  that a stage whose inputs do not depend on its outputs (no coupling edges,
  no external input read at the stage) costs the time loop one call instead
  of two. Measured on the TCM column, one process, the same build with the
  time loop's fused path on and off: 1.4 % less time per 10 s run (each
  first-class call passes 9 arguments, ~7 ns); cold build +0.3 s (the
  outputs typed twice).

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

Above the limits, a network whose nodes all share one *node type* (the same
populations, of the same masses, in the same order, and the same local
connections by population and port: a 90-column TCM network) gets a
``stage_derivs`` that loops over the nodes, with one node's populations and
local connections written out inside the loop (:class:`NodePlan`,
:func:`render_node_loop`). It keeps what makes the unrolled column fast
(outputs read back from ``y`` instead of recomputed; undelayed local
connections as ``port += w[k] * ye[src]`` with no gather through the edge
list) while its size, and so its compile time, is one node's, whatever the
number of nodes: the offsets of each group come from ``layout`` and the loop
bound from the instance count, so 90 and 200 columns share one module.
Instance j of group g in node i is i*m_g + j (m_g: the group's populations
per node), because lowering appends group members node by node; local
connection e of node i is ``w[i*E + e]`` (E links per node), the order of the
connection table. ``stage_outputs`` is the group loops ``outputs``
(contiguous over all instances, already efficient). Networks of several
node types, or of single-population nodes (whose group loop already is the
node loop, with no local links to bake in: the Jansen-Rit networks), keep
the group kernels; ``build(..., unroll="node")`` forces this path for any
network with one node type (the tests use 3 nodes), and falls back to the
group kernels otherwise.

Measured on the 90-column TCM network (bench_tcm.py, Heun, dt 0.05 ms,
load 1.3-2 on 2 cores), µs per column·step: with its intrinsic delays (every
local link in the delayed pass) 1.27-1.47 before, 0.73-0.80 now, the group
kernels 0.78-0.86 (most of the gain is the unsigned indices of the delayed
sums and of every kernel, :func:`_based`; what is left here is outputs
read back instead of recomputed: stage_derivs 18 -> 13 µs per call); with
the intrinsic links undelayed (baked in) 0.58-0.60 against 0.86-0.95.
Its cold first run compiles one node's stage_derivs (3.2-3.7 s at load
~1.8; an unrolled column's 1.9-2.2 s, the group loops' 1.8-1.9 s: Numba's
compile time grows with the operations it types and lowers, and every load
here adds a base to an instance index): fresh process, empty cache,
build + first simulate 2.3-3.2 s with group kernels, 4.0-4.4 s now (a
column 2.9-3.8 s at the same load, ~1.7). Below the unrolling limit (2-8 TCM columns) the
default stays as it was (unrolled small groups, looped large ones), which
compiles sooner (2 / 6 columns: cold first run 3.3 / 1.8 s against 6.7 /
4.7 s as a node loop); ``unroll="node"`` runs them faster per step
(1.0x at 2 columns, 1.3-1.4x at 3 and 6).
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


@dataclass(frozen=True)
class NodePlan:
    """The node type a node loop is specialised to (part of the cache key):
    integers only and independent of the number of nodes, so renaming or
    resizing the network never recompiles."""
    populations: tuple   # per population of the node, in order: (group, j): instance i*m_g + j of its group
    per_node: tuple      # per group: m_g, its populations per node
    links: tuple         # per local connection of the node: (source population, output k, target population, port k)


def node_type(lowered):
    """The :class:`NodePlan` of a network whose nodes share one type, or None."""
    nodes = lowered.network.nodes
    first = None
    for k, node in enumerate(nodes):
        labels = list(node.masses)
        groups = tuple(lowered.where[(k, label)][0] for label in labels)
        pos = {label: p for p, label in enumerate(labels)}
        masses = [lowered.groups[g].mass for g in groups]
        links = tuple((pos[c.source], list(masses[pos[c.source]].outputs).index(c.output),
                       pos[c.target], masses[pos[c.target]].inputs.index(c.port)) for c in node.connections)
        if first is None:
            first = (groups, links)
        elif (groups, links) != first:
            return None
    if first is None:
        return None
    groups, links = first
    per_node = tuple(groups.count(g) for g in range(len(lowered.groups)))
    populations = tuple((g, groups[:p].count(g)) for p, g in enumerate(groups))
    # lowering appends members node by node: instance j of group g in node k is k*m_g + j
    for k, node in enumerate(nodes):
        for label, (g, j) in zip(node.masses, populations):
            if lowered.where[(k, label)] != (g, k * per_node[g] + j):
                return None
    return NodePlan(populations, per_node, links)


def plan_unroll(lowered, unroll=None):
    """The :class:`UnrollPlan` of a lowered model, its :class:`NodePlan`, or
    None for group kernels only.

    ``unroll``: None decides by size (large groups stay loops; above the
    limits, a network of multi-population nodes of one type gets a node
    loop), True forces unrolling of every instance (any size; the compile
    time then grows with the model), False never unrolls, "node" asks for
    the node loop (group kernels where the nodes are not of one type).
    """
    if unroll not in (None, True, False, "node"):
        raise ModelError(f"unroll={unroll!r}; use None (decide by size), True, False or 'node'.")
    n_inst = sum(g.n for g in lowered.groups)
    nodes = lowered.network.nodes
    n_links = sum(len(node.connections) for node in nodes)
    large = n_inst > MAX_INSTANCES or n_links > MAX_EDGES
    if unroll == "node" or (unroll is None and large):
        plan = node_type(lowered)
        if plan is not None and (unroll == "node" or len(plan.populations) > 1):
            return plan
        return None
    if unroll is False:
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
stage_outputs = outputs         # (one kernel: the loop and the driver share its compilation)
'''   # generate.py appends stage_derivs: the group loops of derivs with the stage signature


_INDEX = re.compile(r"\[(_xo|_po|_qo|_uo|_yo|_do|_bo|_co) \+ (?:(\d+)\*_n \+ |(_n) \+ )?_i\]")


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


def baked(writers, plan):
    """Per local connection of ``plan`` (an :class:`UnrollPlan`): True where
    :func:`render_unrolled` writes it into ``stage_derivs``, False where its
    target's group is kept as a loop (the generic edge pass adds it)."""
    looped_u = [range(plan.layout[g][3], plan.layout[g][3] + len(writers[g].inputs) * plan.layout[g][1])
                for g in plan.looped]
    return tuple(not any(dst in r for r in looped_u) for _, dst in plan.edges)


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
    out = ["", "# ---- stage kernels of the time loop: this model's instances one by one (indices written out)",
           "# local connection k: output y[DESCRIPTION['local_src'][k]] into input u[DESCRIPTION['local_dst'][k]],",
           "# written into stage_derivs if DESCRIPTION['local_baked'][k] (else its target's group is a loop:",
           "# the edge pass adds it); stage_derivs(..., with_y=True) computes the outputs first (DESCRIPTION['fused'])",
           "", "", "@kernel", "def stage_outputs(t, _x, _p, _y, layout):",
           '    """Outputs of every instance (layout: unused, the offsets are written in)."""']
    head = ["@kernel", "def stage_derivs(t, _x, _p, _u, _y, _w, _dx, layout, with_y):",
            '    """dx/dt. Outputs used in the equations come from _y (computed here first',
            "    if with_y: the body of stage_outputs, so that a stage whose inputs do not",
            "    depend on its outputs costs one call); local connection k adds",
            '    _w[k] * _y[local_src[k]] to its port (a node\'s own links read the current stage)."""']
    rhs, body_out = [], []
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
                    terms = " + ".join(f"_w[{k}]*_y[{src}]" for k, src in edges)
                    rhs.append(f"    {port} += {terms}  # local connections {[k for k, _ in edges]}")
            rhs += _literal(rhs_rest, offsets, n, i)
    with_y = ["    if with_y:"] + ["    " + line for line in body_out] if body_out else []
    return "\n".join(out + (body_out or ["    pass"]) + ["", ""] + head + with_y + rhs) + "\n"


def _based(lines, g, inst, bases):
    """Template lines with every ``[_xo + k*_n + _i]``-style index written as
    ``[_xo<g>_<k> + <inst>]``: a base (array offset + k*n of group g, a
    uint64 computed once before the loop and recorded in ``bases``) plus the
    instance index ``inst`` (uint64). One addition per load for Numba to
    type (its compile time grows with the operations it types), and unsigned,
    so that Numba adds no negative-index correction (a compare and a select
    per load and store: half the node loop's run time on the TCM network)."""
    def based(m):
        k = int(m.group(2)) if m.group(2) else (1 if m.group(3) else 0)
        name = f"{m.group(1)}{g}_{k}"
        bases[name] = (m.group(1), g, k)
        return f"[{name} + {inst}]"
    return [_INDEX.sub(based, line) for line in lines]


def _base_lines(bases, pad="    ", grouped=True):
    """Definitions of the recorded bases (uint64) from the offsets read from
    ``layout`` once: ``_xo<g>``, ``_n<g>``, ... or, not ``grouped``, the one
    group's ``_xo``, ``_n``, ... (fewer operations for Numba to type and lower
    than indexing ``layout`` per base: a kernel's compile time grows with them)."""
    order = sorted(bases.items(), key=lambda item: (item[1][0], item[1][1], item[1][2]))
    lines = []
    for name, (kind, g, k) in order:
        tag = g if grouped else ""
        lines.append(f"{pad}{name} = np.uint64({kind}{tag}"
                     + ("" if k == 0 else f" + _n{tag}" if k == 1 else f" + {k}*_n{tag}") + ")")
    return lines


def render_node_loop(writers, plan, parts):
    """Source of the node-loop stage kernels (see the module docstring):
    ``stage_outputs`` is the group loops ``outputs`` (contiguous over every
    instance; one compilation shared with the Jacobian's uses);
    ``stage_derivs`` loops over the nodes with one node's right-hand sides
    (templates ``parts`` from :func:`templates`) and undelayed local
    connections written out. Indices are uint64 base + instance
    (:func:`_based`)."""
    n_links = len(plan.links)
    out = ["", "# ---- stage kernels of the time loop: a loop over the nodes, one node written out inside",
           f"# local connection e of node i: weight _w[i*{n_links} + e] (0 where the edge pass adds it)",
           "stage_outputs = outputs         # (the group loops: contiguous over every instance)"]
    out += ["", "", "@kernel",
            "def stage_derivs(t, _x, _p, _u, _y, _w, _dx, layout, with_y):",
            '    """dx/dt, node by node. Outputs used in the equations come from _y; local',
            f"    connection e of node i adds _w[i*{n_links} + e] * _y[source] to its port",
            "    (a node's own links read the current stage). with_y: unused (not fused:",
            '    the time loop calls stage_outputs itself)."""']
    into = {}
    for e, (src, o, dst, port) in enumerate(plan.links):
        into.setdefault((dst, port), []).append((e, src, o))
    bases, body = {}, []
    g0 = plan.populations[0][0]
    body.append(f"    for _k in range(layout[{g0}, 1] // {plan.per_node[g0]}):      # nodes")
    if n_links:
        body.append(f"        _e = np.uint64({n_links}*_k)    # this node's first local connection")
    for pop, (g, j) in enumerate(plan.populations):
        m = plan.per_node[g]
        body.append(f"        _i{pop} = np.uint64(" + (f"{m}*_k" if m > 1 else "_k") + (f" + {j})" if j else ")")
                    + f"    # {writers[g].mass.name}: instance of group {g}")
    for pop, (g, j) in enumerate(plan.populations):
        w = writers[g]
        _, (rhs_loads, rhs_rest) = parts[g]
        body.append(f"        # population {pop}: group {g} ({w.mass.name})")
        body += ["    " + line for line in _based(rhs_loads, g, f"_i{pop}", bases)]
        for k, port in enumerate(w.inputs):
            edges = into.get((pop, k), [])
            if edges and any(line.startswith(f"    {port} = ") for line in rhs_loads):
                terms = []
                for e, src, o in edges:
                    gs = plan.populations[src][0]
                    bases[f"_yo{gs}_{o}"] = ("_yo", gs, o)
                    bases[f"_we{e}"] = None
                    terms.append(f"_w[_we{e} + _e]*_y[_yo{gs}_{o} + _i{src}]")
                body.append(f"        {port} += {' + '.join(terms)}  # local connections {[e for e, _, _ in edges]}")
        body += ["    " + line for line in _based(rhs_rest, g, f"_i{pop}", bases)]
    links = {name for name, v in bases.items() if v is None}
    bases = {name: v for name, v in bases.items() if v is not None}
    for g in sorted({g for _, g, _ in bases.values()}):
        out.append(f"    _xo{g}, _n{g}, _po{g}, _qo{g}, _uo{g}, _yo{g} = layout[{g}, 0], layout[{g}, 1], "
                   f"layout[{g}, 2], layout[{g}, 8], layout[{g}, 3], layout[{g}, 4]")
    out += _base_lines(bases) + [f"    {name} = np.uint64({name[3:]})" for name in sorted(links, key=lambda n: int(n[3:]))]
    return "\n".join(out + body) + "\n"
