"""A heterogeneous thalamo-cortical loop: Jansen-Rit cortex nodes and a Costa thalamic node.

    python examples/heterogeneous_thalamocortical.py [--out heterogeneous_thalamocortical.png]

Four cortical regions are Jansen-Rit columns (TVB's form), linked to each other
with delays; one thalamic node (Costa et al. 2016, relay TCR + reticular TRN)
receives every cortical region's rate on its relay cell's AMPA synapse after
a cortico-thalamic delay of 8 ms, and sends its relay rate back to the
pyramidal input of every region after a thalamo-cortical delay of 3 ms. Three
couplings with their own weight and delay matrices; each links only the nodes
that have its source and target populations. The same network is run with
the loop cut (thalamo-cortical gain 0) for comparison.
"""
import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import tcmcompose as tc  # noqa: E402
from tcmcompose.analysis.signal import welch_psd  # noqa: E402


def loop_network(n_cortex=4, seed=1):
    rng = np.random.default_rng(seed)
    n = n_cortex + 1
    cortex = tc.Node("cortex", {"JR": tc.get_model("jansen_rit")})
    thalamus = tc.get_model("thalamus")
    labels = [f"ctx{k}" for k in range(n_cortex)] + ["thal"]
    W_cc = np.zeros((n, n))
    W_cc[:n_cortex, :n_cortex] = rng.uniform(0.5, 1.0, (n_cortex, n_cortex))
    np.fill_diagonal(W_cc, 0.0)
    D_cc = np.zeros((n, n))
    D_cc[:n_cortex, :n_cortex] = rng.uniform(5.0, 15.0, (n_cortex, n_cortex))
    W_ct = np.zeros((n, n))
    W_ct[n_cortex, :n_cortex] = 1.0 / n_cortex          # thalamus row: mean cortical rate
    W_tc = np.zeros((n, n))
    W_tc[:n_cortex, n_cortex] = 1.0                     # cortex rows: the relay rate
    couplings = [
        tc.Coupling("JR.rate", "JR.c", gain=1.0, weights=W_cc, delays=D_cc, name="cortico-cortical"),
        tc.Coupling("JR.rate", "TCR.ampa", gain=20.0, weights=W_ct, delays=np.full((n, n), 8.0),
                    name="cortico-thalamic"),
        tc.Coupling("TCR.rate", "JR.c", gain=0.5, weights=W_tc, delays=np.full((n, n), 3.0),
                    name="thalamo-cortical"),
    ]
    return tc.Network([cortex] * n_cortex + [thalamus], labels=labels, couplings=couplings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="heterogeneous_thalamocortical.png")
    parser.add_argument("--duration", type=float, default=4000.0, help="ms")
    args = parser.parse_args()

    t0 = time.perf_counter()
    model = tc.build(loop_network())
    print(f"built {model} in {time.perf_counter() - t0:.1f} s")
    record = ["JR.v", "TCR.V_t", "TRN.V_r"]
    dt, transient = 0.02, 1000.0
    closed = model.simulate(args.duration, dt, record=record, every=25, transient=transient)
    gain = model.couplings[2].gain
    model.couplings[2].gain = 0.0                       # cut the thalamo-cortical branch: no rebuild
    opened = model.simulate(args.duration, dt, record=record, every=25, transient=transient)
    model.couplings[2].gain = gain

    fig, axes = plt.subplots(3, 1, figsize=(10, 8))
    axes[0].plot(closed.t, closed["JR.v"], lw=0.7)
    axes[0].set_ylabel("cortex y1 - y2 (mV)")
    axes[0].set_title("closed loop: 4 Jansen-Rit regions + Costa thalamus")
    axes[1].plot(closed.t, closed["TCR.V_t"], lw=0.7, label="TCR")
    axes[1].plot(closed.t, closed["TRN.V_r"], lw=0.7, label="TRN")
    axes[1].set_ylabel("thalamus V (mV)")
    axes[1].legend(loc="upper right")
    for res, name in ((closed, "closed loop"), (opened, "thalamo-cortical cut")):
        psd = welch_psd(res, variable="JR.v", segment_ms=1000.0)
        mean = psd.mean(axis=1)
        axes[2].semilogy(mean.index, mean.to_numpy(), label=name)
        peak = mean[(mean.index > 1) & (mean.index < 40)].idxmax()
        print(f"{name:22s}: cortical PSD peak {peak:.1f} Hz")
    axes[2].set_xlim(0, 40)
    axes[2].set_xlabel("frequency (Hz)")
    axes[2].set_ylabel("cortical PSD")
    axes[2].legend()
    axes[0].set_xlabel("time (ms)")
    axes[1].set_xlabel("time (ms)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
