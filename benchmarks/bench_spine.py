"""Spine benchmarks (issue 2): generated Jansen-Rit network vs hand-written Numba, and build times.

    python benchmarks/bench_spine.py [--repeats 5] [--skip-build]

1. 76-node Jansen-Rit network (TVB's equations), 30 % dense random weights,
   delays 1-30 ms, dt 0.1 ms, 10 s, Heun with per-stage delayed coupling:
   tcmcompose vs the hand-written twin in benchmarks/handwritten_jansen_rit.py,
   run alternately in this process; medians and their ratio, node·steps/s,
   and the largest difference between the two traces.
2. Build time, cold (empty TCMCOMPOSE_CACHE, new process) and warm (same
   cache, new process) for N = 10, 76, 100, 1000.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

BUILD_SCRIPT = """
import sys, time
t0 = time.perf_counter()
import numpy as np
import tcmcompose as tc
from tcmcompose.masses.library import JansenRit
t_import = time.perf_counter() - t0
n = int(sys.argv[1])
rng = np.random.default_rng(0)
W = rng.random((n, n)) * (rng.random((n, n)) < 0.3)
np.fill_diagonal(W, 0)
D = rng.uniform(1, 30, (n, n))
net = tc.Network([tc.Node("jr", {"JR": JansenRit()})] * n, W, D, couplings=[tc.Coupling("JR.rate", "JR.c")])
t0 = time.perf_counter()
model = tc.build(net)
t_build = time.perf_counter() - t0
print(t_import, t_build, int(model.build_info["generated"]))
"""


def jr_setup(n=76, seed=0):
    import tcmcompose as tc
    from tcmcompose.masses.library import JansenRit
    rng = np.random.default_rng(seed)
    W = rng.random((n, n)) * (rng.random((n, n)) < 0.3)
    np.fill_diagonal(W, 0.0)
    D = rng.uniform(1.0, 30.0, (n, n))
    net = tc.Network([tc.Node("jr", {"JR": JansenRit()})] * n, W, D,
                     couplings=[tc.Coupling("JR.rate", "JR.c", gain=1.0)])
    return net, W, D


def bench_jr(repeats):
    import tcmcompose as tc
    from handwritten_jansen_rit import simulate_jr_handwritten
    n, dt, duration, every = 76, 0.1, 10_000.0, 10
    net, W, D = jr_setup(n)
    model = tc.build(net)
    n_steps = int(round(duration / dt))
    lags = np.rint(D / dt).astype(np.int64)
    x0 = model.x0.reshape(6, n).T.copy()          # state-major layout -> (node, state)
    simulate_jr_handwritten(W, lags, x0, 10, dt, 1.0, every)           # compile
    model.simulate(1.0, dt, record=["JR.v"], every=every)
    t_gen, t_hand, c_gen, c_hand = [], [], [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        res = model.simulate(duration, dt, method="heun", record=["JR.v"], every=every)
        t_gen.append(time.perf_counter() - t0)
        c_gen.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        _, rec = simulate_jr_handwritten(W, lags, x0, n_steps, dt, 1.0, every)
        t_hand.append(time.perf_counter() - t0)
        c_hand.append(time.process_time() - c0)
    g, h = statistics.median(t_gen), statistics.median(t_hand)
    diff = np.max(np.abs(res["JR.v"] - rec))
    print(f"Jansen-Rit {n} nodes, {int((W != 0).sum())} delayed edges, {n_steps} Heun steps of {dt} ms:")
    print(f"  tcmcompose   median {g:.3f} s  ({n * n_steps / g:,.0f} node·steps/s)  runs {[round(t, 3) for t in t_gen]}")
    print(f"  hand-written median {h:.3f} s  ({n * n_steps / h:,.0f} node·steps/s)  runs {[round(t, 3) for t in t_hand]}")
    print(f"  ratio tcmcompose / hand-written = {g / h:.3f}   (goal <= 1.10)")
    # on a shared machine: CPU time (less sensitive to other processes than wall time), and the
    # median of the ratios of back-to-back pairs (cancels load that drifts between pairs)
    pairs = statistics.median(a / b for a, b in zip(c_gen, c_hand))
    print(f"  CPU time: median {statistics.median(c_gen):.3f} s vs {statistics.median(c_hand):.3f} s, "
          f"median ratio of back-to-back pairs {pairs:.3f}; load {os.getloadavg()[0]:.2f}")
    print(f"  max |difference| of y1-y2 traces = {diff:.2e} mV")


def bench_build(sizes):
    print("Build time (new process each; seconds; excludes the import of tcmcompose):")
    print(f"  {'N':>6} {'cold':>8} {'warm':>8} {'import':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, TCMCOMPOSE_CACHE=cache)
            run = lambda: subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(n)], env=env,  # noqa: E731
                                         capture_output=True, text=True, check=True).stdout.split()
            cold = run()
            warm = run()
            assert cold[2] == "1" and warm[2] == "0"
            print(f"  {n:>6} {float(cold[1]):8.2f} {float(warm[1]):8.2f} {float(warm[0]):8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    bench_jr(args.repeats)
    if not args.skip_build:
        bench_build([10, 76, 100, 1000])
