"""Experiments through the Python package: lithos.Experiment (protocol text, drive cycles),
Model.simulate (lithos_simulation_run + the trace functions), cut-offs, the cell's limits, the
summary against the trace, and errors carrying the C message."""

import ctypes
import json
import math

import numpy as np
import pytest

import lithos
from lithos import _library
from conftest import DEFAULT_CELL_PATH, REPO_ROOT, struct_fields

T25 = 298.15
Q = 2.0
ECM = {
    "capacity_Ah": Q, "soc_breakpoints": [0, 1], "ocv_V": [3.0, 4.2], "r0_ohm": 0.01,
    "rc_pairs": [{"r_ohm": 0.02, "tau_s": 30}],
    "minimum_voltage_V": 3.2, "maximum_voltage_V": 4.3,
}
COLUMNS = ["time_s", "current_A", "voltage_V", "soc", "temperature_K", "power_W",
           "open_circuit_voltage_V", "heat_generation_W", "discharged_charge_Ah",
           "discharged_energy_Wh", "step_index", "cycle_index"]
US06 = f"{REPO_ROOT}/examples/drive-cycles/us06.csv"


@pytest.fixture()
def model():
    with lithos.Model(ecm=ECM) as m:
        yield m


def test_summary_struct_mirrors_header(header_text):
    fields = [name for name, _ in _library.lithos_trace_summary._fields_]
    assert fields == struct_fields(header_text, "lithos_trace_summary")
    assert lithos.SUMMARY_FIELDS == fields[1:]
    assert _library.lithos_trace_summary().struct_size == ctypes.sizeof(_library.lithos_trace_summary)


def test_columns_are_documented_in_the_header(header_text):
    for name in COLUMNS:
        assert f" *   {name} " in header_text


# --- the experiment object ------------------------------------------------------------------

def test_parse_counts_and_json():
    text = """# a formation-like protocol
    Rest for 1 minute
    repeat 3 times:
      Charge at 0.5C until 4.1 V
      Hold at 4.1 V until C/50
      Discharge at 1C until 3.5 V
    end
    Discharge at 1 A for 10 minutes; Rest for 30 s"""
    with lithos.Experiment(text) as e:
        assert e.step_count == 1 + 3 * 3 + 2
        assert e.cycle_count == 1 + 3 + 2
        assert e.text == text
        d = e.to_dict()
        assert json.loads(e.to_json()) == d
        assert [s["cycle_index"] for s in d["steps"]] == [0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5]
        assert "11 steps" not in repr(e) and "12 steps" in repr(e)
    with lithos.Experiment(["Rest for 1 minute", "Discharge at 1C until 3.5 V"]) as e:
        assert e.step_count == 2


@pytest.mark.parametrize("text,fragment", [
    ("Discharge at 1X until 3 V", "line 1"),
    ("Rest for 1 minute\nDance at 1C", "line 2"),
    ("", "no steps"),
    ("repeat 2 times:\nend", "repeat"),
])
def test_parse_errors_carry_the_c_message(text, fragment):
    with pytest.raises(lithos.LithosParseError) as info:
        lithos.Experiment(text)
    assert fragment in info.value.message
    assert info.value.message == _library.last_error_message()


def test_experiment_type_errors_and_life_cycle():
    with pytest.raises(TypeError):
        lithos.Experiment(42)
    with pytest.raises(TypeError):
        lithos.Experiment(["Rest for 1 s", 3])
    e = lithos.Experiment("Rest for 1 s")
    e.close()
    e.close()
    assert e.closed and repr(e) == "<Experiment (closed)>"
    with pytest.raises(lithos.LithosNullArgumentError):
        e.step_count
    with lithos.Model(ecm=ECM) as m, pytest.raises(lithos.LithosNullArgumentError):
        m.simulate(e)


# --- running ----------------------------------------------------------------------------------

def test_cc_cv_cycle_cutoffs_are_exact(model):
    protocol = ("Discharge at 1C until 3.5 V; Rest for 10 minutes; "
                "Charge at 0.5C until 4.1 V; Hold at 4.1 V until C/50")
    before = model.output
    r = model.simulate(protocol, dt=10.0)
    assert isinstance(r, lithos.SimulationResult)
    assert list(r) == COLUMNS
    n = r.summary["sample_count"]
    assert all(v.dtype == np.float64 and v.shape == (n,) for v in r.values())
    # row 0 is the state before the run
    assert r["time_s"][0] == 0.0 and r["soc"][0] == before.soc and r["voltage_V"][0] == before.voltage_V
    reasons = [s["end_reason"] for s in r.steps]
    assert reasons == ["voltage_cutoff", "duration", "voltage_cutoff", "current_cutoff"]
    ends = [s["end_sample"] - 1 for s in r.steps]
    assert abs(r["voltage_V"][ends[0]] - 3.5) <= 1e-9
    assert abs(r["voltage_V"][ends[2]] - 4.1) <= 1e-9
    assert abs(r["current_A"][ends[3]] - (-Q / 50)) <= 1e-9
    assert np.all(np.abs(r["voltage_V"][r.steps[3]["first_sample"]:ends[3] + 1] - 4.1) <= 1e-9)
    assert r.steps[1]["end_s"] - r.steps[1]["start_s"] == pytest.approx(600.0, abs=1e-9)
    assert np.all(r["current_A"][r.steps[1]["first_sample"]:ends[1] + 1] == 0.0)
    assert r["step_index"].tolist() == sorted(r["step_index"].tolist())
    assert r.completed and r.stop_reason is None and r.summary["completed"]
    # the model is left in its final state
    assert model.output.soc == r["soc"][-1] and model.output.voltage_V == r["voltage_V"][-1]


def test_summary_agrees_with_the_trace(model):
    r = model.simulate("Discharge at 1C for 20 minutes; Charge at 0.5C for 10 minutes; Rest for 5 minutes",
                       dt=5.0)
    s = r.summary
    dt = np.diff(r["time_s"])
    current = r["current_A"][1:]
    assert s["duration_s"] == pytest.approx(r["time_s"][-1])
    assert s["sample_count"] == len(r["time_s"]) and s["step_count"] == 3 and s["cycle_count"] == 3
    assert s["discharge_capacity_Ah"] == pytest.approx(np.sum(np.clip(current, 0, None) * dt) / 3600, rel=1e-12)
    assert s["charge_capacity_Ah"] == pytest.approx(np.sum(np.clip(-current, 0, None) * dt) / 3600, rel=1e-12)
    assert s["discharge_capacity_Ah"] == pytest.approx(Q / 3, rel=1e-12)
    assert s["charge_capacity_Ah"] == pytest.approx(Q / 12, rel=1e-12)
    assert s["net_discharged_charge_Ah"] == pytest.approx(r["discharged_charge_Ah"][-1], rel=1e-12)
    assert (s["initial_soc"], s["final_soc"]) == (r["soc"][0], r["soc"][-1])
    assert (s["minimum_voltage_V"], s["maximum_voltage_V"]) == (r["voltage_V"].min(), r["voltage_V"].max())
    assert s["minimum_temperature_K"] == r["temperature_K"].min() == T25
    # charge conservation through the experiment: ΔSOC·Q = net charge
    assert (s["initial_soc"] - s["final_soc"]) * Q == pytest.approx(s["net_discharged_charge_Ah"], abs=1e-12)
    assert np.allclose(r["power_W"], r["voltage_V"] * r["current_A"], rtol=0, atol=1e-12)


def test_a_voltage_limit_stops_the_experiment(model):
    r = model.simulate("Discharge at 1C for 2 hours; Rest for 1 hour", dt=10.0)
    assert not r.completed and not r.summary["completed"]
    assert r.stop_reason == r.summary["stop_reason"] == "voltage_limit"
    assert "3.2" in r.stop_message
    assert [s["end_reason"] for s in r.steps] == ["voltage_limit"]
    assert abs(r["voltage_V"][-1] - 3.2) <= 1e-9
    assert r.summary["step_count"] == 1


def test_soc_limit_ends_the_step(model):
    # with the minimum voltage below OCV(0), SOC 0 comes first
    with lithos.Model(ecm=dict(ECM, minimum_voltage_V=2.5)) as m:
        r = m.simulate("Discharge at 1C for 2 hours; Rest for 1 minute", dt=7.0)
        assert r.steps[0]["end_reason"] == "soc_limit"
        assert abs(r["soc"][r.steps[0]["end_sample"] - 1]) <= 1e-12
        assert r.completed == r.summary["completed"] == (r.summary["stop_reason"] is None)


def test_simulate_is_deterministic_and_restartable():
    protocol = "repeat 2 times: Discharge at 1C for 5 minutes; Charge at 1C for 5 minutes; end"
    with lithos.Model(DEFAULT_CELL_PATH) as a, lithos.Model(DEFAULT_CELL_PATH) as b:
        ra, rb = a.simulate(protocol, dt=2.0), b.simulate(protocol, dt=2.0)
        assert all(ra[k].tobytes() == rb[k].tobytes() for k in ra)
        assert ra.summary == rb.summary and ra.steps == rb.steps
        assert a.save_state() == b.save_state()


def test_csv_on_request(model):
    r = model.simulate("Discharge at 1C for 1 minute", dt=10.0)
    assert r.csv is None
    model.reset(1.0)
    r = model.simulate("Discharge at 1C for 1 minute", dt=10.0, csv=True)
    lines = r.csv.strip().splitlines()
    assert lines[0].split(",") == COLUMNS
    assert len(lines) == 1 + len(r["time_s"])
    assert [float(x) for x in lines[-1].split(",")] == [r[c][-1] for c in COLUMNS]


# --- drive cycles -----------------------------------------------------------------------------

def test_drive_cycle_from_csv_text_is_held_and_scaled(model):
    model.reset(0.5)
    csv = "# a tiny cycle\ntime_s,current_A,comment\n10,1,a\n11,2,b\n12,0.5,c\n"
    with lithos.Experiment.from_drive_cycle(csv, scale=2.0) as e:
        assert e.step_count == 1
        cycles = e.to_dict()["drive_cycles"]
        assert cycles[0]["name"] == "drive_cycle" and cycles[0]["samples"] == 3
        r = model.simulate(e, dt=0.3)
    assert r.summary["duration_s"] == pytest.approx(3.0)
    t, i = r["time_s"], r["current_A"]
    for k in range(1, len(t)):   # zero-order hold: the row's current is the sample's × 2
        sample = min(int(math.floor(t[k - 1] + 1e-9)), 2)
        assert i[k] == [2.0, 4.0, 1.0][sample], (t[k - 1], t[k], i[k])
    assert r.summary["discharge_capacity_Ah"] == pytest.approx((2 + 4 + 1) / 3600)


def test_drive_cycle_until_a_cutoff_repeats(model):
    csv = "time_s,c_rate\n" + "".join(f"{t},1\n" for t in range(10))
    with lithos.Experiment.from_drive_cycle(csv, until="3.9 V", name="flat") as e:
        r = model.simulate(e)
    # 1C constant: V = 4.2 − 1.2·t/7200·… reaches 3.9 V after about 720 s (72 passes)
    assert r.steps[0]["end_reason"] == "voltage_cutoff"
    assert abs(r["voltage_V"][-1] - 3.9) <= 1e-9
    assert 700 < r.summary["duration_s"] < 740
    with lithos.Experiment.from_drive_cycle(csv, repeat=3) as e:
        assert e.step_count == 3 and e.cycle_count == 3


def test_drive_cycle_from_file_and_builtin(tmp_path, model):
    with lithos.Experiment.from_drive_cycle(US06, scale=Q) as from_file:
        r1 = model.simulate(from_file)
    model.reset(1.0)
    path = tmp_path / "us06-copy.csv"
    path.write_text(open(US06).read())
    with lithos.Experiment.from_drive_cycle(path, scale=Q) as from_path:
        r2 = model.simulate(from_path)
    assert all(r1[k].tobytes() == r2[k].tobytes() for k in r1)
    model.reset(1.0)
    r3 = model.simulate("Run us06")   # built in, as C-rates: × the model capacity = the file × Q
    assert all(r1[k].tobytes() == r3[k].tobytes() for k in r1)
    assert r3.summary["duration_s"] == 600.0


def test_drive_cycle_errors():
    with lithos.Experiment("Run mine") as e:
        for name, csv, scale, error in [
            ("9bad", "time_s,current_A\n0,1\n1,2\n", 1.0, lithos.LithosInvalidArgumentError),
            ("mine", "time_s,current_A\n0,1\n1,2\n", float("nan"), lithos.LithosInvalidArgumentError),
            ("mine", "time_s,current_A\n0,1\n1,2\n", 0.0, lithos.LithosOutOfRangeError),
            ("mine", "time_s,current_A\n0,x\n", 1.0, lithos.LithosParseError),
            ("mine", "time_s,current_A\n1,1\n0,1\n", 1.0, lithos.LithosParseError),
        ]:
            with pytest.raises(error) as info:
                e.add_drive_cycle(name, csv, scale)
            assert info.value.message == _library.last_error_message()
        assert e.to_dict()["drive_cycles"] == [] or all(c["name"] != "9bad" for c in e.to_dict()["drive_cycles"])
        with lithos.Model(ecm=ECM) as m:
            before = m.save_state()
            with pytest.raises(lithos.LithosNotFoundError) as info:
                m.simulate(e)   # 'Run mine' has no cycle registered
            assert "mine" in info.value.message
            assert m.save_state() == before
    with pytest.raises(lithos.LithosNotFoundError):
        lithos.Experiment.from_drive_cycle("/nonexistent/cycle.csv")


# --- simulate errors --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,error,fragment", [
    (dict(dt=0.0), lithos.LithosOutOfRangeError, "dt"),
    (dict(dt=90000.0), lithos.LithosOutOfRangeError, "dt"),
    (dict(dt=float("nan")), lithos.LithosInvalidArgumentError, "dt"),
    (dict(ambient_K=25.0), lithos.LithosOutOfRangeError, "ambient"),
    (dict(ambient_K=float("inf")), lithos.LithosInvalidArgumentError, "ambient"),
])
def test_simulate_argument_errors_leave_the_model(model, kwargs, error, fragment):
    model.step(0.5, dt=11.0)
    before = model.save_state()
    with pytest.raises(error) as info:
        model.simulate("Discharge at 1C for 1 minute", **kwargs)
    assert fragment in info.value.message
    assert info.value.message == _library.last_error_message()
    assert model.save_state() == before


def test_unreachable_power_restores_the_model(model):
    model.step(0.5, dt=11.0)
    before = model.save_state()
    with pytest.raises(lithos.LithosOutOfRangeError) as info:
        model.simulate("Discharge at 1 A for 1 minute; Discharge at 100000 W for 1 minute")
    assert "line" in info.value.message or "step" in info.value.message
    assert model.save_state() == before


def test_simulate_type_errors(model):
    with pytest.raises(TypeError):
        model.simulate(42)
    with lithos.Experiment("Rest for 1 s") as e, pytest.raises(TypeError):
        e.run("not a model")
