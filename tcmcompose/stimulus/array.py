"""A user-supplied time series as a stimulus."""
import numpy as np

from ..errors import ModelError
from .base import Stimulus, _number


class ArrayStimulus(Stimulus):
    """Values given as an array (time x targets) sampled every ``dt`` ms.

    Sample k sits at t = ``t0`` + k ``dt``; the simulator's grid is filled by
    linear interpolation between samples (the array's dt need not match the
    simulation's). Before ``t0`` the value is 0; between the last sample and
    the end of ``duration`` the last value is held. ``duration`` defaults to
    ``t0 + len(values) * dt`` (each sample lasts one dt, which is what ``&``
    uses); ``duration=None`` holds the last value for ever.

    ``values`` is 1-d (one signal for every target) or 2-d with 1 column or
    one column per target port (in the order of the target's nodes).
    """

    _DEFAULT = object()

    def __init__(self, values, dt, t0=0.0, duration=_DEFAULT):
        owner = "ArrayStimulus"
        try:
            arr = np.array(values, dtype=float)
        except (TypeError, ValueError):
            raise ModelError(f"{owner}: values must be a numeric array (time x targets).") from None
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
            raise ModelError(f"{owner}: values have shape {np.shape(values)}; give a 1-d array (time) or a "
                             "2-d array (time x targets) with at least one sample.")
        if not np.all(np.isfinite(arr)):
            row = np.nonzero(~np.isfinite(arr))[0][0]
            raise ModelError(f"{owner}: values contain NaN or inf (first at sample {row}).")
        self.values = arr
        self.dt = _number(dt, "dt (ms)", owner, positive=True)
        self.t0 = _number(t0, "t0 (ms)", owner)
        if self.t0 < 0:
            raise ModelError(f"{owner}: t0 = {self.t0} ms must be >= 0 (use .shift for delays).")
        if duration is ArrayStimulus._DEFAULT:
            duration = self.t0 + len(arr) * self.dt
        from .base import _duration
        self.duration = _duration(duration, owner)

    def _values(self, t, n_targets, rng):
        k = self.values.shape[1]
        if k not in (1, n_targets):
            raise ModelError(f"ArrayStimulus has {k} columns but its target has {n_targets} ports; "
                             f"give 1 column (same signal everywhere) or {n_targets}.")
        grid = self.t0 + self.dt * np.arange(len(self.values))
        out = np.empty((len(t), k))
        for j in range(k):
            out[:, j] = np.interp(t, grid, self.values[:, j], left=0.0)
        out[t < self.t0 - 1e-9] = 0.0
        return out

    def __repr__(self):
        return f"ArrayStimulus({self.values.shape[0]}x{self.values.shape[1]}, dt={self.dt:g} ms)"
