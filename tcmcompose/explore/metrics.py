r"""Summaries of one simulation, for sweeps and fits.

A metric is any callable ``metric(result) -> float`` or ``-> dict`` of named
floats (columns ``"<name>.<key>"`` in a sweep). The built-ins below are
factories returning such callables, built on
:mod:`tcmcompose.analysis.signal` and :mod:`tcmcompose.observe`; times in ms,
frequencies in Hz. Each ignores the first ``discard_ms`` of the recording.

==========================  ====================================================
:func:`fc_correlation`      Pearson r between simulated and target FC (upper triangles)
:func:`fc_distance`         :math:`1 - r`, for minimising
:func:`fcd_distance`        Kolmogorov-Smirnov distance of FCD value distributions
:func:`psd_peak`            frequency (Hz) and power of the peak of the mean PSD
:func:`kuramoto`            time-mean Kuramoto order parameter
:func:`mean_value`          mean of a variable over time and nodes (e.g. rates)
:func:`bold_fc_correlation` r between FC of the simulated BOLD and a target FC
==========================  ====================================================
"""
import numpy as np
import pandas as pd

from ..analysis import signal
from ..errors import ModelError


def _window(result, variable, discard_ms):
    x, dt, labels, t = signal.as_signal(result, variable=variable)
    keep = t >= t[0] + float(discard_ms)
    if keep.sum() < 2:
        raise ModelError(f"discard_ms = {discard_ms} leaves fewer than 2 samples of {variable!r}.")
    return pd.DataFrame(x[keep], index=pd.Index(t[keep], name="time"), columns=labels)


def _target_matrix(target):
    m = np.asarray(target, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ModelError(f"target FC has shape {m.shape}; give a square (nodes x nodes) matrix.")
    return m


class Metric:
    """A named metric; ``metric(result)`` evaluates it."""

    name = "metric"

    def __call__(self, result):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.name})"


class fc_correlation(Metric):
    """Pearson correlation between the simulated FC of ``variable`` and ``target``
    (upper triangles, :func:`~tcmcompose.analysis.signal.matrix_correlation`)."""

    name = "fc_correlation"

    def __init__(self, target, variable=None, discard_ms=0.0):
        self.target, self.variable, self.discard_ms = _target_matrix(target), variable, discard_ms

    def __call__(self, result):
        x = _window(result, self.variable, self.discard_ms)
        fc = signal.functional_connectivity(x).to_numpy()
        if fc.shape != self.target.shape:
            raise ModelError(f"simulated FC is {fc.shape}, target {self.target.shape}.")
        return signal.matrix_correlation(fc, self.target)


class fc_distance(fc_correlation):
    """1 - :class:`fc_correlation` (0 for a perfect match, up to 2)."""

    name = "fc_distance"

    def __call__(self, result):
        return 1.0 - super().__call__(result)


def fcd_values(data, window_ms, step_ms=None, variable=None, discard_ms=0.0):
    """Upper-triangle values of the FCD matrix (windows at least one window apart)."""
    x = data if isinstance(data, pd.DataFrame) else _window(data, variable, discard_ms)
    m = signal.fcd(x, window_ms, step_ms).to_numpy()
    step = step_ms if step_ms is not None else window_ms / 2
    k = max(1, int(np.ceil(window_ms / step)))           # non-overlapping window pairs only
    iu = np.triu_indices(m.shape[0], k)
    return m[iu]


class fcd_distance(Metric):
    """Kolmogorov-Smirnov distance between the distributions of FCD values
    (non-overlapping window pairs) of the simulation and of ``target``
    (a sample of FCD values, e.g. :func:`fcd_values` of data) - the usual
    FCD fit criterion (Hansen et al. 2015, NeuroImage 105:525; Deco et al. 2017)."""

    name = "fcd_distance"

    def __init__(self, target, window_ms, step_ms=None, variable=None, discard_ms=0.0):
        self.target = np.asarray(target, dtype=float).ravel()
        if len(self.target) < 2:
            raise ModelError("fcd_distance: the target needs at least 2 FCD values.")
        self.window_ms, self.step_ms, self.variable, self.discard_ms = window_ms, step_ms, variable, discard_ms

    def __call__(self, result):
        v = fcd_values(result, self.window_ms, self.step_ms, self.variable, self.discard_ms)
        v = v[np.isfinite(v)]
        if len(v) < 2:
            raise ModelError("fcd_distance: the simulation gives fewer than 2 finite FCD values "
                             "(constant signals, or too short for the window).")
        import scipy.stats               # here: importing it costs ~0.5 s
        return float(scipy.stats.ks_2samp(v, self.target).statistic)


class psd_peak(Metric):
    """Peak of the channel-mean Welch PSD within ``band`` (Hz): ``{"frequency": Hz, "power": units^2/Hz}``."""

    name = "psd_peak"

    def __init__(self, variable=None, band=(0.5, 100.0), segment_ms=1000.0, discard_ms=0.0):
        self.variable, self.band, self.segment_ms, self.discard_ms = variable, band, segment_ms, discard_ms

    def __call__(self, result):
        x = _window(result, self.variable, self.discard_ms)
        p = signal.welch_psd(x, segment_ms=min(self.segment_ms, (len(x) - 1) * (x.index[1] - x.index[0])))
        mean = p.mean(axis=1)
        sel = mean[(mean.index >= self.band[0]) & (mean.index <= self.band[1])]
        if sel.empty:
            raise ModelError(f"psd_peak: no frequency in band {self.band} Hz (resolution "
                             f"{p.index[1] - p.index[0]:g} Hz).")
        f = float(sel.idxmax())
        return {"frequency": f, "power": float(sel.max())}


class kuramoto(Metric):
    """Time-mean Kuramoto order parameter of the Hilbert phases of ``variable``
    (optionally band-passed, ``band`` in Hz)."""

    name = "kuramoto"

    def __init__(self, variable=None, band=None, discard_ms=0.0):
        self.variable, self.band, self.discard_ms = variable, band, discard_ms

    def __call__(self, result):
        return float(signal.kuramoto_order(_window(result, self.variable, self.discard_ms), band=self.band).mean())


class mean_value(Metric):
    """Mean of ``variable`` over time and nodes (e.g. a firing rate)."""

    name = "mean"

    def __init__(self, variable=None, discard_ms=0.0):
        self.variable, self.discard_ms = variable, discard_ms

    def __call__(self, result):
        return float(_window(result, self.variable, self.discard_ms).to_numpy().mean())


class bold_fc_correlation(Metric):
    """Correlation between the FC of the simulated BOLD signal
    (:func:`tcmcompose.observe.bold_signal`, model built with
    :func:`~tcmcompose.observe.with_bold`) and ``target``."""

    name = "bold_fc_correlation"

    def __init__(self, target, label="BOLD", tr_ms=2000.0, discard_ms=0.0):
        self.target, self.label, self.tr_ms, self.discard_ms = _target_matrix(target), label, tr_ms, discard_ms

    def __call__(self, result):
        from ..observe import bold_signal
        b = bold_signal(result, tr_ms=self.tr_ms, label=self.label)
        b = b[b.index >= b.index[0] + self.discard_ms]
        fc = signal.functional_connectivity(b).to_numpy()
        return signal.matrix_correlation(fc, self.target)


def evaluate(metrics, result):
    """Evaluate ``metrics`` (dict name -> metric) on ``result``: (values dict, errors dict).

    A metric that raises leaves its columns NaN and its message in errors,
    and the others still run. Dict-valued metrics give ``"<name>.<key>"``.
    """
    values, errors = {}, {}
    for name, metric in metrics.items():
        try:
            v = metric(result)
            if isinstance(v, dict):
                for k, x in v.items():
                    values[f"{name}.{k}"] = float(x)
            else:
                values[name] = float(v)
        except Exception as err:      # noqa: BLE001 - recorded per point, the sweep carries on
            errors[name] = f"{type(err).__name__}: {err}"
    return values, errors


def as_metrics(metrics):
    """A dict name -> callable from a dict, a list of metrics, or one callable."""
    if metrics is None:
        return {}
    if callable(metrics):
        metrics = [metrics]
    if isinstance(metrics, (list, tuple)):
        out = {}
        for m in metrics:
            name = getattr(m, "name", None) or getattr(m, "__name__", None)
            if not name or name in out:
                raise ModelError(f"metric {m!r} needs a unique name; pass metrics as a dict name -> metric.")
            out[name] = m
        return out
    if not isinstance(metrics, dict) or not all(callable(m) for m in metrics.values()):
        raise ModelError("metrics: give a dict name -> callable(result), a list of named metrics, or one callable.")
    return dict(metrics)
