"""Fit a thalamo-cortical column (TCM) to a MEG-like spectrum with alpha and gamma peaks.

The "data" are a virtual-sensor power spectrum made of a 1/f background, an
alpha peak (10 Hz) and a gamma peak (48 Hz), the shape seen in visual-cortex
MEG (Shaw et al. 2020, NeuroImage 221:117189). The column's 12 synaptic gains
of the superficial/deep pyramidal-interneuron loops are inverted by
Variational Laplace on the log spectrum (DCM for CSD observation model:
1/f innovations and channel noise, Moran et al. 2009), starting from the
prior. Saves two panels: observed against predicted spectra (prior and
posterior), and posterior against prior for every parameter.

    python examples/fit_tcm_spectrum.py [--png fit_tcm_spectrum.png] [--iterations 64]
"""
import argparse
import warnings

import numpy as np

import tcmcompose as tc

FREE = ["node.H_SP_SP", "node.H_SP_SI", "node.H_SI_SP", "node.H_SI_SI", "node.H_DP_SP", "node.H_DP_DP",
        "node.H_DP_DI", "node.H_TP_DP", "node.H_RC_TP", "node.H_RC_RT", "node.Hn_SP_SP", "node.Gb_SP_SI"]


def meg_like_spectrum(f):
    """1/f background plus alpha (10 Hz) and gamma (48 Hz) peaks, arbitrary units."""
    background = 1.0 / f
    alpha = 0.25 * np.exp(-0.5 * ((f - 10.0) / 2.0) ** 2)
    gamma = 0.02 * np.exp(-0.5 * ((f - 48.0) / 6.0) ** 2)
    return background + alpha + gamma


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--png", default="fit_tcm_spectrum.png")
    ap.add_argument("--iterations", type=int, default=64)
    args = ap.parse_args(argv)

    column = tc.TCMColumn(H_SP_SS=-1.0)        # a stable operating point of the default column
    model = tc.build(column)
    f = np.arange(4.0, 90.0, 1.0)
    data = meg_like_spectrum(f)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        fit = tc.fit_spectra(model, data, f, FREE, column.input_targets, column.lfp_weights,
                             feature="log_psd", readout_free=False, max_iter=args.iterations,
                             callback=lambda d: print(f"iteration {d['iteration']:3d}  F = {d['F']:9.2f}"
                                                      f"{'' if d['accepted'] else '  (rejected)'}") and False)
    post = fit.posterior
    print(post)
    print(post.summary().round(3))
    if fit.rightmost_root is not None:
        print(f"rightmost characteristic root at the posterior mean: {fit.rightmost_root * 1000:.3g} per s")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.5))
    psd = lambda G: np.real(G[:, 0, 0])         # noqa: E731
    a1.semilogy(f, data, "k", lw=2, label="observed (MEG-like)")
    a1.semilogy(f, psd(fit.prior_predicted), "C0--", label="prior prediction")
    a1.semilogy(f, psd(fit.predicted), "C3", label="posterior prediction")
    a1.set(xlabel="frequency (Hz)", ylabel="power (a.u.)", title=f"TCM column fit (F = {post.F:.1f})")
    a1.legend()
    names = post.names
    y = np.arange(len(names))
    s = post.summary()
    a2.errorbar(s["prior_mean"], y + 0.15, xerr=1.645 * s["prior_sd"], fmt="o", color="C0", label="prior (90 %)")
    a2.errorbar(s["mean"], y - 0.15, xerr=1.645 * s["sd"], fmt="o", color="C3", label="posterior (90 %)")
    a2.set_yticks(y, names, fontsize=7)
    a2.set(xlabel="value (log gain / noise parameter)", title="posterior against prior")
    a2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.png, dpi=120)
    print(f"saved {args.png}")


if __name__ == "__main__":
    main()
