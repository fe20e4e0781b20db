"""The library of ready-made masses."""
from .jansen_rit import JansenRit

__all__ = ["JansenRit"]
