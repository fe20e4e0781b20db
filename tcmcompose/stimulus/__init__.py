"""Stimuli: time-dependent inputs for ``model.simulate(stimuli={target: stimulus})``.

Times in ms, frequencies in Hz. Combine with ``+``, ``-``, ``k *``, ``&``
(concatenate in time) and ``.shift(ms)``; see :mod:`.base`.
"""
from .array import ArrayStimulus
from .base import Concat, Scaled, Shifted, Stimulus, Sum, as_stimulus
from .basic import Constant, Sinusoid, SquarePulses, Step, ZeroInput
from .evoked import AlphaPulse, ExponentialPulse
from .hold import hold
from .noise import OrnsteinUhlenbeck, WhiteNoise

__all__ = ["Stimulus", "Sum", "Scaled", "Shifted", "Concat", "as_stimulus", "ZeroInput", "Constant", "Step",
           "SquarePulses", "Sinusoid", "ExponentialPulse", "AlphaPulse", "OrnsteinUhlenbeck", "WhiteNoise",
           "ArrayStimulus", "hold"]
