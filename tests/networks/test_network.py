import numpy as np
import pandas as pd
import pytest

import tcmcompose as tc
from tcmcompose import ModelError
from tcmcompose.masses.library import JansenRit


def node():
    return tc.Node("jr", {"JR": JansenRit()})


def test_weight_matrix_shape_and_nan():
    with pytest.raises(ModelError, match=r"shape \(2, 3\).*give an \(3, 3\) matrix"):
        tc.Network([node()] * 3, np.ones((2, 3)))
    W = np.ones((3, 3))
    W[1, 2] = np.nan
    with pytest.raises(ModelError, match=r"first at \[1, 2\]"):
        tc.Network([node()] * 3, W)


def test_negative_delays_and_lengths():
    with pytest.raises(ModelError, match="negative entries"):
        tc.Network([node()] * 2, np.ones((2, 2)), -np.ones((2, 2)))
    net = tc.Network([node()] * 2, np.ones((2, 2)), lengths=np.full((2, 2), 30.0), speed=3.0)
    assert np.allclose(net.delays, 10.0)
    with pytest.raises(ModelError, match="positive conduction speed"):
        tc.Network([node()] * 2, np.ones((2, 2)), lengths=np.ones((2, 2)), speed=0.0)


def test_dataframe_matrices_are_aligned_by_label():
    labels = ["a", "b"]
    W = pd.DataFrame([[0, 1.0], [2.0, 0]], index=labels, columns=labels)
    net = tc.Network([node()] * 2, W.loc[["b", "a"], ["b", "a"]], labels=labels)
    assert net.weights[0, 1] == 1.0 and net.weights[1, 0] == 2.0


def test_coupling_to_missing_port_or_output():
    with pytest.raises(ModelError, match=r"no node has input port 'JR.ampa'; available ports: \['JR.c', 'JR.u_inh', 'JR.u_pyr'\]"):
        tc.Network([node()] * 2, np.ones((2, 2)), couplings=[tc.Coupling("JR.rate", "JR.ampa")])
    with pytest.raises(ModelError, match="no node has output 'JR.spikes'"):
        tc.Network([node()] * 2, np.ones((2, 2)), couplings=[tc.Coupling("JR.spikes", "JR.c")])
    with pytest.raises(ModelError, match="must read 'label.port'"):
        tc.Coupling("JR.rate", "c")


def test_graph_view_of_the_hierarchy():
    W = np.array([[0, 0.5], [0, 0]])
    net = tc.Network([node()] * 2, W, np.array([[0, 4.0], [0, 0]]),
                     couplings=[tc.Coupling("JR.rate", "JR.c", gain=2.0)])
    g = net.graph()
    assert set(g.nodes) == {"node0.JR", "node1.JR"}
    (link,) = g.edges["node1.JR", "node0.JR"]["links"]
    assert link["weight"] == 1.0 and link["delay"] == 4.0 and link["port"] == "c"
    assert not g.has_edge("node0.JR", "node1.JR")
