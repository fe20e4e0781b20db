"""Batch and sweep benchmarks (issue 14).

    python benchmarks/bench_explore.py [--runs 64] [--repeats 3] [--workers 2]

1. Batch throughput: ``runs`` stochastic runs (own seed and coupling gain
   each) of a 76-region Jansen-Rit network (generated connectome, delays at
   3 mm/ms, additive noise on y4), 2 s at dt = 0.1 ms, Heun-Maruyama
   (stochastic Heun): ``model.simulate_batch(..., workers=W)`` against a
   serial Python loop of ``model.simulate`` with the same edits and seeds,
   alternated in this process; medians, their ratio, the process CPU time
   per wall second (how many cores the batch really got) and the load
   average (other processes share the cores). Checks the traces are
   bit-identical.
2. GIL check: the longest pause of a Python loop in the main thread while
   another thread runs a 3 s simulation (kernel calls last ~0.15 s each; a
   kernel holding the GIL would pause the loop that long).
"""
import argparse
import os
import statistics
import time

import numpy as np


def jr76(sigma=5.0):
    import tcmcompose as tc
    from tcmcompose.masses.library import JansenRit
    conn = tc.datasets.connectome("generated", n_regions=76, seed=0)
    node = tc.Node("jr", {"JR": JansenRit(noise={"y4": sigma})})
    net = tc.Network([node] * conn.n_regions, conn.weights, conn.delays(3.0), labels=conn.labels,
                     couplings=[tc.Coupling("JR.rate", "JR.c", gain=1.0)])
    return tc.build(net)


def bench_batch(runs, repeats, workers):
    model = jr76()
    rng = np.random.default_rng(0)
    edits = [{"JR.mu": float(mu)} for mu in rng.uniform(0.12, 0.3, runs)]
    opts = dict(method="stochastic_heun", record=["JR.v"], every=10)
    duration, dt = 2000.0, 0.1
    model.simulate(10.0, dt, **opts)               # compile / load once

    def serial(seeds):
        out = []
        for edit, s in zip(edits, seeds):
            model.set_param("JR.mu", edit["JR.mu"])
            out.append(model.simulate(duration, dt, seed=s, **opts)["JR.v"])
        model.set_param("JR.mu", 0.22)
        return out

    t_ser, t_bat, cpu_ratio, loads = [], [], [], []
    identical = True
    for rep in range(repeats):
        loads.append(os.getloadavg()[0])
        t0, c0 = time.perf_counter(), time.process_time()
        batch = model.simulate_batch(edits, duration, dt, seed=rep, workers=workers, **opts)
        t_bat.append(time.perf_counter() - t0)
        cpu_ratio.append((time.process_time() - c0) / t_bat[-1])
        t0 = time.perf_counter()
        ref = serial(list(batch.runs.seed))
        t_ser.append(time.perf_counter() - t0)
        identical &= all(np.array_equal(a, b) for a, b in zip(ref, batch["JR.v"]))
    s, b = statistics.median(t_ser), statistics.median(t_bat)
    print(f"Batch: {runs} runs x {duration / 1000:g} s of a 76-region noisy Jansen-Rit network "
          f"(dt {dt} ms, stochastic Heun), {workers} threads, {os.cpu_count()} cores visible")
    print(f"  serial loop of simulate   median {s:7.2f} s  ({runs / s:6.2f} runs/s)  {[round(x, 2) for x in t_ser]}")
    print(f"  simulate_batch            median {b:7.2f} s  ({runs / b:6.2f} runs/s)  {[round(x, 2) for x in t_bat]}")
    print(f"  throughput ratio batch / serial = {s / b:.2f}   (goal >= 1.8 on 2 free cores)")
    print(f"  batch CPU seconds per wall second = {statistics.median(cpu_ratio):.2f} (cores actually obtained)")
    print(f"  1-min load average before each repeat: {[round(x, 2) for x in loads]}")
    print(f"  bit-identical to the serial runs: {identical}")


def gil_check():
    import threading
    model = jr76()
    opts = dict(method="stochastic_heun", record=["JR.v"], every=10)
    model.simulate(10.0, 0.1, **opts)
    done, gaps = [], []
    th = threading.Thread(target=lambda: (model.simulate(3000.0, 0.1, seed=1, **opts), done.append(1)))
    th.start()
    last = time.perf_counter()
    while not done:
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    th.join()
    print(f"GIL: while a 3 s run was in flight the main thread looped {len(gaps):,} times; longest pause "
          f"{max(gaps) * 1000:.0f} ms (kernel calls ~150 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    bench_batch(args.runs, args.repeats, args.workers)
    gil_check()
