"""Resting-state BOLD from a noisy reduced Wong-Wang network on the built-in connectome.

    python examples/resting_state_bold.py [--minutes 5] [--G 0.1] [--out resting_state_bold.png]

76 regions of the generated connectome (``tc.datasets.connectome``), delays
from tract lengths at 3 mm/ms, each region a reduced Wong-Wang node (Deco et
al. 2014) with additive noise on S_e and S_i, and a Balloon-Windkessel model
(Stephan et al. 2007) integrated alongside, driven by S_e. The run is chunked
with a progress bar (Ctrl-C keeps what was simulated). BOLD is read at
TR = 2 s; the first 20 s are discarded; each region's BOLD is shown around its
own mean (the Balloon model's resting level differs from region to region and
is not the signal of interest); the functional connectivity (Pearson) is
plotted next to the structural weights, with their correlation.
"""
import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import tcmcompose as tc  # noqa: E402
from tcmcompose.analysis.signal import functional_connectivity, matrix_correlation  # noqa: E402
from tcmcompose.observe import bold_signal, with_bold  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="simulated time")
    parser.add_argument("--G", type=float, default=0.1, help="global coupling (0.1: low state, near the edge)")
    parser.add_argument("--sigma", type=float, default=0.003, help="noise intensity per sqrt(ms)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="resting_state_bold.png")
    args = parser.parse_args()

    conn = tc.datasets.connectome("generated", n_regions=76, seed=0)
    rww = tc.get_model("reduced_wong_wang", G=args.G, sigma=args.sigma)
    node = with_bold(tc.Node("region", {"RWW": rww}), source="RWW.S_e")
    net = tc.Network([node] * conn.n_regions, conn.weights, conn.delays(speed=3.0), labels=conn.labels,
                     couplings=[tc.Coupling("RWW.S_e", "RWW.c")])
    t0 = time.perf_counter()
    model = tc.build(net)
    print(f"built {model} in {time.perf_counter() - t0:.1f} s")

    duration = args.minutes * 60_000.0
    t0 = time.perf_counter()
    res = model.simulate(duration, dt=0.1, method="stochastic_heun", seed=args.seed, progress=True,
                         record=["RWW.S_e", "BOLD.bold"], every=100)
    wall = time.perf_counter() - t0
    print(f"simulated {res.t[-1] / 1000:.0f} s of {conn.n_regions} regions in {wall:.1f} s "
          f"({conn.n_regions * res.info['steps'] / wall:,.0f} node·steps/s)")

    bold = bold_signal(res, tr_ms=2000.0)
    bold = bold[bold.index >= 20_000.0]
    fc = functional_connectivity(bold)
    r = matrix_correlation(fc, conn.weights)
    print(f"{len(bold)} BOLD volumes; mean S_e = {res['RWW.S_e'].mean():.3f}; "
          f"corr(FC, SC) = {r:.2f}")

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    shown = bold.iloc[:, :6]
    demeaned = (shown - shown.mean()).to_numpy() * 100       # each region around its own mean
    for k, label in enumerate(shown.columns):
        axes[0].plot(bold.index / 1000, demeaned[:, k], lw=0.8, label=str(label))
    axes[0].set_xlabel("time (s)")
    axes[0].set_ylabel("BOLD, demeaned (% signal change)")
    axes[0].set_title("BOLD, 6 regions (TR = 2 s), each around its mean")
    axes[0].legend(fontsize="x-small", ncol=3, loc="upper right")
    im = axes[1].imshow(conn.weights, cmap="magma")
    axes[1].set_title("structural weights")
    fig.colorbar(im, ax=axes[1], shrink=0.8)
    im = axes[2].imshow(np.where(np.eye(len(fc)) > 0, np.nan, fc.to_numpy()), cmap="RdBu_r", vmin=-1, vmax=1)
    axes[2].set_title(f"simulated FC (corr with SC = {r:.2f})")
    fig.colorbar(im, ax=axes[2], shrink=0.8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
