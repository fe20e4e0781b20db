"""Short text summaries for reprs: labels and value ranges instead of whole arrays."""
import numpy as np


def labels(items, shown=3):
    """``[a, b, c, ... (76)]`` for a long list of labels."""
    items = [str(x) for x in items]
    head = ", ".join(items[:shown])
    return f"[{head}{', ...' if len(items) > shown else ''}]" + (f" ({len(items)})" if len(items) > shown else "")


def value_range(a, unit=""):
    """``min..max unit`` of the finite entries (``empty`` / ``all zero``)."""
    a = np.asarray(a)
    if np.iscomplexobj(a):
        a = np.abs(a)
    a = a[np.isfinite(a)] if a.size else a
    if not a.size:
        return "empty"
    lo, hi = float(a.min()), float(a.max())
    return f"{lo:.4g}..{hi:.4g}{(' ' + unit) if unit else ''}"
