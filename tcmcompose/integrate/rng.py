"""The random generator of the compiled loops: xoshiro256** with its state in an array.

Every run owns a state array (4 unsigned 64-bit words), so runs in threads
never share a generator and each is reproducible from its seed alone. The
state is seeded from ``numpy.random.SeedSequence(seed)``, which takes any
non-negative integer, so distinct seeds give distinct streams (no reduction
modulo 2**32). Normal deviates by the Box-Muller transform.

References: Blackman D. & Vigna S. (2021) Scrambled linear pseudorandom
number generators, ACM Trans Math Softw 47:36; Box G.E.P. & Muller M.E.
(1958) Ann Math Stat 29:610.

Compiled once per package version (``cache=True``) and called from the
generated modules; ``nogil=True`` as for every kernel.
"""
import math

import numpy as np
from numba import njit

_jit = njit(cache=True, nogil=True, error_model="numpy")

_U5, _U7, _U9, _U17, _U45, _U57, _U19, _U11 = (np.uint64(v) for v in (5, 7, 9, 17, 45, 57, 19, 11))


def seed_state(seed):
    """Generator state for ``seed`` (a non-negative integer): four words from a
    child of ``SeedSequence(seed)``, so the stream differs from the one
    ``numpy.random.default_rng(seed)`` draws for sampled stimuli."""
    state = np.random.SeedSequence(seed).spawn(1)[0].generate_state(4, np.uint64)
    if not state.any():          # the one state xoshiro cannot leave
        state[0] = 1
    return state


@_jit
def next_u64(s):
    """Next 64-bit output; advances the state ``s`` in place."""
    s1 = s[1]
    x = s1 * _U5
    result = ((x << _U7) | (x >> _U57)) * _U9
    t = s1 << _U17
    s[2] ^= s[0]
    s[3] ^= s1
    s[1] = s1 ^ s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s3 = s[3]
    s[3] = (s3 << _U45) | (s3 >> _U19)
    return result


@_jit
def uniform(s):
    """Uniform on [0, 1) with 53 random bits."""
    return float(next_u64(s) >> _U11) * (1.0 / 9007199254740992.0)


@_jit
def normal(s):
    """Standard normal deviate (Box-Muller; 1 - u keeps the logarithm finite)."""
    u1 = 1.0 - uniform(s)
    u2 = uniform(s)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
