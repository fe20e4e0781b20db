"""The model-file schema (version 1), checked with pydantic.

A file is a mapping with ``schema_version`` and ``kind`` (``mass``,
``node``, ``network`` or ``simulation``); masses and nodes are defined once
by key under ``masses:`` / ``nodes:`` and referred to by that key (or by a
catalogue name, see :func:`tcmcompose.list_models`). The documented format,
with a hand-written example, is ``examples/models/``. Errors name the file,
the key path and its line, and the fix (see :func:`explain`).
"""
import difflib
from dataclasses import MISSING, fields
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from .simulation import Simulation

SCHEMA_VERSION = 1
KINDS = ("mass", "node", "network", "simulation")

Text = Union[float, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParamSpec(BaseModel):
    """A parameter with its value and any of the fields of ``Mass(param_info=...)``
    (unit, transform, prior_mean, prior_var, ...; checked against the mass)."""
    model_config = ConfigDict(extra="allow")
    value: float


class TableSpec(_Strict):
    """A tabulated function (``tc.Table``): uniform axes, values inline or ``{file: x.npy}``."""
    axes: list[list[float]]
    values: Union[list[float], list[list[float]], "MatrixRef"]
    method: Literal["linear", "cubic"] = "linear"
    outside: Literal["clamp", "extrapolate", "error"] = "clamp"


class MassSpec(_Strict):
    name: Optional[str] = None            # default: the key under masses:
    doc: Optional[str] = None
    states: dict[str, float]              # state -> initial value
    params: dict[str, Union[float, ParamSpec]] = {}
    inputs: list[str] = []
    outputs: dict[str, Text] = {}
    equations: dict[str, Text]            # state -> dX/dt per ms
    noise: dict[str, Text] = {}
    tables: dict[str, TableSpec] = {}     # functions the equations call by name
    exact: dict[str, str] = {}            # key path -> SymPy srepr (see io.expressions)


class ConnectionSpec(_Strict):
    source: str                           # "label.output" or "label"
    target: str                           # population label
    port: str
    weight: Text
    delay: Text = 0.0                     # ms


class NodeSpec(_Strict):
    name: Optional[str] = None
    doc: Optional[str] = None
    masses: dict[str, str]                # label -> key under masses: (or catalogue model)
    params: dict[str, Union[float, ParamSpec]] = {}
    connections: list[ConnectionSpec] = []
    exact: dict[str, str] = {}


class ConnectomeRef(BaseModel):
    model_config = ConfigDict(extra="allow")   # options of tc.datasets.connectome
    name: str = "generated"


class MatrixRef(_Strict):
    file: Optional[str] = None            # .npy or .csv, relative to the model file
    connectome: Optional[ConnectomeRef] = None
    field: Literal["weights", "lengths", "delays"] = "weights"
    speed: float = 3.0                    # mm/ms, for field: delays
    scale: float = 1.0


Matrix = Union[list[list[float]], MatrixRef]
TableSpec.model_rebuild()


class NodeRun(_Strict):
    node: str
    count: int = Field(1, ge=1)


class CouplingKindSpec(_Strict):
    """A user coupling kind: ``{name: sigmoid, h: "1/(1 + exp(-(a - b)))"}``
    (h as text in a, the delayed source output, and b, the target's own copy)."""
    name: str
    h: str


class CouplingSpec(_Strict):
    source: str
    target: str
    gain: float = 1.0
    kind: Union[str, CouplingKindSpec] = "linear"      # a built-in name, or a user kind
    weights: Optional[Matrix] = None
    delays: Optional[Matrix] = None
    name: Optional[str] = None


class NetworkSpec(_Strict):
    nodes: list[Union[str, NodeRun]]
    labels: Optional[list[str]] = None
    weights: Optional[Matrix] = None
    delays: Optional[Matrix] = None
    couplings: list[CouplingSpec] = []


#: a file's ``simulation:`` section: the fields of :class:`~.simulation.Simulation`, validated
SimulationSpec = create_model("SimulationSpec", __base__=_Strict, **{
    f.name: (f.type, ... if f.default is MISSING else f.default) for f in fields(Simulation)})


class FileSpec(_Strict):
    schema_version: int
    kind: Literal["mass", "node", "network", "simulation"]
    model: Optional[str] = None           # key of the root mass/node (kind mass or node)
    tcmcompose_version: Optional[str] = None
    masses: dict[str, MassSpec] = {}
    nodes: dict[str, NodeSpec] = {}
    network: Optional[NetworkSpec] = None
    simulation: Optional[SimulationSpec] = None


_ALL_FIELDS = sorted({f for m in (ParamSpec, TableSpec, MassSpec, ConnectionSpec, NodeSpec, MatrixRef, NodeRun,
                                  CouplingSpec, NetworkSpec, SimulationSpec, FileSpec)
                      for f in m.model_fields})


def key_path(loc):
    """``("masses", "jr", "params", "A")`` -> ``masses.jr.params.A``; indices as ``[3]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _data_loc(data, loc):
    """The part of a pydantic error location that exists in the data (drops union member tags)."""
    out, here = [], data
    for part in loc:
        if isinstance(here, dict) and part in here:
            out.append(part)
            here = here[part]
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            out.append(part)
            here = here[part]
        elif isinstance(here, dict) and not isinstance(part, int) and part not in _UNION_TAGS:
            out.append(part)              # a missing key
            here = None
    return tuple(out)


_UNION_TAGS = {"float", "str", "int", "ParamSpec", "MatrixRef", "NodeRun", "list[list[float]]", "list[float]"}


def explain(err: ValidationError, data, where, lines):
    """One message for a pydantic error: every failing key path, its line and a fix."""
    seen = {}
    for e in err.errors():
        loc = _data_loc(data, e["loc"])
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            key = loc[-1] if loc else "?"
            near = difflib.get_close_matches(str(key), _ALL_FIELDS, n=1)
            msg = f"unknown key {key!r}" + (f"; did you mean {near[0]!r}?" if near else "; remove it")
        elif e["type"] == "missing":
            msg = f"required key {loc[-1]!r} is missing"
        seen.setdefault(loc, []).append(msg)
    parts = []
    for loc, msgs in seen.items():
        line = lines(loc)
        at = f"{key_path(loc)}" + (f" (line {line})" if line else "")
        parts.append(f"{at}: {' / '.join(dict.fromkeys(msgs))}")
    return f"{where}: " + "; ".join(parts[:6]) + (f"; ... ({len(parts)} problems)" if len(parts) > 6 else "")
