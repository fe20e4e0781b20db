"""External inputs of a run: stimuli targeted at ports, OU input processes, state noise."""
from dataclasses import dataclass

import numpy as np

from ..address import resolve
from ..checks import number, real_array
from ..errors import ModelError
from ..stimulus.hold import HOLDS, Held


@dataclass
class SampledInput:
    stimulus: object      # has .sample(t_ms, n_targets, rng) -> (len(t), n_targets)
    dst: np.ndarray       # u indices, one per target
    hold: str = "linear"  # one of HOLDS


@dataclass
class InputPlan:
    sampled: list
    ou_dst: np.ndarray
    ou_mean: np.ndarray
    ou_sigma: np.ndarray   # stationary standard deviation
    ou_tau: np.ndarray     # ms

    @property
    def stim_dst(self):
        """u index of every sampled column; a zero-order-hold column is stored
        as ``-1 - index`` (the loop reads the step-start value at every stage)."""
        parts = [s.dst if s.hold == "linear" else -1 - s.dst for s in self.sampled]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    @property
    def random(self):
        return len(self.ou_dst) > 0

    def sample(self, n0, n1, dt, rng):
        """Stimulus values at grid steps n0..n1 (inclusive), shape (n1 - n0 + 1, targets)."""
        t = np.arange(n0, n1 + 1) * dt
        cols = []
        for s in self.sampled:
            v = np.asarray(s.stimulus.sample(t, len(s.dst), rng), dtype=float)
            if v.ndim == 1:
                v = v[:, None]
            if v.shape[1] == 1 and len(s.dst) > 1:
                v = np.repeat(v, len(s.dst), axis=1)
            if v.shape != (len(t), len(s.dst)):
                raise ModelError(f"stimulus {s.stimulus!r} gave shape {v.shape}; expected {(len(t), len(s.dst))}.")
            if not np.all(np.isfinite(v)):
                raise ModelError(f"stimulus {s.stimulus!r} produced non-finite values.")
            cols.append(v)
        return np.ascontiguousarray(np.hstack(cols)) if cols else np.zeros((len(t), 0))


class _ArrayStimulus:
    """A (time x targets) array on the simulation grid, held beyond its end."""

    def __init__(self, values, dt, what="stimulus array"):
        self.values = real_array(values, what)
        self.dt = dt

    def sample(self, t, n_targets, rng=None):
        idx = np.clip(np.rint(t / self.dt).astype(int), 0, len(self.values) - 1)
        v = self.values[idx]
        return v if v.ndim > 1 else v[:, None]

    def __repr__(self):
        return f"array{self.values.shape}"


class _Constant:
    def __init__(self, value, what="stimulus"):
        self.value = number(value, what)

    def sample(self, t, n_targets, rng=None):
        return np.full((len(t), n_targets), self.value)

    def __repr__(self):
        return f"constant({self.value})"


def resolve_targets(model, key):
    """u indices for a stimulus target, resolved by :func:`tcmcompose.address.resolve`:
    ``"mass.port"`` (every node that has it), ``"node.mass.port"``, patterns
    (``"*.ampa"``), or ``("mass.port", nodes)`` with node labels, indices, a
    slice or a boolean mask."""
    return resolve(model.input_index, key, model._low.node_labels, what="input port")


def plan_inputs(model, stimuli, dt, stimulus_hold="linear"):
    """Resolve stimulus targets and sort stimuli into sampled ones (read at
    stage times with ``stimulus_hold`` unless wrapped by :func:`hold`) and
    Ornstein-Uhlenbeck processes run inside the loop."""
    if stimulus_hold not in HOLDS:
        raise ModelError(f"stimulus_hold={stimulus_hold!r}; choose one of {list(HOLDS)}.")
    sampled, ou = [], []
    items = stimuli.items() if isinstance(stimuli, dict) else (stimuli or [])
    for key, stim in items:
        dst = resolve_targets(model, key)
        mode = stimulus_hold
        if isinstance(stim, Held):
            stim, mode = stim.stimulus, stim.hold
        spec = stim.spec() if hasattr(stim, "spec") else None
        if isinstance(stim, (int, float)):
            stim = _Constant(stim, f"stimulus for {key!r}")
        elif isinstance(stim, np.ndarray):
            arr = stim if stim.ndim > 1 else stim[:, None]
            if arr.shape[1] not in (1, len(dst)):
                raise ModelError(f"stimulus array for {key!r} has {arr.shape[1]} columns; "
                                 f"the target has {len(dst)} ports (give 1 or {len(dst)}).")
            stim = _ArrayStimulus(arr, dt, f"stimulus array for {key!r}")
        elif spec is not None and spec.get("kind") == "ou":
            # generated inside the compiled loop (exact OU update per step)
            for k in dst:
                ou.append((k, float(spec["mean"]), float(spec["sigma"]), float(spec["tau"])))
            continue
        elif not hasattr(stim, "sample"):
            raise ModelError(f"stimulus for {key!r} must be a tc.stimulus object, a number or an array, "
                             f"got {type(stim).__name__}.")
        sampled.append(SampledInput(stim, dst, mode))
    ou = np.array(ou, dtype=float).reshape(-1, 4)
    return InputPlan(sampled, ou[:, 0].astype(np.int64), ou[:, 1].copy(), ou[:, 2].copy(), ou[:, 3].copy())
