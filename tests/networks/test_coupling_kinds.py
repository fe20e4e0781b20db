"""Coupling kinds in heterogeneous networks: values of the summed inputs, exact Jacobians,
several couplings with their own matrices, per-node parameters without rebuild."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose import ModelError


def phase():
    return tc.Mass("phase", states={"theta": 0.0}, params={"omega": 0.06}, inputs=["k"],
                   outputs={"theta": "theta"}, equations={"theta": "omega + k"})


def leaky():
    return tc.Mass("leaky", states={"x": 0.0}, params={"tau": 4.0}, inputs=["u"],
                   outputs={"x": "x", "r": "tanh(x)"}, equations={"x": "-x/tau + u"})


@pytest.fixture(scope="module")
def mixed():
    """Nodes 0-2 are phase oscillators 'P', nodes 3-5 leaky units 'L' (one Node type each)."""
    rng = np.random.default_rng(0)
    n = 6
    W_kur, W_dif, W_fwd = (rng.random((n, n)) for _ in range(3))
    D = rng.uniform(1.0, 5.0, (n, n))
    nodes = [tc.Node("osc", {"P": phase()})] * 3 + [tc.Node("unit", {"L": leaky()})] * 3
    net = tc.Network(nodes, W_fwd, D, labels=list("abcdef"), couplings=[
        tc.Coupling("P.theta", "P.k", gain=0.3, kind="kuramoto", weights=W_kur, name="sync"),
        tc.Coupling("L.x", "L.u", gain=0.7, kind="diffusive", weights=W_dif, name="diff"),
        tc.Coupling("P.theta", "L.u", gain=0.2, name="drive"),              # the network's own matrices
        tc.Coupling("L.r", "P.k", gain=-0.4, weights=W_fwd.T, name="back"),
    ])
    return tc.build(net), W_kur, W_dif, W_fwd


def test_each_kind_adds_what_its_formula_says(mixed):
    model, W_kur, W_dif, W_fwd = mixed
    rng = np.random.default_rng(1)
    th, x = rng.uniform(-3, 3, 3), rng.normal(0, 1, 3)
    state = np.concatenate([th, x])
    dx = model.rhs(state)
    P, L = range(3), range(3, 6)
    omega, tau = 0.06, 4.0
    for i in P:
        k = sum(0.3 * W_kur[i, j] * np.sin(th[j] - th[i]) for j in P)
        k += sum(-0.4 * W_fwd.T[i, j] * np.tanh(x[j - 3]) for j in L)
        assert dx[i] == pytest.approx(omega + k, abs=1e-13)
    for i in L:
        u = sum(0.7 * W_dif[i, j] * (x[j - 3] - x[i - 3]) for j in L)
        u += sum(0.2 * W_fwd[i, j] * th[j] for j in P)
        assert dx[i] == pytest.approx(-x[i - 3] / tau + u, abs=1e-13)


def test_analytic_jacobian_matches_finite_differences(mixed):
    model = mixed[0]
    state = np.random.default_rng(2).normal(0, 1.5, 6)
    J = model.jacobian(state)
    h = 1e-6
    fd = np.column_stack([(model.rhs(state + h * e) - model.rhs(state - h * e)) / (2 * h) for e in np.eye(6)])
    assert np.max(np.abs(J - fd)) < 1e-8
    # a diagonal entry of a diffusive target collects minus the row sum (the -b term)
    assert J[3, 3] == pytest.approx(-1 / 4.0 - 0.7 * (mixed[2][3, 4] + mixed[2][3, 5]), abs=1e-12)


def test_couplings_apply_only_where_the_masses_exist(mixed):
    # each weight matrix is full (36 non-zero entries) but a coupling only links
    # the 3 nodes that have its source to the 3 that have its target
    model = mixed[0]
    assert len(model.edges().src) == 4 * 3 * 3
    links = {(u, v, link["kind"]) for u, v, d in model.network.graph().edges(data=True) for link in d["links"]}
    assert {k for _, _, k in links} == {"sync", "diff", "drive", "back"}
    for u, v, kind in links:
        src_is_p, dst_is_p = u.endswith(".P"), v.endswith(".P")
        assert (src_is_p, dst_is_p) == {"sync": (True, True), "diff": (False, False),
                                        "drive": (True, False), "back": (False, True)}[kind]


def test_coupling_that_matches_no_node_names_what_exists():
    nodes = [tc.Node("osc", {"P": phase()}), tc.Node("unit", {"L": leaky()})]
    with pytest.raises(ModelError, match=r"no node has input port 'Q.u'; available ports: \['L.u', 'P.k'\]"):
        tc.Network(nodes, np.ones((2, 2)), couplings=[tc.Coupling("L.x", "Q.u")])
    with pytest.raises(ModelError, match=r"no node has output 'P.x'; available outputs: \['L.r', 'L.x', 'P.theta'\]"):
        tc.Network(nodes, np.ones((2, 2)), couplings=[tc.Coupling("P.x", "L.u")])
    with pytest.raises(ModelError, match=r"compares the source output with the target node's own"):
        tc.Network(nodes, np.ones((2, 2)), couplings=[tc.Coupling("P.theta", "L.u", kind="diffusive")])


def test_per_node_parameters_by_label_mask_and_index_without_rebuild(mixed):
    model = mixed[0]
    state = np.zeros(6)
    base = model.rhs(state)
    try:
        model.set_param("P.omega", 0.5, nodes=["b"])
        model.set_param("P.omega", [0.1, 0.2], nodes=np.array([True, False, True, False, False, False]))
        dx = model.rhs(state)
        assert dx[:3] == pytest.approx([0.1, 0.5, 0.2]) and np.array_equal(dx[3:], base[3:])
        with pytest.raises(ModelError, match="no parameter 'L.omega'"):
            model.set_param("L.omega", 1.0)
    finally:
        model.set_param("P.omega", 0.06)
