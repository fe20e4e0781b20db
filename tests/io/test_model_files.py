"""Model files: every catalogue model, the TCM and a heterogeneous network survive a
save/load round trip with identical generated code, parameters and traces; bad files
fail with the file, key path, line and fix."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
import yaml

import tcmcompose as tc
from tcmcompose.errors import ModelError
from tcmcompose.masses.mass import Mass
from tcmcompose.nodes.node import Node

ROOT = Path(__file__).resolve().parents[2]


def _masses(obj):
    return [obj] if isinstance(obj, Mass) else list(obj.masses.values())


def assert_same_declaration(a, b):
    """Same equations (as SymPy trees), defaults, priors, links, matrices."""
    assert type(b) in (Mass, Node, tc.Network)
    if isinstance(a, tc.Network):
        assert a.labels == b.labels
        assert len(a.nodes) == len(b.nodes)
        for na, nb in zip(a.nodes, b.nodes):
            assert_same_declaration(na, nb)
        assert np.array_equal(a.weights, b.weights) and np.array_equal(a.delays, b.delays)
        for ca, cb in zip(a.couplings, b.couplings, strict=True):
            assert (ca.name, ca.source, ca.target, ca.gain, ca.kind) == (cb.name, cb.source, cb.target, cb.gain, cb.kind)
            assert np.array_equal(ca.weights, cb.weights) and np.array_equal(ca.delays, cb.delays)
        return
    for ma, mb in zip(_masses(a), _masses(b), strict=True):
        assert ma.signature() == mb.signature(), ma.name
        assert (ma.params, ma.states, ma.param_info) == (mb.params, mb.states, mb.param_info)
    if isinstance(a, Node):
        assert list(a.masses) == list(b.masses) and a.params == b.params and a.param_info == b.param_info
        for ca, cb in zip(a.connections, b.connections, strict=True):
            assert (ca.source, ca.output, ca.target, ca.port) == (cb.source, cb.output, cb.target, cb.port)
            for attr in ("weight", "delay"):
                assert sp.srepr(getattr(ca, attr)) == sp.srepr(getattr(cb, attr))


@pytest.mark.parametrize("name", list(tc.list_models().index))
def test_catalogue_model_round_trips_to_identical_generated_code(name, tmp_path):
    obj = tc.get_model(name)
    back = tc.load(tc.save(obj, tmp_path / f"{name}.yaml"))
    assert_same_declaration(obj, back)
    again = tc.load(tc.save(back, tmp_path / f"{name}.json"))       # JSON too, and a second generation
    assert_same_declaration(obj, again)
    a, b = tc.build(obj, eager=False), tc.build(back, eager=False)
    assert a.source == b.source                       # same structure hash -> same generated module
    assert a.params.equals(b.params) and np.array_equal(a.x0, b.x0)
    assert a.connections.equals(b.connections)


def test_network_round_trip_gives_identical_traces(jr_model, tmp_path):
    """The shared 4-node delayed Jansen-Rit network: same code, same trace bit for bit."""
    back = tc.load(tc.save(jr_model.network, tmp_path / "jr.yaml"))
    assert_same_declaration(jr_model.network, back)
    model = tc.build(back)
    assert model.source == jr_model.source
    model.params["value"] = jr_model.params["value"]          # heterogeneous values set on the built model
    a = jr_model.simulate(200.0, 0.1, seed=3)
    b = model.simulate(200.0, 0.1, seed=3)
    for var in a.variables:
        assert np.array_equal(a[var], b[var])


def test_heterogeneous_and_tcm_networks_round_trip(tmp_path):
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from heterogeneous_thalamocortical import loop_network
    finally:
        sys.path.pop(0)
    for name, net in (("loop", loop_network()), ("tcm3", tc.tcm_network(3))):
        back = tc.load(tc.save(net, tmp_path / f"{name}.yaml"))
        assert_same_declaration(net, back)
        a, b = tc.build(net, eager=False), tc.build(back, eager=False)
        assert a.source == b.source and a.params.equals(b.params) and a.connections.equals(b.connections)


def test_large_matrices_go_to_npy_and_connectome_references_load(tmp_path):
    node = tc.Node("lin", {"L": tc.get_model("linear")})
    conn = tc.datasets.connectome("generated", n_regions=24, seed=0)
    net = tc.Network([node] * 24, conn.weights, conn.delays(3.0),
                     couplings=[tc.Coupling("L.x", "L.c", gain=0.01)] if "c" in node.masses["L"].inputs else [])
    path = tc.save(net, tmp_path / "big.yaml")
    text = path.read_text()
    assert "file: big.weights.npy" in text and (tmp_path / "big.weights.npy").exists()
    assert np.array_equal(tc.load(path).weights, conn.weights)
    # the same network written by reference to the built-in connectome
    data = yaml.safe_load(text)
    data["network"]["weights"] = {"connectome": {"name": "generated", "n_regions": 24, "seed": 0}}
    data["network"]["delays"] = {"connectome": {"name": "generated", "n_regions": 24, "seed": 0},
                                 "field": "delays", "speed": 3.0}
    (tmp_path / "ref.yaml").write_text(yaml.safe_dump(data))
    ref = tc.load(tmp_path / "ref.yaml")
    assert np.array_equal(ref.weights, conn.weights) and np.allclose(ref.delays, conn.delays(3.0))
    # and from a CSV file, relative to the model file
    np.savetxt(tmp_path / "W.csv", conn.weights, delimiter=",", fmt="%.17g")
    data["network"]["weights"] = {"file": "W.csv", "scale": 2.0}
    (tmp_path / "csv.yaml").write_text(yaml.safe_dump(data))
    assert np.array_equal(tc.load(tmp_path / "csv.yaml").weights, 2.0 * conn.weights)


def test_simulation_settings_round_trip(tmp_path):
    sim = tc.Simulation(duration=500.0, dt=0.05, method="rk4", record=["JR.v"], seed=7, transient=100.0,
                        stimulus_hold="zoh", short_delays="zero")
    assert tc.load(tc.save(sim, tmp_path / "sim.yaml")) == sim
    assert "stimulus_hold: zoh" in (tmp_path / "sim.yaml").read_text()
    net = tc.Network([tc.Node("c", {"JR": tc.get_model("jansen_rit")})])
    loaded = tc.io.read(tc.save(net, tmp_path / "net.json", simulation=sim))
    assert loaded.simulation == sim and isinstance(loaded.model, tc.Network)


# ---------------------------------------------------------------- bad files
def _write(tmp_path, data, name="bad.yaml"):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def _hopf_file():
    return tc.io.dump(tc.get_model("hopf"))


def test_unknown_key_names_file_path_line_and_suggests_the_fix(tmp_path):
    data = _hopf_file()
    m = data["masses"]["hopf"]
    m["eqations"] = m.pop("equations")
    p = _write(tmp_path, data)
    with pytest.raises(ModelError) as err:
        tc.load(p)
    msg = str(err.value)
    line = next(k + 1 for k, text in enumerate(p.read_text().splitlines()) if "eqations" in text)
    assert str(p) in msg and "masses.hopf.eqations" in msg and f"line {line}" in msg
    assert "did you mean 'equations'" in msg and "masses.hopf.equations" in msg   # and the missing one


def test_misspelt_population_and_port_are_named(tmp_path):
    node = tc.Node("col", {"E": tc.get_model("linear"), "I": tc.get_model("linear")},
                   connections=[("E", "I", tc.get_model("linear").inputs[0], 1.0)])
    data = tc.io.dump(node)
    data["nodes"]["col"]["connections"][0]["target"] = "Ii"
    with pytest.raises(ModelError, match=r"nodes\.col\.connections\[0\]\.target \(line \d+\): no population 'Ii'.*"
                                         r"did you mean 'I'"):
        tc.load(_write(tmp_path, data))
    data["nodes"]["col"]["connections"][0]["target"] = "I"
    data["nodes"]["col"]["connections"][0]["port"] = "nope"
    with pytest.raises(ModelError, match=r"connections\[0\]\.port .*has no input port 'nope'"):
        tc.load(_write(tmp_path, data))


def test_wrong_matrix_shape_and_unknown_mass_are_named(tmp_path):
    net = tc.Network([tc.Node("c", {"JR": tc.get_model("jansen_rit")})] * 3, weights=np.ones((3, 3)),
                     couplings=[tc.Coupling("JR.rate", "JR.c")])
    data = tc.io.dump(net)
    data["network"]["weights"] = [[1.0, 0.0], [0.0, 1.0]]
    with pytest.raises(ModelError, match=r"network\.weights: matrix has shape \(2, 2\), the network has 3 nodes; "
                                         r"give a 3 x 3 matrix"):
        tc.load(_write(tmp_path, data))
    data = tc.io.dump(net)
    data["nodes"]["c"]["masses"]["JR"] = "jansen_ritt"
    with pytest.raises(ModelError, match=r"nodes\.c\.masses\.JR .*no mass 'jansen_ritt'.*did you mean 'jansen_rit'"):
        tc.load(_write(tmp_path, data))


def test_schema_version_is_checked(tmp_path):
    data = _hopf_file()
    data["schema_version"] = 99
    with pytest.raises(ModelError, match=r"schema_version 99 is not readable.*reads version 1; upgrade"):
        tc.load(_write(tmp_path, data))
    data["schema_version"] = 0
    with pytest.raises(ModelError, match=r"schema_version 0 .*rewrite the file in version 1"):
        tc.load(_write(tmp_path, data))
    del data["schema_version"]
    (tmp_path / "x.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match="no schema_version"):
        tc.load(tmp_path / "x.json")


def test_bad_equation_text_is_located(tmp_path):
    data = _hopf_file()
    state = next(iter(data["masses"]["hopf"]["equations"]))
    data["masses"]["hopf"]["equations"][state] += " + undeclared_thing"
    with pytest.raises(ModelError, match=rf"masses\.hopf\.equations\.{state} \(line \d+\):.*undeclared_thing"):
        tc.load(_write(tmp_path, data))


def test_edited_text_wins_over_a_stale_exact_tree(tmp_path):
    """The exact tree is used only while it agrees with the text a user may have edited."""
    col = tc.get_model("tcm_column")
    data = tc.io.dump(col)
    key, mass = next((k, m) for k, m in data["masses"].items() if "exact" in m)
    path = next(iter(mass["exact"]))
    field, state = path.split(".")
    mass[field][state] = f"2*({mass[field][state]})"
    p = tmp_path / "edited.json"
    p.write_text(json.dumps(data))
    back = tc.load(p)
    orig = next(m for m in col.masses.values() if m.name == (mass.get("name") or key))
    edited = next(m for m in back.masses.values() if m.name == orig.name and m.signature() != orig.signature())
    x = {s: 0.3 for s in edited.symbols.values()}
    assert float(edited.equations[state].subs(x)) == pytest.approx(2 * float(orig.equations[state].subs(x)))


def test_hand_written_example_file_builds_and_runs_like_its_python_twin():
    loaded = tc.io.read(ROOT / "examples" / "models" / "ei_ring.yaml")
    unit = tc.Mass("rate_unit", states={"r": 0.1}, params={"tau": 10.0, "theta": 0.5, "slope": 0.1},
                   inputs=["exc", "inh"], outputs={"rate": "r"},
                   equations={"r": "(-r + 1/(1 + exp(-(exc - inh - theta)/slope)))/tau"})
    column = tc.Node("column", {"E": unit, "I": unit}, params={"w_ie": 1.0},
                     connections=[("E.rate", "I", "exc", 1.2), ("I.rate", "E", "inh", "w_ie", 2.0)])
    ring = np.roll(np.eye(3), 1, axis=1)
    twin = tc.Network([column] * 3, ring, 5.0 * ring, [tc.Coupling("E.rate", "E.exc", gain=0.8)],
                      labels=["left", "middle", "right"])
    a, b = tc.build(loaded.model), tc.build(twin)
    assert a.source == b.source and np.array_equal(a.x0, b.x0)
    assert a.params.loc[("left", "E", "theta"), "prior_var"] == 0.01
    ra, rb = loaded.simulation.run(a), loaded.simulation.run(b)
    assert ra.t[-1] == 500.0 and ra.nodes("E.r") == ["left", "middle", "right"]
    assert np.array_equal(ra["E.r"], rb["E.r"]) and np.array_equal(ra["I.r"], rb["I.r"])
    assert np.all((ra["E.r"] > 0) & (ra["E.r"] < 1))


def test_masses_with_tables_round_trip(tmp_path):
    """Tabulated functions (tc.Table) travel with the mass: inline or as .npy beside the file."""
    x = np.linspace(-2.0, 2.0, 9)
    gain = tc.Table(x, np.tanh(x), method="cubic", name="gain")
    mu, sig = np.linspace(0.0, 1.0, 30), np.linspace(0.5, 2.0, 20)
    rate = tc.Table((mu, sig), np.add.outer(mu ** 2, sig), name="rate", outside="extrapolate")
    m = tc.Mass("tabled", states={"v": 0.1}, params={"tau": 5.0, "s": 1.0}, inputs=["u"],
                outputs={"r": rate("v", "s")}, equations={"v": (-sp.Symbol("v") + gain(sp.Symbol("u")) +
                                                                 rate("v", "s")) / sp.Symbol("tau")})
    for name in ("tabled.yaml", "tabled.json"):
        path = tc.save(m, tmp_path / name)
        back = tc.load(path)
        assert back.signature() == m.signature()
        tables = {type(f)._table.name: type(f)._table for e in back.equations.values()
                  for f in e.atoms(sp.Function) if hasattr(type(f), "_table")}
        assert np.array_equal(tables["rate"].values, rate.values) and tables["gain"].method == "cubic"
        assert tables["rate"].outside == "extrapolate"
        assert tc.build(back, eager=False).source == tc.build(m, eager=False).source
    assert (tmp_path / "tabled.tabled.rate.npy").exists()          # 600 values: beside the file
