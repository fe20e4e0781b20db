"""Methods as data (tcmcompose.integrate.solvers), rendered loops compiled lazily, the in-kernel generator."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.integrate import rng as krng
from tcmcompose.integrate.solvers import SOLVERS, Solver


def test_ssprk3_is_third_order(linear_model):
    """x' = -x / 10 from x = 1: x(t) = exp(-t / 10); SSPRK3 (pure data, no
    hand-written loop) converges at order 3."""
    errs = [abs(linear_model.simulate(20.0, dt, method="ssprk3").final_state[0] - np.exp(-2.0))
            for dt in (0.8, 0.4, 0.2)]
    orders = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert orders == pytest.approx([3, 3], abs=0.15)


def test_only_the_methods_run_are_compiled(linear_model):
    """build() compiles the model's stage kernels (one signature each) and
    loads Heun's shared loop; the warm-up and the real calls share one
    specialisation; another structure runs the same compiled loop; a lazy
    build compiles nothing."""
    from tcmcompose.integrate import loops, simulate
    mod = linear_model._mod
    assert len(mod.stage_outputs.signatures) == 1 and len(mod.stage_derivs.signatures) == 1
    linear_model.simulate(1.0, 0.1)
    heun = {k for k in simulate._entries if k[0] == "heun"}
    n_sigs = len(loops.integrate_heun.signatures)
    linear_model.simulate(1.0, 0.1, record=["linear.x"], every=2, transient=0.5, coupling_mode="per_step")
    assert len(mod.stage_outputs.signatures) == 1 and len(mod.stage_derivs.signatures) == 1
    model = tc.build(tc.Mass("unused", states={"x": 1.0}, params={"tau": 10.0}, inputs=[],
                             outputs={"x": "x"}, equations={"x": "-x/tau"}), eager=False)
    assert model._mod is not mod
    assert all(len(k.signatures) == 0 for k in (model._mod.stage_outputs, model._mod.stage_derivs))
    model.simulate(1.0, 0.1)
    assert {k for k in simulate._entries if k[0] == "heun"} == heun          # the same loop
    assert len(loops.integrate_heun.signatures) == n_sigs


def test_rendered_loops_are_up_to_date():
    """tcmcompose/integrate/loops.py is render_solver's output for the current
    solvers and kernels (rewrite it with ``python -m tcmcompose.codegen.render_solver``)."""
    from tcmcompose.codegen import render_solver
    assert render_solver.LOOPS.read_text() == render_solver.render_module(), \
        "loops.py is stale: run python -m tcmcompose.codegen.render_solver"


def test_solver_tableaus_are_checked():
    with pytest.raises(tc.ModelError, match="offset"):
        Solver("ralston3", a=((), ("1/2",), (0, "3/4")), b=("2/9", "1/3", "4/9"), c=(0, "1/2", "3/4"), order=3)
    with pytest.raises(tc.ModelError, match="row 1"):
        Solver("bad", a=((), ()), b=(1, 0), c=(0, 1), order=1)
    for s in SOLVERS.values():      # consistency: sum b = 1, c_i = sum_j a_ij
        from fractions import Fraction
        assert sum(Fraction(b) for b in s.b) == 1
        assert all(Fraction(c) == sum(Fraction(a) for a in row) for c, row in zip(s.c, s.a))


def _xoshiro_reference(state, n):
    """xoshiro256** in plain Python integers (Blackman & Vigna 2021)."""
    s = [int(v) for v in state]
    m = (1 << 64) - 1
    rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & m  # noqa: E731
    out = []
    for _ in range(n):
        out.append(rotl((s[1] * 5) & m, 7) * 9 & m)
        t = (s[1] << 17) & m
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out, s


def test_generator_is_xoshiro256starstar_and_seeds_are_distinct():
    state = krng.seed_state(12345)
    expect, final = _xoshiro_reference(state, 6)
    got = [int(krng.next_u64(state)) for _ in range(6)]
    assert got == expect and [int(v) for v in state] == final
    # every non-negative integer seed has its own stream (no reduction modulo 2**32)
    states = [tuple(krng.seed_state(s)) for s in (0, 1, 2**32, 2**32 + 1, 2**100)]
    assert len(set(states)) == len(states)
    assert np.array_equal(krng.seed_state(7), krng.seed_state(7))
    s = krng.seed_state(3)
    z = np.array([krng.normal(s) for _ in range(40000)])
    assert abs(z.mean()) < 0.02 and abs(z.var() - 1.0) < 0.03
    u = np.array([krng.uniform(s) for _ in range(20000)])
    assert u.min() >= 0.0 and u.max() < 1.0 and abs(u.mean() - 0.5) < 0.01
