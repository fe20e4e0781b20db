"""The Costa et al. (2016) thalamic node against an independent NumPy loop of neurolib's native model."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.nodes.thalamus import thalamus_node
from tests.helpers import fd_jacobian, max_row_relative_error
from tests.reference.neurolib_thalamus import STATES, simulate_thalamus

X0 = dict(V_t=-68.0, V_r=-60.0, Ca=2.4e-4, h_T_t=0.3, h_T_r=0.2, m_h1=0.05, m_h2=0.1, s_et=0.0, s_gt=0.02,
          s_er=0.01, s_gr=0.03, ds_et=0.0, ds_gt=0.0, ds_er=0.0, ds_gr=0.0)


@pytest.fixture(scope="module")
def thalamus():
    return tc.build(thalamus_node())


def our_names(model):
    """(label, state) of each reference state name."""
    owner = {s: lab for _, lab, s in model.state_index}
    return [f"{owner[s]}.{s}" for s in STATES]


def test_node_equals_neurolib_native_loop_step_for_step(thalamus):
    names = our_names(thalamus)
    initial = {n: X0[n.split(".")[1]] for n in names}
    steps = 40_000                                          # 400 ms at dt = 0.01 ms
    res = thalamus.simulate(steps * 0.01, 0.01, method="euler", initial=initial, record=names + ["TCR.Q_t"],
                            every=10)
    ref = simulate_thalamus([X0[s] for s in STATES], steps)[::10]
    ours = np.column_stack([res[n][:, 0] for n in names])
    scale = np.abs(ref).max(axis=0) + 1e-12
    assert np.max(np.abs(ours - ref) / scale) < 1e-9
    # the run is not trivial: the relay cell bursts (rate near Q_max = 400 Hz) and V spans > 30 mV
    assert res["TCR.Q_t"].max() > 300 and np.ptp(ours[:, 0]) > 30
    F = 0.4 / (1 + np.exp(-1.8137993642 * (ours[:, 0] + 58.5) / 6.0))
    assert np.allclose(res["TCR.Q_t"][:, 0], 1000 * F, rtol=1e-12)


def test_leak_conductance_moves_the_node_from_tonic_to_spindles_to_slow_bursts(thalamus):
    """Costa et al. (2016): the K leak g_LK sets the thalamic state; depolarised -> tonic firing,
    intermediate -> spindle oscillations (11-15 Hz), hyperpolarised -> slow (delta and below) bursts.
    Measured with this node (equal to the NumPy loop above): g_LK 0.01 -> tonic (V within 0.6 mV),
    0.018 (default) -> 13.4 Hz, 0.06 -> 0.25 Hz bursts reaching Q_max."""
    found = {}
    try:
        for g_lk in (0.01, 0.018, 0.06):
            thalamus.set_param("TCR.g_LK", g_lk)
            thalamus.set_param("TRN.g_LK", g_lk)
            res = thalamus.simulate(10_000.0, 0.01, method="euler", record=["TCR.V_t", "TCR.Q_t"], every=100,
                                    transient=2000.0)
            v = res["TCR.V_t"][:, 0] - res["TCR.V_t"][:, 0].mean()
            f = np.fft.rfftfreq(len(v), 1e-3)
            found[g_lk] = (np.ptp(v), f[1 + np.argmax(np.abs(np.fft.rfft(v))[1:])], res["TCR.Q_t"].max())
    finally:
        thalamus.set_param("TCR.g_LK", 0.018)
        thalamus.set_param("TRN.g_LK", 0.018)
    assert found[0.01][0] < 1.0                                  # tonic: V stays within 1 mV
    assert 11.0 < found[0.018][1] < 15.0 and found[0.018][0] > 10  # spindle band
    assert found[0.06][1] < 4.0 and found[0.06][2] > 350           # slow bursts near Q_max = 400 Hz


def test_cortical_input_reaches_the_relay_synapse(thalamus):
    # constant afferent rate a on TCR.ampa: s_et -> a (unit-gain second-order synapse, time constant 1/gamma_e)
    res = thalamus.simulate(300.0, 0.01, method="heun", stimuli={"TCR.ampa": 0.05}, record=["TCR.s_et"])
    s = res["TCR.s_et"][:, 0]
    t = res.t
    g = 0.07
    assert np.allclose(s, 0.05 * (1 - np.exp(-g * t) * (1 + g * t)), atol=1e-6)


def test_jacobian_matches_finite_differences(thalamus):
    x = thalamus.x0.copy()
    names = our_names(thalamus)
    order = [n.split(".")[1] for n in names]
    for k, (_, _, s) in enumerate(thalamus.state_index):
        x[k] = X0[s] if s in order else x[k]
    fd = fd_jacobian(thalamus, x, floor=1e-3)          # relative steps: Ca is ~1e-4
    assert max_row_relative_error(thalamus.jacobian(x), fd) < 1e-6


def test_parameters_and_errors():
    node = thalamus_node(g_LK=0.03, N_rr=20.0)
    assert node.masses["TCR"].params["g_LK"] == 0.03 and node.masses["TRN"].params["g_LK"] == 0.03
    assert node.params["N_rr"] == 20.0
    with pytest.raises(tc.ModelError, match="unknown parameter 'g_X'"):
        thalamus_node(g_X=1.0)
