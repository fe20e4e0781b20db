"""The generated kernels against the slow reference twin, finite differences and hand-written NumPy."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.codegen.reference import ReferenceModel
from tests.conftest import jr_network, tanh_mass
from tests.helpers import fd_jacobian, max_row_relative_error


def random_states(model, rng, k=5):
    x0 = model.x0
    return [x0 + rng.standard_normal(len(x0)) * (1 + np.abs(x0)) * 0.3 for _ in range(k)]


def test_rhs_equals_reference_twin(jr_model):
    ref = ReferenceModel(jr_model)
    for x in random_states(jr_model, np.random.default_rng(0)):
        np.testing.assert_allclose(jr_model.rhs(x), ref.rhs(x), rtol=1e-12, atol=1e-14)


def test_jacobian_matches_central_differences(jr_model):
    """Analytic Jacobian (local blocks, input/output sensitivities, weights) vs central FD."""
    rng = np.random.default_rng(3)
    for x in random_states(jr_model, rng, k=3):
        assert max_row_relative_error(jr_model.jacobian(x), fd_jacobian(jr_model, x)) < 1e-6


def test_two_node_network_equals_hand_written_numpy():
    """A composed 2-node tanh network equals the same equations written directly."""
    unit = tanh_mass()
    node = tc.Node("pair", {"A": unit, "B": unit}, [("A.x", "B", "u", 0.7), ("B.r", "A", "u", -1.2)])
    W = np.array([[0.0, 0.4], [0.9, 0.0]])
    net = tc.Network([node, node], W, couplings=[tc.Coupling("A.r", "B.u", gain=0.5)])
    model = tc.build(net)
    model.set_param("A.tau", [2.0, 3.0])
    model.set_param("B.I0", [0.1, -0.2])
    idx = model.state_index

    def hand_rhs(xa, xb):
        tau_a, tau_b = np.array([2.0, 3.0]), np.array([2.0, 2.0])
        I_a, I_b = np.array([0.3, 0.3]), np.array([0.1, -0.2])
        u_a = -1.2 * np.tanh(xb)
        u_b = 0.7 * xa + 0.5 * W @ np.tanh(xa)
        return (-xa + np.tanh(u_a + I_a)) / tau_a, (-xb + np.tanh(u_b + I_b)) / tau_b

    rng = np.random.default_rng(5)
    for _ in range(5):
        x = rng.standard_normal(4)
        xa = x[(idx.get_level_values("mass") == "A")]
        xb = x[(idx.get_level_values("mass") == "B")]
        da, db = hand_rhs(xa, xb)
        dx = model.rhs(x)
        np.testing.assert_allclose(dx[idx.get_level_values("mass") == "A"], da, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(dx[idx.get_level_values("mass") == "B"], db, rtol=1e-12, atol=1e-15)


def test_source_does_not_depend_on_network_size():
    """Group kernels only (unroll=False, and every model above the unrolling
    limit): one module for every size."""
    small = tc.build(jr_network(2), eager=False, unroll=False)
    large = tc.build(jr_network(50), eager=False, unroll=False)
    assert small.path == large.path
    body = lambda m: m.source.split("\n\"\"\"Generated", 1)[1]  # noqa: E731 - drop the per-model header
    assert body(small) == body(large)
    assert "(50 in all)" in large.source and "node1.JR" not in body(large)
    assert not small.description.unrolled
    over = [tc.build(jr_network(n), eager=False) for n in (65, 120)]     # beyond 64 populations
    assert over[0].path == over[1].path == small.path


def test_second_build_in_new_process_loads_from_cache(tmp_path):
    """First process generates and compiles; a second one finds both caches."""
    script = textwrap.dedent("""
        import tcmcompose as tc
        m = tc.Mass("cached_decay", states={"x": 1.0}, params={"k": 0.5}, equations={"x": "-k*x"})
        model = tc.build(m)
        model.simulate(10.0, 0.1)
        st = model._mod.stage_derivs.stats
        print(model.build_info["generated"], st.cache_hits.__len__() > 0, sum(st.cache_misses.values()))
    """)
    env = dict(os.environ, TCMCOMPOSE_CACHE=str(tmp_path))
    run = lambda: subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,  # noqa: E731
                                 check=True).stdout.split()
    first, second = run(), run()
    assert first[0] == "True" and first[2] != "0"       # generated and compiled
    assert second[0] == "False" and second[1] == "True" and second[2] == "0"   # cache hit, no compile


def test_derived_parameters_by_numpy_or_a_compiled_kernel():
    """Parameter-only sub-expressions (hoisted out of the kernels) are
    computed once per call: with NumPy over a group's instances when they are
    arithmetic and elementary functions (nothing compiled), by the group's
    compiled kernel when one needs more (here Max); both follow the formulas
    and every edit of a parameter."""
    m = tc.Mass("derived_np", states={"x": 1.0}, params={"tau": 4.0, "T": 0.5}, inputs=["u"],
                outputs={"x": "x"}, equations={"x": "-x*exp(-T)/tau + u"})
    net = tc.Network([tc.Node("n", {"M": m})] * 3, np.zeros((3, 3)), labels=["a", "b", "c"])
    model = tc.build(net, eager=False)
    model.set_param("M.tau", [1.0, 2.0, 4.0])
    model.set_param("c.M.T", 2.0)
    p = model.param_vector()
    tau, T = np.array([1.0, 2.0, 4.0]), np.array([0.5, 0.5, 2.0])
    assert p[model._low.n_p:] == pytest.approx(-np.exp(-T) / tau, rel=1e-15)
    # derived once per set of values (memo), recomputed when any value changes
    p[:] = 0.0                                  # (the caller's copy)
    np.testing.assert_array_equal(model.param_vector()[model._low.n_p:], -np.exp(-T) / tau)
    model.set_param("M.tau", [1.0, 2.0, 8.0])
    assert model.param_vector()[-1] == pytest.approx(-np.exp(-2.0) / 8.0, rel=1e-15)
    assert "g0_derive" not in model.source
    pw = tc.build(tc.Mass("derived_max", states={"x": 1.0}, params={"tau": 4.0, "T": 0.5},
                          equations={"x": "-x/tau + Max(T, 0.2)"}), eager=False)
    pw.set_param("derived_max.T", 0.1)
    assert "g0_derive(" in pw.source and sorted(pw.param_vector()[2:]) == pytest.approx([-0.25, 0.2])
