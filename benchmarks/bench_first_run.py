"""Time to the first sample of a new structure (issue 16), as a new user meets it.

    python benchmarks/bench_first_run.py [--repeats 3] [--cases jr76,tcm,mixed]

Each case runs in a fresh Python process: once with an empty
``TCMCOMPOSE_CACHE`` (cold: generate + compile), once more on that cache
(warm: load from disk), and once building a relabelled copy (every node
renamed, values changed) on the warm cache, which should compile nothing.
Times exclude ``import tcmcompose`` and cover ``tc.build`` plus the first
``simulate`` (Heun, 100 ms); medians over ``--repeats`` cold caches. The
machine is shared, so the process CPU time of the cold run (compilation is
single-threaded) is printed too: it is less sensitive to load than wall time.
The package's own kernels (the time loops of tcmcompose.integrate.loops and
the shared, rng kernels they call) are compiled once per package version into
Numba's cache beside the package, which is not emptied here: a new structure
compiles its own stage kernels only. Where the time goes, phase by phase and
kernel by kernel: benchmarks/profile_first_run.py.

Cases (goals from issue 16, on a 2-core machine):

* ``jr76``: 76-node Jansen-Rit network, random weights and 1-30 ms delays (≤ 3 s);
* ``tcm``: one TCM column (≤ 4 s);
* ``mixed``: 20 Jansen-Rit nodes + one Costa thalamus node, three delayed couplings (≤ 5 s);
* warm ≤ 0.3 s; relabelled copy: 0 s of compilation.

The last column, ``after install``, is a cold run with every Numba cache empty
too (``NUMBA_CACHE_DIR`` a new folder): the very first run after installing
the package, which also compiles the shared time loop of its method and the
kernels it calls (about 4-5 s once; each further method ~1-2 s once).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

def make_case(case, relabel):
    """(network or column, dt) of a benchmark case; ``relabel``: every label
    renamed and other values (the same structure)."""
    import numpy as np
    import tcmcompose as tc
    tag = "r" if relabel else ""
    rng = np.random.default_rng(1 if relabel else 0)
    if case == "jr76":
        from tcmcompose.masses.library import JansenRit
        n = 76
        W = rng.random((n, n)) * (rng.random((n, n)) < 0.3)
        np.fill_diagonal(W, 0)
        D = rng.uniform(1, 30, (n, n))
        return tc.Network([tc.Node("jr" + tag, {"JR": JansenRit()})] * n, W, D,
                          labels=[f"{tag}n{k}" for k in range(n)],
                          couplings=[tc.Coupling("JR.rate", "JR.c")]), 0.1
    if case == "tcm":
        from tcmcompose.nodes.tcm_column import TCMColumn
        return TCMColumn(name="col" + tag), 0.05
    n_ctx = 20
    n = n_ctx + 1
    cortex = tc.Node("cortex" + tag, {"JR": tc.get_model("jansen_rit")})
    thal = tc.get_model("thalamus")
    W_cc = np.zeros((n, n))
    W_cc[:n_ctx, :n_ctx] = rng.uniform(0.5, 1.0, (n_ctx, n_ctx))
    np.fill_diagonal(W_cc, 0)
    D_cc = np.zeros((n, n))
    D_cc[:n_ctx, :n_ctx] = rng.uniform(5.0, 15.0, (n_ctx, n_ctx))
    W_ct = np.zeros((n, n))
    W_ct[n_ctx, :n_ctx] = 1.0 / n_ctx
    W_tc = np.zeros((n, n))
    W_tc[:n_ctx, n_ctx] = 1.0
    return tc.Network([cortex] * n_ctx + [thal], labels=[f"{tag}c{k}" for k in range(n_ctx)] + [tag + "thal"],
                      couplings=[tc.Coupling("JR.rate", "JR.c", weights=W_cc, delays=D_cc),
                                 tc.Coupling("JR.rate", "TCR.ampa", gain=20.0, weights=W_ct,
                                             delays=np.full((n, n), 8.0)),
                                 tc.Coupling("TCR.rate", "JR.c", gain=0.5, weights=W_tc,
                                             delays=np.full((n, n), 3.0))]), 0.01


SCRIPT = r"""
import sys, time
sys.path.insert(0, sys.argv[3])
import tcmcompose as tc
from bench_first_run import make_case
obj, dt = make_case(sys.argv[1], sys.argv[2] == "1")
c0, t0 = time.process_time(), time.perf_counter()
model = tc.build(obj)
t1 = time.perf_counter()
res = model.simulate(100.0, dt, method="heun")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, t2 - t0, int(model.build_info["generated"]), model.build_info["path"],
      time.process_time() - c0)
"""


def run(case, cache, relabel=False, numba_cache=None):
    env = dict(os.environ, TCMCOMPOSE_CACHE=cache)
    if numba_cache:       # every Numba cache, the package's own loops included, starts empty
        env["NUMBA_CACHE_DIR"] = numba_cache
    out = subprocess.run([sys.executable, "-c", SCRIPT, case, "1" if relabel else "0",
                          os.path.dirname(os.path.abspath(__file__))], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), float(out[2]), out[3] == "1", out[4], float(out[5])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", default="jr76,tcm,mixed")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    print(f"{'case':>6} {'cold build':>11} {'cold 1st sim':>13} {'cold total':>11} {'cold CPU':>9} "
          f"{'warm total':>11} {'relabelled':>11} {'same module':>12} {'after install':>14}")
    for case in args.cases.split(","):
        cold, warm, relab, same, fresh = [], [], [], [], []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as cache:
                c = run(case, cache)
                w = run(case, cache)
                r = run(case, cache, relabel=True)
                cold.append(c)
                warm.append(w[2])
                relab.append(r[2])
                same.append(r[4] == c[4] and not r[3])
            with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as numba_cache:
                fresh.append(run(case, cache, numba_cache=numba_cache)[2])
        med = lambda k: statistics.median(v[k] for v in cold)  # noqa: E731
        print(f"{case:>6} {med(0):11.2f} {med(1):13.2f} {med(2):11.2f} {med(5):9.2f} {statistics.median(warm):11.2f} "
              f"{statistics.median(relab):11.2f} {str(all(same)):>12} {statistics.median(fresh):14.2f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
