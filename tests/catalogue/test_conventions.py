"""Peer conventions (TVB, brainmass) as ports and outputs, noise on catalogue models,
the port vocabulary and the step warning; each checked against an independent NumPy loop."""
import warnings

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.catalogue import ENTRIES, PORTS, _summary

DT = 0.1


def _jr_rhs(y, c, m_in, i_in):
    """Jansen-Rit with brainmass-style inputs inside the sigmoids (numbers written in, ms/mV)."""
    A, B, a, b, v0, e0, r, C, mu = 3.25, 22.0, 0.1, 0.05, 5.52, 0.0025, 0.56, 135.0, 0.22

    def S(v):
        return 2 * e0 / (1 + np.exp(r * (v0 - v)))
    y0, y1, y2, y3, y4, y5 = y
    return np.array([y3, y4, y5,
                     A * a * S(y1 - y2 + m_in) - 2 * a * y3 - a * a * y0,
                     A * a * (mu + 0.8 * C * S(C * y0) + c) - 2 * a * y4 - a * a * y1,
                     B * b * 0.25 * C * S(0.25 * C * y0 + i_in) - 2 * b * y5 - b * b * y2])


def test_jansen_rit_tvb_linear_coupling_of_y1_minus_y2_and_brainmass_sigmoid_inputs():
    """Three nodes, TVB's linear coupling a * sum_j w_ij (y1_j - y2_j)(t - d_ij) as two couplings on
    the y1 and y2 outputs, constant inputs inside the pyramidal (M) and inhibitory (I) sigmoids;
    explicit Euler against a NumPy loop with the same delay rounding and constant history."""
    W = np.array([[0.0, 0.6, 0.3], [0.2, 0.0, 0.9], [0.5, 0.4, 0.0]])
    D = np.array([[0.0, 1.0, 2.3], [0.7, 0.0, 1.6], [3.1, 0.5, 0.0]])
    g = 0.02
    jr = tc.get_model("jansen_rit")
    net = tc.Network([tc.Node("jr", {"JR": jr})] * 3, W, D,
                     couplings=[tc.Coupling("JR.y1", "JR.c", gain=g, name="y1"),
                                tc.Coupling("JR.y2", "JR.c", gain=-g, name="y2")])
    model = tc.build(net)
    m_in, i_in = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.0, -0.8])
    x0 = np.array([[0.1, 0.0, -0.1], [15.0, 14.0, 16.0], [10.0, 11.0, 9.0], [0.0] * 3, [0.0] * 3, [0.0] * 3])
    T = 60.0
    res = model.simulate(T, DT, method="euler", initial=x0.ravel(), record=["JR.y1", "JR.y2", "JR.y0"],
                         stimuli=[(("JR.u_pyr", k), m_in[k]) for k in range(3)]
                         + [((f"node{k}.JR.u_inh"), i_in[k]) for k in range(3)])
    n = int(round(T / DT))
    lag = np.rint(D / DT).astype(int)
    y = x0.T.copy()                       # (node, state)
    v_hist = [y[:, 1] - y[:, 2]]          # y1 - y2 at every step; before t = 0 the initial value
    out = np.empty((n, 3))
    for step in range(n):
        v_del = np.array([[v_hist[max(step - lag[i, j], 0)][j] for j in range(3)] for i in range(3)])
        c = g * (W * v_del).sum(axis=1)
        y = y + DT * np.array([_jr_rhs(y[i], c[i], m_in[i], i_in[i]) for i in range(3)])
        v_hist.append(y[:, 1] - y[:, 2])
        out[step] = y[:, 0]
    np.testing.assert_allclose(res["JR.y0"][1:], out, rtol=0, atol=1e-10 * np.abs(out).max())
    np.testing.assert_allclose(res["JR.y1"][-1] - res["JR.y2"][-1], v_hist[-1], rtol=0, atol=1e-9)
    # the inputs matter: without them the trace differs by far more than the tolerance
    plain = model.simulate(T, DT, method="euler", initial=x0.ravel(), record=["JR.y0"])
    assert np.abs(plain["JR.y0"][-1] - out[-1]).max() > 1e-3


def test_montbrio_input_on_r_and_catalogue_noise_equal_an_euler_maruyama_loop():
    """MPR with u_r (brainmass' r_inp) and noise={"V": 0.3} from get_model: replayed Brownian path."""
    mass = tc.get_model("montbrio_pazo_roxin", noise={"V": 0.3}, eta=-4.6)
    assert mass.params["sigma_V"] == 0.3 and mass.params["eta"] == -4.6
    model = tc.build(mass)
    dt, T = 0.005, 20.0
    n = int(round(T / dt))
    xi = np.random.default_rng(3).standard_normal((n, 1))
    u_r = 0.05
    res = model.simulate(T, dt, method="euler_maruyama", noise_path=xi, record=["montbrio_pazo_roxin.r",
                                                                                   "montbrio_pazo_roxin.V"],
                         stimuli={"montbrio_pazo_roxin.u_r": u_r})
    tau, Delta, eta, J = 1.0, 1.0, -4.6, 15.0
    r, V = 0.1, -2.0
    rs = np.empty(n)
    for k in range(n):
        dr = (Delta / (np.pi * tau) + 2 * r * V + u_r) / tau
        dV = (V ** 2 + eta + J * tau * r - (np.pi * tau * r) ** 2) / tau
        r, V = r + dt * dr, V + dt * dV + 0.3 * np.sqrt(dt) * xi[k, 0]
        rs[k] = r
    np.testing.assert_allclose(res["montbrio_pazo_roxin.r"][1:, 0], rs, rtol=0, atol=1e-10)
    with pytest.raises(tc.ModelError, match="undeclared symbol"):
        tc.get_model("jansen_rit", noise={"y4": "sigma"})          # sigma needs a default
    node = tc.get_model("wilson_cowan", noise={"E.exc": 0.01})
    assert str(node.masses["E"].noise["exc"]) == "sigma_exc" and not node.masses["I"].noise


def test_wilson_cowan_refractory_node_equals_the_1972_form():
    """brainmass' Wilson-Cowan form: F(x) = 1/(1+e^{-a(x-theta)}) - 1/(1+e^{a theta}), refractory (1 - r x)."""
    node = tc.get_model("wilson_cowan_refractory", r=0.9)
    model = tc.build(node)
    T, ext_e, ext_i = 50.0, 1.2, 0.4
    res = model.simulate(T, DT, method="euler", record=["E.x", "I.x"], initial={"E.x": 0.1, "I.x": 0.05},
                         stimuli={"E.syn": ext_e, "I.syn": ext_i})

    def F(x, a, th):
        return 1 / (1 + np.exp(-a * (x - th))) - 1 / (1 + np.exp(a * th))
    E, I = 0.1, 0.05
    out = np.empty((int(round(T / DT)), 2))
    for k in range(len(out)):
        dE = -E + (1 - 0.9 * E) * F(12 * E - 4 * I + ext_e, 1.2, 2.8)
        dI = -I + (1 - 0.9 * I) * F(13 * E - 11 * I + ext_i, 1.0, 4.0)
        E, I = E + DT * dE, I + DT * dI
        out[k] = E, I
    np.testing.assert_allclose(np.column_stack([res["E.x"][1:, 0], res["I.x"][1:, 0]]), out, rtol=0, atol=1e-12)
    assert np.ptp(out[:, 0]) > 0.01                  # not a trivial fixed point


def test_every_catalogue_port_is_in_the_port_table():
    for e in ENTRIES:
        _, _, ports, _ = _summary(tc.get_model(e.name))
        missing = {p.split(".")[-1] for p in ports} - set(PORTS)
        assert not missing, f"{e.name}: ports {missing} are not documented in tcmcompose.catalogue.PORTS"
    table = tc.catalogue.port_table()
    assert "jansen_rit" in table.loc["u_pyr", "models"] and "montbrio_pazo_roxin" in table.loc["u_r", "models"]


def test_step_warning_against_the_recommended_step():
    model = tc.build(tc.get_model("montbrio_pazo_roxin"), eager=False)       # recommended 0.01 ms
    with pytest.warns(UserWarning, match=r"dt = 0.05 ms is more than 2x the recommended step of "
                                         r"'montbrio_pazo_roxin' \(0.01 ms"):
        model._check_step(0.05)
    other = tc.build(tc.Mass("montbrio_pazo_roxin", states={"x": 0.0}, equations={"x": "-x"}), eager=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model._check_step(0.05)                      # once per dt
        model._check_step(0.02)                      # within the factor
        other._check_step(1.0)                       # same name, other equations: not the catalogue's


def test_noise_names_keep_the_noise_of_those_states_only():
    model = tc.build(tc.Network([tc.get_model("montbrio_pazo_roxin", noise={"V": 0.3, "r": 0.01})] * 3))
    name = "montbrio_pazo_roxin"
    kw = dict(duration=2.0, dt=0.005, method="euler_maruyama", seed=4, record=[f"{name}.r", f"{name}.V"])
    full = model.simulate(noise=True, **kw)
    some = model.simulate(noise=[(f"{name}.V", [0, 2])], **kw)
    none = model.simulate(noise=False, **kw)
    # node 1 and every r then follow the deterministic run; V of nodes 0 and 2 do not
    assert np.array_equal(some[f"{name}.V"][:, 1], none[f"{name}.V"][:, 1])
    assert not np.array_equal(some[f"{name}.V"][:, 0], none[f"{name}.V"][:, 0])
    assert not np.array_equal(full[f"{name}.r"], none[f"{name}.r"])
    n = int(round(2.0 / 0.005))
    with pytest.raises(tc.ModelError, match=r"this run needs \(400, 2\)"):
        model.simulate(noise=[(f"{name}.V", [0, 2])], noise_path=np.zeros((n, 3)), **kw)


def test_shipped_step_table_is_current_and_used(monkeypatch, tmp_path):
    """The recommended steps of the masses inside catalogue nodes ship with the package, so a
    first run builds no catalogue node to check its step (0.3-0.7 s on a cold cache before)."""
    import json

    import sympy

    from tcmcompose import catalogue
    shipped = json.loads(catalogue.SHIPPED_DT_TABLE.read_text())
    assert shipped["sources"] == catalogue._sources_key(), (
        "stale: run python -c 'import tcmcompose.catalogue as c; c.write_shipped_table()'")
    if shipped["sympy"] == sympy.__version__:
        assert shipped["table"] == catalogue.compute_node_table()
    # read from the shipped file: nothing computed, nothing written to the cache folder
    monkeypatch.setenv("TCMCOMPOSE_CACHE", str(tmp_path))
    monkeypatch.setattr(catalogue, "_NODE_TABLE", [])
    monkeypatch.setattr(catalogue, "compute_node_table", lambda: pytest.fail("computed"))
    if shipped["sympy"] == sympy.__version__:
        thalamus = tc.get_model("thalamus")
        rates = {catalogue.recommended_dt(m) for m in thalamus.masses.values()}
        assert rates == {next(e.dt for e in catalogue.ENTRIES if e.name == "thalamus")}
        assert not list(tmp_path.glob("*catalogue_dt*"))
