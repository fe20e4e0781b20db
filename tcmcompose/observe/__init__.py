"""Observation models: BOLD (Balloon-Windkessel) and EEG/MEG lead-field projection."""
from .bold import (PARAMETER_SETS, BalloonWindkessel, balloon_parameters, bold_from_signal, bold_signal,
                   with_bold)
from .lead_field import LeadField, eeg_projection

__all__ = ["BalloonWindkessel", "balloon_parameters", "bold_from_signal", "bold_signal", "with_bold",
           "PARAMETER_SETS", "LeadField", "eeg_projection"]
