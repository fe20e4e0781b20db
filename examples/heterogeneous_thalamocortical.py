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

The cortico-thalamic gain (5) leaves the thalamus in its spindle regime
(Costa et al. 2016: g_LK = 0.018 gives 11-15 Hz spindles); with a gain of 20
the relay cell was depolarised onto a stable state and fell silent within
2.5 s. Without noise even the spindle regime is a damped focus here (the
oscillation decays from the initial kick), so the relay cell also receives a
weak Ornstein-Uhlenbeck current (sigma 1, tau 10 ms; the same seed in both
runs): waxing and waning spindles, as in the noise-driven model of Costa et
al. The script prints the thalamic potential's spread in the first and last
second and the spectral peaks, and plots spectra in dB relative to their
peak (a logarithmic axis of a near-periodic signal otherwise spans twenty
decades of round-off).
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
        tc.Coupling("JR.rate", "TCR.ampa", gain=5.0, weights=W_ct, delays=np.full((n, n), 8.0),
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
    noise = {"TCR.ext_current": tc.stimulus.OrnsteinUhlenbeck(0.0, 1.0, 10.0)}
    closed = model.simulate(args.duration, dt, record=record, every=25, transient=transient, stimuli=noise, seed=1)
    gain = model.couplings[2].gain
    model.couplings[2].gain = 0.0                       # cut the thalamo-cortical branch: no rebuild
    opened = model.simulate(args.duration, dt, record=record, every=25, transient=transient, stimuli=noise, seed=1)
    model.couplings[2].gain = gain

    v = closed["TCR.V_t"][:, 0]
    for name, sel in (("first", closed.t < transient + 1000.0), ("last", closed.t > closed.t[-1] - 1000.0)):
        print(f"thalamic relay V, {name} second: {v[sel].min():.1f}..{v[sel].max():.1f} mV, "
              f"s.d. {v[sel].std():.2f} mV ({'active' if v[sel].std() > 1.0 else 'SILENT'})")

    fig, axes = plt.subplots(2, 2, figsize=(12, 7))
    zoom = closed.t > closed.t[-1] - 1000.0
    for k, label in enumerate(closed.nodes("JR.v")):
        axes[0, 0].plot(closed.t[zoom], closed["JR.v"][zoom, k], lw=0.8, label=label)
    axes[0, 0].set_ylabel("cortex y1 - y2 (mV)")
    axes[0, 0].set_xlabel("time (ms)")
    axes[0, 0].legend(loc="upper right", fontsize="small", ncol=4)
    axes[0, 0].set_title("closed loop, last second: 4 Jansen-Rit regions")
    axes[1, 0].plot(closed.t, closed["TCR.V_t"][:, 0], lw=0.6, label="TCR (relay)")
    axes[1, 0].plot(closed.t, closed["TRN.V_r"][:, 0], lw=0.6, label="TRN (reticular)")
    axes[1, 0].set_ylabel("thalamus V (mV)")
    axes[1, 0].set_xlabel("time (ms)")
    axes[1, 0].legend(loc="upper right", fontsize="small")
    axes[1, 0].set_title(f"Costa thalamus (weak OU current into TCR), after a {transient:g} ms transient")
    for ax, var, what in ((axes[0, 1], "JR.v", "cortical"), (axes[1, 1], "TCR.V_t", "thalamic relay")):
        ref = None
        for res, name in ((closed, "closed loop"), (opened, "thalamo-cortical cut")):
            psd = welch_psd(res, variable=var, segment_ms=1000.0)
            mean = psd.mean(axis=1)
            keep = (mean.index > 0) & (mean.index <= 40)
            ref = ref if ref is not None else mean[keep].max()
            ax.plot(mean.index[keep], 10 * np.log10(mean[keep].to_numpy() / ref), label=name)
            peak = mean[(mean.index > 1) & (mean.index < 40)].idxmax()
            print(f"{name:22s}: {what} PSD peak {peak:.1f} Hz")
        ax.set_ylim(-60, 5)
        ax.set_xlim(0, 40)
        ax.set_xlabel("frequency (Hz)")
        ax.set_ylabel("power (dB re closed-loop peak)")
        ax.set_title(f"{what} spectrum (Welch, 1 s segments)")
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
