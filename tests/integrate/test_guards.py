import math

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose import SimulationError


@pytest.fixture(scope="module")
def sqrt_model():
    """x' = (-1 - x)/tau from x = 1 (finite for ever), with an output sqrt(x) that
    leaves its domain when x crosses 0, at t = tau ln 2. Group kernels (unroll=False):
    the unrolled ones get their own test of output reuse."""
    m = tc.Mass("leak", states={"x": 1.0}, params={"tau": 10.0}, inputs=[], outputs={"r": "sqrt(x)", "x": "x"},
                equations={"x": "(-1 - x)/tau"})
    return tc.build(tc.Network([m] * 2, labels=["left", "right"]), unroll=False)


@pytest.mark.parametrize("every", [1, 7])
def test_nan_output_is_reported_by_name_node_and_time(sqrt_model, every):
    dt = 0.01
    sqrt_model.set_param("leak.tau", [20.0, 10.0])      # 'right' crosses first
    t_cross = 10.0 * math.log(2.0)
    with pytest.raises(SimulationError, match=r"output 'r' of population 'leak' in node 'right' became nan at "
                                              r"t = ([0-9.]+) ms while every state stayed finite") as err:
        sqrt_model.simulate(30.0, dt, every=every, record=["leak.x", "leak.r"], chunk=100)
    t = float(err.value.args[0].split("at t = ")[1].split(" ms")[0])
    assert t_cross < t <= t_cross + every * dt + 1e-9     # the first recorded sample past the crossing


def test_unrecorded_nan_output_does_not_stop_the_run(sqrt_model):
    sqrt_model.set_param("leak.tau", 10.0)
    res = sqrt_model.simulate(30.0, 0.01, record=["leak.x"])
    assert np.all(np.isfinite(res["leak.x"])) and res["leak.x"][-1, 0] == pytest.approx(-1 + 2 * math.exp(-3), 1e-5)
