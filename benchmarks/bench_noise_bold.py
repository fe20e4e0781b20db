"""Cost of noise and of BOLD (issue 4), as ratios measured in this process.

    python benchmarks/bench_noise_bold.py [--repeats 5] [--duration 10000]

76-region reduced Wong-Wang network on the generated connectome (delays at
3 mm/ms), dt = 0.1 ms:

1. stochastic Heun with additive noise on S_e, S_i vs deterministic Heun on
   the same network (sigma = 0);
2. the same noisy run with a Balloon-Windkessel model per region integrated in
   the loop (``with_bold``) vs without;
3. BOLD computed afterwards from the recorded S_e (``bold_from_signal``, 1 ms
   samples) vs the noisy run alone.
Medians over repeats, runs interleaved.
"""
import argparse
import statistics
import time

import tcmcompose as tc
from tcmcompose.observe import bold_from_signal, with_bold


def network(bold):
    conn = tc.datasets.connectome("generated", n_regions=76, seed=0)
    node = tc.Node("region", {"RWW": tc.get_model("reduced_wong_wang", G=0.1, sigma=0.003)})
    if bold:
        node = with_bold(node, source="RWW.S_e")
    return tc.Network([node] * 76, conn.weights, conn.delays(3.0), labels=conn.labels,
                      couplings=[tc.Coupling("RWW.S_e", "RWW.c")])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--duration", type=float, default=10_000.0)
    args = parser.parse_args()
    dt, T = 0.1, args.duration
    plain, with_balloon = tc.build(network(False)), tc.build(network(True))
    runs = {
        "deterministic Heun": lambda: plain.simulate(T, dt, "heun", noise=False, record=["RWW.S_e"], every=10),
        "stochastic Heun": lambda: plain.simulate(T, dt, "stochastic_heun", seed=1, record=["RWW.S_e"], every=10),
        "stochastic Heun + BOLD in loop": lambda: with_balloon.simulate(T, dt, "stochastic_heun", seed=1,
                                                                        record=["RWW.S_e", "BOLD.bold"], every=10),
    }
    plain.simulate(10 * dt, dt, "heun", noise=False)                  # compile the loops
    with_balloon.simulate(10 * dt, dt, "stochastic_heun", seed=0)
    times = {k: [] for k in runs}
    times["BOLD from recorded S_e"] = []
    for _ in range(args.repeats):
        for name, f in runs.items():
            t0 = time.perf_counter()
            res = f()
            times[name].append(time.perf_counter() - t0)
            if name == "stochastic Heun":
                t0 = time.perf_counter()
                bold_from_signal(res["RWW.S_e"], dt_ms=1.0, tr_ms=2000.0)
                times["BOLD from recorded S_e"].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    steps = int(round(T / dt))
    print(f"76-region reduced Wong-Wang, {T:g} ms at dt {dt} ms, medians of {args.repeats}:")
    for k, v in med.items():
        print(f"  {k:32s} {v:8.3f} s" + (f"  ({76 * steps / v:,.0f} node·steps/s)" if "Heun" in k else ""))
    print(f"  noise cost: stochastic / deterministic Heun        = {med['stochastic Heun'] / med['deterministic Heun']:.2f}")
    print(f"  in-loop BOLD cost: with / without balloon           = "
          f"{med['stochastic Heun + BOLD in loop'] / med['stochastic Heun']:.2f}")
    print(f"  offline BOLD cost: (run + bold_from_signal) / run   = "
          f"{(med['stochastic Heun'] + med['BOLD from recorded S_e']) / med['stochastic Heun']:.2f}")


if __name__ == "__main__":
    main()
