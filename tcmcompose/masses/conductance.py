r"""Conductance-based populations built from receptor and channel blocks.

A population has a membrane potential V and one conductance state per
receptor or channel. Each block r adds

.. math::

    \dot g_r = \kappa_r (T_r - g_r), \qquad \kappa_r = e^{-\theta_{T,r}} / \tau_r

and the current :math:`g_r\, \gamma_r(V) (E_r - V)` (gating :math:`\gamma_r`,
1 unless the block has one, e.g. the NMDA magnesium block) to

.. math::

    C e^{\theta_{CV}} \dot V = g_L (E_L - V) + \sum_r g_r \gamma_r(V) (E_r - V).

The target :math:`T_r` is an expression of the block's input port (the summed
weighted presynaptic firing arriving there), of parameters and of V (for
voltage- or activity-dependent channels). Time in ms, V in mV. This is the
structure of the conductance-based thalamo-cortical model (Shaw et al. 2020,
NeuroImage 221:117189; ``../shared/reference/TCM_SPEC.md`` §1).

A new receptor takes a few lines, e.g. kainate::

    kainate = Receptor("kainate", tau=10.0, E=0.0, target="2*kainate")
    SP_ka = tcm_population("SP", extra_receptors=[kainate])
"""
from dataclasses import dataclass, field

from ..errors import ModelError
from .mass import Mass


@dataclass
class Receptor:
    """One conductance block.

    name : block name; state ``g_<name>``, rate parameter ``T_<name>``,
        reversal ``E_<name>``, time constant ``tau_<name>``.
    tau : ms.  E : reversal potential, mV.
    target : expression of the target T (default: the input port ``<name>``);
        may use V, the population's parameters, ``m`` (own firing) and ports.
    gate : expression multiplying the current (default 1).
    ports : input ports the block needs (default: ``[name]`` when the target
        uses it).
    params : extra parameters the block's expressions use, name -> default.
    param_info : as for :class:`Mass` (transform, prior) for those parameters.
    prior_var_T : prior variance of the log rate ``T_<name>`` (None: unknown).
    """
    name: str
    tau: float
    E: float
    target: str = None
    gate: str = "1"
    ports: list = None
    params: dict = field(default_factory=dict)
    param_info: dict = field(default_factory=dict)
    prior_var_T: float = None

    @property
    def state(self):
        return f"g_{self.name}"


class ConductanceMass(Mass):
    """A population: leak plus receptor/channel blocks (see the module docstring).

    Parameters
    ----------
    name : str
    receptors : list of Receptor
    C : float
        Capacitance base in ms units (the spec's C0 x 1000), scaled by
        ``exp(CV)``.
    firing : str
        Expression of ``V`` and parameters for the firing rate output ``m``
        (see :mod:`tcmcompose.masses.library.tcm` for the named variants).
    params, param_info : extra parameters used by the firing or the targets.
    inputs : extra input ports (besides those of the blocks).
    V0 : initial membrane potential (mV); conductances start at ``g0``.
    E_L, g_L : leak reversal (mV) and conductance.
    """

    def __init__(self, name, receptors, C, firing, params=None, param_info=None, inputs=(), V0=-60.0,
                 g0=None, E_L=-70.0, g_L=1.0, extra_outputs=None):
        names = [r.name for r in receptors]
        if len(set(names)) != len(names):
            raise ModelError(f"population {name!r}: receptor names repeat: {names}.")
        params_all = {"C": float(C), "CV": 0.0, "g_L": float(g_L), "E_L": float(E_L)}
        info = {"CV": {"transform": "C_eff = C*exp(CV)"},
                "C": {"unit": "ms-scaled capacitance (C0 x 1000)"}}
        params_all.update(params or {})
        info.update(param_info or {})
        ports = list(inputs)
        states = {"V": float(V0)}
        current = "g_L*(E_L - V)"
        equations = {}
        for r in receptors:
            params_all.update({f"tau_{r.name}": float(r.tau), f"E_{r.name}": float(r.E), f"T_{r.name}": 0.0})
            params_all.update(r.params)
            info.update(r.param_info)
            info[f"T_{r.name}"] = {"transform": f"kappa = exp(-T_{r.name})/tau_{r.name}"}
            if r.prior_var_T is not None:
                info[f"T_{r.name}"].update(prior_mean=0.0, prior_var=r.prior_var_T)
            target = r.target if r.target is not None else r.name
            for p in (r.ports if r.ports is not None else ([r.name] if r.target is None else [])):
                if p not in ports:
                    ports.append(p)
            states[r.state] = float((g0 or {}).get(r.state, 0.0))
            gate = f"*({r.gate})" if r.gate not in ("1", 1) else ""
            current += f" + {r.state}{gate}*(E_{r.name} - V)"
            equations[r.state] = f"exp(-T_{r.name})/tau_{r.name}*(({target}) - {r.state})"
        equations = {"V": f"({current})/(C*exp(CV))", **equations}
        outputs = {"m": firing, "V": "V"}
        outputs.update(extra_outputs or {})
        # 'm' may appear in targets (activity-dependent channels): substitute the firing expression
        equations = {k: v.replace("FIRING", f"({firing})") for k, v in equations.items()}
        self.receptors = list(receptors)
        super().__init__(name=name, states=states, params=params_all, inputs=ports, outputs=outputs,
                         equations=equations, param_info=info)
