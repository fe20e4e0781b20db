"""The library of ready-made masses (see ``tc.list_models()`` for the catalogue)."""
from .coombes_byrne import CoombesByrne
from .jansen_rit import JansenRit
from .montbrio import MontbrioPazoRoxin
from .reduced_wong_wang import ReducedWongWangExcInh
from .wilson_cowan import WilsonCowanExc, WilsonCowanInh
from .wong_wang import WongWang

__all__ = ["CoombesByrne", "JansenRit", "MontbrioPazoRoxin", "ReducedWongWangExcInh", "WilsonCowanExc",
           "WilsonCowanInh", "WongWang"]
