"""What the generator knows about the kernels it wrote: :class:`KernelDescription`.

:func:`tcmcompose.codegen.generate.generate_source` returns it beside the
module's text, and the text stores it once, as the plain literal
``DESCRIPTION = {...}`` at its end, so that a module loaded from the on-disk
cache gives back the same object without running the generator
(:func:`from_module`). A built model keeps it as ``model.description``;
everything that needs the structure of the kernels (the layout of derived
parameters, the Jacobian's sparsity, the time loop's flags, the local
connections baked into the stage kernels) reads it there.
"""
import pprint
from dataclasses import asdict, dataclass, fields


def _ints(value):
    """``value`` with every nested list/tuple a tuple and every integer a Python int
    (NumPy integers print as ``np.int64(3)``, which is no plain literal)."""
    if isinstance(value, (list, tuple)):
        return tuple(_ints(v) for v in value)
    return int(value)


@dataclass(frozen=True)
class KernelDescription:
    """The generated kernels of one structure (one module; shared by every
    model of that structure, so nothing here names a node or a value).

    Indices follow the module header: per group g (one distinct mass, ``n``
    instances), state k of instance i is ``x[xo + k*n + i]``, input port k is
    ``u[uo + k*n + i]``, output k is ``y[yo + k*n + i]``.

    Attributes
    ----------
    n_derived : tuple of int
        Per group: its number of derived parameters ``_qk`` (parameter-only
        sub-expressions hoisted out of the time loop; ``derive`` writes them,
        one value per instance, after the base parameters).
    patterns : tuple
        Per group: ``(D, B, C)``, the sparsity patterns of its Jacobian
        pieces in the order ``jacobian_pieces`` stores their values; each a
        tuple of ``(row, column)`` pairs of the mass's own numbering:
        D = df/dx (state, state), B = df/du (state, input port),
        C = dy/dx (output, state).
    has_noise : bool
        Some mass has additive noise (else ``noise_sigma`` is never called,
        so never compiled).
    unrolled : bool
        The stage kernels are specialised (unrolled instance by instance, or
        a node loop): ``stage_derivs`` reads outputs back from ``y`` and adds
        the baked local connections itself (the time loops' ``unrolled``
        flag). False: they are the group loops.
    fused : bool
        ``stage_derivs(..., with_y=True)`` computes the outputs itself first
        (unrolled modules), so a stage whose inputs do not depend on its
        outputs costs the time loop one call (its ``fusable`` flag).
    node_loop : bool
        ``stage_derivs`` loops over the nodes of one node type
        (:class:`~tcmcompose.codegen.unroll.NodePlan`).
    node_links : int
        Node loop only: local connections per node; connection e of node i
        has weight ``w_local[i*node_links + e]``.
    local_src, local_dst : tuple of int
        Unrolled modules only (else empty): local connection k, in
        connection-table order, takes output ``y[local_src[k]]`` into input
        ``u[local_dst[k]]``. A node loop's are per network (the model lays
        them out from ``node_links``).
    local_baked : tuple of bool
        Per local connection: written into ``stage_derivs`` (else its target
        group is a loop and the generic edge pass adds it).
    """
    n_derived: tuple
    patterns: tuple
    has_noise: bool
    unrolled: bool = False
    fused: bool = False
    node_loop: bool = False
    node_links: int = 0
    local_src: tuple = ()
    local_dst: tuple = ()
    local_baked: tuple = ()

    def __post_init__(self):
        norm = {"n_derived": _ints(self.n_derived), "patterns": _ints(self.patterns),
                "has_noise": bool(self.has_noise), "unrolled": bool(self.unrolled), "fused": bool(self.fused),
                "node_loop": bool(self.node_loop), "node_links": int(self.node_links),
                "local_src": _ints(self.local_src), "local_dst": _ints(self.local_dst),
                "local_baked": tuple(bool(b) for b in self.local_baked)}
        for name, value in norm.items():
            object.__setattr__(self, name, value)

    def literal(self):
        """The module's ``DESCRIPTION = {...}`` lines: ints, bools and tuples only,
        one field per line (long ones wrapped)."""
        lines = ["DESCRIPTION = {"]
        for name, value in asdict(self).items():
            head = f"    {name!r}: "
            text = pprint.pformat(value, width=110 - len(head), compact=True)
            lines.append(head + text.replace("\n", "\n" + " " * len(head)) + ",")
        return "\n".join(lines + ["}"])


def from_module(module):
    """The :class:`KernelDescription` a generated module stores (its ``DESCRIPTION``)."""
    stored = module.DESCRIPTION
    return KernelDescription(**{f.name: stored[f.name] for f in fields(KernelDescription)})
