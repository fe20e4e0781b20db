import numpy as np
import pytest

import tcmcompose as tc
from tcmcompose.analysis.fixed_point import fixed_point


@pytest.fixture(scope="module")
def wc_like():
    """Two sigmoidal units with mutual coupling: a non-trivial equilibrium."""
    m = tc.Mass("sig", states={"r": 0.1}, params={"tau": 5.0, "I": 0.2}, inputs=["u"],
                outputs={"r": "r"}, equations={"r": "(-r + 1/(1 + exp(-(u + I - 0.5)/0.1)))/tau"})
    node = tc.Node("pair", {"E": m, "I": m.with_params(I=0.0)}, [("E", "I", "u", 0.8), ("I", "E", "u", -0.6, 3.0)])
    return tc.build(node)


def test_newton_finds_equilibrium_with_quadratic_convergence(wc_like):
    fp = fixed_point(wc_like, tol=1e-14)
    assert fp.converged and fp.residual < 1e-12
    assert np.max(np.abs(wc_like.rhs(fp.x))) < 1e-12
    assert fp.iterations <= 12
    # the equilibrium equations by hand: r_E = S(-0.6 r_I + 0.2), r_I = S(0.8 r_E)
    S = lambda v: 1 / (1 + np.exp(-(v - 0.5) / 0.1))  # noqa: E731
    rE, rI = fp.series.xs("r", level="state").to_numpy()
    assert rE == pytest.approx(S(-0.6 * rI + 0.2), abs=1e-12)
    assert rI == pytest.approx(S(0.8 * rE), abs=1e-12)


def test_no_fixed_point_names_the_state():
    m = tc.Mass("drift", states={"x": 0.0, "y": 0.0}, params={"c": 1.0}, equations={"x": "-x", "y": "c"})
    model = tc.build(m)
    with pytest.raises(tc.ModelError, match=r"largest residual .* state 'y' of 'drift'"):
        fixed_point(model, settle=10.0)
    fp = fixed_point(model, settle=0, raise_on_failure=False)
    assert not fp.converged and fp.residual == pytest.approx(1.0)


@pytest.fixture(scope="module")
def jr10():
    """10-node Jansen-Rit network at its default input (looped kernels: no time loop compiled)."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from conftest import jr_network
    return tc.build(jr_network(10, seed=0), eager=False, unroll=False)


def test_homotopy_finds_the_unstable_equilibrium_where_newton_stalls(jr10):
    # Newton alone stalls at a residual minimum that is no root (max |f| about 7e-3), and says so
    with pytest.raises(tc.ModelError, match=r"no fixed point found \(max \|f\| = 0\.00[0-9]+ .*largest residual"):
        fixed_point(jr10, settle=0, homotopy_steps=0)
    fp = fixed_point(jr10, settle=0)
    assert fp.converged and fp.method == "homotopy+newton"
    assert np.max(np.abs(jr10.rhs(fp.x))) < 1e-10
    # an equilibrium that no simulation would settle on: a complex pair in the right half plane
    ev = np.linalg.eigvals(jr10.jacobian(fp.x))
    lead = ev[np.argmax(ev.real)]
    assert lead.real > 1e-3 and abs(lead.imag) > 0.05           # per ms: about +3.7/s at 11 Hz
    root = tc.linearise(jr10, fp.x).rightmost_root()            # delays do not stabilise it
    assert root.real > 1e-3
