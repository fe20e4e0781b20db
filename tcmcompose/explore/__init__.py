"""Batch runs, parameter sweeps, result stores, optimisers and the Dask back end."""
from .batch import RunError, run_seeds
from .batch_result import BatchResult

__all__ = ["BatchResult", "RunError", "run_seeds"]
