import pytest

import tcmcompose as tc
from tcmcompose import ModelError


def exc():
    return tc.Mass("exc", states={"r": 0.1}, params={"tau": 10.0}, inputs=["ampa", "gabaa"],
                   outputs={"rate": "r"}, equations={"r": "(-r + ampa - gabaa)/tau"})


def inh_no_ampa():
    return tc.Mass("inh", states={"r": 0.1}, params={"tau": 5.0}, inputs=["nmda"],
                   outputs={"rate": "r"}, equations={"r": "(-r + nmda)/tau"})


def column():
    return tc.Node("column", {"E": exc(), "I": exc()},
                   [("E", "I", "ampa", 2.0), ("I.rate", "E", "gabaa", 1.5, 2.0)])


def test_connection_to_missing_port_lists_ports():
    with pytest.raises(ModelError, match=r"no input port 'nmda'; its ports are \['ampa', 'gabaa'\]"):
        tc.Node("c", {"E": exc()}, [("E", "E", "nmda", 1.0)])


def test_connection_to_missing_label_lists_labels():
    with pytest.raises(ModelError, match=r"no population labelled 'X'; labels are \['E'\]"):
        tc.Node("c", {"E": exc()}, [("X", "E", "ampa", 1.0)])


def test_connection_needs_named_output_when_ambiguous():
    m = tc.Mass("two", states={"r": 0.0}, inputs=["u"], outputs={"a": "r", "b": "2*r"},
                equations={"r": "u - r"})
    with pytest.raises(ModelError, match="name one as 'E.<output>'"):
        tc.Node("c", {"E": m}, [("E", "E", "u", 1.0)])
    tc.Node("c", {"E": m}, [("E.b", "E", "u", 1.0)])


def test_negative_or_nan_delay_and_weight():
    with pytest.raises(ModelError, match="delays are finite and >= 0"):
        tc.Node("c", {"E": exc()}, [("E", "E", "ampa", 1.0, -1.0)])
    with pytest.raises(ModelError, match="weight of connection.*not finite"):
        tc.Node("c", {"E": exc()}, [("E", "E", "ampa", float("nan"))])


def test_replace_keeps_links_and_refuses_missing_port():
    col = column()
    swapped = col.replace("I", exc().with_params(tau=3.0))
    assert swapped.connections == col.connections
    assert swapped.masses["I"].params["tau"] == 3.0
    with pytest.raises(ModelError, match=r"needs input port 'ampa', which 'inh' lacks"):
        col.replace("I", inh_no_ampa())


def test_expression_weight_uses_declared_node_params():
    with pytest.raises(ModelError, match=r"undeclared symbol\(s\) \['g'\]"):
        tc.Node("c", {"E": exc()}, [("E", "E", "ampa", "2*exp(g)")])
    node = tc.Node("c", {"E": exc()}, [("E", "E", "ampa", "2*exp(g)")], params={"g": 0.0})
    assert node.evaluate(node.connections[0].weight) == 2.0
