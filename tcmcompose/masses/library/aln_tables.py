r"""Transfer-function tables of the ALN model: computed, cached, or loaded.

The ALN populations (:mod:`.aln`) read three functions of the mean input
:math:`μ` (mV/ms) and its standard deviation :math:`σ` (mV/√ms), each a
:class:`~tcmcompose.Table` on a uniform (μ, σ) grid:

* ``rate``: the EIF neuron's stationary firing rate :math:`Φ(μ, σ)` (kHz);
* ``vmean``: its mean membrane voltage (mV, over non-refractory neurons);
* ``tau``: the effective time constant :math:`τ_μ(μ, σ)` (ms) of the
  rate's response to changes of μ.

:func:`compute_aln_tables` derives them from the EIF Fokker-Planck equation
(:mod:`tcmcompose.masses.eif`, Richardson 2007): Φ and the mean voltage from
the stationary solution; :math:`τ_μ` by fitting a first-order low-pass
:math:`1/(1 + iωτ)` (complex least squares over ``n_freq`` frequencies spaced
evenly from 0.25 Hz to 1 kHz) to the rate's linear response to μ-modulation,
normalised by its value at the lowest frequency; τ_μ is bounded below by
1/(2π·1 kHz) = 0.16 ms, faster filters being flat over the fitted band. That is the LN_exp cascade
of Augustin et al. (2017); their published fit procedure may differ in
detail (weights, frequency range), so our :math:`τ_μ` agrees with neurolib's
table to within about 10 % where rates are not vanishing, while Φ and the
mean voltage agree to 1e-4 relative and 1e-3 mV.

Results are cached on disk (``$TCMCOMPOSE_CACHE`` or the user cache folder)
under a hash of the grid and neuron parameters; the default grid's tables
ship with the package (computed by this module, checked by a test). :func:`load_aln_tables`
reads the same three tables from an HDF5 file in neurolib's layout
(datasets ``mu_vals``, ``sigma_vals``, ``r_ss``, ``V_mean_ss``,
``tau_mu_exp``; needs ``h5py``) to reproduce that tool's runs.

References: Augustin M., Ladenbauer J., Baumann F. & Obermayer K. (2017)
PLoS Comput Biol 13:e1005545; Richardson M.J.E. (2007) Phys Rev E
76:021919; Cakan C. & Obermayer K. (2020) PLoS Comput Biol 16:e1007822.
"""
import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from ...errors import ModelError
from ..eif import response_grid, stationary_grid
from ..table import Table

#: the EIF neuron of Augustin et al. (2017) / neurolib's ALN (C 200 pF, g_L 10 nS)
EIF_DEFAULTS = dict(taum=20.0, EL=-65.0, DeltaT=1.5, VT=-50.0, Vr=-70.0, Vs=-40.0, Tref=1.5, Vlb=-200.0)
#: neurolib's grid: μ in [-1, 7] mV/ms (350 points), σ in [0.5, 5] mV/√ms (64 points)
GRID_DEFAULTS = dict(mu=(-1.0, 7.0, 350), sigma=(0.5, 5.0, 64))
#: tables of the default grid and neuron, computed by :func:`compute_aln_tables` and shipped with
#: the package (so ``tc.get_model("aln")`` starts at once; a test recomputes and compares them)
SHIPPED = Path(__file__).resolve().parent / "data"


def _fit_tau(resp, omegas, lo=0.01, hi=200.0):
    """τ minimising sum |R(ω) - 1/(1 + iωτ)|² per grid point (log-τ grid, then golden section)."""
    R = resp / resp[..., :1]
    shape = R.shape[:-1]
    R = R.reshape(-1, R.shape[-1])
    ok = np.all(np.isfinite(R), axis=1)
    R = np.where(ok[:, None], R, 1.0)

    def cost(tau):                         # tau: (points,) -> (points,)
        H = 1.0 / (1.0 + 1j * omegas[None, :] * tau[:, None])
        return np.sum(np.abs(R - H) ** 2, axis=1)

    grid = np.geomspace(lo, hi, 121)       # the golden section stays inside [lo, hi]
    costs = np.stack([cost(np.full(R.shape[0], t)) for t in grid], axis=1)
    k = np.argmin(costs, axis=1)
    a = np.log(grid[np.maximum(k - 1, 0)])
    b = np.log(grid[np.minimum(k + 1, grid.size - 1)])
    g = (np.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = cost(np.exp(c)), cost(np.exp(d))
    for _ in range(40):
        left = fc < fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c_new, d_new = b - g * (b - a), a + g * (b - a)
        c, d = c_new, d_new
        fc, fd = cost(np.exp(c)), cost(np.exp(d))
    tau = np.exp(0.5 * (a + b))
    tau[~ok] = np.nan
    return tau.reshape(shape)


def _cache_dir():
    path = os.environ.get("TCMCOMPOSE_CACHE")
    if not path:
        import platformdirs
        path = platformdirs.user_cache_dir("tcmcompose")
    Path(path).mkdir(parents=True, exist_ok=True)
    return Path(path)


def _key(grid, neuron, n_v, n_freq):
    blob = json.dumps(dict(grid=grid, neuron=neuron, n_v=n_v, n_freq=n_freq, v=2), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def compute_aln_tables(mu=GRID_DEFAULTS["mu"], sigma=GRID_DEFAULTS["sigma"], n_v=20001, n_v_response=4001,
                       n_freq=25, cache=True, **neuron):
    """The ALN tables ``{"rate", "vmean", "tau"}`` (:class:`~tcmcompose.Table`,
    bilinear, clamped at the grid's edges) for the EIF neuron ``neuron``
    (keywords of :data:`EIF_DEFAULTS`: taum, EL, DeltaT, VT, Vr, Vs, Tref, Vlb
    in ms and mV) on the grid ``mu`` = (first, last, points) in mV/ms and
    ``sigma`` likewise in mV/√ms.

    ``n_v`` voltage points for the stationary solution, ``n_v_response`` and
    ``n_freq`` for the linear response behind τ_μ. With ``cache`` the result
    is stored on disk and reused for the same arguments. The default grid
    (neurolib's, 350 x 64) takes about a minute on one core, so its tables
    ship with the package (``cache=False`` recomputes them).
    """
    unknown = set(neuron) - set(EIF_DEFAULTS)
    if unknown:
        raise ModelError(f"compute_aln_tables: unknown neuron parameter(s) {sorted(unknown)}; "
                         f"known: {list(EIF_DEFAULTS)}.")
    par = {**EIF_DEFAULTS, **{k: float(v) for k, v in neuron.items()}}
    grid = dict(mu=[float(mu[0]), float(mu[1]), int(mu[2])], sigma=[float(sigma[0]), float(sigma[1]), int(sigma[2])])
    if grid["sigma"][0] <= 0:
        raise ModelError("compute_aln_tables: sigma must start above 0 (the diffusion vanishes at sigma = 0).")
    if not par["Vlb"] < par["Vr"] < par["Vs"]:
        raise ModelError("compute_aln_tables: need Vlb < Vr < Vs.")
    name = f"aln_tables_{_key(grid, par, n_v, n_freq)}.npz"
    path = _cache_dir() / name
    if cache and (SHIPPED / name).exists():       # the default grid, computed by this function at release
        path = SHIPPED / name
    mus = np.linspace(*grid["mu"][:2], grid["mu"][2])
    sigmas = np.linspace(*grid["sigma"][:2], grid["sigma"][2])
    if cache and path.exists():
        data = np.load(path)
        r, v, tau = data["rate"], data["vmean"], data["tau"]
    else:
        order = ("taum", "EL", "DeltaT", "VT", "Vr", "Vs", "Tref", "Vlb")
        args = tuple(par[k] for k in order)
        r, v = stationary_grid(mus, sigmas, *args, int(n_v))
        omegas = 2 * np.pi * np.linspace(0.00025, 1.0, int(n_freq))      # rad/ms: 0.25 Hz .. 1 kHz
        # a low-pass faster than 1/(2π f_max) is flat over the fitted band: that is τ's floor
        tau = _fit_tau(response_grid(mus, sigmas, omegas, *args, int(n_v_response)), omegas, lo=1 / omegas[-1])
        tau = _fill(tau, par["taum"])
        if cache:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
            os.close(fd)
            np.savez(tmp, rate=r, vmean=v, tau=tau)
            os.replace(tmp, path)
    return _tables(mus, sigmas, r, v, tau)


def _fill(tau, taum):
    """Grid points where no rate flows (response 0/0) take the nearest finite τ
    along μ, or τ_m where a whole column has none."""
    tau = tau.copy()
    for b in range(tau.shape[1]):
        col = tau[:, b]
        good = np.isfinite(col)
        if not good.any():
            col[:] = taum
        elif not good.all():
            idx = np.arange(col.size)
            col[~good] = col[good][np.abs(idx[~good, None] - idx[None, good]).argmin(axis=1)]
    return tau


def _tables(mus, sigmas, r, v, tau):
    axes = (mus, sigmas)
    return {"rate": Table(axes, r, "linear", "clamp", "rate"),
            "vmean": Table(axes, v, "linear", "clamp", "vmean"),
            "tau": Table(axes, tau, "linear", "clamp", "tau")}


def load_aln_tables(path):
    """The ALN tables from an HDF5 file in neurolib's layout (``mu_vals``,
    ``sigma_vals``, ``r_ss`` in kHz, ``V_mean_ss`` in mV, ``tau_mu_exp`` in ms;
    tables indexed [μ, σ]). Needs ``h5py`` (``pip install h5py``)."""
    try:
        import h5py
    except ImportError:
        raise ModelError("load_aln_tables needs h5py: pip install h5py (or tcmcompose[all]).") from None
    if not os.path.exists(path):
        raise ModelError(f"load_aln_tables: no file {path!r}.")
    names = ("mu_vals", "sigma_vals", "r_ss", "V_mean_ss", "tau_mu_exp")
    with h5py.File(path, "r") as fh:
        missing = [n for n in names if n not in fh]
        if missing:
            raise ModelError(f"load_aln_tables: {path!r} lacks dataset(s) {missing}; expected neurolib's "
                             f"layout {list(names)}.")
        mus, sigmas, r, v, tau = (np.asarray(fh[n][()], dtype=float) for n in names)
    return _tables(mus, sigmas, r, v, tau)
