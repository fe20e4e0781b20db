r"""The eight populations of the conductance-based thalamo-cortical model (TCM).

Shaw et al. (2020) NeuroImage 221:117189; reference equations ``tc_hilge2``
as specified in ``../shared/reference/TCM_SPEC.md`` (§1, §2), converted once
to ms: rates :math:`1/\tau` per ms, capacitance :math:`C = 1000\,C_0`.

Each population p (SS, SP, SI, DP, DI, TP, RT, RC) has

.. math::

    C_p e^{\theta_{CV}} \dot V = (E_L - V) + g_A (E_A - V) + g_{GA} (E_{GA} - V)
        + g_{GB} (E_{GB} - V) + g_M (E_M - V) + g_H (E_H - V) + g_N (E_N - V) B(V)

    \dot g_r = e^{-\theta_{T,r}}/\tau_r\,(T_r - g_r)

with targets :math:`T_A = 2(\text{ampa} + BE) + e^{\theta_C} \text{input}`,
:math:`T_N = 2(\text{nmda} + BE)`, :math:`T_{GA} = \text{gabaa}`,
:math:`T_{GB} = \text{gabab}`, :math:`T_M = 4 e^{\theta_{Mh}} m(V)`,
:math:`T_H = 4 e^{\theta_{Hh}} h(V)` (H only on TP and RC), background
:math:`BE = 0.8 e^{\theta_E}`; ports ``ampa``, ``nmda``, ``gabaa``,
``gabab`` receive the weighted presynaptic firing (template x exp(gain)),
``input`` the exogenous drive.

Constants (§2.1): E_L -70, E_AMPA 60, E_GABAA -90, E_NMDA 10, E_GABAB -100,
E_M -52, E_H -30 mV; tau 2.2, 5, 100, 300, 160, 100 ms;
C0 = [384 128 64 128 64 128 64 128]/1000.

Variants (documented sources in the spec):

* ``firing="smooth"`` (default; tcm_py): :math:`m = \sigma(\tfrac23(V - V_R))(1 - \sigma(V - 30))`,
  :math:`V_R = -52 + e^{\theta_S}`; ``"atcm_hard"`` (reference MATLAB): the
  logistic below V_R, 1 on [V_R, 30), 0 above (discontinuous);
  ``"williams_cdf"`` (2020 / SPM): :math:`\Phi_W((V + 40)/\sqrt{32 e^{\theta_S}})`.
* ``nmda_block="elementwise"`` (default, documented):
  :math:`B = 1/(1 + 0.2 e^{-0.062 e^{\theta_N} V})`; ``"spm"``:
  :math:`1.50265/(1 + 0.33 e^{-0.06 V})`; ``"atcm_matlab"``: MATLAB's
  least-squares ``d \ 1`` quirk that published fits used: only the most
  hyperpolarised population of the column (largest d) gets :math:`1/d`, the
  others 0. Here each population receives the other seven potentials on
  ports ``v_<label>`` (zero-delay links added by the column) and gates its
  block with a Piecewise on being the minimum (ties go to the first in
  SS..RC order, as MATLAB's column pivoting does).
"""
from ...errors import ModelError
from ..conductance import ConductanceMass, Receptor

POPULATIONS = ["SS", "SP", "SI", "DP", "DI", "TP", "RT", "RC"]
CORTEX = POPULATIONS[:6]
THALAMUS = ["RT", "RC"]
C0_MS = dict(zip(POPULATIONS, [384.0, 128.0, 64.0, 128.0, 64.0, 128.0, 64.0, 128.0]))
INTRINSIC_DELAY = dict(zip(POPULATIONS, [2.0, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, 2.0]))   # ms, §2.6
WITH_H = ("TP", "RC")
FIRING = ("smooth", "atcm_hard", "williams_cdf")
NMDA_BLOCK = ("elementwise", "atcm_matlab", "spm")
#: LFP read-out weights on V (2025 scripts, §3.5)
LFP_WEIGHTS = dict(zip(POPULATIONS, [0.2, 0.99, 0.1, 0.8, 0.1, 0.2, 0.05, 0.1]))

_SIG = "1/(1 + exp(-({z})))"


def firing_expression(firing):
    vr = "(-52 + exp(S))"
    if firing == "smooth":
        return f"{_SIG.format(z=f'2/3*(V - {vr})')}*(1 - {_SIG.format(z='V - 30')})"
    if firing == "atcm_hard":
        return f"Piecewise(({_SIG.format(z=f'2/3*(V - {vr})')}, V < {vr}), (1, V < 30), (0, True))"
    if firing == "williams_cdf":
        z = "((V + 40)/sqrt(32*exp(S)))"
        return f"1/2 + 1/2*sign({z})*sqrt(1 - exp(-2/pi*{z}**2))"
    raise ModelError(f"firing={firing!r}; choose one of {FIRING}")


def block_expression(nmda_block, label):
    d = "(1 + 0.2*exp(-0.062*exp(scale_NMDA)*V))"
    if nmda_block == "elementwise":
        return f"1/{d}"
    if nmda_block == "spm":
        return "1.50265/(1 + 0.33*exp(-0.06*V))"
    if nmda_block == "atcm_matlab":
        k = POPULATIONS.index(label)
        # largest d <=> lowest V (d decreases with V); ties: the first population wins
        conds = [f"V < v_{q}" for q in POPULATIONS[:k]] + [f"V <= v_{q}" for q in POPULATIONS[k + 1:]]
        return f"Piecewise((1/{d}, And({', '.join(conds)})), (0, True))"
    raise ModelError(f"nmda_block={nmda_block!r}; choose one of {NMDA_BLOCK}")


def tcm_receptors(label, nmda_block="elementwise", with_m=True, with_h=None, with_nmda=True):
    """The receptor/channel blocks of population ``label`` (state order of the spec)."""
    with_h = (label in WITH_H) if with_h is None else with_h
    rec = [
        Receptor("ampa", 2.2, 60.0, target="2*(ampa + BE0*exp(E)) + exp(C_in)*input", ports=["ampa", "input"],
                 params={"E": 0.0, "BE0": 0.8, "C_in": 0.0},
                 param_info={"E": {"transform": "BE = BE0*exp(E)", "prior_mean": 0.0},
                             "C_in": {"transform": "input gain exp(C_in)", "prior_mean": 0.0}}),
        Receptor("gabaa", 5.0, -90.0),
    ]
    if with_nmda:
        rec.append(Receptor("nmda", 100.0, 10.0, target="2*(nmda + BE0*exp(E))", ports=["nmda"],
                            gate=block_expression(nmda_block, label),
                            params={"scale_NMDA": 0.0} if nmda_block != "spm" else {},
                            param_info={"scale_NMDA": {"transform": "slope 0.062*exp(scale_NMDA)",
                                                       "prior_mean": 0.0}} if nmda_block != "spm" else {}))
    rec.append(Receptor("gabab", 300.0, -100.0))
    if with_m:
        rec.append(Receptor("m", 160.0, -52.0, target="4*exp(Mh)*FIRING", ports=[], params={"Mh": 0.0},
                            param_info={"Mh": {"transform": "M gain 4*exp(Mh)", "prior_mean": 0.0}}))
    if with_h:
        rec.append(Receptor("h", 100.0, -30.0, target="4*exp(Hh)*(1 - 1/(1 + exp(-2/3*(V + 30))))", ports=[],
                            params={"Hh": 0.0},
                            param_info={"Hh": {"transform": "H gain 4*exp(Hh)", "prior_mean": 0.0}}))
    return rec


def tcm_population(label, firing="smooth", nmda_block="elementwise", extra_receptors=(), with_nmda=True,
                   with_h=None, V0=-60.0):
    """Library mass for TCM population ``label`` (one of SS, SP, SI, DP, DI, TP, RT, RC).

    ``extra_receptors`` adds blocks (e.g. a kainate :class:`Receptor`);
    ``with_nmda=False`` gives the population without NMDA receptors (it then
    lacks the ``nmda`` port, so NMDA links onto it must be dropped).
    """
    if label not in POPULATIONS:
        raise ModelError(f"label {label!r}; TCM populations are {POPULATIONS}")
    receptors = tcm_receptors(label, nmda_block, with_h=with_h, with_nmda=with_nmda) + list(extra_receptors)
    ports = [f"v_{q}" for q in POPULATIONS if q != label] if nmda_block == "atcm_matlab" else []
    # populations with the same blocks share one name (and so one compiled group:
    # capacitance and the rest are parameters); the variant and extra blocks are in the name
    tag = "" if (firing, nmda_block) == ("smooth", "elementwise") else f"_{firing}_{nmda_block}"
    extra = "".join(f"_{r.name}" for r in extra_receptors) + ("" if with_nmda else "_no_nmda")
    has_h = (label in WITH_H) if with_h is None else with_h
    return ConductanceMass(
        f"tcm_population{'_h' if has_h else ''}{tag}{extra}", receptors, C=C0_MS[label], firing=firing_expression(firing),
        params={"S": 0.0}, inputs=ports, V0=V0,
        param_info={"S": {"transform": "V_R = -52 + exp(S)" if firing != "williams_cdf"
                          else "variance 32*exp(S)", "prior_mean": 0.0}})
