"""Two TCM sources with forward/backward extrinsic connections."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.networks.tcm_network import tcm_network


@pytest.fixture(scope="module")
def pair():
    F = np.array([[0, 0], [1, 0]])      # source1 receives forward input from source0 (SP -> SS)
    B = np.array([[0, 1], [0, 0]])      # source0 receives backward input from source1 (DP -> SP, SI)
    return tc.build(tcm_network(2, forward=F, backward=B, delays=np.zeros((2, 2))))


def run(model, x0, pulse=False, dt=0.05, T=80.0):
    stim = None
    if pulse:   # 1 ms pulse into source0's thalamic relay at t = 20 ms
        n = int(round(T / dt)) + 1
        arr = np.zeros(n)
        arr[int(20 / dt):int(21 / dt)] = 50.0
        stim = {"source0.RC.input": arr}
    return model.simulate(T, dt, method="rk4", initial=x0, stimuli=stim, record=["SS.V", "SP.V"])


def test_removing_extrinsic_connections_makes_sources_independent(pair):
    x0 = pair.x0.copy()
    base = run(pair, x0)
    kicked = run(pair, x0, pulse=True)
    assert np.abs(kicked["SS.V"][:, 1] - base["SS.V"][:, 1]).max() > 1e-3     # coupled: source1 feels it
    weights = [c.weights.copy() for c in pair.couplings]
    try:
        for c in pair.couplings:
            pair.set_weights(np.zeros((2, 2)), coupling=c.name)
        base = run(pair, x0)
        kicked = run(pair, x0, pulse=True)
        assert np.abs(kicked["SS.V"][:, 0] - base["SS.V"][:, 0]).max() > 1e-3
        assert np.array_equal(kicked["SS.V"][:, 1], base["SS.V"][:, 1])        # independent: bit-identical
    finally:
        for c, w in zip(pair.couplings, weights):
            pair.set_weights(w, coupling=c.name)


def onset(a, b, t, eps=1e-9):
    dev = np.abs(a - b) > eps
    return t[np.argmax(dev)] if dev.any() else np.inf


@pytest.mark.parametrize("delay", [10.0, 17.5])
def test_extrinsic_delay_shifts_the_response_by_the_set_delay(pair, delay):
    """A pulse into source0 reaches source1 through the forward channel; the onset of
    source1's response moves later by the extrinsic delay (to two steps: the onset detection)."""
    x0 = pair.x0.copy()
    onsets = []
    for d in (0.0, delay):
        pair.set_delays(np.array([[0.0, d], [d, 0.0]]))
        base, kicked = run(pair, x0), run(pair, x0, pulse=True)
        onsets.append(onset(kicked["SS.V"][:, 1], base["SS.V"][:, 1], base.t))
    pair.set_delays(np.zeros((2, 2)))
    assert onsets[1] - onsets[0] == pytest.approx(delay, abs=0.1 + 1e-9)
