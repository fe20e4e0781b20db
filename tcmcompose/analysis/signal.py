"""Signal analysis of simulated (or recorded) time series, returning labelled pandas objects.

Every function takes ``data`` as one of

* a :class:`~tcmcompose.Result` plus ``variable`` (e.g. ``"E.V"``; optional
  when only one variable was recorded): columns are its node labels;
* a DataFrame whose index is time in ms and whose columns are labels;
* a (time x channels) array with ``dt`` (ms).

Time is in ms and frequencies in Hz throughout.
"""
import numpy as np
import pandas as pd

from ..errors import ModelError
from ..result import Result


def as_signal(data, dt=None, variable=None):
    """(values (time x channels), dt in ms, labels, time in ms) from a Result, DataFrame or array."""
    if isinstance(data, Result):
        if variable is None:
            if len(data.variables) != 1:
                raise ModelError(f"the result holds {data.variables}; pass variable=... to choose one.")
            variable = data.variables[0]
        if variable not in data:
            raise ModelError(f"variable {variable!r} was not recorded; recorded: {data.variables}.")
        x, labels, t = np.asarray(data[variable], float), list(data.nodes(variable)), np.asarray(data.t, float)
    elif isinstance(data, pd.DataFrame):
        x, labels, t = data.to_numpy(dtype=float), list(data.columns), np.asarray(data.index, dtype=float)
    elif isinstance(data, pd.Series):
        x, labels, t = data.to_numpy(dtype=float)[:, None], [data.name or 0], np.asarray(data.index, dtype=float)
    else:
        x = np.asarray(data, dtype=float)
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2:
            raise ModelError(f"signal has shape {x.shape}; give (time x channels).")
        if dt is None:
            raise ModelError("a plain array needs its sampling step: pass dt=... (ms).")
        labels, t = list(range(x.shape[1])), None
    if x.ndim == 1:
        x = x[:, None]
    if len(x) < 2:
        raise ModelError(f"signal has {len(x)} samples; need at least 2.")
    if dt is None:
        steps = np.diff(t)
        dt = float(np.median(steps))
        if not np.allclose(steps, dt, rtol=1e-6, atol=1e-9):
            raise ModelError("the signal's time index is not evenly spaced; resample it or pass a regular grid.")
    dt = float(dt)
    if not (np.isfinite(dt) and dt > 0):
        raise ModelError(f"dt = {dt} ms; the sampling step must be > 0.")
    if t is None:
        t = dt * np.arange(len(x))
    if not np.all(np.isfinite(x)):
        raise ModelError("the signal contains NaN or inf.")
    return x, dt, labels, t


def welch_psd(data, dt=None, variable=None, nperseg=None, segment_ms=None, **kwargs):
    """Power spectral density by Welch's method (``scipy.signal.welch``).

    ``segment_ms`` (or ``nperseg`` samples) sets the segment length, hence
    the frequency resolution 1000/segment_ms Hz (default: scipy's 256
    samples, at most the signal length). Returns a DataFrame, index
    ``frequency`` (Hz), one column per channel, in (signal units)^2/Hz.
    """
    import scipy.signal          # here: importing it costs ~0.6 s
    x, dt, labels, _ = as_signal(data, dt, variable)
    fs = 1000.0 / dt
    if segment_ms is not None:
        nperseg = int(round(segment_ms / dt))
    nperseg = min(len(x), nperseg or 256)
    f, p = scipy.signal.welch(x, fs=fs, nperseg=nperseg, axis=0, **kwargs)
    return pd.DataFrame(p, index=pd.Index(f, name="frequency"), columns=labels)


def cross_spectrum(data, dt=None, variable=None, nperseg=None, segment_ms=None, **kwargs):
    """Cross-spectral densities of every ordered channel pair (``scipy.signal.csd``).

    Returns a complex DataFrame, index ``frequency`` (Hz), columns a
    MultiIndex (``i``, ``j``): the CSD of channel i with channel j (the
    auto-spectra on the diagonal equal :func:`welch_psd`).
    """
    import scipy.signal          # here: importing it costs ~0.6 s
    x, dt, labels, _ = as_signal(data, dt, variable)
    fs = 1000.0 / dt
    if segment_ms is not None:
        nperseg = int(round(segment_ms / dt))
    nperseg = min(len(x), nperseg or 256)
    n = x.shape[1]
    cols, vals, f = [], [], None
    for i in range(n):
        f, p = scipy.signal.csd(x[:, [i] * n], x, fs=fs, nperseg=nperseg, axis=0, **kwargs)
        vals.append(p)
        cols += [(labels[i], labels[j]) for j in range(n)]
    return pd.DataFrame(np.hstack(vals), index=pd.Index(f, name="frequency"),
                        columns=pd.MultiIndex.from_tuples(cols, names=["i", "j"]))


def functional_connectivity(data, dt=None, variable=None):
    """Pearson correlation between channels: DataFrame channels x channels.

    A constant channel has no defined correlation: its row and column are NaN.
    """
    if dt is None and not isinstance(data, (Result, pd.DataFrame, pd.Series)):
        dt = 1.0                      # the sampling step does not enter a correlation
    x, _, labels, _ = as_signal(data, dt, variable)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.corrcoef(x, rowvar=False)
    c = np.atleast_2d(c)
    return pd.DataFrame(c, index=labels, columns=labels)


def cross_correlation(a, b, dt=None, max_lag_ms=None):
    r"""Normalised cross-correlation of two signals, as a Series indexed by lag (ms).

    .. math:: r(\tau) = \frac{1}{N \sigma_a \sigma_b} \sum_t (a_t - \bar a)(b_{t+\tau} - \bar b)

    A positive lag means ``b`` follows ``a``: if b(t) = a(t - d), the peak
    (``r.idxmax()``) sits at +d. ``a`` and ``b`` are 1-D arrays (pass ``dt``
    in ms) or Series indexed by time in ms, on the same grid; ``max_lag_ms``
    bounds the lags returned (default: a quarter of the record).
    """
    import scipy.signal          # here: importing it costs ~0.6 s
    xa, dta, _, _ = as_signal(a, dt)
    xb, dtb, _, _ = as_signal(b, dt)
    if xa.shape[1] != 1 or xb.shape[1] != 1:
        raise ModelError("cross_correlation takes two single channels; select one column of each.")
    if len(xa) != len(xb) or not np.isclose(dta, dtb):
        raise ModelError(f"the signals differ in length ({len(xa)}, {len(xb)}) or step ({dta}, {dtb} ms); "
                         "put them on one time grid.")
    xa, xb = xa[:, 0] - xa[:, 0].mean(), xb[:, 0] - xb[:, 0].mean()
    scale = len(xa) * xa.std() * xb.std()
    if scale == 0:
        raise ModelError("a constant signal has no defined cross-correlation.")
    n = len(xa)
    max_lag = n // 4 if max_lag_ms is None else int(round(max_lag_ms / dta))
    max_lag = min(max(max_lag, 0), n - 1)
    full = scipy.signal.correlate(xb, xa, mode="full", method="fft") / scale    # index n - 1 is lag 0
    lags = np.arange(-max_lag, max_lag + 1)
    return pd.Series(full[n - 1 + lags], index=pd.Index(lags * dta, name="lag_ms"), name="r")


def _upper(m, k=1):
    iu = np.triu_indices(m.shape[0], k)
    return m[iu]


def fcd(data, window_ms, step_ms=None, dt=None, variable=None):
    """Functional connectivity dynamics: correlation between sliding-window FC matrices.

    Windows of ``window_ms`` start every ``step_ms`` (default window/2);
    each gives an FC matrix (Pearson); entry (a, b) of the result is the
    Pearson correlation of the upper triangles (off-diagonal) of windows a
    and b (Hansen et al. 2015, NeuroImage 105:525). Returns a DataFrame
    indexed both ways by the window centre times (ms).
    """
    x, dt, labels, t = as_signal(data, dt, variable)
    if x.shape[1] < 3:
        raise ModelError(f"fcd needs at least 3 channels (got {x.shape[1]}): FC upper triangles of 1 value "
                         "have no correlation.")
    w = int(round(float(window_ms) / dt))
    s = int(round(float(step_ms if step_ms is not None else window_ms / 2) / dt))
    if w < 2 or s < 1:
        raise ModelError(f"fcd window {window_ms} ms / step {step_ms} ms are shorter than the sampling step "
                         f"({dt} ms).")
    if w > len(x):
        raise ModelError(f"fcd window {window_ms} ms is longer than the signal ({len(x) * dt:g} ms).")
    starts = np.arange(0, len(x) - w + 1, s)
    with np.errstate(invalid="ignore", divide="ignore"):
        tri = np.array([_upper(np.corrcoef(x[a:a + w], rowvar=False)) for a in starts])
        m = np.corrcoef(tri)
    centres = t[starts] + (w - 1) * dt / 2
    idx = pd.Index(centres, name="time")
    return pd.DataFrame(np.atleast_2d(m), index=idx, columns=idx.rename("time2"))


def matrix_correlation(a, b, k=1):
    """Pearson correlation between the upper triangles (above diagonal ``k``, default
    off-diagonal) of two square matrices, e.g. simulated vs empirical FC.
    DataFrames are aligned by label first."""
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        if set(a.index) != set(b.index) or set(a.columns) != set(b.columns):
            raise ModelError("matrix_correlation: the two matrices have different labels.")
        b = b.loc[a.index, a.columns]
    A, B = np.asarray(a, float), np.asarray(b, float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ModelError(f"matrix_correlation: first matrix has shape {A.shape}; give a square matrix.")
    if A.shape != B.shape:
        raise ModelError(f"matrix_correlation: shapes {A.shape} and {B.shape} differ.")
    x, y = _upper(A, k), _upper(B, k)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 2:
        raise ModelError("matrix_correlation: fewer than 2 finite upper-triangle entries.")
    return float(np.corrcoef(x[ok], y[ok])[0, 1])


def kuramoto_order(data, dt=None, variable=None, phases=False, band=None):
    r"""Kuramoto order parameter :math:`R(t) = |\frac1N \sum_n e^{i\theta_n(t)}|`.

    With ``phases=True`` the data are the phases θ (radians); otherwise the
    phase of each channel is the angle of its analytic signal (Hilbert
    transform of the mean-removed signal, optionally band-passed first with
    ``band=(low, high)`` Hz, 4th-order Butterworth, zero phase). Returns a
    Series ``R`` indexed by time (ms); its ``.mean()`` is the usual
    synchrony summary. Edges of a Hilbert phase are unreliable over about
    one period.
    """
    import scipy.signal          # here: importing it costs ~0.6 s
    x, dt, _, t = as_signal(data, dt, variable)
    if phases:
        theta = x
    else:
        y = x - x.mean(axis=0)
        if band is not None:
            lo, hi = band
            nyq = 500.0 / dt
            if not 0 < lo < hi < nyq:
                raise ModelError(f"band = {band} Hz must satisfy 0 < low < high < Nyquist ({nyq:g} Hz).")
            sos = scipy.signal.butter(4, [lo, hi], btype="bandpass", fs=1000.0 / dt, output="sos")
            y = scipy.signal.sosfiltfilt(sos, y, axis=0)
        theta = np.angle(scipy.signal.hilbert(y, axis=0))
    R = np.abs(np.mean(np.exp(1j * theta), axis=1))
    return pd.Series(R, index=pd.Index(t, name="time"), name="R")
