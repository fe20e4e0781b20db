"""Unrolled kernels for small models: one straight-line block per instance.

The group kernels loop over a group's instances with offsets read from the
``layout`` array, and local connections run through the generic edge loop,
so one module serves every model of a structure however large. For a small
model (one column, a few nodes) that generality costs more than the
arithmetic: a loop of 6 over array offsets, ~20 indirect loads per edge and a
firing rate computed twice per stage (for the outputs and again where a
right-hand side uses it). A small model therefore also gets

* ``outputs_unrolled``: each instance's outputs with constant offsets;
* ``rhs_unrolled``: each instance's right-hand side with constant offsets,
  reading its outputs back from ``y`` instead of recomputing them, with every
  local connection written out as ``port += w[k] * y[src]``.

The local connections are baked in by structure (source and target), never
by value: their weights arrive in ``w`` at every run, and a connection that
is delayed in this run gets weight 0 there while the generic delayed-edge
pass handles it. So editing weights or delays never needs a rebuild.

Unrolling stops above :data:`MAX_INSTANCES` instances or
:data:`MAX_EDGES` local connections, which bounds its compile time; larger
models use the group kernels only, whose compile time does not grow with size.
"""
from dataclasses import dataclass

from ..errors import ModelError

MAX_INSTANCES = 64
MAX_EDGES = 1024


@dataclass(frozen=True)
class UnrollPlan:
    """What the unrolled kernels are specialised to (part of the cache key)."""
    members: tuple       # per group: names "node.population" of its instances, in order
    layout: tuple        # per group: (xo, n, po, uo, yo)
    n_params: int        # base parameters; derived parameters follow
    edges: tuple         # per local connection, in connection-table order: (src y, dst u, source name)


def plan_unroll(lowered, unroll=None):
    """The :class:`UnrollPlan` of a lowered model, or None for group kernels only.

    ``unroll``: None decides by size, True forces unrolling (any size; the
    compile time then grows with the model), False never unrolls.
    """
    if unroll not in (None, True, False):
        raise ModelError(f"unroll={unroll!r}; use None (decide by size), True or False.")
    n_inst = sum(g.n for g in lowered.groups)
    table = lowered.connection_table()
    if unroll is False or (unroll is None and (n_inst > MAX_INSTANCES or len(table) > MAX_EDGES)):
        return None
    labels = lowered.node_labels
    members = tuple(tuple(f"{labels[k]}.{label}" for k, label, _ in g.members) for g in lowered.groups)
    pos = {lab: k for k, lab in enumerate(labels)}
    edges = tuple((lowered.y_index(pos[node], s, o), lowered.u_index(pos[node], t, p), f"{s}.{o}")
                  for node, s, o, t, p in zip(table["node"], table["source"], table["output"],
                                              table["target"], table["port"]))
    layout = tuple(tuple(int(v) for v in row) for row in lowered.base_layout)
    return UnrollPlan(members, layout, int(lowered.n_p), edges)


STUBS = '''
# ---- unrolled kernels: none (a large model runs on the group kernels only)
UNROLLED = False
LOCAL_SRC = LOCAL_DST = ()


@kernel
def outputs_unrolled(t, _x, _p, _y):
    pass


@kernel
def rhs_unrolled(t, _x, _p, _u, _y, _ye, _w, _dx):
    pass
'''


def templates(writers):
    """Per group: (outputs (loads, lines), right-hand side (loads, lines)).
    Made before the derive kernels are written: they may hoist more derived
    parameters."""
    return [(w.outputs_parts(), w.rhs_reusing_outputs()) for w in writers]


def render_unrolled(writers, plan, n_derived, parts):
    """Source of ``outputs_unrolled`` and ``rhs_unrolled`` (see the module
    docstring): the group templates ``parts`` (from :func:`templates`)
    instantiated once per instance; ``n_derived`` is the derived-parameter
    count of each group."""
    qo, q_offsets = plan.n_params, []
    for g, (_, n, _, _, _) in enumerate(plan.layout):
        q_offsets.append(qo)
        qo += n_derived[g] * n
    into = {}
    for k, (src, dst, name) in enumerate(plan.edges):
        into.setdefault(dst, []).append((k, src, name))

    out = ["", "# ---- unrolled kernels: this model's instances one by one (constant offsets)",
           "UNROLLED = True",
           "# local connection k: output y[LOCAL_SRC[k]] into input u[LOCAL_DST[k]]",
           f"LOCAL_SRC = {tuple(src for src, _, _ in plan.edges)!r}",
           f"LOCAL_DST = {tuple(dst for _, dst, _ in plan.edges)!r}",
           "", "", "@kernel", "def outputs_unrolled(t, _x, _p, _y):"]
    rhs = ["@kernel", "def rhs_unrolled(t, _x, _p, _u, _y, _ye, _w, _dx):",
           '    """dx/dt. Outputs used in the equations come from _y; local connection k',
           '    adds _w[k] * _ye[LOCAL_SRC[k]] to its port (_ye is _y unless the coupling',
           '    is held over the step)."""']
    body_out = []
    for g, w in enumerate(writers):
        xo, n, po, uo, yo = plan.layout[g]
        (out_loads, out_rest), (rhs_loads, rhs_rest) = parts[g]
        for i, name in enumerate(plan.members[g]):
            consts = f"    _xo, _n, _po, _qo, _uo, _yo, _i = {xo}, {n}, {po}, {q_offsets[g]}, {uo}, {yo}, {i}"
            title = f"    # {name} (group {g}, instance {i})"
            if out_rest:
                body_out += [title, consts] + out_loads + out_rest
            rhs += [title, consts] + rhs_loads
            for p, port in enumerate(w.inputs):
                edges = into.get(uo + p * n + i, [])
                if edges and any(line.startswith(f"    {port} = ") for line in rhs_loads):
                    terms = " + ".join(f"_w[{k}]*_ye[{src}]" for k, src, _ in edges)
                    names = ", ".join(nm for _, _, nm in edges)
                    rhs.append(f"    {port} += {terms}  # local: {names}")
            rhs += rhs_rest
    return "\n".join(out + (body_out or ["    pass"]) + ["", ""] + rhs) + "\n"
