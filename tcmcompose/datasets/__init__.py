"""Built-in data: structural connectomes (generated, or TVB's when tvb-data is installed)."""
from .connectome import Connectome, connectome, generated_connectome, tvb_connectome

__all__ = ["Connectome", "connectome", "generated_connectome", "tvb_connectome"]
