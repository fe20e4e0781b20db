"""Catalogue benchmarks (issue 6): 76-node networks on the generated connectome.

    python benchmarks/bench_catalogue.py [--repeats 3] [--duration 10000]

For each of Jansen-Rit, Wilson-Cowan, reduced Wong-Wang and Hopf: a network on
``tc.datasets.connectome("generated", n_regions=76)`` with delays from the
tract lengths at 3 mm/ms, 10 s at dt = 0.1 ms with Heun; median run time,
node·steps/s, and the build time cold (empty TCMCOMPOSE_CACHE, new process)
and warm (same cache, new process).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

#: model -> (node expression, [(coupling source, target, gain, kind), ...])
SETUPS = {
    "jansen_rit": ("tc.Node('jr', {'JR': tc.get_model('jansen_rit')})", [("JR.rate", "JR.c", 1.0, "linear")]),
    "wilson_cowan": ("tc.get_model('wilson_cowan')", [("E.rate", "E.syn", 0.6, "linear")]),
    "reduced_wong_wang": ("tc.Node('rww', {'RWW': tc.get_model('reduced_wong_wang')})",
                          [("RWW.S_e", "RWW.c", 1.0, "linear")]),
    "hopf": ("tc.Node('hopf', {'H': tc.get_model('hopf')})",
             [("H.x", "H.u_x", 0.1, "diffusive"), ("H.y", "H.u_y", 0.1, "diffusive")]),
}

BUILD = """
import sys, time
import numpy as np
import tcmcompose as tc
node_expr, couplings = sys.argv[1], eval(sys.argv[2])
c = tc.datasets.connectome("generated", n_regions=76)
node = eval(node_expr)
net = tc.Network([node] * 76, c.weights, c.delays(3.0), labels=c.labels,
                 couplings=[tc.Coupling(s, d, gain=g, kind=k) for s, d, g, k in couplings])
t0 = time.perf_counter()
model = tc.build(net)
print(time.perf_counter() - t0, int(model.build_info["generated"]))
"""


def network(name):
    import tcmcompose as tc  # noqa: F401  (used by eval)
    node_expr, couplings = SETUPS[name]
    c = tc.datasets.connectome("generated", n_regions=76)
    node = eval(node_expr)
    return tc.Network([node] * 76, c.weights, c.delays(3.0), labels=c.labels,
                      couplings=[tc.Coupling(s, d, gain=g, kind=k) for s, d, g, k in couplings])


def build_times(name):
    node_expr, couplings = SETUPS[name]
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, TCMCOMPOSE_CACHE=cache)
        args = [sys.executable, "-c", BUILD, node_expr, repr(couplings)]
        cold = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout.split()
        warm = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert cold[1] == "1" and warm[1] == "0"
    return float(cold[0]), float(warm[0])


def main():
    import tcmcompose as tc
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10_000.0)
    parser.add_argument("--models", nargs="*", default=list(SETUPS))
    args = parser.parse_args()
    dt = 0.1
    steps = int(round(args.duration / dt))
    print(f"76-node networks (generated connectome, delays at 3 mm/ms), {args.duration:g} ms, Heun dt {dt} ms")
    print(f"  {'model':20s} {'states':>6} {'edges':>6} {'median s':>9} {'node·steps/s':>13} {'cold s':>7} {'warm s':>7}")
    for name in args.models:
        model = tc.build(network(name))
        first = model.x0.copy()
        model.simulate(10 * dt, dt)                       # compile the loop for this signature
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            res = model.simulate(args.duration, dt, every=10, record=[SETUPS[name][1][0][0]], initial=first)
            times.append(time.perf_counter() - t0)
        assert all(abs(v) < 1e6 for v in res[SETUPS[name][1][0][0]][-1])
        med = statistics.median(times)
        cold, warm = build_times(name)
        print(f"  {name:20s} {model.n_states:6d} {len(model.edges().src):6d} {med:9.3f} "
              f"{76 * steps / med:13,.0f} {cold:7.2f} {warm:7.2f}")


if __name__ == "__main__":
    main()
