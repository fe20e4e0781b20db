"""Build a model and run it: :func:`build` and :class:`CompiledModel`."""
import time

import numpy as np
import pandas as pd
import scipy.sparse as sps

from . import __version__
from .codegen.cache import load_module
from .codegen.generate import BO, CO, DO
from .codegen.lower import Edges, Lowered, as_network
from .codegen.unroll import plan_unroll
from .errors import ModelError
from .networks.coupling import Coupling
from .networks.matrices import as_delays, as_square


def build(obj, eager=True, unroll=None):
    """Compile a Mass, Node or Network into a :class:`CompiledModel`.

    The generated module is cached on disk by structure (see
    :mod:`tcmcompose.codegen.cache`); with ``eager`` the simulation kernel is
    compiled (or loaded from Numba's cache) now rather than on first use.
    ``unroll``: a small model (at most 64 populations and 1024 local
    connections) also gets kernels unrolled instance by instance, which run
    2-3x faster; None decides by size, True forces it, False keeps the group
    kernels only (see :mod:`tcmcompose.codegen.unroll`).
    """
    t0 = time.perf_counter()
    lowered = Lowered(as_network(obj))
    module, path, cold = load_module(lowered.masses, __version__, plan_unroll(lowered, unroll))
    model = CompiledModel(lowered, module, path)
    if eager:
        model._warm_up()
    model.build_info = {"seconds": time.perf_counter() - t0, "generated": cold, "path": str(path)}
    return model


class CompiledModel:
    """A built model: compiled kernels plus editable data.

    Everything that is data (parameters in :attr:`params`, local connection
    weights and delays in :attr:`connections`, network matrices in
    :attr:`couplings`, initial state :attr:`x0`) can be edited in place; the
    next call uses the new values without regenerating or recompiling.
    """

    def __init__(self, lowered, module, path):
        self._low = lowered
        self._mod = module
        self.path = path
        self.network = lowered.network
        self.state_index = lowered.state_index
        self.output_index = lowered.output_index
        self.input_index = lowered.input_index
        self.x0 = lowered.x0.copy()
        self.params, self._kernel_pos = lowered.param_table()
        self._params_index = self.params.index
        self.connections = lowered.connection_table()
        self.couplings = [Coupling(c.source, c.target, c.gain, c.kind, np.array(c.weights, float),
                                   np.array(c.delays, float), c.name) for c in self.network.couplings]
        self.u_base = np.zeros(lowered.n_u)
        self._layout = self._full_layout()

    # ------------------------------------------------------------ structure
    def _full_layout(self):
        rows = []
        do = bo = co = 0
        qo = self._low.n_p          # derived parameters follow the base parameters
        for g, (dp, bp, cp), nq in zip(self._low.groups, self._mod.GROUP_PATTERNS, self._mod.N_DERIVED):
            rows.append([do, bo, co, qo])
            do, bo, co, qo = do + len(dp) * g.n, bo + len(bp) * g.n, co + len(cp) * g.n, qo + nq * g.n
        self._n_vals = (do, bo, co)
        self._n_params_ext = qo
        extra = np.array(rows, dtype=np.int64).reshape(-1, 4)
        return np.ascontiguousarray(np.hstack([self._low.base_layout, extra]))

    @property
    def source(self):
        """The generated Python/Numba source, headed by this model's layout."""
        shared = ("this model's own: a small model's stage kernels are unrolled over its populations"
                  if self._mod.UNROLLED else "shared by every model of this structure")
        lines = [f"# Layout of this model (the module below is {shared})"]
        for g, row in zip(self._low.groups, self._layout):
            members = [f"{self._low.node_labels[k]}.{label}" for k, label, _ in g.members]
            shown = ", ".join(members[:4]) + (f", ... ({len(members)} in all)" if len(members) > 4 else "")
            lines.append(f"# group {g.index} ({g.mass.name}): xo={row[0]} n={row[1]} po={row[2]} "
                         f"uo={row[3]} yo={row[4]}; instances {shown}")
            for k, s in enumerate(g.mass.states):
                lines.append(f"#   x[{row[0] + k * row[1]}:{row[0] + (k + 1) * row[1]}] = {s} "
                             f"({members[0]}.{s}{', ...' if len(members) > 1 else ''})")
        return "\n".join(lines) + "\n" + self.path.read_text()

    @property
    def n_states(self):
        return self._low.n_x

    # ----------------------------------------------------------------- data
    def param_vector(self):
        """Current parameter values as the flat array the kernels read (base
        parameters, then the derived ones computed from them)."""
        table = self.params
        if table.index is self._params_index or table.index.equals(self._params_index):
            vals = table["value"].to_numpy(dtype=float)[self._kernel_pos]
        else:
            vals = table["value"].reindex(self._low.param_index).to_numpy(dtype=float)
        bad = ~np.isfinite(vals)
        if bad.any():
            node, mass, name = self._low.param_index[np.nonzero(bad)[0][0]]
            raise ModelError(f"parameter {name!r} of {node}.{mass} is {vals[bad][0]} (missing or non-finite); "
                             "set a finite value in model.params.")
        ext = np.empty(self._n_params_ext)
        ext[:len(vals)] = vals
        self._mod.derive(ext, self._layout)      # hoisted parameter expressions, once per call
        return ext

    def set_param(self, name, value, nodes=None):
        """Set parameter ``"label.param"`` to a scalar or one value per selected instance.

        ``nodes`` selects node labels (a list, a boolean mask over the
        network's nodes, or None for all).
        """
        label, _, pname = name.partition(".")
        idx = self.params.index
        sel = (idx.get_level_values("mass") == label) & (idx.get_level_values("param") == pname)
        if nodes is not None:
            nodes = np.asarray(nodes)
            if nodes.dtype == bool:
                nodes = np.asarray(self._low.node_labels)[nodes]
            sel &= np.isin(idx.get_level_values("node"), [str(n) for n in nodes])
        if not sel.any():
            known = sorted({f"{m}.{p}" for _, m, p in idx})
            raise ModelError(f"no parameter {name!r} (for the selected nodes); parameters: {known[:40]}")
        values = self.params["value"].to_numpy(copy=True)
        values[sel] = value
        self.params["value"] = values

    def _coupling(self, coupling):
        if coupling is None:
            return self.couplings
        if isinstance(coupling, int):
            return [self.couplings[coupling]]
        for c in self.couplings:
            if c.name == coupling:
                return [c]
        raise ModelError(f"no coupling {coupling!r}; couplings: {[c.name for c in self.couplings]}")

    def set_weights(self, weights, coupling=None):
        """Replace the weight matrix of one coupling (name or index) or of all."""
        n, labels = len(self._low.node_labels), self._low.node_labels
        for c in self._coupling(coupling):
            c.weights = as_square(weights, n, labels, f"weights of coupling {c.name!r}")

    def set_delays(self, delays, coupling=None):
        """Replace the delay matrix (ms) of one coupling (name or index) or of all."""
        n, labels = len(self._low.node_labels), self._low.node_labels
        for c in self._coupling(coupling):
            c.delays = as_delays(delays, n, labels, f"delays of coupling {c.name!r}")

    def edges(self):
        """All edges (local connections and couplings) as flat arrays."""
        parts = [self._low.local_edges(self.connections, self.params)]
        parts += [self._low.coupling_edges(c) for c in self.couplings]
        return Edges.concat(parts)

    # ------------------------------------------------------------ evaluation
    def _state(self, x, what="x"):
        x = np.ascontiguousarray(np.asarray(x, dtype=float).reshape(-1))
        if x.shape[0] != self.n_states:
            raise ModelError(f"{what} has {x.shape[0]} entries; this model has {self.n_states} states "
                             "(see model.state_index).")
        return x

    def _now(self, x, t):
        e = self.edges()
        return self._mod.rhs_now(float(t), x, self.param_vector(), self._layout, e.src, e.dst, e.weight,
                                 e.kind, e.ref, self.u_base, self._low.n_y, self._low.n_u), e

    def rhs(self, x, t=0.0):
        """dx/dt at state ``x`` with every coupling read at the current state."""
        (dx, _, _), _ = self._now(self._state(x), t)
        return dx

    def outputs(self, x, t=0.0):
        """Outputs y(x) as a Series indexed by (node, mass, output)."""
        (_, y, _), _ = self._now(self._state(x), t)
        return pd.Series(y, index=self.output_index)

    def jacobian_pieces(self, x, t=0.0):
        """Exact pieces at x: D = ∂f/∂x (inputs fixed), B = ∂f/∂u, C = ∂y/∂x (sparse),
        and the coupling sensitivities ∂u/∂y as edges (src, dst, gain, delay ms)."""
        x = self._state(x)
        (_, y, u), e = self._now(x, t)
        params = self.param_vector()
        vd, vb, vc = (np.zeros(k) for k in self._n_vals)
        self._mod.jacobian_pieces(float(t), x, params, u, vd, vb, vc, self._layout)
        idx = [[], [], []]
        for g, row, pats in zip(self._low.groups, self._layout, self._mod.GROUP_PATTERNS):
            n, inst = g.n, np.arange(g.n)
            offs = (row[0], row[3], row[4])      # x, u, y offsets
            for which, (pat, rowoff, coloff) in enumerate(((pats[0], offs[0], offs[0]),
                                                           (pats[1], offs[0], offs[1]),
                                                           (pats[2], offs[2], offs[0]))):
                for a, b in pat:
                    idx[which].append((rowoff + a * n + inst, coloff + b * n + inst))
        shapes = ((self._low.n_x, self._low.n_x), (self._low.n_x, self._low.n_u), (self._low.n_y, self._low.n_x))
        mats = []
        for vals, pairs, shape in zip((vd, vb, vc), idx, shapes):
            r = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
            c = np.concatenate([p[1] for p in pairs]) if pairs else np.zeros(0, dtype=np.int64)
            mats.append(sps.csr_matrix((vals, (r, c)), shape=shape))
        # coupling sensitivities du[dst]/dy
        a = y[e.src]
        b = np.where(e.ref >= 0, y[np.maximum(e.ref, 0)], 0.0)
        slope = np.where(e.kind == 2, np.cos(a - b), 1.0) * e.weight
        src = np.concatenate([e.src, e.ref[e.kind > 0]])
        dst = np.concatenate([e.dst, e.dst[e.kind > 0]])
        gain = np.concatenate([slope, -slope[e.kind > 0]])
        delay = np.concatenate([e.delay, np.zeros(int((e.kind > 0).sum()))])
        return {"D": mats[0], "B": mats[1], "C": mats[2], "edge_src": src, "edge_dst": dst,
                "edge_gain": gain, "edge_delay": delay}

    def jacobian(self, x, t=0.0, sparse=None):
        """Analytic Jacobian of :meth:`rhs` at x: D + B K C (delays ignored).

        Dense for models up to 2000 states unless ``sparse=True``.
        """
        p = self.jacobian_pieces(x, t)
        K = sps.csr_matrix((p["edge_gain"], (p["edge_dst"], p["edge_src"])),
                           shape=(self._low.n_u, self._low.n_y))
        J = (p["D"] + p["B"] @ K @ p["C"]).tocsr()
        if sparse is None:
            sparse = self.n_states > 2000
        return J if sparse else J.toarray()

    # -------------------------------------------------------------- running
    def _warm_up(self):
        from .integrate.simulate import compile_kernels
        compile_kernels(self)

    def simulate(self, duration, dt, method="heun", **options):
        """Integrate from the initial state for ``duration`` ms at fixed step ``dt`` ms.

        Options (``initial``, ``record``, ``every``, ``transient``,
        ``coupling_mode``, ``delay_interpolation``, ``stimuli``, ``seed``,
        ``noise``, ``noise_path``, ``progress``, ``chunk``) are documented in
        :func:`tcmcompose.integrate.simulate.simulate`.
        """
        from .integrate.simulate import simulate
        res = simulate(self, duration, dt, method, **options)
        res.model, res.settings = self, {"duration": duration, "dt": dt, "method": method, **options}  # for re-runs
        return res

    def simulate_batch(self, runs, duration, dt, method="heun", seed=None, workers=None, reduce=None,
                       on_error="raise", **options):
        """Several runs of this model in parallel threads, each with its own random stream.

        ``runs``: a number of repeats, a list of edits (one dict per run,
        ``{"label.param": value or per-node values}``, any name
        :meth:`set_param` takes, e.g. coupling gains and delay scalings; an
        optional ``"seed"`` entry), or a DataFrame with one row per run and
        those names as columns. Edits apply to that run only. Run k without
        its own seed is seeded with child k of
        ``numpy.random.SeedSequence(seed)``: the batch is reproducible from
        ``seed``, its runs are independent, and run k is bit-identical to
        ``simulate(..., seed=batch.runs.seed[k])``.

        ``workers`` threads (default: every core) each run on their own
        copy of the model's data (the kernels release the GIL).
        ``reduce(result, k)`` keeps a summary per run instead of its traces;
        ``on_error="record"`` keeps failed runs as
        :class:`~tcmcompose.explore.batch.RunError` (``"raise"`` re-raises).
        Other options as :meth:`simulate`. Returns a
        :class:`~tcmcompose.explore.BatchResult` (a sequence of Results with
        ``.runs``, ``.to_dataframe()``, ``.to_xarray()``).
        """
        from .explore.batch import simulate_batch
        return simulate_batch(self, runs, duration, dt, method, seed=seed, workers=workers, reduce=reduce,
                              on_error=on_error, **options)

    def __repr__(self):
        groups = ", ".join(f"{g.mass.name}×{g.n}" for g in self._low.groups)
        return f"CompiledModel({self.n_states} states; {groups}; {len(self.edges().src)} edges)"
