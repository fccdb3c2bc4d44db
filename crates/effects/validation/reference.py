"""Reference values from statsmodels for the estimator's validation tests.

Fixed models on fixed data: the same deterministic series the Rust tests
build, fitted or filtered by statsmodels, written to reference.json.
`python3 reference.py` rewrites the file; `python3 reference.py --check`
fails when the committed file differs from what statsmodels computes now
(CI runs the check, then the Rust tests compare against the file).
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import statsmodels.api as sm
from statsmodels.tsa.statespace.initialization import Initialization

HERE = Path(__file__).resolve().parent
# The estimator's approximately diffuse start: a variance of 1e6 in units of
# the scale (its filter runs with the scale factored out). With seven
# diffuse states the likelihood still moves with this value in the fifth
# digit, so statsmodels is given exactly the same one.
DIFFUSE = 1e6
OUT = HERE / "reference.json"


def noise(seed, n):
    """A xorshift + Box-Muller stream (deterministic for a seed). The Rust tests read
    the series from reference.json, so only this file needs to reproduce it."""
    state = (seed * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF | 1
    out = []

    def uniform():
        nonlocal state
        state ^= (state << 13) & 0xFFFFFFFFFFFFFFFF
        state ^= state >> 7
        state ^= (state << 17) & 0xFFFFFFFFFFFFFFFF
        return ((state >> 11) + 0.5) / float(1 << 53)

    for _ in range(n):
        u, v = uniform(), uniform()
        out.append(math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * v))
    return out


def series(n=60, t0=45):
    """AR(0.6) noise on a trend with a step of 3 at t0."""
    e, out, shocks = 0.0, [], noise(17, n)
    for t in range(n):
        e = 0.6 * e + shocks[t]
        out.append(20.0 + 0.1 * t + e + (3.0 if t >= t0 else 0.0))
    return np.array(out), t0


def design(n, t0):
    """Segmented regression columns: 1, time, after, time since go-live
    (time in years of 12 periods, counted from go-live)."""
    t = np.arange(n, dtype=float)
    after = (t >= t0).astype(float)
    return np.column_stack([np.ones(n), (t - t0) / 12.0, after, after * (t - t0) / 12.0])


def ols_reference(y, x):
    n = len(y)
    lags = int(math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)))
    fit = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})
    return {"params": fit.params.tolist(), "cov": fit.cov_params().tolist(), "lags": lags}


def ar1_reference(y, x):
    model = sm.tsa.SARIMAX(y, exog=x, order=(1, 0, 0), trend="n", concentrate_scale=True)
    fit = model.fit(disp=False, method="lbfgs", maxiter=1000, pgtol=1e-10, factr=10.0)
    names = model.param_names
    # The column of ones is named `const`, the others x1, x2, ...
    return {
        "beta": [float(fit.params[i]) for i in range(x.shape[1])],
        "ar": float(fit.params[names.index("ar.L1")]),
        "llf": float(fit.llf),
    }


def kalman_reference(y, t0, horizon):
    """Random walk with drift plus AR(1) noise, no irregular, at fixed
    parameters; level and drift approximately diffuse, the AR state
    stationary; the two diffuse observations leave the likelihood."""
    pre = y[:t0]
    model = sm.tsa.UnobservedComponents(
        pre, level="rwdrift", autoregressive=1, irregular=False
    )
    scale, level_ratio, ar = 0.8, 0.05, 0.6
    init = Initialization(model.k_states)
    init.set((0, 2), "approximate_diffuse", approximate_diffuse_variance=DIFFUSE * scale)
    init.set((2, 3), "stationary")
    model.ssm.initialization = init
    model.loglikelihood_burn = 2
    params = {"sigma2.level": scale * level_ratio, "sigma2.ar": scale, "ar.L1": ar}
    ordered = [params[name] for name in model.param_names]
    result = model.filter(ordered)
    forecast = result.get_forecast(horizon)
    return {
        "scale": scale,
        "level_ratio": level_ratio,
        "ar": ar,
        "llf": float(result.llf),
        "mean": forecast.predicted_mean.tolist(),
        "var": forecast.var_pred_mean.tolist(),
    }


def seasonal_series(n=72, t0=60):
    """Six years of months: a trend, a yearly wave, 1.5 times a random-walk
    control, AR(0.6) noise and a step of 3 at t0."""
    shocks, own = noise(23, n), noise(29, n)
    x, level = [], 0.0
    for t in range(n):
        level += own[t]
        x.append(level)
    e, y = 0.0, []
    for t in range(n):
        e = 0.6 * e + shocks[t]
        wave = 2.0 * math.sin(2.0 * math.pi * t / 12.0)
        y.append(20.0 + 0.1 * t + wave + 1.5 * x[t] + e + (3.0 if t >= t0 else 0.0))
    return np.array(y), np.array(x), t0


def full_kalman_reference(y, x, t0, harmonics=2):
    """The structural model as the estimator builds it with a season and a
    control: random walk with drift, deterministic yearly Fourier terms,
    the control's coefficient as a state (mle_regression=False), AR(1)
    noise, no irregular; every state but the AR one approximately diffuse,
    so as many first observations leave the likelihood. Filtered at
    fixed parameters, then forecast over the post-period with the control's
    known values."""
    pre = y[:t0]
    model = sm.tsa.UnobservedComponents(
        pre,
        level="rwdrift",
        autoregressive=1,
        irregular=False,
        freq_seasonal=[{"period": 12, "harmonics": harmonics}],
        stochastic_freq_seasonal=[False],
        exog=x[:t0, None],
        mle_regression=False,
    )
    scale, level_ratio, phi = 0.8, 0.05, 0.6
    k = model.k_states
    ar = 2 + 2 * harmonics  # level, trend, the Fourier pairs, then AR, then the coefficient
    diffuse = DIFFUSE * scale
    init = Initialization(k)
    init.set((0, ar), "approximate_diffuse", approximate_diffuse_variance=diffuse)
    init.set((ar, ar + 1), "stationary")
    init.set((ar + 1, k), "approximate_diffuse", approximate_diffuse_variance=diffuse)
    model.ssm.initialization = init
    model.loglikelihood_burn = k - 1
    params = {"sigma2.level": scale * level_ratio, "sigma2.ar": scale, "ar.L1": phi}
    ordered = [params[name] for name in model.param_names]
    result = model.filter(ordered)
    horizon = len(y) - t0
    forecast = result.get_forecast(horizon, exog=x[t0:, None])
    return {
        "y": y.tolist(),
        "x": x.tolist(),
        "t0": t0,
        "harmonics": harmonics,
        "scale": scale,
        "level_ratio": level_ratio,
        "ar": phi,
        "llf": float(result.llf),
        "mean": forecast.predicted_mean.tolist(),
        "var": forecast.var_pred_mean.tolist(),
    }


def compute():
    y, t0 = series()
    x = design(len(y), t0)
    return {
        "about": "Written by crates/effects/validation/reference.py with statsmodels "
        + sm.__version__
        + "; do not edit by hand.",
        "y": y.tolist(),
        "t0": t0,
        "ols_newey_west": ols_reference(y, x),
        "ar1_gls": ar1_reference(y, x),
        "kalman": kalman_reference(y, t0, len(y) - t0),
        "seasonal_control": full_kalman_reference(*seasonal_series()),
    }


def close(a, b, tol=1e-7):
    if isinstance(a, dict):
        return all(close(a[k], b.get(k), tol) for k in a if k != "about")
    if isinstance(a, list):
        return len(a) == len(b) and all(close(u, v, tol) for u, v in zip(a, b))
    if isinstance(a, float):
        return abs(a - b) <= tol * max(1.0, abs(a))
    return a == b


if __name__ == "__main__":
    fresh = compute()
    if "--check" in sys.argv:
        committed = json.loads(OUT.read_text())
        if not close(fresh, committed, 1e-5):
            sys.exit("reference.json differs from what statsmodels computes now: rerun reference.py")
        print("reference.json matches statsmodels", sm.__version__)
    else:
        OUT.write_text(json.dumps(fresh, indent=1) + "\n")
        print("wrote", OUT)
