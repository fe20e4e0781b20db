r"""Tabulated functions of one or two variables, usable in mass equations.

``rate = tc.Table((mu_axis, sigma_axis), values, method="cubic", name="rate")``
makes a function that SymPy equations call like any other:
``rate("mu", "sigma")`` (strings become the mass's symbols) or
``rate(mu, sigma)`` with SymPy expressions. The generated kernels interpolate
the table inline, the analytic Jacobian uses the interpolant's exact
derivative, and the table's values travel as data at the end of the
parameter vector, so ``model.set_table(...)`` replaces them without
recompiling.

Interpolation on a uniform grid with spacing h (axes must be uniform):

* ``"linear"``: piecewise linear (bilinear in 2-D); error O(h²); the first
  derivative is piecewise constant (on a grid line the cell to its right
  counts) and higher derivatives are zero.
* ``"cubic"``: piecewise cubic Hermite (bicubic Hermite in 2-D) with node
  slopes f_x, f_y, f_xy taken from not-a-knot cubic splines along the axes
  (de Boor 2001, A Practical Guide to Splines, ch. IV-V); C¹, error O(h⁴).

Outside the grid: ``"clamp"`` holds the edge value (zero derivative),
``"extrapolate"`` continues the edge cell's polynomial, ``"error"`` stops the
run with an error.
"""
import hashlib

import numpy as np
import sympy as sp

from ..errors import ModelError

METHODS = {"linear": 0, "cubic": 1}
OUTSIDE = {"clamp": 0, "extrapolate": 1, "error": 2}


class TableFunctionBase(sp.Function):
    """Base of the SymPy functions made by :class:`Table` (one subclass per
    table and derivative order). ``_table`` and ``_orders`` are class data."""

    _table = None
    _orders = (0, 0)
    is_real = True

    @classmethod
    def eval(cls, *args):
        if len(args) != cls._table.ndim:
            raise ModelError(f"table {cls._table.name!r} takes {cls._table.ndim} argument(s), "
                             f"got {len(args)}.")
        return None

    def fdiff(self, argindex=1):
        orders = list(self._orders)
        orders[argindex - 1] += 1
        return self._table.function(tuple(orders))(*self.args)

    def __reduce_ex__(self, protocol):      # the class is made at run time: rebuild it from its table
        return _rebuild_call, (self._table, self._orders, self.args)


def _rebuild_call(table, orders, args):
    return table.function(orders)(*args)


def _uniform_axis(axis, name, k):
    a = np.asarray(axis, dtype=float).reshape(-1)
    if a.size < 2 or not np.all(np.isfinite(a)):
        raise ModelError(f"table {name!r}: axis {k} needs at least 2 finite points, got {a.size}.")
    h = np.diff(a)
    if np.any(h <= 0) or np.max(np.abs(h - h[0])) > 1e-9 * max(abs(h[0]), np.abs(a).max()):
        raise ModelError(f"table {name!r}: axis {k} must be increasing and uniformly spaced "
                         "(resample the table onto a uniform grid, e.g. with numpy.interp).")
    return a[0], (a[-1] - a[0]) / (a.size - 1), a.size


def _spline_slopes(f, h, axis):
    """Node derivatives along ``axis`` of the not-a-knot cubic spline through f."""
    from scipy.interpolate import CubicSpline
    n = f.shape[axis]
    if n < 4:                           # too few points for not-a-knot: a parabola/line through them
        return np.gradient(f, h, axis=axis, edge_order=2 if n > 2 else 1)
    x = np.arange(n) * h
    return CubicSpline(x, f, axis=axis, bc_type="not-a-knot")(x, 1)


class Table:
    """A tabulated function f(x) or f(x, y) on a uniform grid.

    Parameters
    ----------
    axes : array or tuple of one or two arrays
        Grid points of each argument (increasing, uniformly spaced).
    values : array
        f at the grid points, shape ``(len(axes[0]),)`` or
        ``(len(axes[0]), len(axes[1]))``.
    method : "linear" or "cubic"
    outside : "clamp", "extrapolate" or "error"
    name : str
        The function's name in equations and in ``model.tables``.
    """

    def __init__(self, axes, values, method="linear", outside="clamp", name="table"):
        if not isinstance(name, str) or not name.isidentifier():
            raise ModelError(f"table name {name!r} must be a Python identifier.")
        self.name = name
        if method not in METHODS:
            raise ModelError(f"table {name!r}: method={method!r}; use one of {list(METHODS)}.")
        if outside not in OUTSIDE:
            raise ModelError(f"table {name!r}: outside={outside!r}; use one of {list(OUTSIDE)}.")
        self.method, self.outside = method, outside
        if isinstance(axes, np.ndarray) and axes.ndim == 1 or (
                isinstance(axes, (list, tuple)) and len(axes) > 0 and np.ndim(axes[0]) == 0):
            axes = (axes,)
        if len(axes) not in (1, 2):
            raise ModelError(f"table {name!r}: give one or two axes, got {len(axes)}.")
        self.axes = tuple(np.asarray(a, dtype=float).reshape(-1) for a in axes)
        self.grid = tuple(_uniform_axis(a, name, k) for k, a in enumerate(self.axes))
        values = np.asarray(values, dtype=float)
        shape = tuple(a.size for a in self.axes)
        if values.shape != shape:
            raise ModelError(f"table {name!r}: values have shape {values.shape}; the axes make {shape}.")
        if not np.all(np.isfinite(values)):
            bad = np.argwhere(~np.isfinite(values))[0]
            raise ModelError(f"table {name!r}: value at grid index {tuple(bad)} is not finite.")
        self.values = values
        self._classes = {}

    def __getstate__(self):               # the SymPy classes are rebuilt on demand
        state = dict(self.__dict__)
        state["_classes"] = {}
        return state

    @property
    def ndim(self):
        return len(self.axes)

    @property
    def shape(self):
        return self.values.shape

    def function(self, orders=(0, 0)):
        """The SymPy function class of the derivative of order ``orders``."""
        orders = tuple(orders)
        cls = self._classes.get(orders)
        if cls is None:
            suffix = "" if orders == (0, 0) else f"_d{orders[0]}{orders[1]}"
            cls = type(self.name + suffix, (TableFunctionBase,), {"_table": self, "_orders": orders})
            self._classes[orders] = cls
        return cls

    def __call__(self, *args):
        args = [sp.Symbol(a, real=True) if isinstance(a, str) and a.isidentifier() else sp.sympify(a)
                for a in args]
        return self.function()(*args)

    # ---------------------------------------------------------------- data
    def node_data(self):
        """Node arrays the kernel reads: (f,), (f, f') or (f, f_x, f_y, f_xy)."""
        f = self.values
        if self.method == "linear":
            return (f,)
        hs = [g[1] for g in self.grid]
        if self.ndim == 1:
            return f, _spline_slopes(f, hs[0], 0)
        fx = _spline_slopes(f, hs[0], 0)
        return f, fx, _spline_slopes(f, hs[1], 1), _spline_slopes(fx, hs[1], 1)

    def block(self):
        """This table's block of the parameter-vector tail (see ``table_kernel``)."""
        head = [float(self.ndim), float(METHODS[self.method]), float(OUTSIDE[self.outside])]
        for x0, h, n in self.grid:
            head += [float(n), x0, h]
        return np.concatenate([np.array(head)] + [np.ravel(a) for a in self.node_data()])

    def digest(self):
        """Hash of everything the kernel reads (equal digests: interchangeable tables)."""
        return hashlib.sha256(self.block().tobytes()).hexdigest()

    def with_values(self, values, axes=None):
        """A copy with new values (and axes); same method and outside rule."""
        return Table(self.axes if axes is None else axes, values, self.method, self.outside, self.name)

    # -------------------------------------------------------- NumPy twin
    def evaluate(self, *args, orders=(0, 0)):
        """The interpolant (or its derivative) at NumPy arrays: the slow twin
        of the generated code, written with array operations."""
        xs = [np.asarray(a, dtype=float) for a in np.broadcast_arrays(*args)]
        data = self.node_data()
        cubic = self.method == "cubic"
        cells, weights = [], []
        for (x0, h, n), x, d in zip(self.grid, xs, orders):
            s = (x - x0) / h
            out = (s < 0) | (s > n - 1)
            if self.outside == "error" and np.any((s < -1e-9) | (s > n - 1 + 1e-9)):
                raise ModelError(f"table {self.name!r} evaluated outside its grid "
                                 f"[{x0}, {x0 + (n - 1) * h}] (outside='error').")
            fac = np.ones_like(s)
            if self.outside != "extrapolate":
                s = np.clip(s, 0, n - 1)
                if d > 0:
                    fac = np.where(out, 0.0, 1.0)
            i = np.clip(np.floor(s).astype(int), 0, n - 2)
            u = s - i
            cells.append(i)
            weights.append([w * fac for w in _hermite(u, d, h, cubic)])
        if self.ndim == 1:
            (i,), ((a0, a1, b0, b1),) = cells, weights
            v = a0 * data[0][i] + a1 * data[0][i + 1]
            if cubic:
                h = self.grid[0][1]
                v = v + h * (b0 * data[1][i] + b1 * data[1][i + 1])
            return v
        (i, k), ((a0, a1, b0, b1), (c0, c1, e0, e1)) = cells, weights
        h1, h2 = self.grid[0][1], self.grid[1][1]

        def patch(arr, wx, wy):
            return sum(wx[p] * wy[q] * arr[i + p, k + q] for p in (0, 1) for q in (0, 1))

        v = patch(data[0], (a0, a1), (c0, c1))
        if cubic:
            v = v + h1 * patch(data[1], (b0, b1), (c0, c1)) + h2 * patch(data[2], (a0, a1), (e0, e1))
            v = v + h1 * h2 * patch(data[3], (b0, b1), (e0, e1))
        return v

    def __repr__(self):
        return (f"Table({self.name!r}, shape={self.shape}, method={self.method!r}, "
                f"outside={self.outside!r})")


def _hermite(s, d, h, cubic):
    """Basis weights (a0, a1, b0, b1) as in ``table_kernel._basis``, on arrays."""
    z = np.zeros_like(s)
    if not cubic:
        return [(1 - s, s, z, z), (-1 / h + z, 1 / h + z, z, z)][d] if d < 2 else (z, z, z, z)
    if d == 0:
        return 2 * s**3 - 3 * s**2 + 1, -2 * s**3 + 3 * s**2, s**3 - 2 * s**2 + s, s**3 - s**2
    if d == 1:
        return (6 * s**2 - 6 * s) / h, (-6 * s**2 + 6 * s) / h, (3 * s**2 - 4 * s + 1) / h, (3 * s**2 - 2 * s) / h
    if d == 2:
        return (12 * s - 6) / h**2, (-12 * s + 6) / h**2, (6 * s - 4) / h**2, (6 * s - 2) / h**2
    return z, z, z, z


def tables_of(mass):
    """The tables a mass's equations and outputs call, by name (sorted)."""
    found = {}
    exprs = list(mass.equations.values()) + list(mass.outputs.values()) + list(mass.noise.values())
    for e in exprs:
        for call in e.atoms(TableFunctionBase):
            t = call._table
            other = found.get(t.name)
            if other is not None and other is not t:
                raise ModelError(f"mass {mass.name!r} calls two different tables named {t.name!r}; "
                                 "give them different names.")
            found[t.name] = t
    return [found[k] for k in sorted(found)]


class LazyTable(Table):
    """A :class:`Table` whose grid and values are made by ``factory()`` (which
    returns a Table) on first use: a mass can be declared, listed and
    compared before its tables exist (they are computed when a model is built)."""

    def __init__(self, factory, ndim, name, method="linear", outside="clamp"):
        self._factory = factory
        self._ndim = int(ndim)
        self.name, self.method, self.outside = name, method, outside
        self._classes = {}

    @property
    def ndim(self):
        return self._ndim

    def __getattr__(self, attr):          # only called for attributes not set yet
        if attr in ("axes", "values", "grid"):
            made = self._factory()
            if made.ndim != self._ndim:
                raise ModelError(f"table {self.name!r}: the factory made a {made.ndim}-D table, "
                                 f"declared {self._ndim}-D.")
            self.axes, self.values, self.grid = made.axes, made.values, made.grid
            self.method, self.outside = made.method, made.outside
            return getattr(self, attr)
        raise AttributeError(attr)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_classes"] = {}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __repr__(self):
        made = "values" in self.__dict__
        return f"LazyTable({self.name!r}, {self._ndim}-D, {'made' if made else 'not made yet'})"
