r"""Fitting a composed model to cross-spectral densities by Variational Laplace.

The generative model is that of DCM for cross-spectral densities (Moran et
al. 2009, NeuroImage 44:796; Friston et al. 2012, NeuroImage 59:439), with
exact delays in the transfer function:

.. math::

    G(f) = \tfrac{2}{1000}\, R\, Z(f)\, \Sigma_u(f)\, Z(f)^H R^T + N(f), \qquad
    Z(f) = (sI - J(s))^{-1} B_{in}\big|_{O},\ s = 2\pi i f/1000,

where :math:`J(s)` is the Jacobian with delays at the fixed point
:math:`x^*(\theta)` (re-solved for every parameter vector, warm-started from
the last one), :math:`B_{in}` maps the innovations into the model,
:math:`O` are the observed states and :math:`R` their read-out weights
(``w_k e^{\rho_k}``, TCM read-out of Shaw et al. 2020). The neuronal
innovations are independent per input with spectrum
:math:`\Sigma_u(f) = e^{a}\, f^{-\alpha}` (white for :math:`\alpha = 0`), and
the channel noise is :math:`N_{ij}(f) = e^{b} f^{-\beta}` (common to all
channel pairs) :math:`+\ \delta_{ij}\, e^{c} f^{-\gamma}` (specific). The
factor 2/1000 makes :math:`G` the one-sided density per Hz of signals in ms
driven by white noise of intensity :math:`\Sigma_u` per ms, as
:func:`tcmcompose.predict_csd`.
"""
import contextlib
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.evaluator import LinearEvaluator, check_positions
from ..analysis.transfer import CrossSpectrum, input_matrix, observation_matrix
from ..errors import ModelError
from .laplace import variational_laplace
from .posterior import Posterior

#: default priors (mean, variance) of the observation-model parameters; the
#: log amplitudes' means are set from the data scale (see SpectralModel)
OBS_PRIORS = {"innovation.log_amplitude": (None, 1.0), "innovation.exponent": (0.0, 1 / 4),
              "channel.common_log_amplitude": (None, 1.0), "channel.common_exponent": (0.0, 1 / 4),
              "channel.specific_log_amplitude": (None, 1.0), "channel.specific_exponent": (0.0, 1 / 4)}


class UnstableError(ModelError):
    """The expansion point is unstable: the linear spectrum is not a stationary spectrum."""


class SpectralModel:
    r"""The map :math:`\theta \mapsto G(f; \theta)` for one built model (see the module docstring).

    Parameters
    ----------
    model : CompiledModel
    freqs : array of Hz (> 0)
    free : list of 'label.param' names (as :meth:`CompiledModel.set_param`), a
        dict ``{name: (prior mean, prior variance)}``, or ``"priors"`` for every
        parameter to which ``model.params`` gives a positive prior variance.
        A name without an explicit prior takes ``prior_mean``/``prior_var`` from
        ``model.params``. Each value is written to every instance the name matches.
    inputs : where innovations enter (input ports or states, as :func:`predict_csd`).
    outputs : observed states, or a dict of read-out weights per state.
    readout_free : infer a log multiplier ``readout.<state>`` (prior N(0, 1/8)) per weighted state.
    obs_priors : overrides of :data:`OBS_PRIORS` by name (None mean: from the data scale).
    """

    def __init__(self, model, freqs, free, inputs, outputs, readout_free=True, obs_priors=None):
        self.model = model
        self.freqs = np.asarray(freqs, dtype=float)
        if self.freqs.ndim != 1 or not np.all(self.freqs > 0):
            raise ModelError("freqs must be a 1-D array of positive frequencies (Hz).")
        self.s = 2j * np.pi * self.freqs / 1000.0
        self.ev = LinearEvaluator(model)
        names, means, variances = self._neural_priors(free)
        self.neural = names
        self.positions = check_positions(model, names)
        # observation model
        from ..analysis.linearise import linearise
        lin = linearise(model, model.x0)
        Bin, self.input_labels = input_matrix(lin, inputs)
        W, self.channels = observation_matrix(lin, outputs)
        W = W.toarray()
        self.observed = np.nonzero(np.any(W != 0, axis=0))[0]
        self.R0 = W[:, self.observed]
        self.Bin = Bin.toarray()
        self.p = W.shape[0]
        self.readout = []
        if readout_free:
            self.readout = [f"readout.{'.'.join(str(v) for v in model.state_index[k][1:])}" +
                            (f"@{model.state_index[k][0]}" if len(set(model.state_index.get_level_values(0))) > 1
                             else "") for k in self.observed]
        obs = ["innovation.log_amplitude", "innovation.exponent"]
        obs += ["channel.common_log_amplitude", "channel.common_exponent"]
        if self.p > 1:
            obs += ["channel.specific_log_amplitude", "channel.specific_exponent"]
        self.obs = obs
        pri = dict(OBS_PRIORS)
        pri.update(obs_priors or {})
        self._obs_priors = pri
        self.names = names + self.readout + obs
        self.prior_mean = np.concatenate([means, np.zeros(len(self.readout)),
                                          [pri[k][0] if pri[k][0] is not None else np.nan for k in obs]])
        self.prior_var = np.concatenate([variances, np.full(len(self.readout), 1 / 8), [pri[k][1] for k in obs]])
        self._x = None
        self._sens = None
        self.fixed_point_tol = 1e-10      # max |f| at the expansion point
        self._theta_state = None
        self.last_fixed_point = None

    # ------------------------------------------------------------------ priors
    def _neural_priors(self, free):
        table = self.model.params
        if isinstance(free, str) and free == "priors":
            sel = table[(table["prior_var"] > 0) & table["prior_mean"].notna()]
            names = list(dict.fromkeys(f"{m}.{p}" for _, m, p in sel.index))
            free = names
        if isinstance(free, str):
            free = [free]
        explicit = dict(free) if isinstance(free, dict) else {}
        names = list(free)
        means, variances = [], []
        for name in names:
            if name in explicit and explicit[name] is not None:
                m, v = explicit[name]
            else:
                label, _, pname = name.rpartition(".")
                rows = table[(table.index.get_level_values("mass") == label) &
                             (table.index.get_level_values("param") == pname)]
                if rows.empty:
                    raise ModelError(f"no parameter {name!r} in model.params.")
                m, v = rows["prior_mean"].iloc[0], rows["prior_var"].iloc[0]
                if not (np.isfinite(m) and np.isfinite(v)) or v <= 0:
                    raise ModelError(f"parameter {name!r} has no usable prior in model.params (mean {m}, variance "
                                     f"{v}); give one: free={{{name!r}: (mean, variance)}}.")
            if not v > 0:
                raise ModelError(f"prior variance of {name!r} must be > 0 (got {v}).")
            means.append(float(m))
            variances.append(float(v))
        return names, np.array(means, dtype=float), np.array(variances, dtype=float)

    def scale_priors(self, data_auto):
        """Set unset log-amplitude prior means from the data scale: innovations so
        that the prior prediction matches the mean auto-spectrum, channel noise
        at e^-4 (about 2 %) of it."""
        level = float(np.mean(data_auto))
        if not level > 0:
            raise ModelError("the data auto-spectra must be positive.")
        theta = np.where(np.isnan(self.prior_mean), 0.0, self.prior_mean)
        k = self.names.index("innovation.log_amplitude")
        if np.isnan(self.prior_mean[k]):
            theta[k] = 0.0
            for name in self.obs[2:]:
                if name.endswith("log_amplitude"):
                    theta[self.names.index(name)] = -np.inf
            G = self.predict(theta)
            self.prior_mean[k] = np.log(level / np.mean(np.real(np.einsum("fii->fi", G))))
        for name in self.obs[2:]:
            j = self.names.index(name)
            if np.isnan(self.prior_mean[j]):
                self.prior_mean[j] = np.log(level) - 4.0

    # -------------------------------------------------------------- prediction
    @contextlib.contextmanager
    def _at(self, theta):
        """For the block, ``model.params`` holds the neural values of ``theta``
        (the other rows keep the model's current values); afterwards the
        model's values are put back, also when the block raises: a
        prediction never leaves its parameters in the user's model."""
        table = self.model.params
        saved = table["value"].to_numpy(dtype=float, copy=True)
        values = saved.copy()
        for pos, v in zip(self.positions, np.asarray(theta, dtype=float)[:len(self.neural)]):
            values[pos] = v
        table["value"] = values
        try:
            yield
        finally:
            table["value"] = saved

    def expansion_point(self, theta):
        """The fixed point at the neural parameters of ``theta`` (warm start from the
        last one); returns (state, x*), state being (parameter vector, edges) there.
        The model's parameter values are left as they were."""
        with self._at(theta):
            return self._expansion_point(theta)

    def _expansion_point(self, theta):
        """:meth:`expansion_point`, inside :meth:`_at` (``model.params`` at ``theta``)."""
        theta = np.asarray(theta, dtype=float)
        state = self.ev.current()
        start = self.model.x0 if self._x is None else self._x
        x, res, ok = self.ev.fixed_point(start, state, tol=self.fixed_point_tol)
        if not ok and self._x is not None:
            x, res, ok = self.ev.fixed_point(self.model.x0, state, tol=self.fixed_point_tol)
        if not ok:          # Newton stalled: follow the homotopy from x0 (finds unstable equilibria too)
            from ..analysis.fixed_point import homotopy
            xh, _, _ = homotopy(lambda z: self.ev.jacobian(z, state), self.model.x0)
            if np.all(np.isfinite(xh)):
                x, res, ok = self.ev.fixed_point(xh, state, tol=self.fixed_point_tol)
        if not ok:
            raise ModelError(f"no fixed point at these parameters (max |f| = {res:.3g}): "
                             f"{dict(zip(self.neural, np.round(theta[:len(self.neural)], 4)))}")
        self._x = x
        self.last_fixed_point = x
        return state, x

    def transfer(self, theta):
        """Z(f) = (sI - J(s))^-1 B_in restricted to the observed states (F, |O|, m)."""
        state, x = self.expansion_point(theta)      # (pieces read the state, not model.params)
        vd, vb, vc, gain, delay, _ = self.ev.pieces(x, state)
        return self.ev.resolvent(self.s, vd, vb, vc, gain, delay, self.Bin, self.observed)

    def predict(self, theta):
        """Predicted CSD (F, p, p) complex at parameters ``theta`` (ordered as :attr:`names`)."""
        theta = np.asarray(theta, dtype=float)
        Z = self.transfer(theta)
        nn, nr = len(self.neural), len(self.readout)
        R = self.R0 * (np.exp(theta[nn:nn + nr])[None, :] if nr else 1.0)
        H = np.einsum("pk,fkm->fpm", R, Z)                         # (F, p, m)
        o = dict(zip(self.names[nn + nr:], theta[nn + nr:]))
        f = self.freqs
        Su = np.exp(o["innovation.log_amplitude"]) * f ** (-o["innovation.exponent"])
        G = np.einsum("fpm,fqm->fpq", H, (2.0 / 1000.0) * Su[:, None, None] * np.conj(H))
        G = G + (np.exp(o["channel.common_log_amplitude"]) * f ** (-o["channel.common_exponent"]))[:, None, None]
        if self.p > 1:
            spec = np.exp(o["channel.specific_log_amplitude"]) * f ** (-o["channel.specific_exponent"])
            G = G + spec[:, None, None] * np.eye(self.p)[None]
        return G

    def predict_with_gradient(self, theta):
        """Predicted CSD (F, p, p) and its exact derivatives (F, p, p, len(names)) with
        respect to every parameter (see :mod:`tcmcompose.analysis.sensitivity`): the
        fixed point moves by -J^-1 df/dtheta and dH = L (dJ(s)/dtheta) Z with
        L = R M(s)^-1, Z = M(s)^-1 B_in, M(s) = sI - J(s) (delays included)."""
        from ..analysis.sensitivity import ModelSensitivity
        theta = np.asarray(theta, dtype=float)
        nn, nr = len(self.neural), len(self.readout)
        with self._at(theta):          # (the directions read the edges at theta from model.params)
            state, x = self._expansion_point(theta)
            if self._sens is None:
                self._sens = ModelSensitivity(self.ev)
            sens = self._sens
            dp, dw, dd = sens.directions(self.positions)
        vd, vb, vc, gain, delay, _, dvd, dvb, dvc, dgain, ddelay = sens.pieces(x, state, dp, dw, dd)
        R = self.R0 * (np.exp(theta[nn:nn + nr])[None, :] if nr else 1.0)
        H, Z, dHn = sens.resolvent_derivative(self.s, vd, vb, vc, gain, delay, dvd, dvb, dvc, dgain, ddelay,
                                              self.Bin, R, self.observed)
        o = dict(zip(self.names[nn + nr:], theta[nn + nr:]))
        f = self.freqs
        c = 2.0 / 1000.0
        Su = np.exp(o["innovation.log_amplitude"]) * f ** (-o["innovation.exponent"])
        cH = c * Su[:, None, None] * np.conj(H)                                  # (F, q, m)
        neural = np.einsum("fpm,fqm->fpq", H, cH)
        common = np.exp(o["channel.common_log_amplitude"]) * f ** (-o["channel.common_exponent"])
        G = neural + common[:, None, None]
        dG = np.empty(G.shape + (len(self.names),), dtype=complex)
        # d(c H Su H^H) = A + A^H with A = c dH Su H^H, for every direction at once
        A = np.einsum("fpmj,fqm->fpqj", dHn, cH)
        dG[..., :nn] = A + np.conj(np.transpose(A, (0, 2, 1, 3)))
        if nr:
            dHr = R[None, :, None, :] * np.transpose(Z[:, self.observed, :], (0, 2, 1))[:, None]   # (F, p, m, nr)
            A = np.einsum("fpmj,fqm->fpqj", dHr, cH)
            dG[..., nn:nn + nr] = A + np.conj(np.transpose(A, (0, 2, 1, 3)))
        logf = np.log(f)[:, None, None]
        col = {n: nn + nr + i for i, n in enumerate(self.obs)}
        dG[..., col["innovation.log_amplitude"]] = neural
        dG[..., col["innovation.exponent"]] = -logf * neural
        dG[..., col["channel.common_log_amplitude"]] = common[:, None, None]
        dG[..., col["channel.common_exponent"]] = -logf * common[:, None, None]
        if self.p > 1:
            spec = np.exp(o["channel.specific_log_amplitude"]) * f ** (-o["channel.specific_exponent"])
            eye = np.eye(self.p)[None]
            G = G + spec[:, None, None] * eye
            dG[..., col["channel.specific_log_amplitude"]] = spec[:, None, None] * eye
            dG[..., col["channel.specific_exponent"]] = -logf * spec[:, None, None] * eye
        return G, dG

    def rightmost_root(self, theta, n_cheb=None):
        """Rightmost characteristic root (1/ms) at the fixed point for ``theta``
        (delays included), and the rightmost root without delays."""
        from ..analysis.linearise import linearise
        with self._at(theta):
            _, x = self._expansion_point(theta)
            lin = linearise(self.model, x)
        roots, _ = lin.characteristic_roots(n_roots=1, n_cheb=n_cheb)
        return complex(roots[0]), complex(lin.eigenvalues()[0])


def _csd_array(data, p):
    if isinstance(data, CrossSpectrum):
        data = data.values
    if isinstance(data, (pd.DataFrame, pd.Series)):
        data = data.to_numpy()
    data = np.asarray(data)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim == 2:          # auto-spectra only
        if data.shape[1] != p:
            raise ModelError(f"data have {data.shape[1]} channels; the observation model has {p}.")
        if p == 1:
            data = data[:, :, None]
        else:
            raise ModelError("with several channels give the full CSD (frequency x channel x channel).")
    if data.ndim != 3 or data.shape[1:] != (p, p):
        raise ModelError(f"data of shape {data.shape}; expected (frequencies, {p}, {p}).")
    if not np.all(np.isfinite(data)):
        raise ModelError("the data contain NaN or infinite values.")
    return data


def features(G, kind):
    """Data features compared by the fit: ``"csd"`` the complex upper triangle
    (with the diagonal) of every frequency; ``"log_psd"`` the log auto-spectra."""
    if kind == "csd":
        i, j = np.triu_indices(G.shape[1])
        out = G[:, i, j]
        return out.real if G.shape[1] == 1 else out
    if kind == "log_psd":
        d = np.real(np.einsum("fii->fi", G))
        if np.any(d <= 0):
            raise ModelError("log_psd needs positive auto-spectra.")
        return np.log(d)
    raise ModelError(f"feature must be 'csd' or 'log_psd', got {kind!r}.")


def feature_jacobian(G, dG, kind):
    """Derivatives of :func:`features` given dG (F, p, p, n): shape features.shape + (n,)."""
    if kind == "csd":
        i, j = np.triu_indices(G.shape[1])
        out = dG[:, i, j, :]
        return out.real if G.shape[1] == 1 else out
    d = np.real(np.einsum("fii->fi", G))
    return np.real(np.einsum("fiij->fij", dG)) / d[..., None]


@dataclass
class SpectralFit:
    """Result of :func:`fit_spectra`."""
    posterior: Posterior
    spectral_model: SpectralModel
    freqs: np.ndarray
    data: np.ndarray             # (F, p, p)
    predicted: np.ndarray        # at the posterior mean
    prior_predicted: np.ndarray  # at the prior mean
    feature: str
    rightmost_root: complex = None

    @property
    def F(self):
        return self.posterior.F


def fit_spectra(model, data, freqs, free, inputs, outputs, *, feature="csd", readout_free=True, obs_priors=None,
                noise_precision=None, check_stability="warn", max_iter=128, tol=0.1, callback=None, restarts=0,
                seed=0, jacobian="auto", **vl_options):
    r"""Fit ``model``'s linear spectral response to a cross-spectral density.

    ``data``: (F, p, p) complex CSD, an (F,)/(F, 1) auto-spectrum for one
    channel, a DataFrame (frequency x channel auto-spectra of one channel) or
    a :class:`~tcmcompose.analysis.transfer.CrossSpectrum`; ``freqs`` in Hz.
    ``free``, ``inputs``, ``outputs``, ``readout_free``, ``obs_priors``: see
    :class:`SpectralModel`. ``feature``: "csd" (complex, DCM for CSD) or
    "log_psd" (log auto-spectra). ``check_stability``: at the prior and the
    posterior mean, the rightmost characteristic root (with delays) is
    computed; "warn" warns when it has a positive real part, "error" raises
    :class:`UnstableError`, None skips it. ``restarts``: further fits started
    from parameters drawn from the prior (``seed``); the one with the highest
    free energy is kept (the scheme is a local optimiser and spectra with
    several peaks give multimodal posteriors). ``jacobian``: "analytic" (exact
    sensitivities, :meth:`SpectralModel.predict_with_gradient`), "fd" (one-sided
    finite differences of the prediction, step ``fd_step``), or "auto" (analytic
    where the model allows it: no tabulated functions, linear couplings only).
    Other options go to :func:`~tcmcompose.inference.variational_laplace`.

    The model's parameter values are restored afterwards. Returns a :class:`SpectralFit`.
    """
    saved = model.params["value"].to_numpy(copy=True)
    try:
        sm = SpectralModel(model, freqs, free, inputs, outputs, readout_free, obs_priors)
        G = _csd_array(data, sm.p)
        if G.shape[0] != len(sm.freqs):
            raise ModelError(f"data have {G.shape[0]} frequencies; freqs has {len(sm.freqs)}.")
        sm.scale_priors(np.real(np.einsum("fii->fi", G)))
        y = features(G, feature)
        g = lambda th: features(sm.predict(th), feature)      # noqa: E731
        jac = _jacobian_option(sm, jacobian, feature)
        if jac is not None:
            g, jac = _shared(sm, feature, jac)
        prior_G = sm.predict(sm.prior_mean)
        _stability(sm, sm.prior_mean, check_stability, "the prior mean")
        rng = np.random.default_rng(seed)
        post = None
        for r in range(int(restarts) + 1):
            x0 = None if r == 0 else rng.normal(sm.prior_mean, np.sqrt(sm.prior_var))
            try:
                cand = variational_laplace(g, y, pd.Series(sm.prior_mean, index=sm.names), np.diag(sm.prior_var),
                                           noise_precision=noise_precision, max_iter=max_iter, tol=tol,
                                           callback=callback, x0=x0, jacobian=jac, **vl_options)
            except ModelError:
                if r == 0:
                    raise
                continue          # a random start without a fixed point or a finite prediction
            if post is None or cand.F > post.F:
                post = cand
        pred = sm.predict(post.mean.to_numpy())
        root = _stability(sm, post.mean.to_numpy(), check_stability, "the posterior mean")
        return SpectralFit(post, sm, sm.freqs, G, pred, prior_G, feature, root)
    finally:
        model.params["value"] = saved


def _jacobian_option(sm, mode, feature):
    """The ``jacobian`` callable for variational_laplace (None: finite differences)."""
    if mode == "fd":
        return None
    if mode not in ("auto", "analytic"):
        raise ModelError(f"jacobian must be 'auto', 'analytic' or 'fd', got {mode!r}.")
    from ..analysis.sensitivity import ModelSensitivity
    try:
        if sm._sens is None:
            sm._sens = ModelSensitivity(sm.ev)
        if np.any(sm.ev.current()[1].kind != 0):
            raise ModelError("analytic sensitivities cover linear couplings only; this model has nonlinear "
                             "coupling kinds. Use jacobian='fd'.")
    except ModelError:
        if mode == "analytic":
            raise
        return None
    return lambda th: feature_jacobian(*sm.predict_with_gradient(th), feature)


def _shared(sm, feature, jac):
    """(g, jacobian) computing prediction and sensitivities in one pass: the scheme asks
    for the Jacobian at every point where it predicts, so g keeps it for the next call."""
    kept = {}

    def g(th):
        G, dG = sm.predict_with_gradient(th)
        kept.clear()
        kept[np.asarray(th, dtype=float).tobytes()] = feature_jacobian(G, dG, feature)
        return features(G, feature)

    def jacobian(th):
        hit = kept.get(np.asarray(th, dtype=float).tobytes())
        return hit if hit is not None else jac(th)
    return g, jacobian


def _stability(sm, theta, mode, where):
    if mode is None:
        return None
    root, undelayed = sm.rightmost_root(theta)
    if root.real > 0:
        msg = (f"the expansion point at {where} is unstable: rightmost characteristic root "
               f"{root.real * 1000:.3g} {root.imag * 1000:+.3g}i per s (without delays {undelayed.real * 1000:.3g} "
               f"{undelayed.imag * 1000:+.3g}i per s); the linear spectrum there is not a stationary spectrum.")
        if mode == "error":
            raise UnstableError(msg)
        warnings.warn(msg, RuntimeWarning, stacklevel=3)
    return root
