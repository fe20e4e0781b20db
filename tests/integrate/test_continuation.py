"""History as initial condition: a past array, a callable of t, or a previous
Result that the run continues bit for bit (delays, noise and OU inputs included)."""
import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose import ModelError

from ..conftest import linear_mass


@pytest.fixture(scope="module")
def noisy_ring():
    """Three noisy linear units on a delayed ring (delays 1.3, 2.0, 3.1 ms):
    small, so exact NumPy references are cheap."""
    mass = linear_mass().with_noise({"x": 0.3})
    W = np.array([[0.0, 0.5, 0.0], [0.0, 0.0, -0.7], [0.9, 0.0, 0.0]])
    D = np.array([[0.0, 1.3, 0.0], [0.0, 0.0, 2.0], [3.1, 0.0, 0.0]])
    net = tc.Network([tc.Node("n", {"L": mass})] * 3, W, D, couplings=[tc.Coupling("L.x", "L.u")])
    return tc.build(net)


def both(res_a, res_b, name="L.x"):
    return np.concatenate([res_a[name], res_b[name][1:]])


@pytest.mark.parametrize("method", ["euler_maruyama", "stochastic_heun"])
def test_continuing_a_result_reproduces_the_long_run_bit_for_bit(noisy_ring, method):
    stimuli = {("L.u", (0,)): tc.stimulus.OrnsteinUhlenbeck(mean=0.2, sigma=0.5, tau=4.0),   # in-loop OU
               ("L.u", (1,)): tc.stimulus.Sinusoid(amplitude=0.4, frequency=0.05)}            # sampled
    kw = dict(method=method, stimuli=stimuli)
    whole = noisy_ring.simulate(20.0, 0.1, seed=7, **kw)
    first = noisy_ring.simulate(8.0, 0.1, seed=7, **kw)
    second = noisy_ring.simulate(12.0, 0.1, initial=first, **kw)
    assert second.t[0] == first.t[-1] and np.allclose(second.t[-1], 20.0)
    assert np.array_equal(both(first, second), whole["L.x"])
    assert np.array_equal(second.final_state, whole.final_state)
    assert second.info["seed"] == 7 and second.info["started_at"] == pytest.approx(8.0)
    # a third leg, continued from the continuation, and from its History object directly
    third = noisy_ring.simulate(5.0, 0.1, initial=second.history, **kw)
    longer = noisy_ring.simulate(25.0, 0.1, seed=7, **kw)
    assert np.array_equal(third["L.x"], longer["L.x"][200:])


def test_an_interrupted_length_of_chunks_does_not_matter(noisy_ring):
    """Chunk boundaries inside either leg leave the continuation exact."""
    whole = noisy_ring.simulate(10.0, 0.1, method="euler_maruyama", seed=3, chunk=7)
    first = noisy_ring.simulate(4.3, 0.1, method="euler_maruyama", seed=3, chunk=11)
    second = noisy_ring.simulate(5.7, 0.1, method="euler_maruyama", initial=first, chunk=5)
    assert np.array_equal(both(first, second), whole["L.x"])


def test_a_new_seed_starts_fresh_streams_from_the_same_past(noisy_ring):
    first = noisy_ring.simulate(5.0, 0.1, method="euler_maruyama", seed=1)
    same = noisy_ring.simulate(5.0, 0.1, method="euler_maruyama", initial=first)
    other = noisy_ring.simulate(5.0, 0.1, method="euler_maruyama", initial=first, seed=2)
    assert other.info["seed"] == 2 and not np.array_equal(same["L.x"], other["L.x"])
    assert np.array_equal(same["L.x"][0], other["L.x"][0])      # both start at the same state


def numpy_ring(model, past, steps, dt):
    """Euler on the deterministic ring, delays read from ``past`` (rows at
    t = -(K-1) dt ... 0) and then from the run itself."""
    W = np.array([[0.0, 0.5, 0.0], [0.0, 0.0, -0.7], [0.9, 0.0, 0.0]])
    lag = np.rint(np.array([[0.0, 1.3, 0.0], [0.0, 0.0, 2.0], [3.1, 0.0, 0.0]]) / dt).astype(int)
    tau = 10.0
    xs = list(past)
    for _ in range(steps):
        now = len(xs) - 1
        u = np.array([sum(W[i, j] * xs[now - lag[i, j]][j] for j in range(3)) for i in range(3)])
        xs.append(xs[now] + dt * (-xs[now] / tau + u))
    return np.array(xs[len(past) - 1:])


def test_a_past_array_and_a_callable_are_the_history(noisy_ring):
    dt, K = 0.1, 40
    t = -np.arange(K - 1, -1, -1) * dt
    past = np.stack([np.sin(0.3 * t), np.cos(0.2 * t), 0.1 * t], axis=1)
    expected = numpy_ring(noisy_ring, past, 100, dt)
    res = noisy_ring.simulate(10.0, dt, method="euler", noise=False, initial=past)
    assert np.allclose(res["L.x"], expected, rtol=0, atol=1e-13)
    f = lambda s: np.array([np.sin(0.3 * s), np.cos(0.2 * s), 0.1 * s])  # noqa: E731
    again = noisy_ring.simulate(10.0, dt, method="euler", noise=False, initial=f)
    assert np.array_equal(again["L.x"], res["L.x"])
    # a constant history differs (the delayed past matters)
    flat = noisy_ring.simulate(10.0, dt, method="euler", noise=False, initial=past[-1])
    assert np.abs(flat["L.x"] - res["L.x"]).max() > 1e-3


def test_bad_pasts_are_named(noisy_ring):
    with pytest.raises(ModelError, match=r"has 20 rows .*reads 31 steps back.*at least 32 rows"):
        noisy_ring.simulate(1.0, 0.1, method="euler", noise=False, initial=np.zeros((20, 3)))
    with pytest.raises(ModelError, match=r"shape \(40, 2\); give \(steps, 3\)"):
        noisy_ring.simulate(1.0, 0.1, method="euler", noise=False, initial=np.zeros((40, 2)))
    with pytest.raises(ModelError, match=r"initial history at t = -3.1 ms \(row 0\): state node0.L.x is not finite"):
        noisy_ring.simulate(1.0, 0.1, method="euler", noise=False,
                            initial=lambda s: np.array([np.nan if s < -0.4 else 0.0] * 3))
    first = noisy_ring.simulate(1.0, 0.1, method="euler", noise=False)
    with pytest.raises(ModelError, match=r"made at dt = 0.1 ms with dt = 0.05 ms"):
        noisy_ring.simulate(1.0, 0.05, method="euler", noise=False, initial=first)
    other = tc.build(linear_mass())
    with pytest.raises(ModelError, match=r"has 3 states; this model has 1"):
        other.simulate(1.0, 0.1, initial=first)


@pytest.mark.parametrize("method, coupling_mode, interpolation", [
    ("heun", "per_stage", "nearest"), ("rk4", "per_stage", "linear"), ("heun", "per_step", "nearest")])
def test_delayed_jansen_rit_continues_exactly(jr_model, method, coupling_mode, interpolation):
    """Deterministic Heun/RK4 (Hermite history derivatives carried over) and
    TVB's per-step coupling on the shared 4-node delayed Jansen-Rit network."""
    kw = dict(method=method, coupling_mode=coupling_mode, delay_interpolation=interpolation, record=["JR.y0"])
    whole = jr_model.simulate(60.0, 0.1, **kw)
    first = jr_model.simulate(23.7, 0.1, **kw)
    second = jr_model.simulate(36.3, 0.1, initial=first, **kw)
    assert np.array_equal(both(first, second, "JR.y0"), whole["JR.y0"])
