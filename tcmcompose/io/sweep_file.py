"""Sweep files: a parameter exploration written as YAML, run by ``tcmcompose explore``.

::

    schema_version: 1
    kind: sweep
    model: ei_ring.yaml            # a model file (relative to this file) or a catalogue name
    simulation: {duration: 2000, dt: 0.1, record: [E.r]}
    space:
      grid: {E.theta: [0.4, 0.5, 0.6], E.rate->E.exc.gain: [0.5, 1.0]}
      # or  latin_hypercube: {bounds: {E.theta: [0.3, 0.7]}, n: 32, seed: 0, log: []}
      # or  sobol: {...the same}
    metrics:
      peak: {metric: psd_peak, variable: E.r, band: [1, 80]}
      level: {metric: mean_value, variable: E.r}
    seed: 0
    store: sweep_store             # optional folder: resumable, relative to this file

Metric names are the classes of :mod:`tcmcompose.explore.metrics`; their
options are that class's keyword arguments (a ``target`` may be an inline
list or ``{file: target.npy}``, a .npy or .csv file beside the sweep file). Runs with
:func:`tcmcompose.explore.explore`.
"""
from pathlib import Path
from typing import Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import ModelError
from .schema import SCHEMA_VERSION, SimulationSpec, explain


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SamplerSpec(_Strict):
    bounds: dict[str, tuple[float, float]]
    n: int
    seed: Optional[int] = None
    log: list[str] = []


class SpaceSpec(_Strict):
    grid: Optional[dict[str, list[float]]] = None
    latin_hypercube: Optional[SamplerSpec] = None
    sobol: Optional[SamplerSpec] = None


class MetricSpec(BaseModel):
    model_config = ConfigDict(extra="allow")      # the metric's keyword arguments
    metric: str


class SweepSpec(_Strict):
    schema_version: int
    kind: str = "sweep"
    model: str
    simulation: SimulationSpec
    space: SpaceSpec
    metrics: dict[str, MetricSpec] = {}
    seed: Optional[int] = None
    store: Optional[str] = None


def read_spec(path, kind, spec_class):
    """(validated spec, file text) of a ``kind:`` file (sweep or fit), errors naming file, key and line."""
    from . import _line_finder
    path = Path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such file.")
    text = path.read_text()
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise ModelError(f"{path}: a {kind} file is a mapping with kind: {kind} "
                         f"(see tcmcompose.io.{kind}_file).")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ModelError(f"{path}: schema_version {data.get('schema_version')!r}; this tcmcompose reads "
                         f"version {SCHEMA_VERSION}.")
    try:
        return spec_class.model_validate(data)
    except ValidationError as err:
        raise ModelError(explain(err, data, str(path), _line_finder(text))) from None


def model_object(path, name):
    """The declared model a sweep or fit file names: a model file relative to it, or a catalogue name."""
    from . import read
    if name.endswith((".yaml", ".yml", ".json")):
        return read(Path(path).parent / name).model
    from ..catalogue import get_model
    return get_model(name)


def _array_option(path, value):
    """``{file: x.npy | x.csv}`` (relative to the spec file) or an inline list, as an array."""
    import numpy as np
    if isinstance(value, dict) and set(value) == {"file"}:
        f = Path(path).parent / value["file"]
        if not f.exists():
            raise ModelError(f"{path}: target file {str(f)!r} does not exist.")
        return np.load(f) if f.suffix == ".npy" else np.loadtxt(f, delimiter=",")
    return np.asarray(value, dtype=float) if isinstance(value, list) else value


def metric_objects(path, specs):
    """Metric objects from a file's ``metrics:`` mapping (``target`` may name a .npy/.csv file)."""
    from ..explore import metrics as metric_module
    metrics = {}
    for name, m in specs.items():
        cls = getattr(metric_module, m.metric, None)
        if not (isinstance(cls, type) and issubclass(cls, metric_module.Metric)):
            known = sorted(k for k, v in vars(metric_module).items()
                           if isinstance(v, type) and issubclass(v, metric_module.Metric) and v is not metric_module.Metric)
            raise ModelError(f"{path}: metrics.{name}.metric: unknown metric {m.metric!r}; choose one of {known}.")
        options = dict(m.model_extra or {})
        if "band" in options:
            options["band"] = tuple(options["band"])
        if "target" in options:
            options["target"] = _array_option(path, options["target"])
        try:
            metrics[name] = cls(**options)
        except TypeError as err:
            raise ModelError(f"{path}: metrics.{name}: {err}") from None
    return metrics


def read_sweep(path):
    """(model object, simulation settings, space, metrics dict, seed, store path) from a sweep file."""
    from ..explore.space import LatinHypercube, Sobol
    from .simulation import Simulation
    spec = read_spec(path, "sweep", SweepSpec)
    obj = model_object(path, spec.model)
    chosen = [k for k in ("grid", "latin_hypercube", "sobol") if getattr(spec.space, k) is not None]
    if len(chosen) != 1:
        raise ModelError(f"{path}: space: give exactly one of grid, latin_hypercube, sobol (got {chosen or 'none'}).")
    kind = chosen[0]
    if kind == "grid":
        space: Union[dict, object] = dict(spec.space.grid)
    else:
        s = getattr(spec.space, kind)
        space = (LatinHypercube if kind == "latin_hypercube" else Sobol)(
            {k: tuple(v) for k, v in s.bounds.items()}, s.n, seed=s.seed, log=tuple(s.log))
    metrics = metric_objects(path, spec.metrics)
    sim = Simulation(**spec.simulation.model_dump())
    store = str(Path(path).parent / spec.store) if spec.store else None
    return obj, sim, space, metrics, spec.seed, store
