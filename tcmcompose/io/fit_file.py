"""Fit files: a gradient-free fit written as YAML, run by ``tcmcompose fit``.

::

    schema_version: 1
    kind: fit
    model: ei_ring.yaml            # a model file (relative to this file) or a catalogue name
    simulation: {duration: 2000, dt: 0.1, record: [E.r]}
    bounds: {E.theta: [0.3, 0.7], E.tau: [5, 40]}
    log: [E.tau]                   # searched log-uniformly
    metrics:
      fc: {metric: fc_distance, target: {file: target_fc.npy}, variable: E.r}
      peak: {metric: psd_peak, variable: E.r, band: [1, 80]}
    loss:
      fc: 1.0                                       # weight x metric
      peak.frequency: {target: 10.0, weight: 0.1}   # weight x |metric - target|
    max_evals: 200
    seed: 0

Metrics are those of a sweep file (:mod:`tcmcompose.io.sweep_file`); a
metric that returns several numbers (``psd_peak``) is addressed as
``name.key``. The loss is the sum of its terms; the fit is
:func:`tcmcompose.explore.fit_cmaes` (CMA-ES, Hansen & Ostermeier 2001), all
candidates with one noise seed. Optional: ``x0`` (start), ``sigma0`` (first
step, in box widths), ``popsize``.
"""
import difflib
from typing import Optional, Union

from pydantic import BaseModel, ConfigDict

from ..errors import ModelError
from .schema import SimulationSpec
from .sweep_file import MetricSpec, metric_objects, model_object, read_spec


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LossTerm(_Strict):
    target: float
    weight: float = 1.0


class FitSpec(_Strict):
    schema_version: int
    kind: str = "fit"
    model: str
    simulation: SimulationSpec
    bounds: dict[str, tuple[float, float]]
    log: list[str] = []
    metrics: dict[str, MetricSpec]
    loss: dict[str, Union[float, LossTerm]]
    x0: Optional[dict[str, float]] = None
    sigma0: float = 0.3
    popsize: Optional[int] = None
    max_evals: int = 200
    seed: int = 0


def loss_of(terms):
    """loss(row) = sum of weight * value, or weight * |value - target|, over the terms."""
    def loss(row):
        total = 0.0
        for column, term in terms.items():
            v = float(row[column])
            total += term * v if isinstance(term, float) else term.weight * abs(v - term.target)
        return total
    return loss


def read_fit(path):
    """(model object, simulation settings, keyword arguments of :func:`~tcmcompose.explore.fit_cmaes`)."""
    from .simulation import Simulation
    spec = read_spec(path, "fit", FitSpec)
    obj = model_object(path, spec.model)
    for column in spec.loss:
        if column not in spec.metrics and column.split(".", 1)[0] not in spec.metrics:
            close = difflib.get_close_matches(column.split(".", 1)[0], list(spec.metrics), n=1)
            raise ModelError(f"{path}: loss.{column}: no metric of that name; metrics are {list(spec.metrics)}"
                             + (f" (did you mean {close[0]!r}?)" if close else "") + ".")
    for name in spec.log:
        if name not in spec.bounds:
            raise ModelError(f"{path}: log: {name!r} is not one of the bounds {list(spec.bounds)}.")
    sim = Simulation(**spec.simulation.model_dump())
    kwargs = dict(bounds={k: tuple(v) for k, v in spec.bounds.items()}, metrics=metric_objects(path, spec.metrics),
                  loss=loss_of(spec.loss), log=tuple(spec.log), x0=spec.x0, sigma0=spec.sigma0,
                  popsize=spec.popsize, max_evals=spec.max_evals, seed=spec.seed)
    return obj, sim, kwargs
