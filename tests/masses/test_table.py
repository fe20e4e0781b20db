"""Tabulated functions (tc.Table): interpolation orders measured on known smooth
functions, the exact derivative of the interpolant, the NumPy twin, outside
rules, and a built model whose tables are replaced without recompiling."""
import pickle

import numpy as np
import pytest
import sympy as sp
from scipy.interpolate import CubicHermiteSpline

import tcmcompose as tc
from tcmcompose.codegen.reference import ReferenceModel
from tcmcompose.masses.table_kernel import table_eval
from tests.helpers import fd_jacobian, max_row_relative_error


def packed(table):
    """A parameter vector holding only ``table`` as group 0's table 0."""
    b = table.block()
    return np.concatenate([b, [0.0], [float(b.size)]])


def kernel(table, x, y=0.0, d=(0, 0)):
    p = packed(table)
    return np.array([table_eval(p, 0, 0, d[0], d[1], float(a), float(b))
                     for a, b in zip(*np.broadcast_arrays(x, y))])


def order(hs, errs):
    return np.polyfit(np.log(hs), np.log(errs), 1)[0]


F1 = (lambda x: np.sin(x) + 0.3 * x ** 2, lambda x: np.cos(x) + 0.6 * x)


def F2(x, y):
    return np.exp(-0.3 * x * x) * np.cos(y) + 0.1 * x * y


def F2_x(x, y):
    return -0.6 * x * np.exp(-0.3 * x * x) * np.cos(y) + 0.1 * y


@pytest.mark.parametrize("method, expected", [("linear", 2.0), ("cubic", 4.0)])
def test_1d_interpolation_order(method, expected):
    """Max error at off-grid points falls as h^2 (linear) and h^4 (cubic)."""
    xe = np.linspace(-2.0, 3.0, 997)[1:-1]
    hs, errs = [], []
    for n in (11, 21, 41, 81):
        ax = np.linspace(-2.0, 3.0, n)
        t = tc.Table(ax, F1[0](ax), method=method)
        hs.append(ax[1] - ax[0])
        errs.append(np.abs(kernel(t, xe) - F1[0](xe)).max())
    assert order(hs, errs) == pytest.approx(expected, abs=0.25)


@pytest.mark.parametrize("method, expected", [("linear", 2.0), ("cubic", 4.0)])
def test_2d_interpolation_order(method, expected):
    rng = np.random.default_rng(0)
    xe, ye = rng.uniform(-2, 2, 400), rng.uniform(0, 3, 400)
    hs, errs = [], []
    for n in (9, 17, 33, 65):
        ax, ay = np.linspace(-2, 2, n), np.linspace(0, 3, n)
        t = tc.Table((ax, ay), F2(ax[:, None], ay[None, :]), method=method)
        hs.append(ax[1] - ax[0])
        errs.append(np.abs(kernel(t, xe, ye) - F2(xe, ye)).max())
    assert order(hs, errs) == pytest.approx(expected, abs=0.3)


def test_cubic_derivative_converges_at_third_order_and_is_the_interpolants():
    """d/dx of the cubic interpolant tends to f' as h^3, and equals the
    derivative of the same piecewise cubic (SciPy's CubicHermiteSpline on the
    table's node slopes)."""
    xe = np.linspace(-2.0, 3.0, 613)[1:-1]
    hs, errs = [], []
    for n in (11, 21, 41, 81):
        ax = np.linspace(-2.0, 3.0, n)
        t = tc.Table(ax, F1[0](ax), method="cubic")
        d = kernel(t, xe, d=(1, 0))
        spline = CubicHermiteSpline(ax, *t.node_data())
        assert np.allclose(kernel(t, xe), spline(xe), rtol=0, atol=1e-13)
        assert np.allclose(d, spline(xe, 1), rtol=0, atol=1e-12)
        assert np.allclose(kernel(t, xe, d=(2, 0)), spline(xe, 2), rtol=0, atol=1e-10)
        hs.append(ax[1] - ax[0])
        errs.append(np.abs(d - F1[1](xe)).max())
    assert order(hs, errs) == pytest.approx(3.0, abs=0.3)


@pytest.mark.parametrize("method", ["linear", "cubic"])
def test_2d_derivatives_equal_finite_differences_off_grid_lines(method):
    ax, ay = np.linspace(-2, 2, 17), np.linspace(0, 3, 13)
    t = tc.Table((ax, ay), F2(ax[:, None], ay[None, :]), method=method)
    rng = np.random.default_rng(1)
    # points at least 0.1 cell from any grid line
    x = ax[rng.integers(0, 16, 50)] + (ax[1] - ax[0]) * rng.uniform(0.1, 0.9, 50)
    y = ay[rng.integers(0, 12, 50)] + (ay[1] - ay[0]) * rng.uniform(0.1, 0.9, 50)
    h = 1e-6
    for d, (ex, ey) in (((1, 0), (h, 0)), ((0, 1), (0, h))):
        fd = (kernel(t, x + ex, y + ey) - kernel(t, x - ex, y - ey)) / (2 * h)
        assert np.allclose(kernel(t, x, y, d), fd, rtol=1e-6, atol=1e-8)
    fd = (kernel(t, x, y + h, (1, 0)) - kernel(t, x, y - h, (1, 0))) / (2 * h)
    assert np.allclose(kernel(t, x, y, (1, 1)), fd, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("method", ["linear", "cubic"])
@pytest.mark.parametrize("outside", ["clamp", "extrapolate"])
def test_numpy_twin_equals_kernel_inside_and_outside(method, outside):
    ax, ay = np.linspace(-1, 1, 7), np.linspace(0, 2, 5)
    t = tc.Table((ax, ay), F2(ax[:, None], ay[None, :]), method=method, outside=outside)
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-1.6, 1.6, 200), rng.uniform(-0.5, 2.5, 200)
    for d in ((0, 0), (1, 0), (0, 1), (1, 1), (2, 0)):
        assert np.allclose(t.evaluate(x, y, orders=d), kernel(t, x, y, d), rtol=1e-12, atol=1e-12), d
    if outside == "clamp":
        assert np.allclose(kernel(t, [5.0], [1.3]), kernel(t, [1.0], [1.3]))
        assert kernel(t, [5.0], [1.3], (1, 0))[0] == 0.0
    else:       # the edge cell's polynomial continues: linear data is reproduced everywhere
        lin = tc.Table((ax, ay), 2 * ax[:, None] - ay[None, :], method=method, outside=outside)
        assert np.allclose(kernel(lin, [3.0], [-1.0]), [7.0])


def test_outside_error_and_bad_tables():
    t = tc.Table(np.linspace(0, 1, 5), np.arange(5.0), outside="error")
    with pytest.raises(ValueError, match="outside its grid"):
        kernel(t, [1.5])
    with pytest.raises(tc.ModelError, match="outside its grid"):
        t.evaluate(np.array([-0.5]))
    assert kernel(t, [1.0])[0] == 4.0
    with pytest.raises(tc.ModelError, match="uniformly spaced"):
        tc.Table([0.0, 1.0, 3.0], [1.0, 2.0, 3.0])
    with pytest.raises(tc.ModelError, match="shape"):
        tc.Table(np.linspace(0, 1, 4), np.zeros(5))
    with pytest.raises(tc.ModelError, match="not finite"):
        tc.Table(np.linspace(0, 1, 3), [0.0, np.nan, 1.0])
    with pytest.raises(tc.ModelError, match="method"):
        tc.Table(np.linspace(0, 1, 3), [0.0, 1.0, 1.0], method="quadratic")
    with pytest.raises(tc.ModelError, match="takes 1 argument"):
        t("x", "y")


# ------------------------------------------------------------------ in a built model
AX = np.linspace(-4.0, 4.0, 33)
MU, SIG = np.linspace(-2.0, 3.0, 21), np.linspace(0.5, 4.0, 15)


def table_mass(gain_table=None):
    th = gain_table or tc.Table(AX, 2 * np.tanh(AX), method="cubic", name="gain")
    rate = tc.Table((MU, SIG), F2(MU[:, None], SIG[None, :]), method="linear", name="rate")
    a, b, u, tau = sp.symbols("a b u tau", real=True)
    return tc.Mass("tabular", states={"a": 0.1, "b": 1.0}, params={"tau": 5.0}, inputs=["u"],
                   outputs={"r": rate("a", "b")},
                   equations={"a": (th(a + u) - a) / tau, "b": (2 - b + 0.2 * rate(a, b)) / tau})


@pytest.fixture(scope="module")
def tab_pair():
    m = table_mass()
    return tc.build(tc.Network([m] * 2, np.array([[0.0, 1.0], [0.5, 0.0]]), np.zeros((2, 2)),
                               couplings=[tc.Coupling("tabular.r", "tabular.u", gain=0.3)]))


def test_model_rhs_equals_twin_and_jacobian_equals_differences(tab_pair):
    m = tab_pair
    assert sorted(m.tables.keys()) == ["tabular.gain", "tabular.rate"]
    x = np.array([0.33, -0.71, 1.27, 2.46])      # a (2 nodes), b: off the grid lines
    assert np.allclose(m.rhs(x), ReferenceModel(m).rhs(x), rtol=1e-12, atol=1e-14)
    assert max_row_relative_error(m.jacobian(x), fd_jacobian(m, x, rel=1e-7)) < 1e-6
    res = m.simulate(20.0, 0.1, method="rk4")
    assert np.all(np.isfinite(res.final_state))


def test_set_table_replaces_data_without_rebuilding(tab_pair):
    m = tab_pair
    x = np.array([0.33, -0.71, 1.27, 2.46])
    module = m._mod
    before = m.rhs(x)
    fine = np.linspace(-4.0, 4.0, 65)                 # another grid: data, not structure
    m.set_table("tabular.gain", tc.Table(fine, np.tanh(2 * fine), method="cubic", name="gain"))
    after = m.rhs(x)
    assert m._mod is module and not np.allclose(before, after)
    assert np.allclose(after, ReferenceModel(m).rhs(x), rtol=1e-12, atol=1e-14)
    assert np.array_equal(pickle.loads(pickle.dumps(m)).rhs(x), after)      # replicas keep the table
    u = ReferenceModel(m).inputs(x)
    assert after[0] == pytest.approx((m.tables["tabular.gain"].evaluate(x[0] + u[0]) - x[0]) / 5.0, rel=1e-12)
    with pytest.raises(tc.ModelError, match="argument"):
        m.set_table("tabular.gain", tc.Table((MU, SIG), np.zeros((21, 15)), name="gain"))
    with pytest.raises(tc.ModelError, match="no table"):
        m.set_table("tabular.gian", values=np.zeros(33))
    m.set_table("tabular.gain", tc.Table(AX, np.zeros(33), method="cubic", name="gain"))
    m.set_table("tabular.gain", values=2 * np.tanh(AX))          # same grid: values only
    assert np.allclose(m.rhs(x), before, rtol=1e-14)


def test_fixed_point_and_linearisation_use_the_interpolant_slope(tab_pair):
    """Uncoupled, a* solves T(a) = a (T ~ 2 tanh: |a*| ~ 1.915); the a-a Jacobian entry is (T'(a*) - 1)/tau with
    T' the cubic interpolant's derivative."""
    m = tab_pair
    m.set_weights(np.zeros((2, 2)))
    try:
        fp = tc.fixed_point(m, x0=np.array([0.8, 0.8, 2.0, 2.0]))
        t = m.tables["tabular.gain"]
        a = fp.x[0]
        assert t.evaluate(a) == pytest.approx(a, abs=1e-10) and abs(a) == pytest.approx(1.915, abs=0.01)
        J = m.jacobian(fp.x)
        assert J[0, 0] == pytest.approx((t.evaluate(a, orders=(1, 0)) - 1) / 5.0, rel=1e-10)
    finally:
        m.set_weights(np.array([[0.0, 1.0], [0.5, 0.0]]))


def test_instances_with_different_tables_are_refused_and_masses_pickle():
    other = table_mass(tc.Table(AX, np.tanh(3 * AX), method="cubic", name="gain"))
    net = tc.Network([table_mass(), other], np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(tc.ModelError, match="different tables 'gain'"):
        tc.build(net, eager=False)
    m = table_mass()
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.signature() == m.signature()
    call = next(iter(m2.equations["a"].atoms(tc.masses.table.TableFunctionBase)))
    assert np.array_equal(call._table.values, 2 * np.tanh(AX))
