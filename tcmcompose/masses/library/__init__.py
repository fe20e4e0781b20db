"""The library of ready-made masses (see ``tc.list_models()`` for the catalogue)."""
from .aln import ALNExc, ALNInh
from .coombes_byrne import CoombesByrne
from .damped_oscillator import DampedOscillator
from .costa_thalamus import ThalamicRelay, ThalamicReticular
from .epileptor import Epileptor
from .fitzhugh_nagumo import FitzHughNagumo
from .generic_2d import Generic2dOscillator
from .hopf import Hopf
from .jansen_rit import JansenRit
from .kuramoto import Kuramoto
from .larter_breakspear import LarterBreakspear
from .linear_node import LinearNode
from .lorenz import Lorenz
from .montbrio import MontbrioPazoRoxin
from .reduced_wong_wang import ReducedWongWangExcInh
from .stuart_landau import StuartLandau
from .threshold_linear import ThresholdLinear
from .van_der_pol import VanDerPol
from .wilson_cowan import WilsonCowanExc, WilsonCowanInh
from .wong_wang import WongWang
from .zerlaut import ZerlautAdEx
from .zetterberg_jansen import ZetterbergJansen

__all__ = ["CoombesByrne", "Epileptor", "FitzHughNagumo", "Generic2dOscillator", "Hopf", "JansenRit", "Kuramoto", "LarterBreakspear", "LinearNode",
           "Lorenz", "MontbrioPazoRoxin", "ReducedWongWangExcInh", "ThalamicRelay", "ThalamicReticular",
           "ThresholdLinear", "VanDerPol",
           "WilsonCowanExc", "WilsonCowanInh", "WongWang",
           "DampedOscillator", "StuartLandau", "ZetterbergJansen", "ALNExc", "ALNInh", "ZerlautAdEx"]
