"""Masses: single populations written as SymPy equations, and the mass library."""
from .mass import Mass

__all__ = ["Mass"]
