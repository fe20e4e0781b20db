"""Stimulus algebra, sampled values, OU statistics and stimuli driving a linear mass (analytic responses)."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.stimulus import (AlphaPulse, ArrayStimulus, Constant, ExponentialPulse, OrnsteinUhlenbeck,
                                 Sinusoid, SquarePulses, Step, WhiteNoise, ZeroInput)
from tests.conftest import linear_mass

T = np.arange(0.0, 100.0, 1.0)


def col(stim, t=T, n=1, seed=0):
    return stim.sample(t, n, np.random.default_rng(seed))[:, 0]


# ------------------------------------------------------------------ values
def test_step_and_constant_values():
    v = col(Step(amplitude=2.0, onset=10.0, stop=20.0, baseline=0.5))
    assert v[9] == 0.5 and v[10] == 2.5 and v[19] == 2.5 and v[20] == 0.5
    assert np.all(col(ZeroInput()) == 0.0)
    c = col(Constant(3.0, duration=40.0))
    assert c[39] == 3.0 and c[40] == 0.0 and c[0] == 3.0


def test_square_pulses_edges_and_frequency():
    p = SquarePulses(amplitude=1.5, frequency=50.0, width=4.0, start=5.0, stop=70.0)   # period 20 ms
    v = col(p)
    on = np.nonzero(v)[0]
    expected = [k for s in (5, 25, 45, 65) for k in range(s, min(s + 4, 70))]
    assert on.tolist() == expected
    assert np.all(v[on] == 1.5) and p.period == 20.0
    # grid points that hit the edges only up to rounding (0.1 ms steps) count consistently
    t = np.arange(0, 1000) * 0.1
    n_on = col(SquarePulses(1.0, period=10.0, width=2.0), t).sum()
    assert n_on == 10 * 20
    with pytest.raises(tc.ModelError, match="width"):
        SquarePulses(1.0, period=5.0, width=6.0)
    with pytest.raises(tc.ModelError, match="exactly one of period"):
        SquarePulses(1.0, period=5.0, frequency=10.0)


def test_sinusoid_values():
    s = Sinusoid(amplitude=2.0, frequency=10.0, phase=0.3, offset=1.0, start=20.0, stop=80.0)
    v = col(s)
    t = T[20:80]
    np.testing.assert_allclose(v[20:80], 1.0 + 2.0 * np.sin(2 * np.pi * 10.0 * (t - 20.0) / 1000 + 0.3),
                               atol=1e-13)
    assert np.all(v[:20] == 0) and np.all(v[80:] == 0)
    assert v[45] == pytest.approx(1.0 + 2.0 * np.sin(np.pi / 2 + 0.3))   # a quarter period after start


def test_evoked_pulses():
    e = col(ExponentialPulse(onset=10.0, amplitude=3.0, tau=5.0))
    assert e[9] == 0.0 and e[10] == 3.0 and e[15] == pytest.approx(3.0 / np.e, rel=1e-14)
    a = col(AlphaPulse(onset=10.0, amplitude=2.0, tau=8.0))
    assert a[10] == 0.0 and np.argmax(a) == 18 and a[18] == pytest.approx(2.0, rel=1e-14)
    assert a[26] == pytest.approx(2.0 * 2 * np.exp(-1), rel=1e-14)
    # integral A e tau
    t = np.arange(0, 2000.0, 0.01)
    assert np.trapezoid(col(AlphaPulse(0.0, 2.0, 8.0), t), t) == pytest.approx(2 * np.e * 8.0, rel=1e-6)


def test_array_stimulus_interpolates_and_checks_shapes():
    arr = np.array([[0.0, 10.0], [2.0, 20.0], [4.0, 30.0]])
    s = ArrayStimulus(arr, dt=10.0, t0=5.0)
    assert s.duration == 35.0
    v = s.sample(np.array([0.0, 5.0, 10.0, 20.0, 25.0, 30.0, 34.0, 35.0]), 2)
    np.testing.assert_allclose(v[:, 0], [0, 0, 1, 3, 4, 4, 4, 0])
    np.testing.assert_allclose(v[:, 1], [0, 10, 15, 25, 30, 30, 30, 0])
    with pytest.raises(tc.ModelError, match="2 columns but its target has 3 ports"):
        s.sample(np.arange(3.0), 3)
    with pytest.raises(tc.ModelError, match="NaN"):
        ArrayStimulus([1.0, np.nan], dt=1.0)
    with pytest.raises(tc.ModelError, match="shape"):
        ArrayStimulus(np.zeros((2, 2, 2)), dt=1.0)
    with pytest.raises(tc.ModelError, match="dt"):
        ArrayStimulus([1.0, 2.0], dt=0.0)
    assert ArrayStimulus([1.0, 2.0], dt=1.0, duration=None).sample(np.array([50.0]))[0, 0] == 2.0


# ----------------------------------------------------------------- algebra
def test_sum_scale_shift_and_concatenation():
    a = Step(1.0, onset=10.0, duration=30.0)
    b = Sinusoid(1.0, frequency=25.0)
    np.testing.assert_allclose(col(a + b), col(a) + col(b))
    np.testing.assert_allclose(col(2.5 * a - b), 2.5 * col(a) - col(b))
    np.testing.assert_allclose(col(a.scale(-3) + 1.0), -3 * col(a) + 1.0)
    assert (a + b).duration is None and (a + Constant(1, duration=50)).duration == 50.0
    # shift: delayed copy, zero before
    sh = col(b.shift(12.0))
    assert np.all(sh[:12] == 0) and np.allclose(sh[12:], col(b)[:-12])
    # concatenation: the second starts when the first's duration ends (its own t = 0 there)
    c = a & Constant(7.0, duration=5.0) & b
    v = col(c)
    assert c.duration is None
    assert np.all(v[:10] == 0) and np.all(v[10:30] == 1) and np.all(v[30:35] == 7)
    np.testing.assert_allclose(v[35:], col(b)[:65], atol=1e-12)
    # the shift of the first part opens a gap
    d = a.shift(10.0) & Constant(2.0, duration=1.0)
    assert d.duration == 41.0 and col(d)[40] == 2.0 and col(d)[41] == 0.0
    with pytest.raises(tc.ModelError, match="no duration"):
        b & a
    with pytest.raises(tc.ModelError, match="cannot combine"):
        a + "x"


# -------------------------------------------------------------- OU in Python
def test_ou_chunks_continue_the_same_path_and_match_theory():
    ou = OrnsteinUhlenbeck(mean=1.0, sigma=2.0, tau=5.0)
    dt, n, n_targets = 0.5, 60_000, 4
    t = np.arange(n + 1) * dt
    single = OrnsteinUhlenbeck(1.0, 2.0, 5.0).sample(t, n_targets, np.random.default_rng(3))
    # the simulator's overlapping chunks (a chunk's last point is the next one's first)
    rng, parts, start = np.random.default_rng(3), [], 0
    for stop in (777, 5000, 5001, 33333, n):
        block = ou.sample(t[start:stop + 1], n_targets, rng)
        parts.append(block[:-1] if stop < n else block)
        start = stop
    chunked = np.vstack(parts)
    np.testing.assert_allclose(chunked, single, rtol=1e-12, atol=1e-12)   # same path (to rounding)
    x = chunked - 1.0
    assert x.mean() == pytest.approx(0.0, abs=0.06)
    assert x.var() == pytest.approx(4.0, rel=0.04)
    for lag_ms in (0.5, 5.0, 10.0):
        k = int(lag_ms / dt)
        r = np.mean(x[:-k] * x[k:]) / x.var()
        assert r == pytest.approx(np.exp(-lag_ms / 5.0), abs=0.02)
    # a different generator object (a new run) restarts the process
    again = ou.sample(t[:10], n_targets, np.random.default_rng(4))
    assert not np.allclose(again, single[:10])


def test_spec_only_for_plain_or_scaled_ou():
    ou = OrnsteinUhlenbeck(0.5, 2.0, 20.0)
    assert ou.spec() == {"kind": "ou", "mean": 0.5, "sigma": 2.0, "tau": 20.0}
    assert (-2 * ou).spec() == {"kind": "ou", "mean": -1.0, "sigma": 4.0, "tau": 20.0}
    assert (ou + 1.0).spec() is None and ou.shift(5).spec() is None
    assert OrnsteinUhlenbeck(duration=10.0).spec() is None


def test_white_noise_statistics_and_overlap_consistency():
    w = WhiteNoise(sigma=3.0, mean=-1.0)
    rng = np.random.default_rng(0)
    t = np.arange(20001) * 0.1
    a = w.sample(t[:101], 2, rng)
    b = w.sample(t[100:], 2, rng)
    assert np.array_equal(a[-1], b[0])            # same grid time, same value
    v = np.vstack([a[:-1], b])
    assert v.mean() == pytest.approx(-1.0, abs=0.05) and v.std() == pytest.approx(3.0, rel=0.02)
    assert abs(np.corrcoef(v[:-1, 0], v[1:, 0])[0, 1]) < 0.03


# ------------------------------------------------------ through simulate()
@pytest.fixture(scope="module")
def linear(linear_model):
    return linear_model


@pytest.fixture(scope="module")
def linear_net():
    node = tc.Node("pair", {"A": linear_mass(), "B": linear_mass().with_params(tau=5.0)})
    n = 20
    return tc.build(tc.Network([node] * n, np.zeros((n, n)), np.zeros((n, n)), couplings=[]))


def test_sinusoid_through_linear_mass_matches_analytic(linear):
    """x' = -x/tau + A sin(w t) from x(0)=1: x = C e^{-t/tau} + A tau (sin wt - w tau cos wt)/(1 + w^2 tau^2).

    Sampled stimuli are linearly interpolated at RK4's half-step stages, an
    O(dt^2) error of about A w^2 dt^2 / 8 in the input: the error must be
    that small and shrink 4-fold when dt halves."""
    A, f, tau = 2.0, 40.0, 10.0
    w = 2 * np.pi * f / 1000
    errs = []
    for dt in (0.05, 0.025):
        res = linear.simulate(200.0, dt, method="rk4", stimuli={"linear.u": Sinusoid(A, f)})
        t = res.t
        part = A * tau * (np.sin(w * t) - w * tau * np.cos(w * t)) / (1 + (w * tau) ** 2)
        C = 1.0 + A * tau * w * tau / (1 + (w * tau) ** 2)
        errs.append(np.max(np.abs(res["linear.x"][:, 0] - (C * np.exp(-t / tau) + part))))
    gain = tau / np.sqrt(1 + (w * tau) ** 2)
    assert errs[0] < gain * A * w ** 2 * 0.05 ** 2 / 8
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)


def test_composite_stimulus_through_linear_mass(linear):
    """Constant 1 for 30 ms then a step of 3 from 50 ms on (via &, shift and +)."""
    stim = Constant(1.0, duration=30.0) & (Step(3.0, onset=0.0)).shift(20.0)
    dt, tau = 0.01, 10.0
    res = linear.simulate(120.0, dt, method="rk4", stimuli={"linear.u": stim}, initial={"linear.x": 0.0})
    t, x = res.t, res["linear.x"][:, 0]

    def exact(t):
        x30 = tau * (1 - np.exp(-30 / tau))
        return np.where(t <= 30, tau * (1 - np.exp(-t / tau)),
                        np.where(t <= 50, x30 * np.exp(-(t - 30) / tau),
                                 x30 * np.exp(-(t - 30) / tau) + 3 * tau * (1 - np.exp(-(t - 50) / tau))))
    # edges are linearly interpolated over one step: error at most amplitude * dt / 2 per edge
    np.testing.assert_allclose(x, exact(t), atol=3 * dt)
    assert np.max(np.abs(x - exact(t))) > 1e-6      # the edge error is really there (not a tautology)


def test_stimulus_node_selection_and_errors(linear_net):
    m = linear_net
    res = m.simulate(20.0, 0.1, method="heun", stimuli={("A.u", (0, 2)): Constant(1.0),
                                                        ("B.u", ("node5",)): 2.0},
                     initial={"A.x": 0.0, "B.x": 0.0}, record=["A.x", "B.x"])
    a, b = res["A.x"][-1], res["B.x"][-1]
    assert np.count_nonzero(a) == 2 and a[0] == pytest.approx(10 * (1 - np.exp(-2.0)), rel=1e-5)
    assert a[2] == a[0] and np.count_nonzero(b) == 1 and b[5] == pytest.approx(10 * (1 - np.exp(-4.0)), rel=1e-5)
    with pytest.raises(tc.ModelError, match=r"ports are \['A.u', 'B.u'\]"):
        m.simulate(1.0, 0.1, stimuli={"A.v": Constant(1.0)})
    with pytest.raises(tc.ModelError, match="2 columns but its target has 20 ports"):
        m.simulate(1.0, 0.1, stimuli={"A.u": ArrayStimulus(np.ones((5, 2)), dt=1.0)})


def test_ou_in_loop_and_in_python_give_the_filtered_variance(linear_net):
    """u OU(sigma, tau_u) into x' = -x/tau + u: Var x = sigma^2 tau^2 tau_u / (tau + tau_u)."""
    sigma, tau_u, tau = 1.0, 5.0, 10.0
    theory = sigma ** 2 * tau ** 2 * tau_u / (tau + tau_u)
    ou = OrnsteinUhlenbeck(0.0, sigma, tau_u)
    kw = dict(duration=20_000.0, dt=0.1, method="heun", record=["A.x"], every=10, transient=100.0, seed=5)
    for stim in (ou, ou + ZeroInput()):          # in the compiled loop / sampled in Python chunks
        x = linear_net.simulate(stimuli={"A.u": stim}, initial={"A.x": 0.0}, **kw)["A.x"]
        assert x.var() == pytest.approx(theory, rel=0.06)
        assert abs(np.corrcoef(x[:, 0], x[:, 1])[0, 1]) < 0.1     # independent per target


def test_python_sampled_noise_is_reproducible_across_chunk_sizes(linear_net):
    stim = OrnsteinUhlenbeck(0.0, 1.0, 3.0) + Step(1.0, 5.0) + WhiteNoise(0.5)
    kw = dict(duration=50.0, dt=0.1, method="heun", stimuli={"A.u": stim}, record=["A.x"], seed=11)
    a = linear_net.simulate(**kw)["A.x"]
    b = linear_net.simulate(chunk=37, **kw)["A.x"]
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)     # same draws, rounding aside
    c = linear_net.simulate(**dict(kw, seed=12))["A.x"]
    assert not np.allclose(a, c)
