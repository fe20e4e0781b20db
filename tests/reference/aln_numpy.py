"""Independent NumPy loop of one ALN node (Cakan & Obermayer 2020 equations,
explicit Euler, delayed local rates from a stored history), with its own
bilinear lookup clamped at the grid's edges."""
import numpy as np


def bilinear(mus, sigmas, table, mu, sigma):
    mu = min(max(mu, mus[0]), mus[-1])
    sigma = min(max(sigma, sigmas[0]), sigmas[-1])
    x = (mu - mus[0]) / (mus[1] - mus[0])
    y = (sigma - sigmas[0]) / (sigmas[1] - sigmas[0])
    i = min(int(np.floor(x)), len(mus) - 2)
    j = min(int(np.floor(y)), len(sigmas) - 2)
    dx, dy = x - i, y - j
    return ((1 - dx) * (1 - dy) * table[i, j] + dx * (1 - dy) * table[i + 1, j]
            + (1 - dx) * dy * table[i, j + 1] + dx * dy * table[i + 1, j + 1])


def aln_node_euler(tables, duration, dt, mue_ext, mui_ext, a=0.0, b=0.0, x0=None):
    """States per population: E (mu_f, I_A, s_e, s_i, sv_e, sv_i, r), I (mu_f,
    s_e, s_i, sv_e, sv_i, r). Returns (rate_E, rate_I) in kHz per step."""
    mus, sigmas = tables["rate"].axes
    R, V, T = tables["rate"].values, tables["vmean"].values, tables["tau"].values
    Ke, Ki, cee, cie, cei, cii = 800.0, 200.0, 0.3, 0.3, 0.5, 0.5
    Jee, Jei, Jie, Jii = 2.43, -3.3, 2.6, -1.64
    tse, tsi, taum, C, sig_ext, lam, EA, tauA = 2.0, 5.0, 20.0, 200.0, 1.5, 10.0, -80.0, 200.0
    nde, ndi = int(round(4.0 / dt)), int(round(2.0 / dt))
    E = np.array(x0[:7] if x0 is not None else np.zeros(7), float)
    I = np.array(x0[7:] if x0 is not None else np.zeros(6), float)
    n = int(round(duration / dt))
    rE, rI = np.empty(n), np.empty(n)
    histE, histI = [E[6]] * (nde + 1), [I[5]] * (ndi + 1)

    def sigma(sv_e, sv_i, ze, zi, Je, Ji):
        return np.sqrt(2 * Je ** 2 * sv_e * tse * taum / ((1 + ze) * taum + tse)
                       + 2 * Ji ** 2 * sv_i * tsi * taum / ((1 + zi) * taum + tsi) + sig_ext ** 2)

    def syn(s_e, s_i, sv_e, sv_i, ze, ze2, zi, zi2):
        return (((1 - s_e) * ze - s_e) / tse, ((1 - s_i) * zi - s_i) / tsi,
                ((1 - s_e) ** 2 * ze2 + (ze2 - 2 * tse * (ze + 1)) * sv_e) / tse ** 2,
                ((1 - s_i) ** 2 * zi2 + (zi2 - 2 * tsi * (zi + 1)) * sv_i) / tsi ** 2)

    for k in range(n):
        re_d, ri_d = histE[-1 - nde], histI[-1 - ndi]
        # excitatory population
        ze, ze2, zi, zi2 = cee * Ke * re_d, cee ** 2 * Ke * re_d, cei * Ki * ri_d, cei ** 2 * Ki * ri_d
        mu_f, IA, s_e, s_i, sv_e, sv_i, r = E
        sg = sigma(sv_e, sv_i, ze, zi, Jee, Jei)
        mu = mu_f - IA / C
        phi = bilinear(mus, sigmas, R, mu, sg)
        dE = np.array([(Jee * s_e + Jei * s_i + mue_ext - mu_f) / bilinear(mus, sigmas, T, mu, sg),
                       (a * (bilinear(mus, sigmas, V, mu, sg) - EA) - IA + tauA * b * phi) / tauA,
                       *syn(s_e, s_i, sv_e, sv_i, ze, ze2, zi, zi2), -lam * (r - phi)])
        # inhibitory population
        ze, ze2, zi, zi2 = cie * Ke * re_d, cie ** 2 * Ke * re_d, cii * Ki * ri_d, cii ** 2 * Ki * ri_d
        mu_f, s_e, s_i, sv_e, sv_i, r = I
        sg = sigma(sv_e, sv_i, ze, zi, Jie, Jii)
        phi = bilinear(mus, sigmas, R, mu_f, sg)
        dI = np.array([(Jie * s_e + Jii * s_i + mui_ext - mu_f) / bilinear(mus, sigmas, T, mu_f, sg),
                       *syn(s_e, s_i, sv_e, sv_i, ze, ze2, zi, zi2), -lam * (r - phi)])
        E, I = E + dt * dE, I + dt * dI
        histE.append(E[6])
        histI.append(I[5])
        del histE[0], histI[0]
        rE[k], rI[k] = E[6], I[5]
    return rE, rI
