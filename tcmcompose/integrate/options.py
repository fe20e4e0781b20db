"""Small option objects for :meth:`CompiledModel.simulate`: what to record and how to step.

Both are optional: the plain keywords (``record=["E.V"], every=10``,
``method="heun"``) stay as shorthands. An object groups settings that travel
together (one ``Record`` reused across runs, one ``Solver`` per study)::

    rec = tc.Record(["E.V", "I.*"], every=10, transient=500.0)
    res = model.simulate(2000.0, 0.1, method=tc.Solver("rk4", coupling_mode="per_step"), record=rec)
"""
from dataclasses import dataclass

from ..errors import ModelError


@dataclass(frozen=True)
class Record:
    """What a run keeps.

    variables : names as for ``record=`` (see :mod:`tcmcompose.address`):
        states or outputs, patterns, ``(name, nodes)`` pairs; None = all states.
    every : int
        Keep every ``every``-th step.
    transient : float
        ms discarded at the start.
    """
    variables: object = None
    every: int = 1
    transient: float = 0.0


@dataclass(frozen=True)
class Solver:
    """How a run steps (see :func:`tcmcompose.integrate.simulate.simulate`).

    method : "euler", "heun", "rk4", "euler_maruyama" or "stochastic_heun".
    coupling_mode : "per_stage" (couplings at every stage's time) or "per_step".
    delay_interpolation : "nearest" (whole steps) or "linear".
    """
    method: str = "heun"
    coupling_mode: str = "per_stage"
    delay_interpolation: str = "nearest"


def unpack(method, record, options):
    """Expand ``Solver`` / ``Record`` objects into the plain keywords.

    ``options`` holds the other keywords as given; a setting given both in an
    object and as a keyword (with a value other than the default) is an error.
    Returns (method, record, options).
    """
    options = dict(options)
    groups = []
    if isinstance(method, Solver):
        groups.append(("method", method, {"coupling_mode": "per_stage", "delay_interpolation": "nearest"}))
        method = method.method
    if isinstance(record, Record):
        groups.append(("record", record, {"every": 1, "transient": 0.0}))
        record = record.variables
    for arg, obj, defaults in groups:
        for key, default in defaults.items():
            given = options.get(key, default)
            if given != default and given != getattr(obj, key):
                raise ModelError(f"{key}={given!r} conflicts with {arg}={obj!r}; set it in one place.")
            options[key] = getattr(obj, key)
    return method, record, options
