import numpy as np
import pytest


class InterruptAfter:
    """A stimulus that raises KeyboardInterrupt (as Ctrl-C would) on its k-th chunk."""

    def __init__(self, k):
        self.k, self.calls = k, 0

    def sample(self, t, n_targets, rng=None):
        self.calls += 1
        if self.calls == self.k:
            raise KeyboardInterrupt
        return np.zeros((len(t), n_targets))


def test_interrupted_chunked_run_returns_what_was_done(linear_model):
    full = linear_model.simulate(100.0, 0.1, chunk=200)
    with pytest.warns(UserWarning, match="interrupted at t = 60 ms"):
        res = linear_model.simulate(100.0, 0.1, chunk=200, stimuli={"linear.u": InterruptAfter(4)})
    assert res.info["interrupted"] and not full.info["interrupted"]
    assert len(res.t) == 601 and res.t[-1] == pytest.approx(60.0)
    assert np.array_equal(res["linear.x"], full["linear.x"][:601])


def test_interrupt_in_the_first_chunk_propagates(linear_model):
    with pytest.raises(KeyboardInterrupt):
        linear_model.simulate(10.0, 0.1, stimuli={"linear.u": InterruptAfter(1)})
