"""Interpolation of a tabulated function inside generated kernels.

Generated modules call :func:`table_eval` for every tabulated function a mass
uses (see :class:`tcmcompose.masses.table.Table`). The tables travel at the
end of the parameter vector, so they are data: replacing one never
recompiles. Layout of that tail (``L = len(p)``, ``G`` groups)::

    p[L - 1 - g]      start of group g's directory (-1: the group has no tables)
    p[dir_g + j]      start of the block of the group's table j
    block             ndim, method (0 linear, 1 cubic), outside (0 clamp,
                      1 extrapolate, 2 error), then per axis (n, x0, h), then
                      the node data: linear f; cubic 1-D f, f'; cubic 2-D f,
                      f_x, f_y, f_xy (C order, axis 0 slowest)

Both methods are written as Hermite patches on a uniform grid: ``linear``
uses the hat functions (1 - s, s), ``cubic`` the cubic Hermite basis with
node slopes from a not-a-knot spline (see ``Table``), so the value and every
derivative order below come from the same piecewise polynomial.
"""
import math

from numba import njit


@njit(cache=True)
def _basis(cubic, d, s, h):
    """Weights (a0, a1, b0, b1) of f(node0), f(node1), h*f'(node0), h*f'(node1)
    for the d-th derivative in x at local coordinate s (x = x0 + (i + s) h)."""
    if cubic:
        if d == 0:
            return (2 * s ** 3 - 3 * s ** 2 + 1, -2 * s ** 3 + 3 * s ** 2,
                    s ** 3 - 2 * s ** 2 + s, s ** 3 - s ** 2)
        if d == 1:
            return ((6 * s ** 2 - 6 * s) / h, (-6 * s ** 2 + 6 * s) / h,
                    (3 * s ** 2 - 4 * s + 1) / h, (3 * s ** 2 - 2 * s) / h)
        if d == 2:
            return ((12 * s - 6) / h ** 2, (-12 * s + 6) / h ** 2, (6 * s - 4) / h ** 2, (6 * s - 2) / h ** 2)
        return (0.0, 0.0, 0.0, 0.0)
    if d == 0:
        return (1.0 - s, s, 0.0, 0.0)
    if d == 1:
        return (-1.0 / h, 1.0 / h, 0.0, 0.0)
    return (0.0, 0.0, 0.0, 0.0)


@njit(cache=True)
def _cell(x, n, x0, h, outside, d):
    """(cell index, local coordinate, derivative factor) of x on one axis."""
    s = (x - x0) / h
    top = n - 1.0
    if s < 0.0 or s > top:
        if outside == 2 and (s < -1e-9 or s > top + 1e-9):
            raise ValueError("tabulated function evaluated outside its grid (outside='error'); "
                             "extend the table's axes or use outside='clamp' or 'extrapolate'")
        if outside != 1:          # clamp: constant beyond the ends, so its derivatives vanish
            s = min(max(s, 0.0), top)
            if d > 0 and (x - x0) / h != s:
                return 0, 0.0, 0.0
    i = int(math.floor(s))
    i = min(max(i, 0), n - 2)
    return i, s - i, 1.0


@njit(cache=True)
def table_eval(p, g, j, dx, dy, x, y):
    """Value (dx = dy = 0) or partial derivative d^(dx+dy) f / dx^dx dy^dy of
    table j of group g at (x, y) (y ignored for a 1-D table)."""
    L = p.shape[0]
    b = int(p[int(p[L - 1 - g]) + j])
    ndim = int(p[b])
    cubic = p[b + 1] == 1.0
    outside = int(p[b + 2])
    n1, x01, h1 = int(p[b + 3]), p[b + 4], p[b + 5]
    i, s, fac = _cell(x, n1, x01, h1, outside, dx)
    a0, a1, b0, b1 = _basis(cubic, dx, s, h1)
    if ndim == 1:
        f = b + 6
        v = a0 * p[f + i] + a1 * p[f + i + 1]
        if cubic:
            v += h1 * (b0 * p[f + n1 + i] + b1 * p[f + n1 + i + 1])
        return fac * v
    n2, x02, h2 = int(p[b + 6]), p[b + 7], p[b + 8]
    k, t, fac2 = _cell(y, n2, x02, h2, outside, dy)
    c0, c1, e0, e1 = _basis(cubic, dy, t, h2)
    f = b + 9
    m = n1 * n2
    r0 = f + i * n2 + k          # node (i, k); (i+1, k) is r0 + n2
    r1 = r0 + n2
    v = (a0 * (c0 * p[r0] + c1 * p[r0 + 1]) + a1 * (c0 * p[r1] + c1 * p[r1 + 1]))
    if cubic:
        fx, fy, fxy = m, 2 * m, 3 * m
        v += h1 * (b0 * (c0 * p[r0 + fx] + c1 * p[r0 + 1 + fx]) + b1 * (c0 * p[r1 + fx] + c1 * p[r1 + 1 + fx]))
        v += h2 * (a0 * (e0 * p[r0 + fy] + e1 * p[r0 + 1 + fy]) + a1 * (e0 * p[r1 + fy] + e1 * p[r1 + 1 + fy]))
        v += h1 * h2 * (b0 * (e0 * p[r0 + fxy] + e1 * p[r0 + 1 + fxy])
                        + b1 * (e0 * p[r1 + fxy] + e1 * p[r1 + 1 + fxy]))
    return fac * fac2 * v
