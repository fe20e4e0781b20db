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


def test_extrinsic_delay_shifts_the_cross_correlation_peak(pair):
    """White noise into source0's relay, backward channel cut, intrinsic gains
    at exp(-0.3) (a stable fixed point with a damped 45 Hz mode, so the
    response is noise-driven, not a limit cycle): source1 sees source0's SP
    firing only through the forward channel, so the peak of the
    cross-correlation between that firing and source1's SS potential moves
    by exactly the extrinsic delay (to one sample, 0.05 ms)."""
    from tcmcompose.analysis.signal import cross_correlation
    delay = 12.5
    backward = [c for c in pair.couplings if c.name.startswith(("A2:", "AN2:"))]
    saved = [c.weights.copy() for c in backward]
    values = pair.params["value"].copy()
    peaks = []
    try:
        for c in backward:
            pair.set_weights(np.zeros((2, 2)), coupling=c.name)
        pair.params.loc[pair.params.index.get_level_values("param").str.startswith("H"), "value"] = -0.3
        fp = tc.fixed_point(pair, x0=np.where(pair.state_index.get_level_values("state") == "V", -60.0, 0.0))
        assert tc.linearise(pair, fp.x).eigenvalues()[0].real < 0
        for d in (0.0, delay):
            pair.set_delays(np.array([[0.0, d], [d, 0.0]]))
            res = pair.simulate(2000.0, 0.05, method="heun", initial=fp.x, transient=100.0, seed=11,
                                record=["SP.m", "SS.V"],
                                stimuli={"source0.RC.input": tc.stimulus.WhiteNoise(sigma=2.0)})
            r = cross_correlation(res["SP.m"][:, 0], res["SS.V"][:, 1], dt=0.05, max_lag_ms=60.0)
            peaks.append(r.idxmax())
            assert r.max() > 0.5                        # a clear peak, not noise
    finally:
        pair.set_delays(np.zeros((2, 2)))
        pair.params["value"] = values
        for c, w in zip(backward, saved):
            pair.set_weights(w, coupling=c.name)
    assert peaks[1] - peaks[0] == pytest.approx(delay, abs=0.05 + 1e-9)
