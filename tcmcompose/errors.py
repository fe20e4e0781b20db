"""Exceptions raised by tcmcompose.

Every error names the object at fault (mass, node, state, symbol, edge) and
says what would fix it. Model declaration problems raise :class:`ModelError`
(a ``ValueError``); problems found while running raise
:class:`SimulationError` (a ``RuntimeError``).
"""


class ModelError(ValueError):
    """A mass, node, network or simulation request is malformed."""


class SimulationError(RuntimeError):
    """A simulation produced a non-finite value or could not proceed."""
