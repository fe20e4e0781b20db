"""One thalamo-cortical column: fixed point, its stability, a 2 s simulation, the 8 potentials and the LFP.

    python examples/tcm_column.py [--png tcm_column.png]

Noise-free constant drive (u = 0.5 into RT and RC, scaled by exp(C_in)) held
in ``model.u_base``, so the fixed point, its eigenvalues and the simulation
all see the same input. The script says whether the driven column sits at a
stable fixed point or leaves it for a limit cycle, from the rightmost root of
the characteristic equation det(sI - J(s)) = 0 with the column's intrinsic
delays exact (the undelayed Jacobian's eigenvalues can mislead).

The LFP is reported as in DCM's thalamo-cortical model (Shaw et al. 2020,
NeuroImage 221:117189): a weighted sum of the populations' depolarisations,
sum_p w_p (V_p - V_p*), measured from the fixed point V* (the weights sum to
2.54, so the raw weighted sum of potentials, about -140 mV, is an offset with
no physiological meaning). Its spectrum is plotted next to the potentials.
"""
import argparse

import numpy as np

import tcmcompose as tc
from tcmcompose.masses.library.tcm import LFP_WEIGHTS, POPULATIONS
from tcmcompose.nodes.tcm_column import TCMColumn


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--png", default="tcm_column.png")
    ap.add_argument("--firing", default="smooth")
    ap.add_argument("--nmda-block", default="elementwise")
    ap.add_argument("--drive", type=float, default=0.5, help="constant input into RT and RC")
    args = ap.parse_args(argv)
    model = tc.build(TCMColumn(firing=args.firing, nmda_block=args.nmda_block))
    print(f"{model}; built in {model.build_info['seconds']:.1f} s")
    ports = model.input_index
    driven = (ports.get_level_values("mass").isin(["RT", "RC"])) & (ports.get_level_values("port") == "input")
    model.u_base[driven] = args.drive

    x0 = np.where(model.state_index.get_level_values("state") == "V", -52.0, 0.0)
    fp = tc.fixed_point(model, x0=x0)
    v_star = fp.series.xs("V", level="state").droplevel("node")
    roots, _ = tc.linearise(model, fp.x).characteristic_roots(n_roots=2)   # exact intrinsic delays
    lead = roots[0]
    print("fixed point V (mV):", {p: round(float(v_star[p]), 2) for p in POPULATIONS})
    if lead.real < 0:
        print(f"stable fixed point: rightmost characteristic root {lead.real * 1000:.1f} ± {abs(lead.imag) * 1000:.1f}i /s "
              f"(a {abs(lead.imag) / (2e-3 * np.pi):.1f} Hz mode decaying in {-1 / lead.real:.1f} ms)")
    else:
        print(f"UNSTABLE fixed point: rightmost characteristic root {lead.real * 1000:.1f} ± {abs(lead.imag) * 1000:.1f}i /s "
              f"(a {abs(lead.imag) / (2e-3 * np.pi):.1f} Hz mode growing e-fold in {1 / lead.real:.1f} ms): "
              "the column leaves it for a limit cycle")

    start = fp.x + 1e-3 * (model.state_index.get_level_values("state") == "V")   # a small kick off the fixed point
    res = model.simulate(2000.0, 0.05, method="heun", initial=start, every=10,
                         record=[f"{p}.V" for p in POPULATIONS])
    signal = sum(w * (res[f"{p}.V"][:, 0] - v_star[p]) for p, w in LFP_WEIGHTS.items())
    tail = res.t > 1000
    f = np.fft.rfftfreq(int(tail.sum()), d=(res.t[1] - res.t[0]) / 1000)
    spec = np.abs(np.fft.rfft(signal[tail] - signal[tail].mean())) ** 2
    peak = f[1:][np.argmax(spec[1:])]
    mean_v = sum(w * v_star[p] for p, w in LFP_WEIGHTS.items()) / sum(LFP_WEIGHTS.values())
    print(f"LFP (weighted depolarisation from the fixed point; weighted mean potential {mean_v:.1f} mV): "
          f"last second {signal[tail].min():.2f}..{signal[tail].max():.2f} mV "
          f"(peak to peak {np.ptp(signal[tail]):.2f} mV), peak frequency {peak:.1f} Hz")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return 0
    fig = plt.figure(figsize=(11, 7))
    ax_v = fig.add_subplot(2, 1, 1)
    zoom = res.t > 1800
    for p in POPULATIONS:
        ax_v.plot(res.t[zoom], res[f"{p}.V"][zoom, 0], lw=0.9, label=p)
    ax_v.set_ylabel("V (mV)")
    ax_v.set_xlabel("time (ms)")
    ax_v.legend(ncol=8, fontsize="small", loc="upper right")
    ax_v.set_title(f"TCM column ({args.firing}, {args.nmda_block}), drive {args.drive:g} into RT and RC: "
                   "last 200 ms")
    ax_l = fig.add_subplot(2, 2, 3)
    ax_l.plot(res.t, signal, color="k", lw=0.6)
    ax_l.set_xlabel("time (ms)")
    ax_l.set_ylabel("LFP (mV from fixed point)")
    ax_l.set_title("LFP = Σ w_p (V_p − V_p*)")
    ax_s = fig.add_subplot(2, 2, 4)
    keep = (f > 0) & (f <= 100)
    ax_s.plot(f[keep], 10 * np.log10(spec[keep] / spec[1:].max()), color="k")
    ax_s.axvline(abs(lead.imag) / (2e-3 * np.pi), ls="--", color="C3",
                 label=f"linear mode at the fixed point ({'stable' if lead.real < 0 else 'unstable'})")
    ax_s.set_ylim(-60, 5)
    ax_s.set_xlabel("frequency (Hz)")
    ax_s.set_ylabel("LFP power (dB re peak)")
    ax_s.set_title(f"LFP spectrum, 1-2 s: peak {peak:.1f} Hz")
    ax_s.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(args.png, dpi=100)
    print(f"plot written to {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
