"""Small numerical helpers shared by the tests."""
import numpy as np


def fd_jacobian(model, x, rel=1e-6, floor=1.0):
    """Central finite differences of ``model.rhs`` at ``x``; the step for state j is
    ``rel * max(|x_j|, floor)`` (a small ``floor`` for states that live near 1e-4)."""
    x = np.asarray(x, dtype=float)
    h = rel * np.maximum(np.abs(x), floor)
    return np.column_stack([(model.rhs(x + h[j] * e) - model.rhs(x - h[j] * e)) / (2 * h[j])
                            for j, e in enumerate(np.eye(len(x)))])


def max_row_relative_error(J, Jfd):
    """Largest |J - Jfd| relative to each row's largest finite-difference entry."""
    scale = np.abs(Jfd).max(axis=1, keepdims=True) + 1e-12
    return np.max(np.abs(J - Jfd) / scale)
