"""Importing tcmcompose and running a model import no SciPy submodule (they
cost ~0.2 s and only the analysis needs them), and Numba's BLAS stays usable."""
import json
import math
import subprocess
import sys

from tcmcompose.lazy import LazyModule

SCRIPT = r"""
import sys
import numpy as np
import tcmcompose as tc
from tests.conftest import linear_mass
after_import = sorted(k for k in sys.modules if k.startswith("scipy."))
model = tc.build(linear_mass())
res = model.simulate(5.0, 0.1)
after_run = sorted(k for k in sys.modules if k.startswith(("scipy.linalg", "scipy.sparse", "scipy.special")))
import numba
@numba.njit
def dot(a):
    return np.dot(a, a)
a = np.arange(9.0).reshape(3, 3)
assert np.array_equal(dot(a), a @ a)            # Numba found SciPy's BLAS
import scipy.linalg.cython_blas                 # the real module, loaded as usual
assert hasattr(scipy.linalg.cython_blas, "__pyx_capi__") and hasattr(scipy.linalg, "solve")
import json
print(json.dumps([after_import, after_run, float(res["linear.x"][-1, 0])]))
"""


def test_import_and_first_run_need_no_scipy_submodule():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    after_import, after_run, x_end = json.loads(out.splitlines()[-1])
    assert not any(m.startswith(("scipy.sparse", "scipy.linalg", "scipy.special")) for m in after_import)
    assert after_run == []
    assert abs(x_end - math.exp(-0.5)) < 1e-4        # x' = -x/10, x(0) = 1: x(5 ms) (Heun, dt 0.1 ms)


def test_lazy_module_imports_on_first_attribute():
    special = LazyModule("scipy.special")
    assert repr(special) == "<LazyModule 'scipy.special'>"
    assert abs(special.logsumexp([0.0, 0.0]) - math.log(2.0)) < 1e-15
