"""tcmcompose: compose neural mass models from SymPy equations into compiled networks.

Public API::

    import tcmcompose as tc
    m = tc.Mass(...); node = tc.Node(...); net = tc.Network(...)
    model = tc.build(net); res = model.simulate(duration=1000.0, dt=0.1)
"""
__version__ = "0.1.0"

from .errors import ModelError, SimulationError  # noqa: E402
from .masses import Mass  # noqa: E402
from .masses.table import Table  # noqa: E402
from .nodes import Connection, Node, TCMColumn  # noqa: E402
from .networks import Coupling, CouplingKind, Network, tcm_network  # noqa: E402
from . import datasets, observe, stimulus  # noqa: E402
from .codegen import cache  # noqa: E402  (tc.cache.info(), tc.cache.clear())
from .catalogue import get_model, list_models  # noqa: E402
from .model import CompiledModel, build  # noqa: E402
from .result import Result  # noqa: E402
from .integrate.options import Record, Solver  # noqa: E402
from .analysis.fixed_point import FixedPoint, fixed_point  # noqa: E402
from .analysis.linearise import Linearisation, linearise  # noqa: E402
from .analysis.transfer import predict_csd, transfer_function  # noqa: E402
from . import inference  # noqa: E402
from .inference import Posterior, compare, fit_spectra, reduce_posterior, variational_laplace  # noqa: E402
from . import io  # noqa: E402
from .io import Simulation, load, save  # noqa: E402
from .io.results import load_result  # noqa: E402
from . import explore  # noqa: E402  (callable: tc.explore(model, space, ...))

__all__ = ["Mass", "Table", "Node", "Connection", "Network", "Coupling", "CouplingKind", "build", "CompiledModel", "Result",
           "TCMColumn", "tcm_network", "datasets", "observe", "stimulus", "get_model", "list_models",
           "ModelError", "SimulationError", "fixed_point", "FixedPoint", "linearise", "Linearisation", "transfer_function",
           "predict_csd", "__version__", "inference", "variational_laplace", "Posterior", "compare",
           "reduce_posterior", "io", "save", "load", "Simulation", "load_result", "Record", "Solver", "explore",
           "fit_spectra"]
