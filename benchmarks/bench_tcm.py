"""TCM benchmarks (issue 3).

    python benchmarks/bench_tcm.py [--repeats 5]

1. One column (smooth firing, elementwise block, theta = 0, intrinsic delays
   set to 0 to match the twin), Heun at dt = 0.05 ms for 1 s and 10 s:
   tcmcompose (a whole ``simulate`` call, fixed Python cost included) vs the
   hand-written Numba twin (benchmarks/handwritten_tcm_column.py), alternately
   in this process; medians, ratio, and the largest state difference; the
   marginal cost per step (difference of the two durations) isolates the
   compiled loop from the fixed cost of a call. The column is a small model,
   so it runs on the unrolled stage kernels (tcmcompose.codegen.unroll).
2. A 90-source TCM network (sparse random forward/backward adjacency,
   extrinsic delays 5-20 ms, intrinsic delays on), Heun at dt = 0.05 ms:
   µs per column·step and source·steps/s, medians; its stage kernels are a
   loop over the nodes with one column written out (node loop, see
   tcmcompose.codegen.unroll), against the group kernels (``unroll=False``,
   the kernels it had before) alternately in this process; then with every
   intrinsic link undelayed (then baked into the node loop).
3. Cold (empty cache, new process) and warm build times for both, and the
   first simulate after the build (build + first simulate = a new user's wait).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

BUILD = """
import sys, time
import numpy as np
import tcmcompose as tc
from tcmcompose.nodes.tcm_column import TCMColumn
from tcmcompose.networks.tcm_network import tcm_network
n = int(sys.argv[1])
if n == 1:
    obj = TCMColumn()
else:
    rng = np.random.default_rng(0)
    F = rng.random((n, n)) < 0.05
    B = F.T.copy()
    np.fill_diagonal(F, 0); np.fill_diagonal(B, 0)
    obj = tcm_network(n, forward=F, backward=B, delays=rng.uniform(5, 20, (n, n)))
t0 = time.perf_counter()
model = tc.build(obj)
t1 = time.perf_counter()
model.simulate(1.0, 0.05, record=[])
print(t1 - t0, int(model.build_info["generated"]), time.perf_counter() - t0)
"""


def network(n=90, seed=0):
    from tcmcompose.networks.tcm_network import tcm_network
    rng = np.random.default_rng(seed)
    F = rng.random((n, n)) < 0.05
    B = F.T.copy()
    np.fill_diagonal(F, 0)
    np.fill_diagonal(B, 0)
    return tcm_network(n, forward=F, backward=B, delays=rng.uniform(5, 20, (n, n)))


def bench_column(repeats):
    import tcmcompose as tc
    from handwritten_tcm_column import simulate_tcm_column_handwritten
    from tcmcompose.masses.library.tcm import POPULATIONS
    from tcmcompose.nodes.tcm_column import TCMColumn
    model = tc.build(TCMColumn())
    model.connections["delay_expr"] = ""
    model.connections["delay"] = 0.0
    idx = model.state_index
    states = ["V", "g_ampa", "g_gabaa", "g_nmda", "g_gabab", "g_m", "g_h"]
    x0 = np.zeros((8, 7))
    x0[:, 0] = -60.0
    flat = np.array([x0[POPULATIONS.index(m), states.index(s)] for _, m, s in idx])
    dt = 0.05
    simulate_tcm_column_handwritten(x0.copy(), 10, dt)
    model.simulate(1.0, dt, initial=flat, record=[])
    print(f"TCM column ({model.n_states} states, {'unrolled' if model.description.unrolled else 'group'} kernels), "
          f"Heun at dt = {dt} ms, each run a full simulate() call:")
    medians = {}
    for n_steps in (20000, 200000):
        tg, th = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            res = model.simulate(n_steps * dt, dt, method="heun", initial=flat, record=[])
            tg.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            xh = simulate_tcm_column_handwritten(x0.copy(), n_steps, dt)
            th.append(time.perf_counter() - t0)
        g, h = statistics.median(tg), statistics.median(th)
        medians[n_steps] = (g, h)
        ours = np.zeros((8, 7))
        for k, (_, m, s) in enumerate(idx):
            ours[POPULATIONS.index(m), states.index(s)] = res.final_state[k]
        print(f"  {n_steps * dt / 1000:g} s ({n_steps} steps): tcmcompose {g * 1e3:.1f} ms "
              f"({n_steps / g:,.0f} column·steps/s), hand-written {h * 1e3:.1f} ms ({n_steps / h:,.0f}); "
              f"ratio = {g / h:.3f} (goal <= 1.10); max |state difference| = {np.abs(ours - xh).max():.1e}")
    (g1, h1), (g2, h2) = medians[20000], medians[200000]
    print(f"  marginal cost per step (10 s minus 1 s runs): tcmcompose {(g2 - g1) / 180000 * 1e9:.0f} ns, "
          f"hand-written {(h2 - h1) / 180000 * 1e9:.0f} ns; ratio = {(g2 - g1) / (h2 - h1):.3f}")
    t0 = time.perf_counter()
    for _ in range(20):
        model.simulate(dt, dt, initial=flat, record=[])
    print(f"  fixed cost of one simulate() call (1 step): {(time.perf_counter() - t0) / 20 * 1e3:.2f} ms")


def bench_network(repeats):
    import tcmcompose as tc
    models = {"node loop": tc.build(network()), "group kernels": tc.build(network(), unroll=False)}
    assert models["node loop"].description.node_loop
    dt, T = 0.05, 200.0
    steps, n = int(T / dt), 90
    for m in models.values():
        m.simulate(1.0, dt, record=[])
    e = models["node loop"].edges()
    print(f"TCM network: {n} sources, {models['node loop'].n_states} states, {len(e.src)} edges "
          f"({int((e.delay > 0).sum())} delayed), Heun at dt = {dt} ms, {T:g} ms per run, medians of {repeats}:")
    for case in ("intrinsic delays on", "intrinsic links undelayed"):
        if case == "intrinsic links undelayed":
            for m in models.values():
                m.connections["delay_expr"] = ""
                m.connections["delay"] = 0.0
        walls = {name: [] for name in models}
        for _ in range(repeats):
            for name, m in models.items():
                t0 = time.perf_counter()
                m.simulate(T, dt, method="heun", record=["SP.V"], every=20)
                walls[name].append(time.perf_counter() - t0)
        per = {name: statistics.median(w) / (n * steps) * 1e6 for name, w in walls.items()}
        for name, us in per.items():
            print(f"  {case:<26} {name:<14} {us:.3f} µs per column·step = {1 / us * 1e6:,.0f} source·steps/s")
        print(f"  {case:<26} node loop / group kernels = {per['node loop'] / per['group kernels']:.2f} "
              f"(goal: <= 0.55 µs per column·step)")


def bench_build():
    print("Build, and build + first simulate (new process; s):   cold build (+ first simulate)   warm")
    for n in (1, 90):
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, TCMCOMPOSE_CACHE=cache)
            out = [subprocess.run([sys.executable, "-c", BUILD, str(n)], env=env, capture_output=True, text=True,
                                  check=True).stdout.split() for _ in range(2)]
            assert out[0][1] == "1" and out[1][1] == "0"
            print(f"  {'column' if n == 1 else '90 sources':<22} {float(out[0][0]):6.2f} ({float(out[0][2]):.2f})"
                  f"  {float(out[1][0]):6.2f} ({float(out[1][2]):.2f})")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    bench_column(args.repeats)
    bench_network(args.repeats)
    bench_build()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
