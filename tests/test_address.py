"""One address resolver: names, node selections, globs, coupling parameters and their errors."""
import concurrent.futures as cf
import multiprocessing as mp
import pickle

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.address import resolve, select_nodes

from .conftest import linear_mass, tanh_mass

LABELS = ["ctx", "thal", "pfc"]


def _network(gain=0.7, delay_factor=1.0):
    node = tc.Node("col", {"E": tanh_mass(), "I": linear_mass()},
                   connections=[("E.r", "I", "u", 0.5), ("I.x", "E", "u", -0.8)])
    W = np.array([[0.0, 0.4, 0.2], [0.3, 0.0, 0.1], [0.5, 0.6, 0.0]])
    D = np.array([[0.0, 2.0, 3.0], [1.5, 0.0, 2.5], [4.0, 1.0, 0.0]]) * delay_factor
    return tc.Network([node] * 3, W, D, labels=LABELS,
                      couplings=[tc.Coupling("E.r", "E.u", gain=gain, name="fwd")])


@pytest.fixture(scope="module")
def net_model():
    return tc.build(_network())


def _run(model, T=20.0):
    res = model.simulate(T, 0.05, method="heun", record=["E.x", "I.x"], initial={"E.x": [0.1, -0.2, 0.3]})
    return np.hstack([res["E.x"], res["I.x"]])


# ---------------------------------------------------------------- set_param
def test_set_param_by_glob_changes_exactly_the_intended_entries(net_model):
    m, before = net_model, net_model.params["value"].to_numpy(copy=True)
    try:
        idx = m.params.index
        m.set_param("*.tau", 7.0, nodes=[2, "ctx"])
        changed = np.nonzero(m.params["value"].to_numpy() != before)[0]
        want = {("pfc", "E", "tau"), ("pfc", "I", "tau"), ("ctx", "E", "tau"), ("ctx", "I", "tau")}
        # E.tau (2.0) and I.tau (10.0) both differ from 7: exactly these four rows move
        assert {idx[k] for k in changed} == want
        # per-entry values go in selection order (pfc first), then table order (E before I)
        m.params["value"] = before
        m.set_param("*.tau", [1.0, 2.0, 3.0, 4.0], nodes=["pfc", "ctx"])
        got = m.get_param("*.tau", nodes=["pfc", "ctx"])
        assert list(got.index) == [("pfc", "E", "tau"), ("pfc", "I", "tau"), ("ctx", "E", "tau"), ("ctx", "I", "tau")]
        assert got.to_numpy().tolist() == [1.0, 2.0, 3.0, 4.0]
        assert m.get_param("thal.*.tau").to_numpy().tolist() == [2.0, 10.0]
        # a pattern inside a name: I0 and not tau
        m.params["value"] = before
        m.set_param("E.I*", 0.9, nodes=slice(1, None))
        changed = {idx[k] for k in np.nonzero(m.params["value"].to_numpy() != before)[0]}
        assert changed == {("thal", "E", "I0"), ("pfc", "E", "I0")}
        # boolean mask and a 3-level name agree
        m.params["value"] = before
        m.set_param("E.tau", 3.0, nodes=[False, True, False])
        a = m.params["value"].to_numpy(copy=True)
        m.params["value"] = before
        m.set_param("thal.E.tau", 3.0)
        assert np.array_equal(a, m.params["value"].to_numpy())
    finally:
        m.params["value"] = before


@pytest.mark.parametrize("args, message", [
    (("E.tau", [1.0, 2.0]), r"set_param\('E.tau'\): value has shape \(2,\); expected a scalar or shape \(3,\)"
                            r".*'ctx.E.tau', 'thal.E.tau', 'pfc.E.tau'"),
    (("E.tau", np.ones((3, 1))), r"shape \(3, 1\); expected a scalar or shape \(3,\)"),
    (("E.tau", np.nan), r"set_param\('E.tau'\): value nan for ctx.E.tau is not finite"),
    (("E.tau", [1.0, np.inf, 1.0]), r"value inf for thal.E.tau is not finite"),
    (("E.tau", "fast"), r"set_param\('E.tau'\): value 'fast' is not numeric"),
    (("E.tau", 1 + 2j), r"complex value"),
    (("E.tau", 1.0, "cortex"),
     r"no node labelled 'cortex' \(did you mean 'ctx'\?\); nodes are \['ctx', 'thal', 'pfc'\]"),
    (("E.tau", 1.0, [True, False]),
     r"boolean mask has 2 entries; the network has 3 nodes \(\['ctx', 'thal', 'pfc'\]\)"),
    (("E.tau", 1.0, 5), r"node index 5 is out of range; the network has 3 nodes"),
    (("E.tua", 1.0), r"no parameter 'E.tua' \(did you mean 'E.tau'"),
    (("tau", 1.0), r"'\*.tau' means every population's"),
    (("fwd.gian", 1.0), r"did you mean 'fwd.gain'"),
])
def test_set_param_errors_name_parameter_shape_and_nodes(net_model, args, message):
    before = net_model.params["value"].to_numpy(copy=True)
    with pytest.raises(tc.ModelError, match=message):
        net_model.set_param(*args)
    assert np.array_equal(before, net_model.params["value"].to_numpy())     # nothing half-written


def test_select_nodes_forms():
    labels = ["a0", "a1", "b0", "b1"]
    assert select_nodes(labels, None).tolist() == [0, 1, 2, 3]
    assert select_nodes(labels, "b*").tolist() == [2, 3]
    assert select_nodes(labels, [-1, "a0", 3]).tolist() == [3, 0]
    assert select_nodes(labels, slice(None, None, 2)).tolist() == [0, 2]
    assert select_nodes(labels, np.array([1, 0, 0, 1], bool)).tolist() == [0, 3]
    assert select_nodes(labels, np.array([2, 1])).tolist() == [2, 1]
    with pytest.raises(tc.ModelError, match="mix of booleans"):
        select_nodes(labels, [True, "a0"])


def test_glob_never_crosses_a_dot(net_model):
    idx = net_model.state_index
    assert len(resolve(idx, "*.x", LABELS)) == 6
    with pytest.raises(tc.ModelError, match="no state"):
        resolve(idx, "*", LABELS, what="state")      # one level: not 'E.x'


# ---------------------------------------------------- coupling parameters
def test_coupling_gain_and_delay_scale_are_parameters(net_model):
    m = net_model
    before = m.params["value"].to_numpy(copy=True)
    try:
        assert m.get_param("fwd.gain").tolist() == [0.7] and m.couplings[0].gain == 0.7
        m.set_param("fwd.gain", 0.25)
        m.set_param("network.fwd.delay_scale", 2.0)
        assert m.couplings[0].gain == 0.25 and m.couplings[0].delay_scale == 2.0
        edited = _run(m)
        rebuilt = tc.build(_network(gain=0.25, delay_factor=2.0))
        assert np.array_equal(edited, _run(rebuilt))
        # the attribute writes the table: the same edit through the coupling object
        m.params["value"] = before
        m.couplings[0].gain = 0.25
        m.couplings[0].delay_scale = 2.0
        assert np.array_equal(edited, _run(m))
        m.params["value"] = before
        assert not np.allclose(edited, _run(m))
        # batch runs vary a coupling gain like any parameter
        a, b = m.simulate_batch([{"fwd.gain": 0.25, "fwd.delay_scale": 2.0}, {}], 20.0, 0.05, seed=1,
                                record=["E.x", "I.x"], initial={"E.x": [0.1, -0.2, 0.3]})
        assert np.array_equal(np.hstack([a["E.x"], a["I.x"]]), edited)
        assert m.couplings[0].gain == 0.7
    finally:
        m.params["value"] = before


# ------------------------------------------------ record, initial, stimuli
def test_record_initial_and_stimuli_share_the_resolver(net_model):
    m = net_model
    res = m.simulate(5.0, 0.05, record=["E.*", ("I.x", "thal"), "pfc.I.x"],
                     initial={("E.x", (0, 1)): [0.5, 0.6], "pfc.*.x": 0.0},
                     stimuli=[(("E.u", [True, False, True]), 1.0)])
    assert res.variables == ["E.x", "E.r", "I.x"]
    assert res.nodes("I.x") == ["thal", "pfc"] and res.nodes("E.r") == LABELS
    x0 = m.x0.copy()
    x0[[0, 1]] = [0.5, 0.6]
    x0[list(m.state_index).index(("pfc", "E", "x"))] = 0.0
    x0[list(m.state_index).index(("pfc", "I", "x"))] = 0.0
    ref = m.simulate(5.0, 0.05, record=["E.x"], initial=x0, stimuli=[("ctx.E.u", 1.0), ("pfc.E.u", 1.0)])
    assert np.array_equal(ref["E.x"], res["E.x"])
    with pytest.raises(tc.ModelError, match=r"cannot record 'E.y': no state or output 'E.y' \(did you mean"):
        m.simulate(1.0, 0.05, record=["E.y"])
    with pytest.raises(tc.ModelError, match=r"initial\('E.x'\): value has shape \(2,\); expected a scalar or "
                                             r"shape \(3,\)"):
        m.simulate(1.0, 0.05, initial={"E.x": [1.0, 2.0]})
    with pytest.raises(tc.ModelError, match=r"no input port 'E.v' \(did you mean 'E.u'\?\)"):
        m.simulate(1.0, 0.05, stimuli={"E.v": 1.0})


def test_transfer_read_outs_use_the_resolver(net_model):
    tf = tc.transfer_function(net_model, [1.0, 10.0], inputs=[("E.u", "thal")], outputs=["*.x"],
                              x=np.zeros(net_model.n_states))
    assert tf.inputs == ["thal.E.u"]
    assert tf.outputs == [".".join(k) for k in net_model.state_index if k[2] == "x"]


# ----------------------------------------------------------------- pickling
def _simulate_shipped(model):
    return _run(model), model.get_param("fwd.gain").tolist(), model.build_info["generated"]


def test_compiled_model_pickles_and_simulates_identically_in_a_process_pool(net_model):
    m = net_model
    before = m.params["value"].to_numpy(copy=True)
    w = m.couplings[0].weights.copy()
    w_link = m.connections.loc[0, "weight"]
    try:
        m.set_param("E.tau", [1.5, 2.5, 3.5])
        m.set_param("fwd.gain", 0.4)
        m.couplings[0].weights = w * 1.5
        m.connections.loc[0, "weight"] = 0.3
        here = _run(m)
        copy = pickle.loads(pickle.dumps(m))
        assert np.array_equal(_run(copy), here)
        with cf.ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as pool:
            results = list(pool.map(_simulate_shipped, [m, m]))
        for there, gain, generated in results:
            assert np.array_equal(there, here) and gain == [0.4]
            assert generated is False          # rebuilt from the on-disk cache, no code generation
    finally:
        m.params["value"] = before
        m.couplings[0].weights = w
        m.connections.loc[0, "weight"] = w_link


def test_indices_pick_jacobian_blocks(net_model):
    m = net_model
    x = np.linspace(-0.3, 0.4, m.n_states)
    J = m.jacobian(x)
    rows, cols = m.indices("E.x"), m.indices("I.x", nodes="thal")
    assert [m.state_index[k] for k in rows] == [(lab, "E", "x") for lab in LABELS]
    assert [m.state_index[k] for k in cols] == [("thal", "I", "x")]
    # thal's E receives -0.8 * I.x through its local link: dE/dt = (-E + tanh(u + I0))/tau
    tau, i0 = 2.0, 0.3
    u = -0.8 * x[cols[0]] + 0.7 * sum(w * np.tanh(x[j]) for w, j in zip([0.3, 0.1], rows[[0, 2]]))
    expected = np.zeros(3)
    expected[1] = (1 - np.tanh(u + i0) ** 2) * -0.8 / tau
    np.testing.assert_allclose(J[np.ix_(rows, cols)].ravel(), expected, rtol=1e-12, atol=1e-15)
    assert len(m.indices("*.u", kind="input")) == 6 and len(m.indices("E.r", kind="output")) == 3
    with pytest.raises(tc.ModelError, match="choose 'state', 'output' or 'input'"):
        m.indices("E.x", kind="param")
