"""coupling_mode="per_step" holds only the couplings between nodes (issue 12.1).

The Virtual Brain holds the network coupling through a step's stages; a
node's own undelayed links (E <-> I in a Wilson-Cowan node, the links inside
a TCM column) are part of the node's dynamics and are evaluated at every
stage. So a model without couplings integrates identically in both modes.
"""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.nodes import wilson_cowan_node
from tcmcompose.nodes.tcm_column import TCMColumn


@pytest.fixture(scope="module")
def wc():
    return tc.build(wilson_cowan_node())


@pytest.mark.parametrize("method", ["heun", "rk4"])
@pytest.mark.parametrize("unroll", [True, False])
def test_lone_wilson_cowan_node_is_the_same_in_both_modes(wc, method, unroll):
    model = wc if unroll else tc.build(wilson_cowan_node(), unroll=False)
    assert model.description.unrolled == unroll
    runs = [model.simulate(50.0, 0.1, method=method, coupling_mode=mode, initial=[0.3, 0.05])
            for mode in ("per_stage", "per_step")]
    names = runs[0].variables
    assert len(names) == 2
    for name in names:
        np.testing.assert_array_equal(runs[0][name], runs[1][name])
    assert max(np.ptp(runs[0][name]) for name in names) > 1e-2   # it moved


def test_tcm_column_is_the_same_in_both_modes():
    """Undelayed and delayed (intrinsic) local links, Heun."""
    model = tc.build(TCMColumn())
    model.x0[model.state_index.get_level_values("state") == "V"] = -58.0
    a, b = (model.simulate(20.0, 0.05, record=["SP.V", "RC.V"], coupling_mode=mode)
            for mode in ("per_stage", "per_step"))
    np.testing.assert_array_equal(a.final_state, b.final_state)
    np.testing.assert_array_equal(a["SP.V"], b["SP.V"])
    assert np.ptp(a["SP.V"]) > 0.1
