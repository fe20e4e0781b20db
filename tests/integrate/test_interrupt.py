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


# ---- real Ctrl-C: the run is served within a second and loses nothing. Signal handling is
# process-wide state that other tests' libraries may change (in full-suite runs in a fresh
# environment a SIGINT never reached Python's handler), so the run is made in a fresh
# interpreter with SIGINT handled as a terminal would deliver it.
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

SIGINT_SCRIPT = r"""
import os, signal, sys, threading, time, warnings
import numpy as np
sys.path.insert(0, sys.argv[2])
import tcmcompose as tc
from tests.conftest import linear_mass
progress = sys.argv[1] == "1"
# Ctrl-C as a terminal delivers it: a process inherits an ignored SIGINT or a blocked signal
# mask from its parent, and a test runner may have either (one full-suite run in a fresh
# environment did: the SIGINT never arrived)
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
model = tc.build(linear_mass())
dt, every, u = 0.1, 1000, {"linear.u": 0.5}
model.simulate(1.0, dt, every=every, stimuli=u, progress=progress)     # compiled before the clock starts
sent = []
timer = threading.Timer(0.4, lambda: (sent.append(time.perf_counter()), os.kill(os.getpid(), signal.SIGINT)))
timer.start()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    res = model.simulate(1e8, dt, every=every, stimuli=u, progress=progress)   # 1e9 steps: minutes
returned = time.perf_counter()
timer.join()
assert any("interrupted at t =" in str(w.message) for w in caught), [str(w.message) for w in caught]
assert res.info["interrupted"] and sent
assert returned - sent[0] < 1.0, returned - sent[0]            # served at the next call boundary
n = int(round(res.info["stopped_at"] / dt))
assert 0 < n < 1e9 and res.t[-1] <= res.info["stopped_at"] and len(res.t) == n // every + 1
# the same run, uninterrupted, to the same time and a bit further
extra = 1234
full = model.simulate((n + extra) * dt, dt, every=1, stimuli=u, record=["linear.x"])
assert np.array_equal(res["linear.x"][:, 0], full["linear.x"][:n + 1:every, 0])
assert np.array_equal(res.final_state, full["linear.x"][n])
# continuing from the interrupted run's final state reproduces the uninterrupted run
cont = model.simulate(extra * dt, dt, initial=res.final_state, stimuli=u)
assert np.array_equal(cont["linear.x"][:, 0], full["linear.x"][n:, 0])
# Ctrl-C handling is restored after the run
assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
print("ok", n)
"""


@pytest.mark.parametrize("progress", [False, True])
def test_sigint_returns_quickly_with_a_consistent_final_state(progress):
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", SIGINT_SCRIPT, "1" if progress else "0", root],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("ok"), done.stderr[-3000:]


def test_chunk_boundaries_do_not_change_a_delayed_run(jr_model):
    """Calls are sized by wall time, so chunk boundaries fall anywhere: the run must not notice."""
    for method in ("heun", "rk4"):
        whole = jr_model.simulate(40.0, 0.1, method=method, chunk=10 ** 9)
        cut = jr_model.simulate(40.0, 0.1, method=method, chunk=7)
        for name in whole.variables:
            assert np.array_equal(whole[name], cut[name])
        assert np.array_equal(whole.final_state, cut.final_state)


def test_chunks_are_sized_to_the_target_time():
    from tcmcompose.integrate.guards import Chunks
    c = Chunks(10 ** 9, target_s=0.1, probe=100, growth=8)
    sizes = []
    n = 0
    for _ in range(6):
        stop = c.stop(n)
        c._t0 -= (stop - n) * 1e-6            # pretend each step took 1 microsecond
        c.done(stop - n)
        sizes.append(stop - n)
        n = stop
    assert sizes[:4] == [100, 800, 6400, 51200] and sizes[5] == pytest.approx(1e5, rel=0.01)


def test_an_interrupted_delayed_run_continues_exactly_from_its_result(jr_model):
    """Ctrl-C after some chunks, then initial=res: the two legs equal the uninterrupted run."""
    kw = dict(method="heun", chunk=100, record=["JR.y0"])
    full = jr_model.simulate(50.0, 0.1, stimuli={"JR.c": 0.0}, **kw)
    with pytest.warns(UserWarning, match="interrupted at t = 30 ms"):
        cut = jr_model.simulate(50.0, 0.1, stimuli={"JR.c": InterruptAfter(4)}, **kw)
    rest = jr_model.simulate(50.0 - cut.info["stopped_at"], 0.1, initial=cut, stimuli={"JR.c": 0.0}, **kw)
    assert np.array_equal(np.concatenate([cut["JR.y0"], rest["JR.y0"][1:]]), full["JR.y0"])
