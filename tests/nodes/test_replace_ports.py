"""One link order for nodes and couplings; Node.replace maps ports and outputs."""
import pytest

import tcmcompose as tc
from tcmcompose.nodes.node import Connection

from ..conftest import linear_mass, tanh_mass


def other_mass():
    """Same role as tanh_mass but with port 'c' and output 'rate'."""
    return tc.Mass("other", states={"x": 0.0}, params={"tau": 3.0}, inputs=["c", "ampa"],
                   outputs={"rate": "tanh(x)"}, equations={"x": "(-x + c + ampa)/tau"})


def test_coupling_order_tuples_equal_the_old_form():
    masses = {"E": tanh_mass(), "I": linear_mass()}
    new = tc.Node("n", masses, connections=[("E.r", "I.u", 0.5), ("I.x", "E.u", "-w", 1.5)], params={"w": 0.8})
    old = tc.Node("n", masses, connections=[("E.r", "I", "u", 0.5), ("I.x", "E", "u", "-w", 1.5)],
                  params={"w": 0.8})
    objs = tc.Node("n", masses, connections=[Connection("E", "r", "I", "u", 0.5),
                                             Connection("I", "x", "E", "u", "-w", 1.5)], params={"w": 0.8})
    assert new.connections == old.connections
    assert objs.connections == new.connections
    assert list(new.link_values()[0]) == [0.5, -0.8] and list(new.link_values()[1]) == [0.0, 1.5]
    with pytest.raises(tc.ModelError, match="no input port 'v'"):
        tc.Node("n", masses, connections=[("E.r", "I.v", 0.5)])


def test_replace_maps_ports_and_outputs():
    node = tc.Node("n", {"E": tanh_mass(), "I": linear_mass()},
                   connections=[("E.r", "I.u", 0.5), ("I.x", "E.u", -0.8), ("E.x", "E.u", 0.2)])
    swapped = node.replace("E", other_mass(), ports={"u": "c"}, outputs={"r": "rate", "x": "rate"})
    hand = tc.Node("n", {"E": other_mass(), "I": linear_mass()},
                   connections=[("E.rate", "I.u", 0.5), ("I.x", "E.c", -0.8), ("E.rate", "E.c", 0.2)])
    assert swapped.connections == hand.connections
    assert node.connections[0].output == "r"                  # the original is untouched
    with pytest.raises(tc.ModelError, match=r"needs input port 'u'.*map it with ports=\{'u': \.\.\.\}"):
        node.replace("E", other_mass(), outputs={"r": "rate", "x": "rate"})
    with pytest.raises(tc.ModelError, match=r"maps input port\(s\) \['gaba'\], which 'E' \(tanh_unit\) lacks"):
        node.replace("E", other_mass(), ports={"gaba": "c"})
    with pytest.raises(tc.ModelError, match="needs input port 'nmda'"):
        node.replace("E", other_mass(), ports={"u": "nmda"}, outputs={"r": "rate", "x": "rate"})
