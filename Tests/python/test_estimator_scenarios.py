"""The estimator scenario suite of issue 5 in miniature (full size: benchmarks/estimator_scenarios.py;
reduced size in Swift: Tests/LithosTests/EstimatorScenarioTests.swift).

Truth: SSB-SPM of the default cell (``lithos.Model(design, kind="ssb-spm")``, thermal model on) at
25 °C, driven by US06 repeated from SOC 1 for 30 min, power-limited: a step whose current would
take the truth outside its voltage window (less 20 mV) is run at that voltage instead. Estimator:
EKF on the ECM derived from the same design (``Estimator.from_model``), a guess 25 points low,
measurements with σ_I = 10 mA, σ_V = 2 mV. Target: RMS ≤ 1 %, max ≤ 3 % after 5 minutes."""

import os

import numpy as np

import lithos
from conftest import DEFAULT_CELL_PATH, REPO_ROOT

T25 = 298.15
SECONDS = 1800
SETTLE = 300
MARGIN = 0.02


def us06_c_rates():
    path = os.path.join(REPO_ROOT, "examples", "drive-cycles", "us06.csv")
    with open(path, encoding="utf-8") as f:
        return np.array([float(line.split(",")[1]) for line in f if line[:1].isdigit()])


def power_limited_drive(truth, c_rates, seconds, ambient_K):
    info = truth.info
    q = info["capacity_Ah"]
    low, high = info["minimum_voltage_V"] + MARGIN, info["maximum_voltage_V"] - MARGIN
    rows = []
    for k in range(seconds):
        state = truth.save_state()
        out = truth.step(c_rates[k % len(c_rates)] * q, dt=1.0, ambient_K=ambient_K)
        if not low <= out.voltage_V <= high:
            truth.load_state(state)
            out = truth.step(voltage=low if out.voltage_V < low else high, dt=1.0, ambient_K=ambient_K)
        rows.append((out.current_A, out.voltage_V, out.temperature_K, out.soc))
    return np.array(rows).T


def test_ekf_tracks_the_ssb_spm_truth_at_25C():
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm", initial_soc=1.0, initial_temperature_K=T25) as truth:
        assert truth.kind == "ssb-spm"
        current, voltage, temperature, soc = power_limited_drive(truth, us06_c_rates(), SECONDS, T25)
    assert soc[-1] < 0.75   # a real discharge: 30 min of US06 takes the cell below 75 %
    rng = np.random.default_rng(5)
    measured_current = current + 0.010 * rng.standard_normal(SECONDS)
    measured_voltage = voltage + 0.002 * rng.standard_normal(SECONDS)
    with lithos.Model(DEFAULT_CELL_PATH) as ecm:   # the estimator's model: the design-derived ECM
        estimator = lithos.Estimator.from_model(
            ecm, algorithm="ekf", initial_soc=0.75, initial_soc_std=0.2, initial_temperature_K=T25,
            sensor={"current_noise_A": 0.010, "voltage_noise_V": 0.002, "current_offset_A": 0.05})
    with estimator:
        out = estimator.run(measured_current, measured_voltage, temperature, dt=1.0)
    assert np.all(np.isfinite(out["soc"])) and np.all(np.isfinite(out["soc_std"]))
    error = np.abs(out["soc"] - soc)[SETTLE:]
    rms = float(np.sqrt(np.mean(error ** 2)))
    assert rms <= 0.01, f"RMS SOC error after 5 min {100 * rms:.2f} %"
    assert error.max() <= 0.03, f"max SOC error after 5 min {100 * error.max():.2f} %"
    assert out["soc_std"][-1] < 0.2 / 10   # σ_SOC: from the initial 20 % to below 2 %
