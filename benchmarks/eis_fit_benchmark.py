"""Equivalent-circuit fitting: Lithos (lithos.fit_eis) against impedance.py (the `impedance`
package on PyPI, CustomCircuit + scipy least squares) on the same noisy synthetic spectra.

Circuit R0 + R1‖CPE1 + R2‖CPE2 + finite-space Warburg (impedance.py: 'R0-p(R1,CPE1)-p(R2,CPE2)-Wo1',
the same element definitions: CPE Z = 1/(Q(jω)^α), Wo Z = R_W·coth(√(jωτ_W))/√(jωτ_W)).
Truth per spectrum: the test values (R0 20 mΩ, R1 15 mΩ, τ1 1 ms, α1 0.9, R2 30 mΩ, τ2 0.2 s,
α2 0.8, R_W 40 mΩ, τ_W 10 s) each scaled by a random factor 0.5…2 (α: ±0.05), 50 frequencies
10 mHz–100 kHz, 0.5 % complex Gaussian noise. impedance.py needs an initial guess: it gets the
unscaled test values (what a user who knows the order of magnitude would type); Lithos takes
none (its own starts). A second impedance.py run starts from a generic guess (all R 10 mΩ,
Q 1, α 0.8, τ_W 1 s), as a user who does not know the cell would. Reported: time per fit; how often the fit reaches the noise floor (RMS
relative residual < 1 %: the 0.5 % complex noise alone gives ≈ 0.7 %; above it the optimiser
stopped in a local minimum or diverged); median relative error of the resistances R0, R1, R2 and
of the weakly identified Warburg pair R_W, τ_W (the band ends near ωτ_W ≈ 1, so the noise alone
moves them by several %), and median absolute error of α.

Run: benchmarks/run.sh, or
    LITHOS_LIBRARY=build/liblithos.so PYTHONPATH=bindings/python .tools/eis-venv/bin/python benchmarks/eis_fit_benchmark.py
(.tools/eis-venv: python3 -m venv --system-site-packages .tools/eis-venv && .tools/eis-venv/bin/pip install impedance)
"""

import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bindings", "python"))
import lithos  # noqa: E402

try:
    from impedance.models.circuits import CustomCircuit
except ImportError:  # pragma: no cover
    CustomCircuit = None

TRUTH = dict(R0=0.020, R1=0.015, tau1=1e-3, a1=0.9, R2=0.030, tau2=0.2, a2=0.8, RW=0.040, tauW=10.0)
F = np.logspace(-2, 5, 50)
N = int(os.environ.get("LITHOS_BENCH_SPECTRA", "100"))


def spectrum(p, f):
    w = 2 * np.pi * f
    z = p["R0"] + p["R1"] / (1 + (1j * w * p["tau1"]) ** p["a1"]) + p["R2"] / (1 + (1j * w * p["tau2"]) ** p["a2"])
    s = np.sqrt(1j * w * p["tauW"])
    return z + p["RW"] / (s * np.tanh(s))


def q_of(r, tau, a):
    return tau ** a / r            # CPE Q from R‖CPE's τ = (R·Q)^(1/α)


def residual(f, z, got):
    """RMS relative residual of a fitted parameter set (the fitters' own criterion)."""
    p = dict(R0=got["R0"], R1=got["R1"], a1=got["a1"], R2=got["R2"], a2=got["a2"], RW=got["RW"], tauW=got["tauW"],
             tau1=(got["R1"] * got["Q1"]) ** (1 / got["a1"]), tau2=(got["R2"] * got["Q2"]) ** (1 / got["a2"]))
    r = (spectrum(p, f) - z) / np.abs(z)
    return float(np.sqrt(np.mean(r.real ** 2 + r.imag ** 2) / 2))


def errors(p, got):
    """Relative errors of R0, R1, Q1, R2, Q2, R_W, τ_W and absolute errors of α1, α2."""
    true = [p["R0"], p["R1"], q_of(p["R1"], p["tau1"], p["a1"]), p["R2"], q_of(p["R2"], p["tau2"], p["a2"]), p["RW"], p["tauW"]]
    rel = [abs(g / t - 1) for g, t in zip([got[k] for k in ("R0", "R1", "Q1", "R2", "Q2", "RW", "tauW")], true)]
    return rel, [abs(got["a1"] - p["a1"]), abs(got["a2"] - p["a2"])]


def _z(cases, p):
    return next(z for q, z in cases if q is p)


def main():
    rng = np.random.default_rng(2026)
    cases = []
    for _ in range(N):
        p = {k: v * (2 ** rng.uniform(-1, 1)) if not k.startswith("a") else v + rng.uniform(-0.05, 0.05)
             for k, v in TRUTH.items()}
        if p["tau2"] < 20 * p["tau1"]:
            p["tau2"] = 20 * p["tau1"]
        z = spectrum(p, F) * (1 + 0.005 * (rng.standard_normal(F.size) + 1j * rng.standard_normal(F.size)))
        cases.append((p, z))

    results = {}
    # Lithos
    t0 = time.perf_counter()
    fits = [lithos.fit_eis(F, z, arcs=2, warburg="finite-space") for _, z in cases]
    t_lithos = (time.perf_counter() - t0) / N
    rows = []
    for (p, _), fit in zip(cases, fits):
        q = fit.parameters
        # Lithos reports arcs sorted by τ; match them to the truth the same way.
        got = dict(R0=q["R0"], R1=q["R1"], Q1=q["Q1"], a1=q["alpha1"], R2=q["R2"], Q2=q["Q2"], a2=q["alpha2"],
                   RW=q["R_W"], tauW=q["tau_W"])
        rows.append(errors(p, got) + (residual(F, _z(cases, p), got),))
    results["Lithos fit_eis (automatic starts)"] = (t_lithos, rows)

    informed = [TRUTH["R0"], TRUTH["R1"], q_of(TRUTH["R1"], TRUTH["tau1"], TRUTH["a1"]), TRUTH["a1"],
                TRUTH["R2"], q_of(TRUTH["R2"], TRUTH["tau2"], TRUTH["a2"]), TRUTH["a2"], TRUTH["RW"], TRUTH["tauW"]]
    generic = [0.01, 0.01, 1.0, 0.8, 0.01, 1.0, 0.8, 0.01, 1.0]
    for label, guess in (("informed guess", informed), ("generic guess", generic)):
        if CustomCircuit is None:
            break
        rows = []
        t0 = time.perf_counter()
        fitted = []
        for p, z in cases:
            c = CustomCircuit("R0-p(R1,CPE1)-p(R2,CPE2)-Wo1", initial_guess=guess)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    c.fit(F, z, weight_by_modulus=True)
                    fitted.append(c.parameters_)
                except Exception:  # noqa: BLE001 - a failed fit counts as a failure
                    fitted.append(None)
        t_imp = (time.perf_counter() - t0) / N
        for (p, _), v in zip(cases, fitted):
            if v is None or not np.all(np.isfinite(v)):
                rows.append(([1.0] * 7, [1.0, 1.0], 1.0))
                continue
            # Sort the two arcs by τ as Lithos does (impedance.py may swap them).
            arcs = sorted([(v[1], v[2], v[3]), (v[4], v[5], v[6])], key=lambda a: (a[0] * a[1]) ** (1 / a[2]))
            got = dict(R0=v[0], R1=arcs[0][0], Q1=arcs[0][1], a1=arcs[0][2], R2=arcs[1][0], Q2=arcs[1][1], a2=arcs[1][2],
                       RW=v[7], tauW=v[8])
            rows.append(errors(p, got) + (residual(F, _z(cases, p), got),))
        results[f"impedance.py CustomCircuit ({label})"] = (t_imp, rows)
    if CustomCircuit is None:
        print("impedance.py not installed: pip install impedance (into .tools/eis-venv) to compare")

    print(f"{N} noisy spectra (0.5 %), 50 frequencies, R0 + 2×(R‖CPE) + finite-space Warburg, truths scaled 0.5–2×")
    print(f"{'fitter':45s} {'ms/fit':>7s} {'at noise floor':>15s} {'R0,R1,R2':>9s} {'R_W,τ_W':>8s} {'α':>7s}   (median errors)")
    for name, (t, rows) in results.items():
        rel = np.array([r for r, _, _ in rows])
        alpha = np.array([a for _, a, _ in rows])
        rms = np.array([x for _, _, x in rows])
        floor = int(np.sum(rms < 0.01))
        print(f"{name:45s} {t * 1e3:7.2f} {floor:11d}/{N} {np.median(rel[:, [0, 1, 3]]) * 100:8.2f}% "
              f"{np.median(rel[:, 5:]) * 100:7.2f}% {np.median(alpha):7.4f}")


if __name__ == "__main__":
    main()
