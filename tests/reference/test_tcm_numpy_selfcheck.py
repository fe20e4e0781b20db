"""Self-checks of the independent NumPy TCM oracle (tests/reference/tcm_numpy.py).

The fixed-point numbers pinned here were derived with this oracle from TCM_SPEC.md §1-§2 at
the prior mean (theta = 0, one source, u = 0) and are the values the generated TCM must
reproduce. Identities checked at a fixed point follow from the equations alone:
``g_GABAB = g_GABAA`` (same target, §1.7), ``g_M = 4 m(V)`` and ``g_H = 4 h(V)`` on TP, RC.
"""
import numpy as np
import pytest
from scipy.optimize import root

from tests.reference import tcm_numpy as ref

P1 = ref.default_params(1)

# Fixed point at the prior mean, smooth firing + elementwise NMDA block (V in mV, SS..RC).
V_SMOOTH_ELEMENTWISE = [-51.63944962, -53.72750021, -52.24834872, -53.11015240,
                        -52.77906896, -51.93510836, -50.91453372, -51.67384221]
# Four rightmost eigenvalues (1/s) of the Jacobian there: an unstable ~55.5 Hz pair.
EIG_SMOOTH_ELEMENTWISE = [47.9445013 + 348.8749575j, 47.9445013 - 348.8749575j,
                          -4.32901417, -4.89464002]
# MATLAB-faithful variant: hard firing + MATLAB "basic" NMDA block (B only on SP here).
V_HARD_MATLAB = [-51.99874978, -53.71273377, -52.51821397, -53.22776036,
                 -52.98014397, -52.08670582, -51.31745675, -51.94978520]
EIG_HARD_MATLAB = [46.6776840 + 341.0668577j, 46.6776840 - 341.0668577j,
                   -4.42546494, -5.00285828]


def _fun(firing, block, P=P1, u=0.0):
    ns = np.asarray(P["C"]).size
    return lambda z: ref.tcm_rhs_seconds(z.reshape(ns, 8, 7), P, u, firing, block).ravel()


def _solve(firing, block, x0):
    sol = root(_fun(firing, block), np.ravel(x0), method="hybr", options={"xtol": 1e-13})
    return sol.x.reshape(1, 8, 7), np.abs(_fun(firing, block)(sol.x)).max()


def _rightmost(firing, block, x, k=4):
    ev = np.linalg.eigvals(ref.fd_jacobian(_fun(firing, block), x.ravel()))
    ev = ev[np.lexsort((-ev.imag, -ev.real))]
    return ev[:k]


def _check_identities(x, firing):
    V = x[0, :, ref.kV]
    assert np.allclose(x[0, :, ref.kGABAB], x[0, :, ref.kGABAA], rtol=1e-10, atol=1e-10)
    assert np.allclose(x[0, :, ref.kM], 4.0 * ref.firing_rate(V, 0.0, firing), rtol=1e-10, atol=1e-10)
    for p in (ref.TP, ref.RC):
        assert x[0, p, ref.kH] == pytest.approx(4.0 * ref.h_activation(V[p]), rel=1e-10)
    others = [p for p in range(8) if p not in (ref.TP, ref.RC)]
    assert np.all(np.abs(x[0, others, ref.kH]) < 1e-10)


def _check_eigs(ev, expected):
    expected = np.asarray(expected)
    assert np.allclose(ev.real, expected.real, rtol=1e-5, atol=1e-5)
    assert np.allclose(np.abs(ev.imag), np.abs(expected.imag), rtol=1e-5, atol=1e-5)


def test_fixed_point_smooth_elementwise():
    x, res = _solve("smooth", "elementwise", ref.initial_guess(1, P1, -60.0))
    assert res < 1e-8                                  # derivative per second
    np.testing.assert_allclose(x[0, :, 0], V_SMOOTH_ELEMENTWISE, atol=1e-6)
    _check_identities(x, "smooth")
    _check_eigs(_rightmost("smooth", "elementwise", x), EIG_SMOOTH_ELEMENTWISE)


def test_fixed_point_hard_firing_matlab_block():
    # Newton straight onto the discontinuous RHS can stall on a jump, so continue from the
    # smooth-firing solution with the same block; at the solution every V < V_R = -51 mV,
    # where the hard and smooth firing agree to ~1e-36.
    x_s, res_s = _solve("smooth", "atcm_matlab", ref.initial_guess(1, P1, -60.0))
    assert res_s < 1e-8
    x, res = _solve("atcm_hard", "atcm_matlab", x_s)
    assert res < 1e-8
    V = x[0, :, 0]
    np.testing.assert_allclose(V, V_HARD_MATLAB, atol=1e-6)
    assert V.max() < -51.0 - 0.3                       # away from the threshold jump
    B = ref.mg_block(V[None], 0.0, "atcm_matlab")[0]
    assert np.count_nonzero(B) == 1 and B[ref.SP] > 0    # SP is the most hyperpolarised
    _check_identities(x, "atcm_hard")
    _check_eigs(_rightmost("atcm_hard", "atcm_matlab", x), EIG_HARD_MATLAB)


def test_hard_firing_elementwise_block_has_no_fixed_point_at_the_smooth_one():
    """With the elementwise block RT settles just above V_R = -51 mV under smooth firing, so
    the hard firing (jump 0.5 -> 1 at V_R, §1.5) is far from stationary there."""
    x, _ = _solve("smooth", "elementwise", ref.initial_guess(1, P1, -60.0))
    assert x[0, ref.RT, 0] > -51.0
    assert np.abs(_fun("atcm_hard", "elementwise")(x.ravel())).max() > 1.0


def test_seconds_and_ms_and_input_jacobian():
    rng = np.random.default_rng(0)
    x = ref.initial_guess(1, P1, -55.0) + rng.normal(0, 0.5, (1, 8, 7))
    np.testing.assert_allclose(ref.tcm_rhs_ms(x, P1) * 1000.0, ref.tcm_rhs_seconds(x, P1), rtol=1e-14)
    # dV/dt (1/s) = current / C0; rates 1/tau in 1/s (spec §0.2, §1.3, §1.7)
    f0 = ref.tcm_rhs_seconds(x, P1, u=0.0)
    f1 = ref.tcm_rhs_seconds(x, P1, u=1.0)
    du = f1 - f0
    expected = np.zeros_like(du)
    expected[0, ref.RT, ref.kAMPA] = expected[0, ref.RC, ref.kAMPA] = 1000.0 / 2.2   # §3.2: 454.5
    np.testing.assert_allclose(du, expected, atol=1e-9)
    # two-element input: u[0] -> SP, u[1] -> RC, AMPA only, times exp(C)
    P = ref.default_params(1)
    P["C"] = np.array([np.log(2.0)])
    d2 = ref.tcm_rhs_seconds(x, P, u=[1.0, 3.0]) - ref.tcm_rhs_seconds(x, P, u=0.0)
    assert d2[0, ref.SP, ref.kAMPA] == pytest.approx(2.0 * 1000 / 2.2)
    assert d2[0, ref.RC, ref.kAMPA] == pytest.approx(6.0 * 1000 / 2.2)
    assert np.count_nonzero(np.abs(d2) > 1e-9) == 2


def test_firing_variants_and_blocks():
    assert ref.firing_rate(-51.0 - 1e-9, 0.0, "atcm_hard") == pytest.approx(0.5)
    assert ref.firing_rate(-51.0, 0.0, "atcm_hard") == 1.0
    assert ref.firing_rate(29.999, 0.0, "atcm_hard") == 1.0
    assert ref.firing_rate(30.0, 0.0, "atcm_hard") == 0.0
    assert ref.firing_rate(-51.0, 0.0, "smooth") == pytest.approx(0.5)
    assert ref.firing_rate(30.0, 0.0, "smooth") == pytest.approx(0.5)
    assert ref.firing_rate(-40.0, 0.0, "williams_cdf") == 0.5
    assert ref.firing_rate(-40.0 + np.sqrt(32.0), 0.0, "williams_cdf") == pytest.approx(
        0.5 + 0.5 * np.sqrt(1 - np.exp(-2 / np.pi)))
    V = np.array([[-60.0, -70.0, -50.0, -70.0, 0.0, -40.0, -65.0, -55.0]])
    Be = ref.mg_block(V, 0.0, "elementwise")
    Bm = ref.mg_block(V, 0.0, "atcm_matlab")
    assert np.count_nonzero(Bm) == 1 and Bm[0, 1] == Be[0, 1]    # first of the two -70 mV
    assert ref.mg_block(0.0, 0.0, "spm") == pytest.approx(1.50265 / 1.33)
    assert ref.h_activation(-30.0) == pytest.approx(0.5) and ref.h_activation(-120.0) > 0.999


def test_extrinsic_forward_and_reciprocal_damping():
    ns = 2
    x = ref.initial_guess(ns, ref.default_params(ns), -52.0)
    x[0, :, 0] += np.linspace(-2, 2, 8)
    m = ref.firing_rate(x[:, :, 0], 0.0, "smooth")
    base = ref.targets(x, ref.default_params(ns))
    F = np.array([[0, 0], [1, 0]])                     # source 1 receives from source 0
    Pf = ref.default_params(ns, forward=F)
    dT = ref.targets(x, Pf) - base
    # channel 1 (SP of the sender) -> SS of the receiver, AMPA and NMDA, x2 x 1/8 (§1.7, §1.8)
    assert dT[1, ref.SS, 0] == pytest.approx(2 * m[0, ref.SP] / 8, rel=1e-10)
    assert dT[1, ref.SS, 2] == pytest.approx(2 * m[0, ref.SP] / 8, rel=1e-10)
    assert np.abs(dT[0]).max() < 1e-12                 # e^-32 leakage only
    dT[1, ref.SS, [0, 2]] = 0.0
    assert np.abs(dT).max() < 1e-12
    # lateral (both ways) -> A{1}, A{2} present both ways: AMPA damped by 9, NMDA not
    Pl = ref.default_params(ns, lateral=np.ones((2, 2)) - np.eye(2))
    dT = ref.targets(x, Pl) - base
    assert dT[1, ref.SS, 0] == pytest.approx(2 * m[0, ref.SP] / 8 / 9, rel=1e-10)
    assert dT[1, ref.SS, 2] == pytest.approx(2 * m[0, ref.SP] / 8, rel=1e-10)
    assert dT[1, ref.SI, 0] == pytest.approx(2 * m[0, ref.DP] / 8 / 9, rel=1e-10)
    assert dT[0, ref.SP, 2] == pytest.approx(2 * m[1, ref.DP] / 8, rel=1e-10)
    # routing columns 3-5 zeroed: nothing reaches RT/RC in the reference masks
    assert abs(dT[:, [ref.RT, ref.RC], :2]).max() < 1e-12
    assert abs((ref.targets(x, Pl, extrinsic_masks="unzeroed") - base)[1, ref.RC, 0]
               - 2 * m[0, ref.RT] / 8 / 9) < 1e-12


def test_rejects_unknown_options():
    x = ref.initial_guess(1)
    with pytest.raises(ValueError):
        ref.tcm_rhs_seconds(x, P1, firing="hard")
    with pytest.raises(ValueError):
        ref.tcm_rhs_seconds(x, P1, nmda_block="matlab_basic")
    with pytest.raises(NotImplementedError):
        ref.tcm_rhs_seconds(x, dict(P1, thi=0.0))
