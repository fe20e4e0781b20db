"""Modules imported on first use.

SciPy's sparse, linalg and special modules take about 0.2 s to import, and
neither building a model nor simulating it needs them (the fixed points,
linearisations, spectra and model comparison do). A :class:`LazyModule`
stands in for such a module where it is imported at the top of a file and
imports it the first time one of its attributes is read.
"""
import importlib


class LazyModule:
    """``LazyModule("scipy.sparse").csr_matrix`` imports ``scipy.sparse`` (once)
    and returns its ``csr_matrix``."""

    def __init__(self, name):
        self.__dict__["_name"] = name

    def __getattr__(self, attr):
        return getattr(importlib.import_module(self.__dict__["_name"]), attr)

    def __repr__(self):
        return f"<LazyModule {self.__dict__['_name']!r}>"
