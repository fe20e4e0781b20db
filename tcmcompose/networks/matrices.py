"""Checking weight and delay matrices."""
import numpy as np
import pandas as pd

from ..checks import number
from ..errors import ModelError


def as_square(matrix, n, labels, what):
    """Return ``matrix`` as a float (n, n) array, reordered by ``labels`` when a
    labelled DataFrame is given; clear errors for shape and non-finite values."""
    if isinstance(matrix, pd.DataFrame):
        idx, cols = [str(i) for i in matrix.index], [str(c) for c in matrix.columns]
        if set(idx) == set(labels) and set(cols) == set(labels):
            matrix = matrix.copy()
            matrix.index, matrix.columns = idx, cols
            matrix = matrix.loc[labels, labels]
        matrix = matrix.to_numpy()
    arr = np.array(matrix)
    if arr.dtype == bool or np.iscomplexobj(arr):
        raise ModelError(f"{what} has {'boolean' if arr.dtype == bool else 'complex'} entries; "
                         "give real numbers (row = target node, column = source node).")
    try:
        arr = arr.astype(float)
    except (TypeError, ValueError):
        raise ModelError(f"{what} has non-numeric entries; give an ({n}, {n}) array of numbers.") from None
    if arr.shape != (n, n):
        raise ModelError(f"{what} has shape {arr.shape}; the network has {n} nodes, so give an "
                         f"({n}, {n}) matrix (row = target node, column = source node).")
    bad = np.argwhere(~np.isfinite(arr))
    if len(bad):
        i, j = bad[0]
        raise ModelError(f"{what} has {len(bad)} non-finite entr{'y' if len(bad) == 1 else 'ies'}, "
                         f"first at [{i}, {j}] (target {labels[i]!r}, source {labels[j]!r}); "
                         "use 0 for absent connections.")
    return arr


def as_delays(delays, n, labels, what="delays"):
    arr = as_square(delays, n, labels, what)
    neg = np.argwhere(arr < 0)
    if len(neg):
        i, j = neg[0]
        raise ModelError(f"{what} has negative entries, first {arr[i, j]} at [{i}, {j}] "
                         f"(target {labels[i]!r}, source {labels[j]!r}); delays are >= 0 ms.")
    return arr


def delays_from_lengths(lengths, speed, n, labels):
    """Conduction delays (ms) = tract length (mm) / speed (mm/ms = m/s)."""
    if speed is None:
        raise ModelError("speed=None: give a positive conduction speed in mm/ms (= m/s) with tract lengths.")
    speed = number(speed, "speed (the positive conduction speed with tract lengths, mm/ms = m/s)", positive=True)
    return as_delays(lengths, n, labels, "tract lengths") / speed
