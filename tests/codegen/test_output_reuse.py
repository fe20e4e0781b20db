"""Unrolled kernels reuse outputs inside the right-hand sides only verbatim (issue 11).

The unrolled right-hand side reads an output back from ``y`` where the
equations contain that output's expression as a subtree. An algebraic
substitution (SymPy's ``subs``) would rewrite states through outputs (x ->
r**2 for r = sqrt(x)), which changes the equations wherever the output is
undefined; these tests pin that it never happens.
"""
import random

import numpy as np
import pytest
import sympy as sp

import tcmcompose as tc
from tcmcompose.codegen.reference import ReferenceModel


def test_unused_sqrt_output_leaves_a_negative_leak_alone():
    """x' = -x / tau from x = -1, with an output sqrt(x) that nothing uses:
    x(t) = -exp(-t / tau) on both kernel paths (it once 'diverged at t = 0.1 ms')."""
    leak = tc.Mass("leak_sqrt", states={"x": -1.0}, params={"tau": 10.0}, inputs=[],
                   outputs={"r": "sqrt(x)"}, equations={"x": "-x/tau"})
    exact = -np.exp(-np.arange(0, 201) * 0.1 / 10.0)
    for unroll in (True, False):
        model = tc.build(leak, unroll=unroll)
        assert model.description.unrolled == unroll
        res = model.simulate(20.0, 0.1, method="rk4", record=["leak_sqrt.x"])
        np.testing.assert_allclose(res["leak_sqrt.x"][:, 0], exact, rtol=1e-9)


# restricted-domain outputs, and safe terms for the equations; some of each
# coincide so that outputs do get reused, others relate only algebraically
OUTPUTS = ["sqrt(x)", "log(x)", "1/x", "sqrt(1 - y**2)", "log(y + 1/2)", "1/(x - y)", "x**(3/2)",
           "tanh(y)", "exp(-x**2)", "x**2", "x*tanh(y)"]
TERMS = ["x", "x**2", "x*y", "tanh(y)", "exp(-x**2)", "y**3", "sin(x)", "1/(1 + x**2)", "x**2*y", "y", "2*x*y*tanh(y)"]


def random_mass(rng, k):
    outs = rng.sample(OUTPUTS, 3)
    terms = rng.sample(TERMS, 4)
    cx, cy = (round(rng.uniform(-0.5, 0.5), 3) for _ in range(2))
    eq_x = f"-x/tau + {cx}*({terms[0]}) + {0.2}*{terms[1]}*u"
    eq_y = f"-y/tau + {cy}*({terms[2]}) - 0.1*{terms[3]}"
    return tc.Mass(f"random_{k}", states={"x": rng.uniform(-1, 1), "y": rng.uniform(-0.9, 0.9)},
                   params={"tau": rng.uniform(2.0, 8.0)}, inputs=["u"],
                   outputs={f"o{j}": e for j, e in enumerate(outs)}, equations={"x": eq_x, "y": eq_y})


@pytest.fixture(scope="module")
def random_models():
    rng = random.Random(11)
    masses = {f"P{k}": random_mass(rng, k) for k in range(6)}
    # one node of six distinct masses: one build per kernel path covers all
    node = tc.Node("random", masses)
    return masses, tc.build(node, unroll=True), tc.build(node, unroll=False)


def test_random_masses_with_restricted_outputs_agree_on_every_path(random_models):
    masses, fast, slow = random_models
    assert fast.description.unrolled and not slow.description.unrolled
    # the property is not vacuous: some right-hand sides contain outputs verbatim
    reused = sum(any(e.has(o) for e in m.equations.values() for o in m.outputs.values() if not o.is_Atom)
                 for m in masses.values())
    assert reused >= 2
    x0 = fast.x0
    assert np.any(x0 < 0)                         # sqrt(x), log(x) undefined at some starts
    n, dt = 200, 0.01
    ref = ReferenceModel(slow)
    x = x0.copy()
    with np.errstate(all="ignore"):               # unused outputs may be NaN in the reference
        for _ in range(n):
            x = x + dt * ref.rhs(x)
    for model in (fast, slow):
        res = model.simulate(n * dt, dt, method="euler")
        np.testing.assert_allclose(res.final_state, x, rtol=1e-10, atol=1e-12)
    assert np.abs(x - x0).max() > 1e-3


def test_output_reuse_is_structural():
    """The generator's substitution replaces subtrees only."""
    from tcmcompose.codegen.generate import _GroupWriter
    m = tc.Mass("m", states={"x": 1.0}, params={"a": 1.0}, inputs=[], outputs={"r": "sqrt(x)", "s": "tanh(x)"},
                equations={"x": "-x + a*tanh(x) + x**2"})
    w = _GroupWriter(0, m)
    _, lines = w.rhs_reusing_outputs()
    text = "\n".join(lines)
    assert "_o_s" in text and "_o_r" not in text and "tanh" not in text
    assert sp.Symbol("x", real=True) in m.equations["x"].free_symbols
    # some factors of a product are matched (SymPy flattens products), powers are not
    from tcmcompose.codegen.generate import reuse_subtrees
    x, a, r, q = sp.symbols("x a r q")
    rate = sp.tanh(x) / (1 + x**2)
    assert reuse_subtrees(3 * a * sp.tanh(x) / (1 + x**2) - x, {rate: r}) == 3 * a * r - x
    assert reuse_subtrees(x**2 - x, {sp.sqrt(x): r, 1 / x: q}) == x**2 - x
