"""Coupling kinds (issue 16): per-step cost of a Kuramoto network and the
time to its first sample with an empty cache.

    python benchmarks/bench_coupling.py [--repeats 5] [--cold 3]

Kuramoto (1984) phase oscillators, 80 nodes, dense random weights, delays
1-20 ms, Heun at dt = 0.1 ms, ``coupling_mode="per_stage"``: every delayed
edge evaluates h(a, b) = sin(a - b) at both stages of every step. The same
network with linear coupling (h = a, the once-per-step delayed pass) is the
reference in the same run: the ratio is less sensitive to load than the
times, which are process CPU times. Cold: a fresh process with an empty ``TCMCOMPOSE_CACHE`` builds and
runs 100 ms (the package's shared loops are in Numba's cache beside the
package, warmed first). Medians; the machine is shared, so ``uptime`` load
is printed.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def network(kind, n=80, seed=0):
    import numpy as np
    import tcmcompose as tc
    rng = np.random.default_rng(seed)
    osc = tc.Mass("phase", states={"theta": 0.0}, params={"omega": 0.06}, inputs=["k"],
                  outputs={"theta": "theta"}, equations={"theta": "omega + k"})
    W = rng.random((n, n)) / n
    np.fill_diagonal(W, 0)
    D = rng.uniform(1.0, 20.0, (n, n))
    return tc.Network([tc.Node("osc", {"P": osc})] * n, W, D,
                      couplings=[tc.Coupling("P.theta", "P.k", gain=0.5, kind=kind)])


def per_step(kind, repeats, steps=4000, dt=0.1):
    import numpy as np
    import tcmcompose as tc
    model = tc.build(network(kind))
    x0 = np.random.default_rng(1).uniform(-3, 3, model.n_states)
    model.simulate(dt * 10, dt, initial=x0)
    times = []
    for _ in range(repeats):          # process CPU time: less sensitive than wall time to a loaded machine
        t0 = time.process_time()
        model.simulate(steps * dt, dt, initial=x0, record=[], every=steps)
        times.append((time.process_time() - t0) / steps)
    return statistics.median(times)


def cold(kind):
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    import numpy as np
    import tcmcompose as tc
    t1 = time.perf_counter()
    model = tc.build(network(kind))
    model.simulate(100.0, 0.1, initial=np.random.default_rng(1).uniform(-3, 3, model.n_states))
    print(f"{time.perf_counter() - t1:.3f} {time.process_time() - cpu0:.3f} import={t1 - t0:.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cold", type=int, default=3)
    ap.add_argument("--_cold", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._cold:
        return cold(args._cold)
    print("load:", os.getloadavg())
    for kind in ("kuramoto", "linear"):           # warm the shared loops (once per package version)
        subprocess.run([sys.executable, __file__, "--_cold", kind], check=True, capture_output=True)
    for kind in ("kuramoto", "linear"):
        walls, cpus = [], []
        for _ in range(args.cold):
            with tempfile.TemporaryDirectory() as cache:
                out = subprocess.run([sys.executable, __file__, "--_cold", kind], check=True, text=True,
                                     capture_output=True, env=dict(os.environ, TCMCOMPOSE_CACHE=cache)).stdout
                w, c = out.split()[:2]
                walls.append(float(w))
                cpus.append(float(c))
        print(f"cold build + first simulate, {kind:9s}: {statistics.median(walls):.2f} s wall "
              f"({statistics.median(cpus):.2f} s CPU), runs {[round(w, 2) for w in walls]}")
    kur = per_step("kuramoto", args.repeats)
    lin = per_step("linear", args.repeats)
    print(f"per step (CPU), 80 nodes, 6320 delayed edges, heun: kuramoto {kur * 1e6:.1f} us, "
          f"linear {lin * 1e6:.1f} us, "
          f"ratio {kur / lin:.2f}")
    print("load:", os.getloadavg())


if __name__ == "__main__":
    main()
