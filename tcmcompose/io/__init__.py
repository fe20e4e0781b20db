"""Model files (YAML or JSON) and saved results.

``tc.save(obj, "model.yaml")`` writes a Mass, Node, Network or
:class:`Simulation`; ``tc.load("model.yaml")`` reads it back.
``tc.io.read(path)`` also returns the simulation settings a model file
carries. The format is described in :mod:`tcmcompose.io.schema` and shown by
``examples/models/``.
"""
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

import yaml
from pydantic import ValidationError

from .. import __version__
from ..errors import ModelError
from .model_file import _Context, build_objects, dump
from .schema import SCHEMA_VERSION, FileSpec, explain
from .simulation import Simulation

PathLike = Union[str, Path]

__all__ = ["save", "load", "read", "Loaded", "Simulation", "dump", "SCHEMA_VERSION"]


def _format(path):
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise ModelError(f"{path}: model files end in .yaml, .yml or .json (got {suffix or 'no suffix'!r}).")


def save(obj, path: PathLike, simulation: Optional[Simulation] = None) -> Path:
    """Write a Mass, Node, Network or Simulation to ``path`` (.yaml/.yml or .json).

    Equations are written as text, parameters with their values and any
    units, transforms and priors; matrices with more than 400 entries go to
    ``.npy`` files beside ``path``. ``simulation`` adds run settings to a
    model file. Returns the path.
    """
    path = Path(path)
    fmt = _format(path)
    data = dump(obj, path, simulation)
    with open(path, "w") as f:
        if fmt == "json":
            json.dump(data, f, indent=1)
            f.write("\n")
        else:
            f.write(f"# tcmcompose model file (schema version {SCHEMA_VERSION}); times in ms, voltages in mV\n")
            yaml.dump(data, f, Dumper=_Dumper, sort_keys=False, width=10 ** 6, allow_unicode=True)
    return path


class _Dumper(yaml.SafeDumper):
    """Block style for the structure, one equation per line; flow style for
    rows of numbers and for short flat mappings (states, one connection)."""


def _is_scalar(v):
    return isinstance(v, (int, float, str, bool)) or v is None


def _represent_list(dumper, data):
    flow = all(_is_scalar(v) for v in data) or all(isinstance(v, list) and all(map(_is_scalar, v)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow and all(_is_scalar(v) for v in data))


def _represent_dict(dumper, data):
    flat = all(_is_scalar(v) for v in data.values()) and (
        "value" in data or "source" in data or
        (all(isinstance(v, (int, float)) for v in data.values()) and len(repr(data)) <= 100))
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flat)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


@dataclass
class Loaded:
    """What a model file holds: the object and the run settings (or None)."""
    model: Any
    simulation: Optional[Simulation]
    path: Path


def _line_finder(text):
    """loc -> 1-based line number of that key in the YAML/JSON text (None if unknown)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        root = None

    def find(loc):
        node, line = root, None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(part):
                        node, line = v, k.start_mark.line + 1
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line
    return find


def read(path: PathLike) -> Loaded:
    """Read a model file: its object and simulation settings (see :func:`load`)."""
    path = Path(path)
    fmt = _format(path)
    if not path.exists():
        raise ModelError(f"{path}: no such file.")
    text = path.read_text()
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as err:
        raise ModelError(f"{path}: not valid {fmt.upper()}: {err}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path}: a model file is a mapping with schema_version, kind, masses, ...; "
                         f"got a {type(data).__name__}.")
    version = data.get("schema_version")
    if version is None:
        raise ModelError(f"{path}: no schema_version key; is this a tcmcompose model file? "
                         f"Add 'schema_version: {SCHEMA_VERSION}' at the top.")
    if version != SCHEMA_VERSION:
        newer = isinstance(version, int) and version > SCHEMA_VERSION
        raise ModelError(f"{path}: schema_version {version!r} is not readable by tcmcompose {__version__}, "
                         f"which reads version {SCHEMA_VERSION}"
                         + ("; upgrade tcmcompose." if newer else "; rewrite the file in version "
                            f"{SCHEMA_VERSION} (see examples/models/)."))
    lines = _line_finder(text)
    try:
        spec = FileSpec.model_validate(data)
    except ValidationError as err:
        raise ModelError(explain(err, data, str(path), lines)) from None
    model, sim = build_objects(spec, _Context(str(path), path.parent, lines))
    return Loaded(model, sim, path)


def load(path: PathLike):
    """The Mass, Node, Network or Simulation a model file holds.

    Errors name the file, the key path with its line and the fix; an
    unknown ``schema_version`` is named in the message.
    """
    return read(path).model



