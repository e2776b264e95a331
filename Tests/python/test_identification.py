"""Identification through Python (lithos.h section 7) on the measured Panasonic NCR18650PF
logs in examples/panasonic-18650pf/data: OCV, a 2-RC ECM, its voltage error, and that the
result drives a Model and an Estimator directly."""

import json
import os

import numpy as np
import pytest

import lithos

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "panasonic-18650pf", "data")


def log(name):
    return lithos.CyclerLog.from_csv(os.path.join(DATA, name), current_sign="discharge-negative")


@pytest.fixture(scope="module")
def fitted():
    c20 = log("pan18650pf_25C_C20_OCVtest_timeseries.csv")
    ocv = lithos.fit_ocv(c20)
    hppc = log("pan18650pf_25C_HPPC.csv")
    return ocv, hppc, lithos.fit_ecm([hppc], ocv, capacity_Ah=2.9)


def test_csv_reader_applies_the_sign_convention():
    us06 = log("pan18650pf_25C_US06_1s.csv")
    assert len(us06) > 1000
    assert np.all(np.diff(us06.time_s) > 0)
    # The drive discharges the cell: discharge-positive current averages > 0 and the counter grows.
    assert us06.current_A.mean() > 0
    assert us06.discharged_Ah[-1] > 2.0
    assert 290 < us06.temperature_K.mean() < 310


def test_ocv_from_the_c20_test(fitted):
    ocv, _, _ = fitted
    assert abs(ocv["capacity_Ah"] - 2.9973) < 0.003
    v = np.array(ocv["ocv_V"])
    assert np.all(np.diff(v) >= 0) and 2.4 < v[0] < 3.3 and 4.1 < v[-1] < 4.3
    assert len(ocv["soc_breakpoints"]) == len(v) == 201
    # The same table `lithos fit-ocv` wrote into the committed examples/panasonic-18650pf/ocv.json.
    with open(os.path.join(DATA, "..", "ocv.json"), encoding="utf-8") as f:
        committed = json.load(f)
    assert np.allclose(committed["ocv_V"], v, atol=1e-9)


def test_ecm_fit_report_and_voltage_error(fitted):
    ocv, hppc, fit = fitted
    p = fit.parameters
    assert p["capacity_Ah"] == 2.9
    report = fit.report["temperatures"][0]
    assert 297 < report["temperature_K"] < 301
    assert len(report["levels"]) >= 8
    for pulse in report["pulses"]:
        for (lo, hi), r in zip(pulse["R_ci95_ohm"], pulse["R_ohm"]):
            assert lo <= r <= hi
    # docs/identification.md: 7.45 mV on the 25 °C HPPC (this 25 °C-only fit), 19.85 mV on US06.
    hppc_error = lithos.ecm_voltage_error(p, hppc, reset_after_gap_s=600)
    assert 0.001 < hppc_error.rms_V < 0.0085
    us06 = log("pan18650pf_25C_US06_1s.csv")
    e = lithos.ecm_voltage_error(json.dumps(p), us06)
    assert 0.001 < e.rms_V < 0.0225 and e.max_V >= e.rms_V
    assert e.simulated_V.shape == us06.voltage_V.shape
    assert np.sqrt(np.mean((e.simulated_V[1:] - us06.voltage_V[1:]) ** 2)) == pytest.approx(e.rms_V, rel=1e-9)


def test_fitted_ecm_drives_model_and_estimator(fitted):
    _, _, fit = fitted
    with lithos.Model(ecm=fit.parameters) as model:
        assert model.info["capacity_Ah"] == pytest.approx(2.9)
        assert model.step(2.9, dt=1.0).voltage_V < 4.25
    with lithos.Estimator({"ecm": fit.parameters, "initial_soc": 0.8}) as estimator:
        assert 0 <= estimator.update(1.0, 3.9, 298.15, 1.0).soc <= 1


def test_capacity_from_the_c20_cycle():
    c20 = log("pan18650pf_25C_C20_OCVtest_timeseries.csv")
    r = lithos.fit_capacity(c20, minimum_voltage_V=2.5, maximum_voltage_V=4.2)
    assert r["discharge_capacities_Ah"] == [pytest.approx(2.9973, abs=0.003)]
    assert [c["direction"] for c in r["half_cycles"]] == ["discharge", "charge"]
    assert r["coulombic_efficiencies"] == []
    # A synthetic charge → discharge pair: 1 A for 1.1 h in, 1 A for 1 h out.
    t = np.arange(0.0, 7560.0 + 1, 10.0)
    i = np.where(t <= 3960, -1.0, 1.0)
    i[0] = 0.0
    v = np.where(t <= 3960, 3.0 + 1.2 * t / 3960, 4.2 - 1.2 * (t - 3960) / 3600)
    r = lithos.fit_capacity(lithos.CyclerLog(t, i, v), minimum_voltage_V=3.0, maximum_voltage_V=4.2)
    assert r["coulombic_efficiencies"] == [pytest.approx(1.0 / 1.1, rel=1e-9)]
    with pytest.raises(lithos.LithosOutOfRangeError, match="current_threshold_A"):
        lithos.fit_capacity(c20, current_threshold_A=0.0)


def test_errors_raise_with_the_c_message():
    short = lithos.CyclerLog([0.0], [0.0], [4.0])
    with pytest.raises(lithos.LithosInvalidArgumentError, match="≥ 2 samples"):
        lithos.fit_ocv(short)
    bad = lithos.CyclerLog([0, 1, 2], [0.1, 0.1, 0.1], [4.0, float("nan"), 3.9])
    with pytest.raises(lithos.LithosInvalidArgumentError, match=r"voltage_V\[1\]"):
        lithos.fit_ocv(bad)
    ok = lithos.CyclerLog([0, 1, 2], [0.1, 0.1, 0.1], [4.0, 3.95, 3.9])
    with pytest.raises(lithos.LithosOutOfRangeError, match="soc_step"):
        lithos.fit_ocv(ok, soc_step=0.9)
    with pytest.raises(lithos.LithosOutOfRangeError, match="rc_pairs"):
        lithos.fit_ecm([ok], {"capacity_Ah": 1, "soc_breakpoints": [0, 1], "ocv_V": [3, 4]}, 1.0, rc_pairs=5)
    with pytest.raises(lithos.LithosParseError):
        lithos.ecm_voltage_error("{", ok)
    with pytest.raises(ValueError):
        lithos.CyclerLog([0, 1], [0, 0], [4.0, 4.0, 4.0])._c()


def test_cli_fit_capacity(tmp_path):
    from test_cli import CLI, lithos as run_cli
    if not os.path.exists(CLI):
        pytest.skip("CLI not built")
    out = tmp_path / "capacity.json"
    r = run_cli("fit-capacity", "--data", os.path.join(DATA, "pan18650pf_25C_C20_OCVtest_timeseries.csv"),
                "--discharge-negative", "--minimum-voltage", "2.5", "--maximum-voltage", "4.2", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "capacity (full discharges): 2.997" in r.stdout
    assert json.loads(out.read_text())["discharge_capacities_Ah"][0] == pytest.approx(2.9973, abs=0.003)
    assert run_cli("fit-capacity").returncode == 2
