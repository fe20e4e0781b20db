"""Unrolled kernels of small models, and node loops of networks of one node
type (tcmcompose.codegen.unroll), against the group kernels.

The two paths share no code between the model and the loop (constant offsets
and baked local connections vs offsets from ``layout`` and the edge loop), so
agreement to round-off checks both.
"""
import pickle

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.nodes.tcm_column import TCMColumn
from tests.conftest import tanh_mass


def pair_network():
    """Three 2-population nodes: undelayed and delayed local links (one
    feeding a population's own port), and a delayed network coupling."""
    unit = tanh_mass()
    node = tc.Node("pair", {"A": unit, "B": unit.with_params(tau=3.0)},
                   [("A.x", "B", "u", 0.7), ("B.r", "A", "u", -1.2, 2.0), ("A.r", "A", "u", 0.3)])
    W = np.array([[0.0, 0.4, 0.0], [0.9, 0.0, 0.2], [0.0, 0.5, 0.0]])
    return tc.Network([node] * 3, W, np.full((3, 3), 4.0), couplings=[tc.Coupling("A.r", "B.u", gain=0.5)])


@pytest.fixture(scope="module")
def pair_models():
    net = pair_network()
    return tc.build(net, unroll=True), tc.build(net, unroll=False)


def run(model, **kw):
    kw.setdefault("method", "heun")
    return model.simulate(60.0, 0.05, initial=np.linspace(-0.8, 0.9, model.n_states), record=["A.x", "B.r"], **kw)


def assert_same(a, b, atol=1e-12):
    np.testing.assert_allclose(a.final_state, b.final_state, rtol=0, atol=atol)
    for name in ("A.x", "B.r"):
        np.testing.assert_allclose(a[name], b[name], rtol=0, atol=atol)


def test_small_models_are_unrolled(pair_models):
    fast, slow = pair_models
    assert fast.description.unrolled and not slow.description.unrolled
    auto = tc.build(pair_network(), eager=False)
    assert auto.path == fast.path
    assert "def stage_derivs(t, _x, _p, _u, _y, _w, _dx, layout, with_y)" in fast.source
    assert "# group 0 (tanh_unit), instance 5" in fast.source and "5: node2.B" in fast.source
    assert len(fast.description.local_src) == 9                  # 3 local links x 3 nodes
    with pytest.raises(tc.ModelError, match="unroll="):
        tc.build(pair_network(), unroll="yes")


@pytest.mark.parametrize("method,mode", [("heun", "per_stage"), ("rk4", "per_stage"), ("euler", "per_stage"),
                                         ("heun", "per_step"), ("rk4", "per_step")])
def test_unrolled_equals_group_kernels(pair_models, method, mode):
    fast, slow = pair_models
    a, b = run(fast, method=method, coupling_mode=mode), run(slow, method=method, coupling_mode=mode)
    assert_same(a, b)
    assert np.ptp(a["A.x"]) > 0.1                        # the run did something


def test_edited_delays_and_rows_need_no_rebuild(pair_models):
    """A local link switched between delayed and undelayed, and a removed row
    (the table then no longer matches the baked links: all become edges)."""
    fast, slow = pair_models
    saved = [m.connections.copy() for m in (fast, slow)]
    try:
        for m in (fast, slow):
            m.connections.loc[m.connections["source"] == "B", "delay"] = 0.0
            m.connections.loc[m.connections["output"] == "x", "delay"] = 1.5
        a, b = run(fast), run(slow)
        assert_same(a, b)
        assert np.abs(a.final_state - run(fast, coupling_mode="per_step").final_state).max() > 1e-6
        for m in (fast, slow):
            m.connections = m.connections.drop(index=0).reset_index(drop=True)
        assert_same(run(fast), run(slow))
    finally:
        fast.connections, slow.connections = saved


def test_large_groups_stay_loops_inside_unrolled_kernels():
    """A group of more than MAX_GROUP_INSTANCES instances keeps its loop in the
    unrolled stage kernels (offsets written in) and its local links in the
    edge pass, while a one-instance group beside it is unrolled with its own
    links baked; all three builds agree to round-off."""
    from tcmcompose.codegen.unroll import MAX_GROUP_INSTANCES
    unit = tanh_mass()
    pair = tc.Node("pair", {"A": unit, "B": unit.with_params(tau=3.0)},
                   [("A.x", "B", "u", 0.7), ("B.r", "A", "u", -1.2, 2.0)])
    hub_mass = tc.Mass("hub_unit", states={"h": 0.2}, params={"k": 0.5}, inputs=["v"], outputs={"h": "h"},
                       equations={"h": "-k*h + sin(v)"})
    hub = tc.Node("hub", {"H": hub_mass}, [("H.h", "H", "v", 0.4)])
    n = MAX_GROUP_INSTANCES // 2 + 1                      # 2n > MAX_GROUP_INSTANCES tanh units
    W = np.zeros((n + 1, n + 1))
    W[n, :n] = 0.3
    net = tc.Network([pair] * n + [hub], W, np.full((n + 1, n + 1), 2.0),
                     couplings=[tc.Coupling("A.r", "H.v")])
    auto, full, group = (tc.build(net, unroll=u) for u in (None, True, False))
    assert auto.description.unrolled and auto.path != full.path
    assert "instances: a loop" in auto.source and "# group 1 (hub_unit), instance 0" in auto.source
    assert auto.description.local_baked == (False,) * (2 * n) + (True,)
    x0 = np.linspace(-0.8, 0.9, auto.n_states)
    for mode in ("per_stage", "per_step"):
        a, b, c = (m.simulate(30.0, 0.05, initial=x0, coupling_mode=mode) for m in (auto, full, group))
        np.testing.assert_allclose(a.final_state, c.final_state, rtol=0, atol=1e-12)
        np.testing.assert_allclose(b.final_state, c.final_state, rtol=0, atol=1e-12)
        assert np.ptp(a["H.h"]) > 0.05


def test_tcm_column_unrolled_equals_group_kernels():
    """The TCM column (output reuse: the firing rate drives the M-channel
    target), with its intrinsic delays and with every link undelayed."""
    fast = tc.build(TCMColumn())
    slow = tc.build(TCMColumn(), unroll=False)
    assert fast.description.unrolled and "_q9*(_o_m*_q10 - g_m)" in fast.source
    for model in (fast, slow):
        model.x0[model.state_index.get_level_values("state") == "V"] = -58.0
    for zero_delays in (False, True):
        if zero_delays:
            for model in (fast, slow):
                model.connections["delay_expr"] = ""
                model.connections["delay"] = 0.0
        a, b = (m.simulate(40.0, 0.05, record=["SP.V", "RC.V"], stimuli={"RC.input": tc.stimulus.Step(1.0, onset=5.0)})
                for m in (fast, slow))
        np.testing.assert_allclose(a.final_state, b.final_state, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(a["SP.V"], b["SP.V"], rtol=0, atol=1e-9)
        np.testing.assert_allclose(a["RC.V"], b["RC.V"], rtol=0, atol=1e-9)
        assert np.ptp(a["RC.V"]) > 1.0
    # no input depends on the stage outputs: the unrolled loop takes its fused path
    # (outputs and derivatives in one call), per stage and per step
    for mode in ("per_stage", "per_step"):
        a, b = (m.simulate(40.0, 0.05, record=["SP.V", "SP.m"], coupling_mode=mode) for m in (fast, slow))
        np.testing.assert_allclose(a.final_state, b.final_state, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(a["SP.m"], b["SP.m"], rtol=0, atol=1e-12)
        assert np.ptp(a["SP.V"]) > 1.0


def test_fused_stage_kernel_equals_two_calls(pair_models):
    """stage_derivs(..., with_y=True) = stage_outputs then stage_derivs: the same
    outputs and derivatives, bit for bit (one copy of each expression)."""
    fast, slow = pair_models
    assert fast.description.fused and not slow.description.fused
    mod, lay = fast._mod, fast._layout
    rng = np.random.default_rng(3)
    x, u = rng.normal(size=fast.n_states), rng.normal(size=len(fast.u_base))
    w, p = rng.normal(size=len(fast.description.local_src)), fast.param_vector()
    y1, y2 = np.zeros(fast._low.n_y), np.full(fast._low.n_y, np.nan)
    dx1, dx2 = np.zeros(fast.n_states), np.zeros(fast.n_states)
    mod.stage_outputs(0.0, x, p, y1, lay)
    mod.stage_derivs(0.0, x, p, u, y1, w, dx1, lay, False)
    mod.stage_derivs(0.0, x, p, u, y2, w, dx2, lay, True)
    np.testing.assert_array_equal(y2, y1)
    np.testing.assert_array_equal(dx2, dx1)
    assert np.all(dx1 != 0)


def test_relabelled_copy_reuses_the_module(pair_models):
    """The cache key holds integers and equations only: other node and
    population labels and other values build to the same module, compiling nothing."""
    fast, _ = pair_models
    unit = tc.Mass("tanh_unit", states={"x": 0.4}, params={"tau": 7.0, "I0": -0.1}, inputs=["u"],
                   outputs={"x": "x", "r": "tanh(x)"}, equations={"x": "(-x + tanh(u + I0))/tau"})
    node = tc.Node("other", {"P": unit, "Q": unit.with_params(tau=1.0)},
                   [("P.x", "Q", "u", 0.1), ("Q.r", "P", "u", 2.0, 3.0), ("P.r", "P", "u", -0.3)])
    net = tc.Network([node] * 3, np.ones((3, 3)) - np.eye(3), np.full((3, 3), 2.0),
                     labels=["a", "b", "c"], couplings=[tc.Coupling("P.r", "Q.u", gain=0.1)])
    copy = tc.build(net)
    assert copy.path == fast.path and not copy.build_info["generated"]
    assert len(copy._mod.stage_derivs.signatures) == 1
    assert "5: c.Q" in copy.source


# ---- node loops (networks of one node type above the unrolling limit)
def trio_network(n):
    """``n`` nodes of two tanh units A, B and a hub H (two groups: 2 and 1
    populations per node) on a ring: undelayed and delayed local links,
    between groups and into a population's own port; a delayed coupling."""
    unit = tanh_mass()
    hub = tc.Mass("hub_unit", states={"h": 0.2}, params={"k": 0.5}, inputs=["v"], outputs={"h": "h"},
                  equations={"h": "-k*h + sin(v)"})
    node = tc.Node("trio", {"A": unit, "H": hub, "B": unit.with_params(tau=3.0)},
                   [("A.x", "B", "u", 0.7), ("B.r", "A", "u", -1.2, 2.0), ("A.r", "A", "u", 0.3),
                    ("H.h", "B", "u", 0.8), ("B.r", "H", "v", 1.1)])
    W = np.roll(np.eye(n), 1, axis=1) * 0.6
    return tc.Network([node] * n, W, np.full((n, n), 3.0), labels=[f"t{k}" for k in range(n)],
                      couplings=[tc.Coupling("A.r", "B.u", gain=0.5)])


@pytest.fixture(scope="module")
def trio_models():
    """The node loop and the group kernels (the module of the large-group test: same masses)."""
    return tc.build(trio_network(3), unroll="node"), tc.build(trio_network(3), unroll=False)


def run_trio(model, **kw):
    kw.setdefault("method", "heun")
    return model.simulate(60.0, 0.05, initial=np.linspace(-0.8, 0.9, model.n_states), record=["A.x", "H.h"], **kw)


def assert_same_trio(a, b):
    np.testing.assert_allclose(a.final_state, b.final_state, rtol=0, atol=1e-12)
    for name in ("A.x", "H.h"):
        np.testing.assert_allclose(a[name], b[name], rtol=0, atol=1e-12)


@pytest.mark.parametrize("method,mode", [("heun", "per_stage"), ("rk4", "per_stage"), ("euler", "per_stage"),
                                         ("heun", "per_step")])
def test_node_loop_equals_group_kernels(trio_models, method, mode):
    """(The unrolled kernels equal the group kernels: test_unrolled_equals_group_kernels.)"""
    node, group = trio_models
    assert node.description.node_loop and node.description.unrolled and not group.description.unrolled
    assert "for _k in range(layout[0, 1] // 2):      # nodes" in node.source
    assert "_i2 = np.uint64(2*_k + 1)" in node.source and "_x[_xo1_0 + _i1]" in node.source
    assert "B.r" not in node.source.split("# ---- stage kernels")[1]        # one node written out, unnamed
    a = run_trio(node, method=method, coupling_mode=mode)
    assert_same_trio(a, run_trio(group, method=method, coupling_mode=mode))
    assert np.ptp(a["A.x"]) > 0.1 and np.ptp(a["H.h"]) > 0.05


def test_node_loop_edits_need_no_rebuild(trio_models):
    """Weights and delays are data: local links switched between delayed and
    undelayed, new weights, and a removed row (every link then an edge)."""
    node, group = trio_models
    saved = [m.connections.copy() for m in (node, group)]
    before = run_trio(node)
    try:
        for m in (node, group):
            m.connections.loc[m.connections["source"] == "B", "delay"] = 0.0
            m.connections.loc[m.connections["source"] == "H", "delay"] = 1.5
            m.connections["weight"] *= np.linspace(0.5, 1.5, len(m.connections))
        a = run_trio(node)
        assert_same_trio(a, run_trio(group))
        assert np.abs(a.final_state - before.final_state).max() > 1e-3
        for m in (node, group):
            m.connections = m.connections.drop(index=4).reset_index(drop=True)
        assert_same_trio(run_trio(node), run_trio(group))
    finally:
        node.connections, group.connections = saved
    assert len(node._mod.stage_derivs.signatures) == 1


def test_node_loop_serves_any_number_of_nodes(trio_models):
    """The module depends on the node type only: 3 and 5 nodes, other labels,
    share it (nothing generated); the 5-node run equals the group kernels'."""
    five, group = tc.build(trio_network(5), unroll="node"), tc.build(trio_network(5), unroll=False)
    assert five.path == trio_models[0].path and not five.build_info["generated"]
    assert group.path == trio_models[1].path
    assert_same_trio(run_trio(five), run_trio(group))
    copy = pickle.loads(pickle.dumps(five))          # (replica pools) rebuilt with the same kernels
    assert copy.path == five.path
    assert_same_trio(run_trio(copy), run_trio(five))


def test_which_networks_get_a_node_loop():
    """Above the limits: networks of multi-population nodes of one type; not
    single-population nodes (their group loop is the node loop) nor several
    node types, which keep the group kernels, also when asked for."""
    from tcmcompose.codegen.lower import Lowered
    from tcmcompose.codegen.unroll import MAX_INSTANCES, NodePlan, UnrollPlan, plan_unroll
    from tests.conftest import jr_network
    big = MAX_INSTANCES // 3 + 1
    plan = plan_unroll(Lowered(trio_network(big)))
    assert isinstance(plan, NodePlan)
    assert plan.populations == ((0, 0), (1, 0), (0, 1)) and plan.per_node == (2, 1)
    # (source, output, target, port) by position in the node
    assert plan.links == ((0, 0, 2, 0), (2, 1, 0, 0), (0, 1, 0, 0), (1, 0, 2, 0), (2, 1, 1, 0))
    assert plan == plan_unroll(Lowered(trio_network(3)), "node")          # no node count in the key
    assert isinstance(plan_unroll(Lowered(trio_network(3))), UnrollPlan)
    assert plan_unroll(Lowered(jr_network(MAX_INSTANCES + 1))) is None
    assert plan_unroll(Lowered(trio_network(big)), False) is None
    unit = tanh_mass()
    other = tc.Node("pair", {"A": unit, "B": unit.with_params(tau=3.0)}, [("A.x", "B", "u", 0.7)])
    nodes = list(trio_network(big).nodes)
    two_types = tc.Network(nodes[:-1] + [other], np.zeros((big, big)))
    assert plan_unroll(Lowered(two_types)) is None and plan_unroll(Lowered(two_types), "node") is None
    a, h, b = (nodes[0].masses[k] for k in "AHB")
    reordered = tc.Node("trio", {"B": b, "A": a, "H": h}, nodes[0].connections)
    assert plan_unroll(Lowered(tc.Network(nodes[:-1] + [reordered], np.zeros((big, big))))) is None


@pytest.mark.slow
def test_tcm_network_node_loop_equals_group_kernels():
    """Three TCM columns (two groups, 6 + 2 populations per node; outputs
    reused), with their intrinsic delays and with every local link undelayed
    (then baked into the node loop), a delayed extrinsic network; the
    right-hand side outside the loop is unchanged."""
    from tcmcompose.networks.tcm_network import tcm_network
    F = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    net = tcm_network(3, forward=F, backward=F.T, delays=np.full((3, 3), 4.0))
    fast, slow = tc.build(net, unroll="node"), tc.build(net, unroll=False)
    assert fast.description.node_loop and "_q9*(_o_m*_q10 - g_m)" in fast.source
    for model in (fast, slow):
        model.x0[model.state_index.get_level_values("state") == "V"] = -58.0
    np.testing.assert_array_equal(fast.rhs(fast.x0), slow.rhs(slow.x0))
    for zero_delays in (False, True):
        if zero_delays:
            for model in (fast, slow):
                model.connections["delay_expr"] = ""
                model.connections["delay"] = 0.0
        a, b = (m.simulate(30.0, 0.05, record=["SP.V"], stimuli={"RC.input": tc.stimulus.Step(1.0, onset=5.0)})
                for m in (fast, slow))
        np.testing.assert_allclose(a.final_state, b.final_state, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(a["SP.V"], b["SP.V"], rtol=1e-12, atol=0)
        assert np.ptp(a["SP.V"]) > 1.0
