"""Phenomenological catalogue models pinned to analytic solutions, published values and
an independent NumPy transcription of TVB's Generic2dOscillator run.

Each model is built once, as a 2-node network coupled through its port with delays;
tests about a single node set the weights to zero (two independent copies, often
with different parameters per node)."""
import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.linalg import expm
from scipy.optimize import brentq

import tcmcompose as tc
from tcmcompose.errors import ModelError
from tcmcompose.masses.library.fitzhugh_nagumo import FitzHughNagumo
from tcmcompose.masses.library.generic_2d import Generic2dOscillator
from tcmcompose.masses.library.hopf import Hopf
from tcmcompose.masses.library.kuramoto import Kuramoto
from tcmcompose.masses.library.linear_node import LinearNode
from tcmcompose.masses.library.lorenz import Lorenz
from tcmcompose.masses.library.threshold_linear import ThresholdLinear
from tcmcompose.masses.library.van_der_pol import VanDerPol
from tests.reference.tvb_generic2d import simulate_g2d
from tests.helpers import fd_jacobian

W_PAIR = np.array([[0.0, 1.0], [0.7, 0.0]])
D_PAIR = np.array([[0.0, 2.0], [3.0, 0.0]])
ZERO = np.zeros((2, 2))


def build_pair(mass, *couplings):
    return tc.build(tc.Network([mass] * 2, W_PAIR, D_PAIR, couplings=list(couplings)))


def flat(model, **values):
    """Flat state vector from state name -> per-node values (others: the defaults)."""
    x = model.x0.copy()
    names = model.state_index.get_level_values("state")
    for s, v in values.items():
        x[names == s] = v
    return x


def crossings(t, v, level=0.0):
    """Times of upward crossings of ``level`` (linear interpolation)."""
    k = np.nonzero((v[:-1] < level) & (v[1:] >= level))[0]
    return t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])


# ------------------------------------------------------------------ builds (once each)
@pytest.fixture(scope="module")
def hopf():
    return build_pair(Hopf(), tc.Coupling("hopf.x", "hopf.u_x", gain=0.05, kind="diffusive"),
                      tc.Coupling("hopf.y", "hopf.u_y", gain=0.05, kind="diffusive"))


@pytest.fixture(scope="module")
def vdp():
    return build_pair(VanDerPol(), tc.Coupling("van_der_pol.x", "van_der_pol.u", gain=0.2))


@pytest.fixture(scope="module")
def fhn():
    return build_pair(FitzHughNagumo(), tc.Coupling("fitzhugh_nagumo.v", "fitzhugh_nagumo.u", gain=0.1))


@pytest.fixture(scope="module")
def g2d():
    return build_pair(Generic2dOscillator(),
                      tc.Coupling("generic_2d_oscillator.V", "generic_2d_oscillator.c_glob", gain=0.1))


@pytest.fixture(scope="module")
def tl():
    return build_pair(ThresholdLinear(), tc.Coupling("threshold_linear.E", "threshold_linear.u_E", gain=0.1))


@pytest.fixture(scope="module")
def kura():
    return build_pair(Kuramoto(), tc.Coupling("kuramoto.theta", "kuramoto.c", gain=0.01, kind="kuramoto"))


@pytest.fixture(scope="module")
def lorenz():
    return build_pair(Lorenz(), tc.Coupling("lorenz.x", "lorenz.u", gain=0.5))


@pytest.fixture(scope="module")
def lin():
    return build_pair(LinearNode(), tc.Coupling("linear.x", "linear.c", gain=2.0))


MODELS = {  # fixture -> (state for the Jacobian check, run length ms, dt)
    "hopf": (dict(x=[0.3, -0.2], y=[0.1, 0.4]), 20.0, 0.1),
    "vdp": (dict(x=[1.2, -0.5], y=[0.3, 0.8]), 5.0, 0.01),
    "fhn": (dict(v=[-1.1, 0.7], w=[0.2, -0.3]), 20.0, 0.1),
    "g2d": (dict(V=[0.4, -0.8], W=[-1.0, 1.5]), 20.0, 0.1),
    "tl": (dict(E=[20.0, 5.0], I=[12.0, 3.0]), 20.0, 0.1),
    "kura": (dict(theta=[0.3, 2.0]), 20.0, 0.1),
    "lorenz": (dict(x=[1.0, -3.0], y=[2.0, 0.5], z=[20.0, 10.0]), 5.0, 0.01),
    "lin": (dict(x=[0.5, -1.5]), 5.0, 0.01),
}
CLASSES = [Hopf, VanDerPol, FitzHughNagumo, Generic2dOscillator, ThresholdLinear, Kuramoto, Lorenz, LinearNode]


# ------------------------------------------------------------------ every model
@pytest.mark.parametrize("cls", CLASSES)
def test_catalogue_metadata(cls):
    m = cls()
    assert cls.category == "phenomenological" and cls.typical_use and cls.reference
    assert m.outputs and m.inputs
    assert "math::" in cls.__doc__ and "References" in cls.__doc__


def test_bad_parameter_names_are_named():
    with pytest.raises(ModelError, match="omgea"):
        Hopf().with_params(omgea=0.1)
    with pytest.raises(ModelError, match="undeclared"):
        tc.Mass("g2d_typo", states={"V": 0.0}, params={"a": 1.0}, inputs=["c_glob"],
                equations={"V": "a*V + c"})


@pytest.mark.parametrize("name", list(MODELS))
def test_coupled_pair_jacobian_and_run(request, name):
    """Analytic Jacobian of the coupled pair equals central differences of the RHS to
    1e-6 (relative to the row scale); a few ms of the delayed, coupled pair run finite
    and differ from the uncoupled run (the port is live)."""
    model = request.getfixturevalue(name)
    state, duration, dt = MODELS[name]
    model.set_weights(W_PAIR)
    x = flat(model, **state)
    J, Jfd = model.jacobian(x), fd_jacobian(model, x)
    scale = np.abs(Jfd).max(axis=1, keepdims=True) + 1e-12
    assert np.max(np.abs(J - Jfd) / scale) < 1e-6
    assert np.abs(J[:, model.state_index.get_level_values("node") == "node1"][
        model.state_index.get_level_values("node") == "node0"]).max() > 0   # coupling block
    coupled = model.simulate(duration, dt, method="rk4", initial=x)
    model.set_weights(ZERO)
    alone = model.simulate(duration, dt, method="rk4", initial=x)
    model.set_weights(W_PAIR)
    assert np.all(np.isfinite(coupled.final_state))
    assert np.abs(coupled.final_state - alone.final_state).max() > 1e-6


# ------------------------------------------------------------------ Hopf
def test_hopf_default_is_10hz_limit_cycle():
    m = Hopf()
    assert m.params["omega"] / (2 * np.pi) * 1000.0 == pytest.approx(10.0, rel=1e-12)
    assert m.params["a"] > 0


def test_hopf_exact_polar_solution(hopf):
    """rho^2 follows the logistic solution u(t) = a u0 e^{2at} / (a + u0 (e^{2at} - 1)) and
    phi = phi0 + omega t exactly: node0 a = 0.25 (limit cycle, radius sqrt(a) = 0.5),
    node1 a = -0.05 (damped focus). RK4, dt = 0.05 ms, over 300 ms: error < 1e-9."""
    hopf.set_weights(ZERO)
    a = np.array([0.25, -0.05])
    om = 2 * np.pi * 0.01
    hopf.set_param("hopf.a", a)
    x0, y0 = np.array([0.05, 0.6]), np.array([0.0, 0.3])
    res = hopf.simulate(300.0, 0.05, method="rk4", initial=flat(hopf, x=x0, y=y0))
    hopf.set_param("hopf.a", 0.1)
    t = res.t[:, None]
    u0 = x0 ** 2 + y0 ** 2
    u = a * u0 * np.exp(2 * a * t) / (a + u0 * np.expm1(2 * a * t))
    phi = np.arctan2(y0, x0) + om * t
    np.testing.assert_allclose(res["hopf.x"], np.sqrt(u) * np.cos(phi), atol=1e-9)
    np.testing.assert_allclose(res["hopf.y"], np.sqrt(u) * np.sin(phi), atol=1e-9)
    r_end = np.hypot(res["hopf.x"][-1], res["hopf.y"][-1])
    assert r_end[0] == pytest.approx(0.5, abs=1e-9)          # sqrt(a)
    assert r_end[1] < 1e-6                                   # decays at rate -a (e^{-15})
    period = np.diff(crossings(res.t, res["hopf.x"][:, 0]))
    np.testing.assert_allclose(period, 100.0, atol=1e-3)      # 10 Hz


def test_hopf_diffusive_pair_synchronises(hopf):
    """Identical oscillators with diffusive coupling (gain 0.05, delays 2-3 ms) end in phase."""
    hopf.set_weights(W_PAIR)
    hopf.set_delays(ZERO)
    res = hopf.simulate(400.0, 0.1, method="rk4", initial=flat(hopf, x=[0.3, -0.3], y=[0.0, 0.1]))
    hopf.set_delays(D_PAIR)
    z = res["hopf.x"][-1] + 1j * res["hopf.y"][-1]
    assert abs(np.angle(z[1] / z[0])) < 1e-3
    assert abs(z[0]) == pytest.approx(np.sqrt(0.1), abs=1e-6)


# ------------------------------------------------------------------ Van der Pol
def test_van_der_pol_period_and_amplitude(vdp):
    """mu = 1: period 6.6632869 (x tau) and amplitude 2.0086 (Strogatz 2015, §7.5;
    standard numerical values). Node1 has tau = 2 ms: twice the period."""
    vdp.set_weights(ZERO)
    vdp.set_param("van_der_pol.tau", [1.0, 2.0])
    res = vdp.simulate(120.0, 0.005, method="rk4", transient=40.0)
    vdp.set_param("van_der_pol.tau", 1.0)
    x = res["van_der_pol.x"]
    for k, tau in enumerate((1.0, 2.0)):
        T = np.diff(crossings(res.t, x[:, k]))
        np.testing.assert_allclose(T, 6.6632869 * tau, rtol=2e-6)
        assert x[:, k].max() == pytest.approx(2.0086, abs=2e-4)
        assert x[:, k].min() == pytest.approx(-2.0086, abs=2e-4)


# ------------------------------------------------------------------ FitzHugh-Nagumo
def fhn_fixed_point(I, a=0.7, b=0.8):
    r = np.roots([-1 / 3, 0.0, 1 - 1 / b, -a / b + I])
    v = r[np.abs(r.imag) < 1e-12].real
    assert len(v) == 1
    return v[0], (v[0] + a) / b


def test_fitzhugh_nagumo_fixed_point(fhn):
    """Fixed point = the single real root of -v^3/3 + (1 - 1/b) v - a/b + I = 0, w = (v + a)/b
    (I = 0: v = -1.19941, FitzHugh's resting state), to 1e-10."""
    fhn.set_weights(ZERO)
    fhn.set_param("fitzhugh_nagumo.I", [0.0, 0.2])
    fp = tc.fixed_point(fhn, x0=flat(fhn, v=[-1.2, -1.0], w=[-0.6, -0.4]))
    fhn.set_param("fitzhugh_nagumo.I", 0.5)
    names = fhn.state_index.get_level_values("state")
    for k, I in enumerate((0.0, 0.2)):
        v, w = fhn_fixed_point(I)
        assert fp.x[names == "v"][k] == pytest.approx(v, abs=1e-10)
        assert fp.x[names == "w"][k] == pytest.approx(w, abs=1e-10)
    assert fp.x[names == "v"][0] == pytest.approx(-1.19941, abs=1e-5)


def test_fitzhugh_nagumo_hopf_current(fhn):
    """The current where the fixed point's leading eigenvalue (from the generated Jacobian)
    crosses zero equals the analytic I_H = v^3/3 - v + (v + a)/b at v = -sqrt(1 - b/tau)
    (0.331281) to 1e-8; below it rest is stable, above it the unit oscillates."""
    fhn.set_weights(ZERO)

    def leading(I):
        fhn.set_param("fitzhugh_nagumo.I", I)
        v, w = fhn_fixed_point(I)
        fp = tc.fixed_point(fhn, x0=flat(fhn, v=v, w=w))
        return np.linalg.eigvals(fhn.jacobian(fp.x)).real.max()

    I_num = brentq(leading, 0.2, 0.5, xtol=1e-13)
    vH = -np.sqrt(1 - 0.8 / 12.5)
    I_H = vH ** 3 / 3 - vH + (vH + 0.7) / 0.8
    assert I_num == pytest.approx(I_H, abs=1e-8)
    assert I_H == pytest.approx(0.331281, abs=1e-6)
    fhn.set_param("fitzhugh_nagumo.I", [I_H - 0.05, I_H + 0.05])
    res = fhn.simulate(400.0, 0.05, method="rk4", transient=200.0)
    fhn.set_param("fitzhugh_nagumo.I", 0.5)
    amp = np.ptp(res["fitzhugh_nagumo.v"], axis=0)
    assert amp[0] < 1e-3 and amp[1] > 2.0


# ------------------------------------------------------------------ Generic 2D oscillator
def test_generic_2d_fixed_point_tvb_defaults(g2d):
    """TVB defaults (a = -2): the fixed point is the real root of V^3 - 3V^2 + 10V + 2 = 0
    (V = -0.188652), W = -2 - 10V; a stable focus. Equal to numpy's root to 1e-10."""
    g2d.set_weights(ZERO)
    fp = tc.fixed_point(g2d)
    r = np.roots([1.0, -3.0, 10.0, 2.0])
    V = r[np.abs(r.imag) < 1e-12].real[0]
    names = g2d.state_index.get_level_values("state")
    np.testing.assert_allclose(fp.x[names == "V"], V, atol=1e-10)
    np.testing.assert_allclose(fp.x[names == "W"], -2.0 - 10.0 * V, atol=1e-10)
    assert V == pytest.approx(-0.188652, abs=1e-6)
    ev = np.linalg.eigvals(g2d.jacobian(fp.x))
    assert np.all(ev.real < 0) and np.all(np.abs(ev.imag) > 0)


def test_generic_2d_matches_tvb_heun_transcription(g2d):
    """The reference run's parameters (TVB defaults with a = 2, an oscillating node), two
    nodes with a self-connection, delays 2 and 3 ms, linear coupling gain 0.1, Heun with
    the coupling held per step (TVB's scheme), dt = 0.1 ms, 400 ms: equal to the NumPy
    transcription of TVB to 1e-12 (reached ~1e-14; the per-stage
    coupling mode differs by ~1e-3, so the comparison tells the schemes apart)."""
    W = np.array([[0.3, 1.0], [0.7, 0.0]])
    g2d.set_weights(W)
    g2d.set_param("generic_2d_oscillator.a", 2.0)
    V0, W0 = np.array([0.5, -0.3]), np.array([-2.0, 1.0])
    res = g2d.simulate(400.0, 0.1, method="heun", coupling_mode="per_step", initial=flat(g2d, V=V0, W=W0))
    g2d.set_param("generic_2d_oscillator.a", -2.0)
    g2d.set_weights(W_PAIR)
    t, V, Wt = simulate_g2d(W, D_PAIR, V0, W0, 400.0, 0.1, a_cpl=0.1, a=2.0)
    np.testing.assert_allclose(res.t, t, atol=1e-9)
    assert np.abs(res["generic_2d_oscillator.V"] - V).max() < 1e-12
    assert np.abs(res["generic_2d_oscillator.W"] - Wt).max() < 1e-12
    assert np.ptp(V[-1000:], axis=0).min() > 0.5          # oscillating: not a trivial comparison


# ------------------------------------------------------------------ threshold-linear E-I
def test_threshold_linear_fixed_point_and_hopf(tl):
    """Dayan & Abbott §7.5: fixed point E = 80/3 = 26.67 Hz, I = 50/3 = 16.67 Hz (to 1e-9);
    stable focus for tau_I = 30 ms, purely imaginary pair at tau_I = 40 ms (the Hopf point,
    eigenvalues +-i sqrt(det) = +-0.0433i /ms), unstable at 50 ms with a bounded oscillation."""
    tl.set_weights(ZERO)
    names = tl.state_index.get_level_values("state")
    expected = {30.0: -1, 40.0: 0, 50.0: 1}
    for tau_I, sign in expected.items():
        tl.set_param("threshold_linear.tau_I", tau_I)
        fp = tc.fixed_point(tl)
        np.testing.assert_allclose(fp.x[names == "E"], 80.0 / 3.0, atol=1e-9)
        np.testing.assert_allclose(fp.x[names == "I"], 50.0 / 3.0, atol=1e-9)
        ev = np.linalg.eigvals(tl.jacobian(fp.x))
        if sign == 0:
            np.testing.assert_allclose(ev.real, 0.0, atol=1e-12)
            np.testing.assert_allclose(np.abs(ev.imag), np.sqrt(-0.025 / 40 + 0.1 / 40), rtol=1e-9)
        else:
            assert np.all(np.sign(ev.real) == sign)
    res = tl.simulate(2000.0, 0.1, method="rk4", transient=1000.0)   # tau_I = 50 ms
    tl.set_param("threshold_linear.tau_I", 30.0)
    E = res["threshold_linear.E"]
    assert np.all(np.isfinite(E)) and E.min() >= -1e-9 and np.ptp(E, axis=0).min() > 20.0


# ------------------------------------------------------------------ Kuramoto
def test_kuramoto_pair_phase_locks(kura):
    """theta_i' = omega_i + K sin(theta_j - theta_i) (coupling kind "kuramoto", weight 1,
    gain K): the difference phi = theta_2 - theta_1 obeys phi' = dw - 2K sin(phi) and locks at
    asin(dw / (2K)) = pi/6 for dw/(2K) = 0.5, both turning at the mean frequency."""
    K, w1, w2 = 0.01, 0.05, 0.06
    kura.set_weights(np.array([[0.0, 1.0], [1.0, 0.0]]))
    kura.set_delays(ZERO)
    kura.set_param("kuramoto.omega", [w1, w2])
    res = kura.simulate(2000.0, 0.1, method="rk4")
    kura.set_param("kuramoto.omega", 2 * np.pi * 0.01)
    kura.set_weights(W_PAIR)
    kura.set_delays(D_PAIR)
    th = res["kuramoto.theta"]
    assert th[-1, 1] - th[-1, 0] == pytest.approx(np.arcsin((w2 - w1) / (2 * K)), abs=1e-8)
    speed = (th[-1] - th[-1001]) / (res.t[-1] - res.t[-1001])
    np.testing.assert_allclose(speed, (w1 + w2) / 2, rtol=1e-8)


def test_kuramoto_ott_antonsen_order_parameter():
    """N = 200 all-to-all (weights 1, gain K/N), Lorentzian natural frequencies (half-width
    Delta, deterministic quantiles): the time-averaged order parameter approaches the
    Ott-Antonsen value r = sqrt(1 - 2 Delta/K) = 0.707 for K = 4 Delta (finite-N tolerance
    0.03); below K = 2 Delta the population stays incoherent (r < 0.15)."""
    N, Delta = 200, 0.1
    q = (np.arange(N) + 0.5) / N
    omega = 0.3 + Delta * np.tan(np.pi * (q - 0.5))
    theta0 = np.random.default_rng(0).uniform(0, 2 * np.pi, N)
    for K, expected, duration in ((4 * Delta, np.sqrt(0.5), 150.0), (Delta, None, 100.0)):
        net = tc.Network([Kuramoto()] * N, np.ones((N, N)),
                         couplings=[tc.Coupling("kuramoto.theta", "kuramoto.c", gain=K / N, kind="kuramoto")])
        model = tc.build(net)
        model.set_param("kuramoto.omega", omega)
        res = model.simulate(duration, 0.1, method="heun", initial=theta0, transient=duration - 90.0, every=10)
        r = np.abs(np.exp(1j * res["kuramoto.theta"]).mean(axis=1)).mean()
        if expected is None:
            assert r < 0.15
        else:
            assert r == pytest.approx(expected, abs=0.03)


# ------------------------------------------------------------------ Lorenz
def lorenz_rhs(t, s, sigma=10.0, rho=28.0, beta=8.0 / 3.0):
    x, y, z = s
    return [sigma * (y - x), x * (rho - z) - y, x * y - beta * z]


def test_lorenz_fixed_points(lorenz):
    """C+- = (+-sqrt(beta(rho-1)), +-sqrt(beta(rho-1)), rho-1) = (+-8.485, +-8.485, 27) to
    1e-10; unstable for rho = 28 (above the Hopf value 24.74: a complex pair with real part
    +0.0940)."""
    lorenz.set_weights(ZERO)
    fp = tc.fixed_point(lorenz, x0=flat(lorenz, x=[8.0, -8.0], y=[8.0, -8.0], z=[26.0, 26.0]))
    c = np.sqrt(8.0 / 3.0 * 27.0)
    names = lorenz.state_index.get_level_values("state")
    np.testing.assert_allclose(fp.x[names == "x"], [c, -c], atol=1e-10)
    np.testing.assert_allclose(fp.x[names == "y"], [c, -c], atol=1e-10)
    np.testing.assert_allclose(fp.x[names == "z"], 27.0, atol=1e-10)
    ev = np.linalg.eigvals(lorenz.jacobian(fp.x))
    assert ev.real.max() == pytest.approx(0.09396, abs=1e-5)


def test_lorenz_trace_vs_solve_ivp(lorenz):
    """RK4 over 2 ms (x from 1 to -8: a real excursion) equals scipy's DOP853 at rtol 1e-13
    to 1e-7 with dt = 0.001 ms, and the error falls 16-fold (order 4, accepted 13-19) when dt
    halves; node1 with tau = 2 ms follows the same orbit at half speed."""
    lorenz.set_weights(ZERO)
    lorenz.set_param("lorenz.tau", [1.0, 2.0])
    ref = solve_ivp(lorenz_rhs, (0.0, 2.0), [1.0, 1.0, 1.0], method="DOP853", rtol=1e-13, atol=1e-13,
                    dense_output=True)
    errors = []
    for dt in (0.001, 0.0005):
        res = lorenz.simulate(2.0, dt, method="rk4", initial=flat(lorenz, x=1.0, y=1.0, z=1.0))
        err = 0.0
        for k, v in enumerate("xyz"):
            err = max(err, np.abs(res[f"lorenz.{v}"][:, 0] - ref.sol(res.t)[k]).max(),
                      np.abs(res[f"lorenz.{v}"][:, 1] - ref.sol(res.t / 2)[k]).max())
        errors.append(err)
    lorenz.set_param("lorenz.tau", 1.0)
    assert errors[0] < 1e-7
    assert 13.0 < errors[0] / errors[1] < 19.0
    assert np.ptp(ref.sol(res.t)[0]) > 8.0


# ------------------------------------------------------------------ linear node
def test_linear_node_exact_exponential(lin):
    """x' = gamma x + c with constant c: x(t) = x0 e^{gamma t} + c/gamma (e^{gamma t} - 1),
    to 1e-10 (RK4, dt = 0.01 ms), for gamma = -0.1 and -0.5 /ms."""
    lin.set_weights(ZERO)
    g = np.array([-0.1, -0.5])
    lin.set_param("linear.gamma", g)
    x0 = np.array([1.0, -2.0])
    res = lin.simulate(30.0, 0.01, method="rk4", initial=x0, stimuli={"linear.c": 0.3})
    lin.set_param("linear.gamma", -10.0)
    t = res.t[:, None]
    exact = x0 * np.exp(g * t) + 0.3 / g * np.expm1(g * t)
    assert np.abs(res["linear.x"] - exact).max() < 1e-10


def test_linear_network_matrix_exponential(lin):
    """Undelayed coupled nodes: x' = (gamma I + G W) x, so x(t) = expm((gamma I + G W) t) x0
    (G = 2, W with a self-connection), to 1e-10."""
    W = np.array([[0.1, 1.0], [0.7, 0.0]])
    lin.set_weights(W)
    lin.set_delays(ZERO)
    lin.set_param("linear.gamma", -3.0)
    x0 = np.array([1.0, -0.5])
    res = lin.simulate(5.0, 0.001, method="rk4", initial=x0)
    lin.set_param("linear.gamma", -10.0)
    lin.set_weights(W_PAIR)
    lin.set_delays(D_PAIR)
    A = -3.0 * np.eye(2) + 2.0 * W
    exact = np.array([expm(A * t) @ x0 for t in res.t])
    assert np.abs(res["linear.x"] - exact).max() < 1e-10
