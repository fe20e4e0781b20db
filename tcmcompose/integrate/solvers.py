"""Fixed-step explicit methods as data: Butcher tableaus plus a noise rule.

Each :class:`Solver` is rendered by :mod:`tcmcompose.codegen.render_solver`
into its own straight-line time loop (``integrate_<name>`` in the generated
module); Numba compiles a loop only when a run first asks for that method,
and caches it. Adding a method is adding data here.

A step of an s-stage explicit Runge-Kutta method from x_n (Butcher 2016,
*Numerical Methods for Ordinary Differential Equations*, §23):

    X_i = x_n + dt * sum_{j<i} a[i][j] k_j (+ dW if noise == "stages")
    k_i = f(t_n + c_i dt, X_i)
    x_{n+1} = x_n + dt * sum_i b_i k_i (+ dW for a stochastic method)

with dW = sigma sqrt(dt) xi, xi ~ N(0, 1), drawn once per step for additive
noise: Euler-Maruyama (Kloeden & Platen 1992, §10.2) adds it at the end;
stochastic Heun (the predictor also takes dW; Rümelin 1982, SIAM J Numer
Anal 19:604) adds it to every stage and at the end.

Stage offsets c are restricted to 0, 1/2 and 1, the points where the
delayed-coupling pass precomputes its history sums; methods of order 3 or
more read fractional history points by cubic Hermite interpolation (it keeps
their order on delayed networks).
"""
from dataclasses import dataclass
from fractions import Fraction

from ..errors import ModelError

_OFFSETS = (Fraction(0), Fraction(1, 2), Fraction(1))


@dataclass(frozen=True)
class Solver:
    """An explicit Runge-Kutta method; ``a`` lower-triangular rows (as
    strings or numbers, exact fractions preferred), ``b`` weights, ``c``
    stage offsets; ``noise`` None (deterministic), ``"end"`` or ``"stages"``."""
    name: str
    a: tuple
    b: tuple
    c: tuple
    order: int
    noise: str = None
    reference: str = ""

    def __post_init__(self):
        s = len(self.b)
        if len(self.a) != s or len(self.c) != s:
            raise ModelError(f"solver {self.name!r}: a, b and c must all have {s} stages.")
        for i, row in enumerate(self.a):
            if len(row) != i:
                raise ModelError(f"solver {self.name!r}: row {i} of a must have {i} entries (explicit method).")
        for c in self.c:
            if Fraction(c) not in _OFFSETS:
                raise ModelError(f"solver {self.name!r}: stage offset {c} is not 0, 1/2 or 1, the points the "
                                 "delayed-coupling pass supports.")
        if self.noise not in (None, "end", "stages"):
            raise ModelError(f"solver {self.name!r}: noise must be None, 'end' or 'stages'.")

    @property
    def stochastic(self):
        return self.noise is not None

    @property
    def hermite(self):
        """Fractional history points are read by cubic Hermite interpolation."""
        return self.order >= 3


SOLVERS = {s.name: s for s in (
    Solver("euler", a=((),), b=(1,), c=(0,), order=1),
    Solver("heun", a=((), (1,)), b=("1/2", "1/2"), c=(0, 1), order=2,
           reference="Heun's method (explicit trapezoidal rule)"),
    Solver("rk4", a=((), ("1/2",), (0, "1/2"), (0, 0, 1)), b=("1/6", "1/3", "1/3", "1/6"),
           c=(0, "1/2", "1/2", 1), order=4, reference="classical Runge-Kutta (Kutta 1901)"),
    Solver("ssprk3", a=((), (1,), ("1/4", "1/4")), b=("1/6", "1/6", "2/3"), c=(0, 1, "1/2"), order=3,
           reference="strong-stability-preserving RK3 (Shu & Osher 1988, J Comput Phys 77:439)"),
    Solver("euler_maruyama", a=((),), b=(1,), c=(0,), order=1, noise="end"),
    Solver("stochastic_heun", a=((), (1,)), b=("1/2", "1/2"), c=(0, 1), order=2, noise="stages"),
)}


def get_solver(method):
    """The :class:`Solver` named ``method``."""
    if method not in SOLVERS:
        raise ModelError(f"method={method!r}; choose one of {list(SOLVERS)}.")
    return SOLVERS[method]
