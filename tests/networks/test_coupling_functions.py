"""Coupling kinds as functions h(a, b): the built-ins and a user's sigmoid against an
independent NumPy delayed Euler loop, exact Jacobians, the NumPy reference, model files,
and clear errors for bad kinds. One small network carries every kind (one build)."""
import numpy as np
import pytest
import sympy as sp

import tcmcompose as tc
from tcmcompose import ModelError
from tcmcompose.codegen import coupling_kernel
from tcmcompose.codegen.reference import ReferenceModel
from tcmcompose.integrate import shared
from tcmcompose.networks.coupling import KINDS, CouplingKind

SIGMOID = CouplingKind("sigmoid", "1/(1 + exp(-(a - b)))")
N, DT = 5, 0.1
#: (kind, gain) of the four couplings, all from unit.x into unit.k
KIND_GAINS = [("linear", 0.3), ("diffusive", 0.5), ("kuramoto", 0.4), (SIGMOID, -0.6)]
H = {"linear": lambda a, b: a, "diffusive": lambda a, b: a - b, "kuramoto": lambda a, b: np.sin(a - b),
     "sigmoid": lambda a, b: 1 / (1 + np.exp(-(a - b)))}


def unit():
    return tc.Mass("unit", states={"x": 0.0}, params={"tau": 5.0, "omega": 0.2}, inputs=["k"],
                   outputs={"x": "x"}, equations={"x": "-x/tau + omega + k"})


def matrices():
    rng = np.random.default_rng(3)
    Ws = [rng.random((N, N)) * (rng.random((N, N)) < 0.7) for _ in KIND_GAINS]
    # delays on the step grid (0 to 3 ms), some edges undelayed
    Ds = [DT * rng.integers(0, 31, (N, N)) * (rng.random((N, N)) < 0.8) for _ in KIND_GAINS]
    return Ws, Ds


def network(kinds=KIND_GAINS):
    Ws, Ds = matrices()
    couplings = [tc.Coupling("u.x", "u.k", gain=g, kind=k, weights=W, delays=D, name=f"c{i}")
                 for i, ((k, g), W, D) in enumerate(zip(kinds, Ws, Ds))]
    return tc.Network([tc.Node("n", {"u": unit()})] * N, couplings=couplings)


@pytest.fixture(scope="module")
def model():
    return tc.build(network())


def numpy_euler(x0, steps):
    """Independent delayed Euler: x_i' = -x_i/tau + omega + sum_c g_c sum_j W_c[i, j] h_c(x_j(t - D_c[i, j]), x_i(t)),
    constant history x0 before t = 0."""
    Ws, Ds = matrices()
    xs = np.empty((steps + 1, N))
    xs[0] = x0
    for n in range(steps):
        x = xs[n]
        k = np.zeros(N)
        for (kind, g), W, D in zip(KIND_GAINS, Ws, Ds):
            h = H[str(kind)]
            lag = np.rint(D / DT).astype(int)
            for i in range(N):
                for j in range(N):
                    if W[i, j]:
                        a = xs[max(n - lag[i, j], 0), j]
                        k[i] += g * W[i, j] * h(a, x[i])
        xs[n + 1] = x + DT * (-x / 5.0 + 0.2 + k)
    return xs


def test_every_kind_matches_an_independent_numpy_delayed_euler_loop(model):
    x0 = np.random.default_rng(4).uniform(-2, 2, N)
    steps = 150
    r = model.simulate(steps * DT, DT, "euler", initial=x0)
    np.testing.assert_allclose(r["u.x"], numpy_euler(x0, steps), rtol=0, atol=1e-12)
    # per_step holds the couplings through the step: for Euler the same trace
    r2 = model.simulate(steps * DT, DT, "euler", initial=x0, coupling_mode="per_step")
    np.testing.assert_allclose(r2["u.x"], r["u.x"], rtol=0, atol=1e-13)


def test_jacobian_from_sympy_slopes_matches_finite_differences_and_reference(model):
    x = np.random.default_rng(5).normal(0, 1.5, N)
    J = model.jacobian(x)
    e = 1e-6
    fd = np.column_stack([(model.rhs(x + e * v) - model.rhs(x - e * v)) / (2 * e) for v in np.eye(N)])
    np.testing.assert_allclose(J, fd, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ReferenceModel(model).rhs(x), model.rhs(x), rtol=0, atol=1e-13)


def test_kinds_are_data_with_derived_routes(model):
    assert KINDS["linear"].linear and KINDS["linear"].affine == (1.0, 0.0)
    assert KINDS["diffusive"].affine == (1.0, -1.0) and not KINDS["diffusive"].linear
    a, b = sp.symbols("a b")       # a user's own symbols (no assumptions) are taken by name
    assert KINDS["kuramoto"].affine is None and CouplingKind("k2", sp.sin(a - b)).h == KINDS["kuramoto"].h
    da, db = KINDS["kuramoto"].slope_values(np.array([0.3, 1.0]), np.array([1.0, -0.5]))
    assert np.allclose(da, np.cos([-0.7, 1.5])) and np.allclose(db, -np.cos([-0.7, 1.5]))
    assert CouplingKind("scaled", "2*a - 3*b").affine == (2.0, -3.0)
    assert CouplingKind("offset", "a - b + 1").affine is None          # a constant term: the general path
    assert [k.name for k in model._low.kinds] == ["linear", "diffusive", "kuramoto", "sigmoid"]
    source = coupling_kernel.generate_source(model._low.kinds)
    assert "v = math.sin(a - b)" in source and "math.exp(" in source
    # linear and affine kinds only: the loops get the shared no-op, nothing is generated for them
    assert coupling_kernel.edge_kernel(model._low.kinds[:2], loop=True) is shared.no_edge_terms
    assert coupling_kernel.edge_kernel(model._low.kinds, loop=True) is not shared.no_edge_terms


def test_model_files_round_trip_builtin_and_user_kinds(model, tmp_path):
    path = tc.save(network(), tmp_path / "net.yaml")
    text = path.read_text()
    assert "kind: kuramoto" in text and "name: sigmoid" in text
    back = tc.load(path)
    assert [c.kind for c in back.couplings] == ["linear", "diffusive", "kuramoto", SIGMOID]
    x = np.random.default_rng(6).normal(0, 1, N)
    np.testing.assert_array_equal(tc.build(back, eager=False).rhs(x), model.rhs(x))
    # a bad kind in a file: the file, the coupling's key path and what is wrong
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("exp(b - a)", "exp(c - a)"))
    with pytest.raises(ModelError, match=r"bad.yaml: network.couplings\[3\].*uses \['c'\]"):
        tc.load(bad)
    bad.write_text(text.replace("kind: kuramoto", "kind: kuramato"))
    with pytest.raises(ModelError, match=r"network.couplings\[2\].*'kuramato' is unknown"):
        tc.load(bad)


@pytest.mark.parametrize("make, match", [
    (lambda: CouplingKind("bad", "a - c"), r"uses \['c'\]; its only symbols may be a"),
    (lambda: CouplingKind("bad", sp.sin(sp.Symbol("theta"))), r"uses \['theta'\]"),
    (lambda: CouplingKind("bad", "2.5"), "depends on neither a nor b"),
    (lambda: CouplingKind("bad", "a - )"), "cannot parse h"),
    (lambda: CouplingKind("bad", object()), "must be a SymPy expression in a and b or a string"),
    (lambda: CouplingKind("bad", "log(a - a)"), "infinite or complex"),
    (lambda: CouplingKind("no good", "a"), "must be an identifier"),
    (lambda: tc.Coupling("u.x", "u.k", kind="kuramato"), r"kind 'kuramato' is unknown; choose one of"),
    (lambda: tc.Coupling("u.x", "u.k", kind=3), "kind must be a built-in name"),
    (lambda: tc.Coupling("u.x", "u.k", kind=sp.sin(sp.Symbol("a"))), "kind must be a built-in name"),
    (lambda: tc.Coupling("u.x", "u.k", kind=CouplingKind("kuramoto", "a")), "takes the name of the built-in"),
    (lambda: tc.build(network([("linear", 1.0), (SIGMOID, 1.0), (CouplingKind("sigmoid", "tanh(a)"), 1.0)]),
                      eager=False), "two different coupling kinds are named 'sigmoid'"),
])
def test_bad_kinds_fail_early_and_say_why(make, match):
    with pytest.raises(ModelError, match=match):
        make()
