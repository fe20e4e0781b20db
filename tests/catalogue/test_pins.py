"""Every catalogue model's defaults pinned, number by number, to its cited source.

The literals below are written out from the papers / reference simulators named
next to each entry (never read back from the library): changing a default
(e.g. Jansen-Rit's A from 3.25 to 3.3 mV) fails here. Each model's dynamics at
these defaults are pinned to a reference elsewhere in tests/catalogue and
tests/tcm_model; Jansen-Rit, which had none, gets its NumPy loop and spectral
peak at the end of this file. New catalogue models must add a pin
(``test_every_model_is_pinned``).
"""
import math

import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.catalogue import ENTRIES

TWO_PI_10HZ = 2 * math.pi * 0.01          # 10 Hz in rad/ms

MASS_PINS = {
    # Deco et al. 2017 Sci Rep 7:3095 normal form; a > 0 (limit cycle), 10 Hz alpha
    "hopf": dict(a=0.1, omega=TWO_PI_10HZ),
    # van der Pol 1926; Strogatz 2015 §7.5 (mu = 1; time unit tau = 1 ms)
    "van_der_pol": dict(mu=1.0, tau=1.0),
    # FitzHugh 1961 Biophys J 1:445: a = 0.7, b = 0.8, phi = 0.08 (tau = 1/phi)
    "fitzhugh_nagumo": dict(a=0.7, b=0.8, tau=12.5, I=0.5),
    # TVB Generic2dOscillator (Sanz-Leon et al. 2015) defaults
    "generic_2d": dict(tau=1.0, I=0.0, a=-2.0, b=-10.0, c=0.0, d=0.02, e=3.0, f=1.0, g=0.0,
                       alpha=1.0, beta=1.0, gamma=1.0),
    # Dayan & Abbott 2001 §7.5: M_EE 1.25, M_EI -1, M_IE 1, M_II 0, gamma_E -10, gamma_I 10 Hz
    "threshold_linear": dict(tau_E=10.0, tau_I=30.0, w_EE=1.25, w_EI=1.0, w_IE=1.0, w_II=0.0,
                             h_E=10.0, h_I=-10.0),
    "kuramoto": dict(omega=TWO_PI_10HZ, I=0.0),
    # Lorenz 1963: sigma 10, rho 28, beta 8/3
    "lorenz": dict(sigma=10.0, rho=28.0, beta=8.0 / 3.0, tau=1.0),
    # TVB Linear: gamma = -10
    "linear": dict(gamma=-10.0),
    # Jansen & Rit 1995 Biol Cybern 73:357 in TVB's units (ms, mV); TVB SigmoidalJansenRit coupling
    "jansen_rit": dict(A=3.25, B=22.0, a=0.1, b=0.05, v0=5.52, nu_max=0.0025, r=0.56, J=135.0,
                       a_1=1.0, a_2=0.8, a_3=0.25, a_4=0.25, mu=0.22,
                       cmin=0.0, cmax=0.005, midpoint=6.0, r_c=0.56),
    # Wong & Wang 2006 J Neurosci 26:1314, reduced two-variable model
    "wong_wang": dict(a=270.0, b=108.0, d=0.154, gamma=0.641, tau_S=100.0, J11=0.2609, J22=0.2609,
                      J12=0.0497, J21=0.0497, J_ext=0.00052, I0=0.3255, mu0=30.0, coh=0.0),
    # Deco et al. 2014 J Neurosci 34:7886 (TVB ReducedWongWangExcInh)
    "reduced_wong_wang": dict(a_e=310.0, b_e=125.0, d_e=0.16, gamma_e=0.641e-3, tau_e=100.0,
                              w_p=1.4, J_N=0.15, W_e=1.0, a_i=615.0, b_i=177.0, d_i=0.087,
                              gamma_i=1e-3, tau_i=10.0, J_i=1.0, W_i=0.7, I_o=0.382, I_ext=0.0,
                              G=2.0, lamda=0.0, sigma=0.0),
    # Montbrio, Pazo & Roxin 2015 PRX 5:021028: tau 1 ms, Delta 1, eta -5, J 15
    "montbrio_pazo_roxin": dict(tau=1.0, Delta=1.0, eta=-5.0, J=15.0, I=0.0),
    # Coombes & Byrne 2019 (TVB CoombesByrne)
    "coombes_byrne": dict(Delta=0.5, alpha=0.95, v_syn=-10.0, k=1.0, eta=20.0),
    # Breakspear, Terry & Friston 2003 Network 14:703 (TVB LarterBreakspear)
    "larter_breakspear": dict(gCa=1.1, gK=2.0, gL=0.5, phi=0.7, gNa=6.7, TK=0.0, TCa=-0.01, TNa=0.3,
                              VCa=1.0, VK=-0.7, VL=-0.5, VNa=0.53, d_K=0.3, tau_K=1.0, d_Na=0.15,
                              d_Ca=0.15, aei=2.0, aie=2.0, b=0.1, C=0.1, ane=1.0, ani=0.4, aee=0.4,
                              Iext=0.3, rNMDA=0.25, VT=0.0, d_V=0.65, ZT=0.0, d_Z=0.7,
                              QV_max=1.0, QZ_max=1.0, t_scale=1.0),
    # Jirsa et al. 2014 Brain 137:2210 (TVB Epileptor)
    "epileptor": dict(a=1.0, b=3.0, c=1.0, d=5.0, r=0.00035, s=4.0, x0=-1.6, Iext=3.1, slope=0.0,
                      Iext2=0.45, tau=10.0, aa=6.0, bb=2.0, Kvf=0.0, Kf=0.0, Ks=0.0, tt=1.0),
}

_THAL_SHARED = dict(tau=20.0, C_m=1.0, Q_max=0.4, theta=-58.5, sigma=6.0, C1=1.8137993642, g_L=1.0,
                    g_AMPA=1.0, g_GABA=1.0, g_LK=0.018, E_AMPA=0.0, E_GABA=-70.0, E_L=-70.0,
                    E_K=-100.0, E_Ca=120.0, gamma_e=0.07, gamma_r=0.1)
_TCM_SHARED = dict(CV=0.0, g_L=1.0, E_L=-70.0, S=0.0, tau_ampa=2.2, E_ampa=60.0, T_ampa=0.0, E=0.0,
                   BE0=0.8, C_in=0.0, tau_gabaa=5.0, E_gabaa=-90.0, T_gabaa=0.0, tau_nmda=100.0,
                   E_nmda=10.0, T_nmda=0.0, scale_NMDA=0.0, tau_gabab=300.0, E_gabab=-100.0,
                   T_gabab=0.0, tau_m=160.0, E_m=-52.0, T_m=0.0, Mh=0.0)
_TCM_H = dict(tau_h=100.0, E_h=-30.0, T_h=0.0, Hh=0.0)

NODE_PINS = {
    # neurolib 0.6 WCModel (Wilson & Cowan 1972 form): mass params, node couplings
    "wilson_cowan": ({"E": dict(tau_exc=2.5, a_exc=1.5, mu_exc=3.0, exc_ext=0.0),
                      "I": dict(tau_inh=3.75, a_inh=1.5, mu_inh=3.0, inh_ext=0.0)},
                     dict(c_excexc=16.0, c_excinh=15.0, c_inhexc=12.0, c_inhinh=3.0)),
    # Wilson & Cowan 1972 form with refractory factor, brainmass WilsonCowanModel defaults
    "wilson_cowan_refractory": ({"E": dict(tau=1.0, a=1.2, theta=2.8, r=1.0),
                                 "I": dict(tau=1.0, a=1.0, theta=4.0, r=1.0)},
                                dict(c_excexc=12.0, c_excinh=13.0, c_inhexc=4.0, c_inhinh=11.0)),
    # Costa et al. 2016 PLoS Comput Biol 12:e1005022 as in neurolib's ThalamicMassModel
    "thalamus": ({"TCR": dict(_THAL_SHARED, g_T_t=3.0, g_h=0.062, E_h=-40.0, alpha_Ca=-51.8e-6,
                              tau_Ca=10.0, Ca_0=2.4e-4, k1=2.5e7, k2=4e-4, k3=0.1, k4=0.001,
                              n_P=4.0, g_inc=2.0),
                  "TRN": dict(_THAL_SHARED, g_T_r=2.3)},
                 dict(N_tr=5.0, N_rt=3.0, N_rr=25.0)),
    # Shaw et al. 2020 NeuroImage 221:117189: capacitances SS 384, SP 128, SI 64, DP 128,
    # DI 64, TP 128, RT 64, RC 128 pF; H current in TP and RC only
    "tcm_column": ({"SS": dict(_TCM_SHARED, C=384.0), "SP": dict(_TCM_SHARED, C=128.0),
                    "SI": dict(_TCM_SHARED, C=64.0), "DP": dict(_TCM_SHARED, C=128.0),
                    "DI": dict(_TCM_SHARED, C=64.0), "TP": dict(_TCM_SHARED, C=128.0, **_TCM_H),
                    "RT": dict(_TCM_SHARED, C=64.0), "RC": dict(_TCM_SHARED, C=128.0, **_TCM_H)},
                   None),
}

# Shaw et al. 2020 intrinsic template (receiving <- sending, receptor): weight, delay (ms)
TCM_LINKS = {
    ("SS", "SS", "gabaa"): (8, 2), ("SS", "SS", "gabab"): (8, 2), ("SS", "SI", "gabaa"): (10, 1),
    ("SS", "SI", "gabab"): (10, 1), ("SS", "TP", "ampa"): (2, 2), ("SS", "TP", "nmda"): (2, 2),
    ("SS", "RC", "ampa"): (2, 5), ("SS", "RC", "nmda"): (2, 5), ("SP", "SS", "ampa"): (2, 2),
    ("SP", "SS", "nmda"): (2, 2), ("SP", "SP", "ampa"): (2, 1), ("SP", "SP", "gabaa"): (18, 1),
    ("SP", "SP", "nmda"): (2, 1), ("SP", "SP", "gabab"): (18, 1), ("SP", "SI", "gabaa"): (10, 1),
    ("SP", "SI", "nmda"): (2, 1), ("SP", "SI", "gabab"): (10, 1), ("SI", "SP", "ampa"): (2, 1),
    ("SI", "SP", "nmda"): (2, 1), ("SI", "SI", "gabaa"): (10, 1), ("SI", "SI", "nmda"): (2, 1),
    ("SI", "SI", "gabab"): (10, 1), ("DP", "SP", "ampa"): (2, 1), ("DP", "SP", "nmda"): (2, 1),
    ("DP", "DP", "gabaa"): (8, 1), ("DP", "DP", "gabab"): (8, 1), ("DP", "DI", "gabaa"): (6, 1),
    ("DP", "DI", "gabab"): (6, 1), ("DI", "DP", "ampa"): (2, 1), ("DI", "DP", "nmda"): (2, 1),
    ("DI", "DI", "gabaa"): (14, 1), ("DI", "DI", "gabab"): (14, 1), ("TP", "DP", "ampa"): (2, 1),
    ("TP", "DP", "nmda"): (2, 1), ("TP", "DI", "gabaa"): (6, 1), ("TP", "DI", "gabab"): (6, 1),
    ("TP", "TP", "gabaa"): (8, 2), ("TP", "TP", "gabab"): (8, 2), ("RT", "RT", "gabaa"): (8, 1),
    ("RT", "RT", "gabab"): (8, 1), ("RT", "RC", "ampa"): (2, 2), ("RT", "RC", "nmda"): (2, 2),
    ("RC", "SS", "ampa"): (2, 10), ("RC", "SS", "nmda"): (2, 10), ("RC", "TP", "ampa"): (2, 10),
    ("RC", "TP", "nmda"): (2, 10), ("RC", "RT", "gabaa"): (8, 1), ("RC", "RT", "gabab"): (8, 1),
    ("RC", "RC", "gabaa"): (8, 2), ("RC", "RC", "gabab"): (8, 2),
}


def test_every_model_is_pinned():
    names = {e.name for e in ENTRIES}
    assert names == set(MASS_PINS) | set(NODE_PINS) | set(EXTRA_PINS)


@pytest.mark.parametrize("name", sorted(MASS_PINS))
def test_mass_defaults_match_source(name):
    m = tc.get_model(name)
    assert isinstance(m, tc.Mass)
    assert m.params.keys() == MASS_PINS[name].keys()
    for p, v in MASS_PINS[name].items():
        assert m.params[p] == pytest.approx(v, rel=1e-12, abs=0.0), f"{name}.{p}"


@pytest.mark.parametrize("name", sorted(NODE_PINS))
def test_node_defaults_match_source(name):
    node = tc.get_model(name)
    masses, node_params = NODE_PINS[name]
    assert node.masses.keys() == masses.keys()
    for label, pins in masses.items():
        got = node.masses[label].params
        assert got.keys() == pins.keys(), label
        for p, v in pins.items():
            assert got[p] == pytest.approx(v, rel=1e-12, abs=0.0), f"{name}.{label}.{p}"
    if node_params is not None:
        assert node.params == node_params


def test_tcm_column_template_weights_and_delays():
    node = tc.get_model("tcm_column")
    assert all(v == 0.0 for v in node.params.values())      # log-scale deviations from the template
    weights, delays = node.link_values()
    got = {(c.target, c.source, c.port): (w, d) for c, w, d in zip(node.connections, weights, delays)}
    assert got == {k: (float(w), float(d)) for k, (w, d) in TCM_LINKS.items()}


# ------------------------------------------------------------------ Jansen-Rit reference
def jansen_rit_numpy(duration, dt, y):
    """Jansen & Rit (1995) Eqs. (6)-(7) with Table 1's values in ms/mV (TVB's
    units), integrated with Heun: an independent transcription with the
    numbers written in."""
    A, B, a, b, v0, e0, r, C = 3.25, 22.0, 0.1, 0.05, 5.52, 0.0025, 0.56, 135.0
    p = 0.22

    def S(v):
        return 2 * e0 / (1 + np.exp(r * (v0 - v)))

    def f(y):
        y0, y1, y2, y3, y4, y5 = y
        return np.array([y3, y4, y5,
                         A * a * S(y1 - y2) - 2 * a * y3 - a * a * y0,
                         A * a * (p + 0.8 * C * S(C * y0)) - 2 * a * y4 - a * a * y1,
                         B * b * 0.25 * C * S(0.25 * C * y0) - 2 * b * y5 - b * b * y2])

    n = int(round(duration / dt))
    out = np.empty((n, 6))
    y = np.array(y, float)
    for k in range(n):
        k1 = f(y)
        k2 = f(y + dt * k1)
        y = y + 0.5 * dt * (k1 + k2)
        out[k] = y
    return out


@pytest.fixture(scope="module")
def jr_single():
    return tc.build(tc.get_model("jansen_rit"))


def test_jansen_rit_trajectory_equals_numpy_loop(jr_single):
    """200 ms of the compiled mass at its defaults equal the independent Heun loop."""
    res = jr_single.simulate(200.0, 0.1, method="heun")
    ref = jansen_rit_numpy(200.0, 0.1, [0.0, 15.0, 10.0, 0.0, 0.0, 0.0])
    for k, s in enumerate(["y0", "y1", "y2", "y3", "y4", "y5"]):
        got = np.asarray(res[f"jansen_rit.{s}"])[:, 0]
        assert np.max(np.abs(got[-len(ref):] - ref[:, k])) < 1e-9 * (1 + np.abs(ref[:, k]).max()), s


def test_jansen_rit_default_limit_cycle():
    """At the defaults (p = 0.22 /ms, no noise) the deterministic column sits on
    a limit cycle: period 147.0 ms (6.8 Hz), EEG proxy y1 - y2 between 2.1 and
    11.9 mV (the independent loop's figures; Grimbert & Faugeras 2006 Neural
    Comput 18:3052 map these cycles over p)."""
    y = jansen_rit_numpy(3000.0, 0.1, [0.0, 15.0, 10.0, 0.0, 0.0, 0.0])[20000:]
    v = y[:, 1] - y[:, 2]
    lvl = v.mean()
    k = np.nonzero((v[:-1] < lvl) & (v[1:] >= lvl))[0]
    period = np.diff(0.1 * k + 0.1 * (lvl - v[k]) / (v[k + 1] - v[k]))
    assert period.mean() == pytest.approx(147.0, abs=0.3)
    assert v.min() == pytest.approx(2.14, abs=0.05) and v.max() == pytest.approx(11.92, abs=0.05)


EXTRA_PINS = {"stuart_landau", "damped_oscillator", "zetterberg_jansen",   # pinned in test_new_models.py
              "aln"}                                                       # and test_aln.py
