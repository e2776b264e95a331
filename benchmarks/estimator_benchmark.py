#!/usr/bin/env python3
"""Lithos' state estimator against filterpy's EKF and UKF on the same problem, same machine.

Problem: the default solid-state cell (ECM derived from examples/cells/default.json: SOC + 2 RC
states, tables over SOC × T), a deterministic US06-like pulse current at 1 s with σ_I = 10 mA
and σ_V = 2 mV noise on the truth's voltage, initial SOC guess 25 points wrong.

Timed (median of 5, µs or ns per update):
  filterpy EKF      filterpy.kalman.ExtendedKalmanFilter with the same ECM equations written in
                    numpy (state transition by exact discretisation, Jacobians analytic; the ECM
                    tables are read through the Lithos model once, into numpy interpolants)
  filterpy UKF      filterpy.kalman.UnscentedKalmanFilter (Merwe sigma points, same fx/hx)
  Lithos EKF/UKF    lithos_estimator_run over the whole array through ctypes (one call), and
                    lithos_estimator_update per sample (ctypes overhead included). Lithos' update
                    also runs SOH, SOP (2/10/30 s, both directions), state of energy and the
                    safety monitor; the filterpy filters do SOC only.
SOC accuracy after 5 minutes is printed next to each.

At 10 Hz (the same drive and truth at dt 0.1 s, 36 000 updates, lithos_estimator_run):
  (a) SOP at every update (limits.power_limit_interval_s = 0, the default),
  (b) SOP every 1 s (power_limit_interval_s = 1: every 10th update),
  (c) SOP once (power_limit_interval_s = 3600): the update without the power limits — the
      filter, SOH estimators, state of energy, safety monitor (whose OCV inversion is idle on
      this drive: its current never stays steady for the offset check's 300 s) and the C layer.
The filter alone: benchmarks/ekf_microbenchmark.swift, compiled by this script with
`swiftc -O -wmo` from the library's own sources (the firmware core's file list, scripts/firmware)
when swiftc is on PATH: ExtendedKalmanFilter.predict + correct (and the UKF's) per update on the
same 1 s data as filterpy, in-process, and the whole StateEstimator.update the same way.

Usage: .tools/filterpy-venv/bin/python benchmarks/estimator_benchmark.py [path/to/liblithos.so]
(create the venv with `python3 -m venv --system-site-packages .tools/filterpy-venv &&
 .tools/filterpy-venv/bin/pip install filterpy`; benchmarks/run.sh does this).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
if len(sys.argv) > 1:
    os.environ["LITHOS_LIBRARY"] = sys.argv[1]
elif "LITHOS_LIBRARY" not in os.environ:
    os.environ["LITHOS_LIBRARY"] = os.path.join(ROOT, "build-bench", "liblithos.so")
import lithos  # noqa: E402
from filterpy.kalman import ExtendedKalmanFilter, MerweScaledSigmaPoints, UnscentedKalmanFilter  # noqa: E402

N = 3600
T = 298.15
rng = np.random.default_rng(7)


def truth_profile(model):
    """US06-like pulses (discharge-biased), truth voltages from the Lithos model."""
    capacity = model.info["capacity_Ah"]
    current = np.empty(N)
    level = 0.0
    for k in range(N):
        if k % 20 == 0:
            level = capacity * rng.choice([-0.5, 0.0, 0.25, 0.5, 1.0, 2.0])   # mean 0.54C: stays in 0.95 → 0.4
        current[k] = level
    out = model.run(current=current, dt=1.0, ambient_K=T)
    return current, out["voltage_V"], out["soc"]


def ecm_numpy(params):
    """The ECM's tables as numpy interpolants at 25 °C (the profile is isothermal)."""
    socs = np.array(params["soc_breakpoints"])
    temps = np.array(params["temperature_breakpoints_K"])

    def row(table):
        a = np.array(table, dtype=float)
        if a.ndim == 0:
            return np.full(len(socs), float(a))
        if a.ndim == 1:
            return a
        return np.array([np.interp(T, temps, a[:, i]) for i in range(len(socs))])

    ocv = row(params["ocv_V"])
    r0 = row(params["r0_ohm"])
    rc = [(row(p["r_ohm"]), row(p["tau_s"])) for p in params["rc_pairs"]]
    return socs, ocv, r0, rc, params["capacity_Ah"]


def filterpy_filters(params, soc0):
    socs, ocv, r0, rc, capacity = ecm_numpy(params)
    n = 1 + len(rc)
    dt = 1.0

    def fx(x, dt, current=0.0):
        z = x[0]
        out = np.empty(n)
        out[0] = z - current * dt / (3600 * capacity)
        for j, (r, tau) in enumerate(rc):
            a = np.exp(-dt / np.interp(z, socs, tau))
            out[1 + j] = a * x[1 + j] + np.interp(z, socs, r) * (1 - a) * current
        return out

    def hx(x, current=0.0):
        return np.array([np.interp(x[0], socs, ocv) - np.sum(x[1:]) - np.interp(x[0], socs, r0) * current])

    def H(x, current=0.0):
        h = 1e-5
        slope = (np.interp(x[0] + h, socs, ocv) - np.interp(x[0] - h, socs, ocv)) / (2 * h)
        row = np.full((1, n), -1.0)
        row[0, 0] = slope
        return row

    def F(x, current):
        J = np.eye(n)
        for j, (r, tau) in enumerate(rc):
            J[1 + j, 1 + j] = np.exp(-dt / np.interp(x[0], socs, tau))
        return J

    ekf = ExtendedKalmanFilter(dim_x=n, dim_z=1)
    ekf.x = np.zeros(n); ekf.x[0] = soc0
    ekf.P = np.diag([0.3 ** 2] + [1e-4] * len(rc))
    ekf.R = np.array([[0.002 ** 2 + 0.01 ** 2]])
    ekf.Q = np.diag([1e-8] + [1e-5] * len(rc))
    points = MerweScaledSigmaPoints(n, alpha=1.0, beta=2.0, kappa=0.0)
    ukf = UnscentedKalmanFilter(dim_x=n, dim_z=1, dt=dt, fx=fx, hx=hx, points=points)
    ukf.x = ekf.x.copy(); ukf.P = ekf.P.copy(); ukf.R = ekf.R.copy(); ukf.Q = ekf.Q.copy()
    return ekf, ukf, fx, hx, H, F


def timed(fn, repeats=5):
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def swift_filter_alone(params_json, i_meas, v_meas, soc0):
    """Builds and runs benchmarks/ekf_microbenchmark.swift; {name: (ns per update, final SOC)}."""
    swiftc = shutil.which("swiftc")
    if swiftc is None:
        print("(swiftc not found: the filter-alone micro-benchmark is skipped)")
        return {}
    firmware = open(os.path.join(ROOT, "scripts", "firmware")).read()
    files_block = re.search(r"^FILES=\((.*?)^\)", firmware, re.S | re.M).group(1)
    files = [os.path.join(ROOT, f.replace("$S", "Sources/Lithos")) for f in re.findall(r"\$S/\S+\.swift", files_block)]
    config = os.path.join(ROOT, "Sources", "Lithos", "Config")
    files += [os.path.join(config, f) for f in sorted(os.listdir(config)) if f.endswith(".swift")]
    files += [os.path.join(ROOT, "Sources", "Lithos", "Models", "ECM", "ECMParametersJSON.swift"),
              os.path.join(HERE, "ekf_microbenchmark.swift")]
    work = tempfile.mkdtemp(prefix="lithos-ekf-mb-")
    exe = os.path.join(work, "ekf_microbenchmark")
    print("compiling benchmarks/ekf_microbenchmark.swift (swiftc -O -wmo, the library's estimator sources) …", flush=True)
    math = os.path.join(ROOT, "Sources", "CLithosMath")
    math_object = os.path.join(work, "lithos_math.o")
    built = subprocess.run([os.environ.get("CC", "cc"), "-O2", "-c", "-I", os.path.join(math, "include"),
                            os.path.join(math, "lithos_math.c"), "-o", math_object], capture_output=True, text=True)
    if built.returncode == 0:
        built = subprocess.run([swiftc, "-O", "-wmo", "-parse-as-library", "-module-name", "LithosBench",
                                "-I", os.path.join(math, "include"), "-o", exe] + files + [math_object, "-lm"],
                               capture_output=True, text=True)
    if built.returncode != 0:
        print("(micro-benchmark build failed: skipped)\n" + built.stderr[-2000:])
        return {}
    ecm = os.path.join(work, "ecm.json")
    with open(ecm, "w") as f:
        f.write(params_json)
    data = os.path.join(work, "measurements.bin")
    np.concatenate([np.asarray(i_meas, dtype=np.float64), np.asarray(v_meas, dtype=np.float64)]).tofile(data)
    out = subprocess.run([exe, ecm, data, str(len(i_meas)), "1.0", str(soc0), "0.3", "7"], capture_output=True, text=True, check=True)
    shutil.rmtree(work, ignore_errors=True)
    result = {}
    for line in out.stdout.splitlines():
        name, ns, soc = line.split()
        result[name] = (float(ns), float(soc))
    return result


def rms_after_5min(estimate, truth):
    e = np.abs(np.asarray(estimate)[300:] - np.asarray(truth)[300:])
    return float(np.sqrt(np.mean(e ** 2))), float(np.max(e))


def main():
    cell = os.path.join(ROOT, "examples", "cells", "default.json")
    model = lithos.Model(cell, initial_soc=0.95)
    params = model.parameters()
    current, voltage, soc_truth = truth_profile(model)
    i_meas = current + rng.normal(0, 0.01, N)
    v_meas = voltage + rng.normal(0, 0.002, N)
    temps = np.full(N, T)
    soc0 = 0.95 - 0.25
    print(f"Lithos {lithos.version()} estimator vs filterpy, {N} updates of 1 s, default SSB cell "
          f"({params['capacity_Ah']:.3f} Ah, {len(params['rc_pairs'])} RC), guess 25 points wrong\n")

    rows = []
    for algorithm in ("ekf", "ukf"):
        def lithos_batch():
            est = lithos.Estimator.from_model(model, algorithm=algorithm, initial_soc=soc0, initial_soc_std=0.3)
            return est.run(i_meas, v_meas, temps, 1.0)["soc"]
        t, socs = timed(lithos_batch)
        rows.append((f"Lithos {algorithm.upper()}, lithos_estimator_run (1 call)", t / N, rms_after_5min(socs, soc_truth)))

        def lithos_steps():
            est = lithos.Estimator.from_model(model, algorithm=algorithm, initial_soc=soc0, initial_soc_std=0.3)
            out = np.empty(N)
            for k in range(N):
                out[k] = est.update(i_meas[k], v_meas[k], T, 1.0).soc
            return out
        t, socs = timed(lithos_steps, repeats=3)
        rows.append((f"Lithos {algorithm.upper()}, lithos_estimator_update per sample", t / N, rms_after_5min(socs, soc_truth)))

    def filterpy_ekf():
        ekf, _, fx, hx, H, F = filterpy_filters(params, soc0)
        out = np.empty(N)
        for k in range(N):
            u = i_meas[k]
            ekf.F = F(ekf.x, u)
            ekf.x = fx(ekf.x, 1.0, u)
            ekf.P = ekf.F @ ekf.P @ ekf.F.T + ekf.Q
            ekf.update(np.array([v_meas[k]]), HJacobian=H, Hx=hx, args=(u,), hx_args=(u,))
            out[k] = ekf.x[0]
        return out
    t, socs = timed(filterpy_ekf, repeats=3)
    rows.append(("filterpy ExtendedKalmanFilter", t / N, rms_after_5min(socs, soc_truth)))

    def filterpy_ukf():
        _, ukf, *_ = filterpy_filters(params, soc0)
        out = np.empty(N)
        for k in range(N):
            ukf.predict(current=i_meas[k])
            ukf.update(np.array([v_meas[k]]), current=i_meas[k])
            out[k] = ukf.x[0]
        return out
    t, socs = timed(filterpy_ukf, repeats=3)
    rows.append(("filterpy UnscentedKalmanFilter", t / N, rms_after_5min(socs, soc_truth)))

    for name, seconds, (rms, mx) in rows:
        print(f"{name:<52s} {seconds * 1e9:12,.0f} ns/update   SOC after 5 min: RMS {rms * 100:5.2f} %, max {mx * 100:5.2f} %")
    by = {name: s for name, s, _ in rows}
    print(f"\nratios: filterpy EKF / Lithos EKF batch = {by['filterpy ExtendedKalmanFilter'] / by['Lithos EKF, lithos_estimator_run (1 call)']:.0f}x, "
          f"filterpy UKF / Lithos UKF batch = {by['filterpy UnscentedKalmanFilter'] / by['Lithos UKF, lithos_estimator_run (1 call)']:.0f}x")

    # 10 Hz: the same drive at dt 0.1 s; the SOP at every update, every 1 s, once.
    n10 = 10 * N
    current10 = np.repeat(current, 10)
    model10 = lithos.Model(cell, initial_soc=0.95)
    out10 = model10.run(current=current10, dt=0.1, ambient_K=T)
    rng10 = np.random.default_rng(11)
    i10 = current10 + rng10.normal(0, 0.01, n10)
    v10 = out10["voltage_V"] + rng10.normal(0, 0.002, n10)
    t10 = np.full(n10, T)
    print(f"\nAt 10 Hz ({n10} updates of 0.1 s, same drive), lithos_estimator_run (1 call):")
    rates = {}
    for algorithm in ("ekf", "ukf"):
        for label, interval in (("(a) SOP every update", 0.0), ("(b) SOP every 1 s", 1.0), ("(c) SOP once (interval 3600 s)", 3600.0)):
            limits = lithos.Estimator.from_model(model10, algorithm=algorithm).config()["limits"]
            limits["power_limit_interval_s"] = interval

            def batch10():
                est = lithos.Estimator.from_model(model10, algorithm=algorithm, initial_soc=soc0, initial_soc_std=0.3, limits=limits)
                return est.run(i10, v10, t10, 0.1)["soc"]
            t, socs = timed(batch10)
            rms, mx = rms_after_5min(socs[::10], out10["soc"][::10])
            rates[(algorithm, interval)] = t / n10
            print(f"  Lithos {algorithm.upper()} {label:<32s} {t / n10 * 1e9:10,.0f} ns/update   SOC after 5 min: RMS {rms * 100:5.2f} %")

    alone = swift_filter_alone(model.parameters_json(), i_meas, v_meas, soc0)
    if alone:
        print("\nIn-process Swift (benchmarks/ekf_microbenchmark.swift, -O -wmo), the 1 s data, median of 7:")
        names = {"ekf_filter": "ExtendedKalmanFilter.predict + correct only",
                 "ukf_filter": "SigmaPointKalmanFilter.predict + correct only",
                 "ekf_estimator": "StateEstimator.update, EKF (everything, SOP each update)",
                 "ukf_estimator": "StateEstimator.update, UKF (everything)"}
        for key, label in names.items():
            if key in alone:
                ns, soc = alone[key]
                print(f"  {label:<68s} {ns:10,.0f} ns/update   final SOC {soc:.6f}")
        fp_ekf = by['filterpy ExtendedKalmanFilter'] * 1e9
        fp_ukf = by['filterpy UnscentedKalmanFilter'] * 1e9
        print(f"ratios: filterpy EKF / EKF alone = {fp_ekf / alone['ekf_filter'][0]:.0f}x, "
              f"filterpy UKF / UKF alone = {fp_ukf / alone['ukf_filter'][0]:.0f}x; "
              f"target <= 200 ns per EKF update: EKF alone {alone['ekf_filter'][0]:.0f} ns "
              f"({'met' if alone['ekf_filter'][0] <= 200 else 'not met'}), "
              f"full update at 10 Hz with the SOP every 1 s {rates[('ekf', 1.0)] * 1e9:.0f} ns "
              f"({'met' if rates[('ekf', 1.0)] * 1e9 <= 200 else 'not met'})")


if __name__ == "__main__":
    main()
