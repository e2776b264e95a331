"""lithos.Estimator (lithos.h section 6) at small scale: the estimator's ECM is the model's own
(`Estimator.from_model`), truth = that model started at SOC 0.9 and driven by a deterministic
discharge-biased pulse profile, measurements = its voltage + σ 2 mV and current + σ 10 mA noise.
Tolerances are the estimator's targets (after 5 minutes |SOC error| < 3 %, RMS < 1 %)."""

import ctypes
import json
import math

import numpy as np
import pytest

import lithos
from lithos import _library
from conftest import DEFAULT_CELL_PATH, struct_fields

N = 3600          # 1 h of 1 s samples
CONVERGED = 300   # 5 minutes
T25 = 298.15


@pytest.fixture(scope="module")
def drive():
    """(model parameters, measured current/voltage/temperature, true SOC) — deterministic."""
    rng = np.random.default_rng(20261123)
    with lithos.Model(DEFAULT_CELL_PATH, initial_soc=0.9) as model:
        capacity = model.info["capacity_Ah"]
        current = np.empty(N)
        k = 0
        while k < N:
            length = int(rng.integers(5, 60))
            c = rng.uniform(-0.6, 1.2)
            if abs(c) < 0.1:
                c = math.copysign(0.1, c)
            current[k:k + length] = c * capacity
            k += length
        truth = model.run(current=current, dt=1.0)
        parameters = model.parameters()
    measured = {
        "current": current + 0.010 * rng.standard_normal(N),
        "voltage": truth["voltage_V"] + 0.002 * rng.standard_normal(N),
        "temperature": truth["temperature_K"].copy(),
    }
    return parameters, measured, truth["soc"]


def config(parameters, algorithm="ekf", **extra):
    c = {"ecm": parameters, "algorithm": algorithm, "initial_soc": 0.7, "initial_soc_std": 0.3}
    c.update(extra)
    return c


def test_struct_and_faults_mirror_the_header(header_text):
    fields = [name for name, _ in _library.lithos_estimate._fields_]
    assert fields == struct_fields(header_text, "lithos_estimate")
    assert _library.lithos_estimate().struct_size == ctypes.sizeof(_library.lithos_estimate)
    import re
    for name, bit in lithos.FAULTS.items():
        match = re.search(r"#define\s+LITHOS_FAULT_%s\s+\(1u << (\d+)\)" % name.upper(), header_text)
        assert match, name
        assert bit == 1 << int(match.group(1))
    assert len(lithos.FAULTS) == len(re.findall(r"#define\s+LITHOS_FAULT_\w+", header_text))
    estimate_fields = [f for f in fields if f != "struct_size"]
    assert list(lithos.Estimate.__dataclass_fields__) == estimate_fields


@pytest.mark.parametrize("algorithm", ["ekf", "ukf"])
def test_kalman_filters_track_the_truth(drive, algorithm):
    parameters, m, truth = drive
    with lithos.Estimator(config(parameters, algorithm)) as est:
        out = est.run(m["current"], m["voltage"], m["temperature"], dt=1.0)
    assert set(out) == {"soc", "soc_std", "predicted_voltage_V"}
    assert all(isinstance(a, np.ndarray) and a.shape == (N,) for a in out.values())
    error = np.abs(out["soc"] - truth)[CONVERGED:]
    assert error.max() < 0.03
    assert np.sqrt(np.mean(error ** 2)) < 0.01
    assert out["soc_std"][-1] < out["soc_std"][0]
    assert out["soc_std"][-1] < 0.1
    assert np.all(np.isfinite(out["predicted_voltage_V"]))


def test_coulomb_counting_keeps_its_initial_error(drive):
    parameters, m, truth = drive
    with lithos.Estimator(config(parameters, "coulomb")) as est:
        out = est.run(m["current"], m["voltage"], m["temperature"], 1.0)
    assert abs((truth[-1] - out["soc"][-1]) - (0.9 - 0.7)) < 0.02


def test_update_returns_every_field_and_run_matches_updates(drive):
    parameters, m, _ = drive
    a = lithos.Estimator(config(parameters))
    b = lithos.Estimator(json.dumps(config(parameters)))
    n = 200
    batch = a.run(m["current"][:n], m["voltage"][:n], m["temperature"][:n], np.ones(n))
    for k in range(n):
        e = b.update(m["current"][k], m["voltage"][k], m["temperature"][k], 1.0)
        assert e.soc == batch["soc"][k]
        assert e.soc_std == batch["soc_std"][k]
        assert e.predicted_voltage_V == batch["predicted_voltage_V"][k]
    assert isinstance(e, lithos.Estimate)
    assert e.time_s == pytest.approx(n)
    for name in ("discharge_current_limit_A", "charge_current_limit_A",
                 "discharge_power_limit_W", "charge_power_limit_W"):
        value = getattr(e, name)
        assert isinstance(value, tuple) and len(value) == 3
        assert all(math.isfinite(x) and x >= 0 for x in value)
    assert isinstance(e.active_faults, int) and isinstance(e.latched_faults, int)
    assert e.to_dict()["soc"] == e.soc
    assert a.estimate == e == b.estimate
    a.close()
    b.close()


def test_from_model_builds_the_config_from_model_parameters():
    with lithos.Model(DEFAULT_CELL_PATH) as model:
        with lithos.Estimator.from_model(model, algorithm="ukf", initial_soc=0.6, initial_soc_std=0.2) as est:
            c = est.config()
            assert c["algorithm"] == "ukf"
            assert c["initial_soc"] == pytest.approx(0.6)
            assert c["initial_soc_std"] == pytest.approx(0.2)
            assert c["ecm"]["capacity_Ah"] == pytest.approx(model.info["capacity_Ah"])
            assert est.estimate.soc == pytest.approx(0.6)
            # config() round-trips: an estimator created from it gives identical estimates
            with lithos.Estimator(c) as twin:
                for k in range(50):
                    assert est.update(0.1, 3.8, T25, 1.0) == twin.update(0.1, 3.8, T25, 1.0)


def test_nan_samples_are_skipped_and_flagged(drive):
    parameters, m, _ = drive
    with lithos.Estimator(config(parameters)) as est:
        est.update(m["current"][0], m["voltage"][0], m["temperature"][0], 1.0)
        for sample in ((math.nan, 3.8, T25), (0.1, math.nan, T25), (0.1, 3.8, math.nan)):
            e = est.update(*sample, 1.0)
            assert "measurement_skipped" in e.faults
            assert e.active_faults & lithos.FAULTS["measurement_skipped"]
            assert math.isfinite(e.soc)
        e = est.update(m["current"][1], m["voltage"][1], m["temperature"][1], 1.0)
        assert "measurement_skipped" not in e.faults
        assert "measurement_skipped" in e.latched_fault_names
        est.clear_latched_faults()
        e = est.update(m["current"][2], m["voltage"][2], m["temperature"][2], 1.0)
        assert "measurement_skipped" not in e.latched_fault_names
        # NaN in a batch is fine too
        v = m["voltage"][:20].copy()
        v[5] = np.nan
        out = est.run(m["current"][:20], v, T25, 1.0)
        assert np.all(np.isfinite(out["soc"]))


def test_errors_carry_the_c_message_and_change_nothing(drive):
    parameters, m, _ = drive
    with lithos.Estimator(config(parameters)) as est:
        est.update(m["current"][0], m["voltage"][0], m["temperature"][0], 1.0)
        before = est.save_state()
        with pytest.raises(lithos.LithosOutOfRangeError, match="did you pass °C"):
            est.update(0.1, 3.8, 25.0, 1.0)
        with pytest.raises(lithos.LithosOutOfRangeError, match="dt_s"):
            est.update(0.1, 3.8, T25, 0.0)
        with pytest.raises(lithos.LithosInvalidArgumentError, match="voltage_V"):
            est.update(0.1, math.inf, T25, 1.0)
        with pytest.raises(lithos.LithosInvalidArgumentError):
            est.update(0.1, 3.8, T25, math.nan)
        with pytest.raises(lithos.LithosOutOfRangeError):
            est.reset(2.0, 0.1)
        with pytest.raises(lithos.LithosOutOfRangeError):
            est.reset(0.5, 0.0)
        assert est.save_state() == before
        # a batch is all or nothing; the error says which update failed
        current = m["current"][:50].copy()
        current[17] = np.inf
        with pytest.raises(lithos.LithosInvalidArgumentError) as info:
            est.run(current, m["voltage"][:50], m["temperature"][:50], 1.0)
        assert info.value.failed_step == 17
        assert "update 17" in info.value.message
        assert est.save_state() == before
        with pytest.raises(ValueError):
            est.run(m["current"][:10], m["voltage"][:9], T25, 1.0)
    with pytest.raises(lithos.LithosNullArgumentError, match="closed"):
        est.update(0.1, 3.8, T25, 1.0)
    est.close()  # idempotent


def test_bad_configurations():
    with pytest.raises(lithos.LithosParseError):
        lithos.Estimator("{ not json")
    with pytest.raises(lithos.LithosConfigError, match="ecm"):
        lithos.Estimator({"algorithm": "ekf"})
    with lithos.Model(DEFAULT_CELL_PATH) as model:
        with pytest.raises(lithos.LithosConfigError, match="bogus"):
            lithos.Estimator.from_model(model, bogus=1)
    with pytest.raises(lithos.LithosNotFoundError):
        lithos.Estimator("/nonexistent/estimator.json")


def test_save_and_load_resume_bit_exactly(drive, tmp_path):
    parameters, m, _ = drive
    path = tmp_path / "estimator.json"
    path.write_text(json.dumps(config(parameters, "ukf")))
    with lithos.Estimator(str(path)) as est:
        est.run(m["current"][:300], m["voltage"][:300], m["temperature"][:300], 1.0)
        state = est.save_state()
        assert isinstance(state, bytes) and len(state) == est.state_size
        first = [est.update(m["current"][k], m["voltage"][k], m["temperature"][k], 1.0) for k in range(300, 400)]
        est.load_state(state)
        second = [est.update(m["current"][k], m["voltage"][k], m["temperature"][k], 1.0) for k in range(300, 400)]
        assert first == second
        after = est.save_state()
        with pytest.raises(lithos.LithosInvalidArgumentError):
            est.load_state(state[:-1])
        flipped = bytearray(state)
        flipped[len(flipped) // 2] ^= 0x10
        with pytest.raises(lithos.LithosInvalidArgumentError):
            est.load_state(bytes(flipped))
        with lithos.Estimator(config(parameters, "ekf")) as other:
            with pytest.raises(lithos.LithosInvalidArgumentError):
                est.load_state(other.save_state())
        assert est.save_state() == after
        est.load_state(memoryview(state))
        assert est.update(m["current"][300], m["voltage"][300], m["temperature"][300], 1.0) == first[0]


def test_power_limits_shrink_at_low_soc(drive):
    parameters, _, _ = drive
    with lithos.Estimator(config(parameters)) as est:
        est.reset(0.9, 0.01)
        high = est.update(0.0, math.nan, T25, 1.0)
        est.reset(0.1, 0.01)
        low = est.update(0.0, math.nan, T25, 1.0)
    for h in range(3):
        assert 0 < low.discharge_power_limit_W[h] < high.discharge_power_limit_W[h]
        assert low.discharge_current_limit_A[h] <= high.discharge_current_limit_A[h]
    assert low.energy_remaining_Wh < high.energy_remaining_Wh
