"""Cell models through the Python package (lithos.Model): the explicit ECM against its closed
form, charge conservation, voltage/power steps, limits, run vs step bit-equality, snapshots,
parameters round trip, life cycle and every error path carrying the C message."""

import ctypes
import json
import math
import pathlib

import numpy as np
import pytest

import lithos
from lithos import _library
from lithos._errors import Status
from conftest import DEFAULT_CELL_PATH, struct_fields

T25 = 298.15
NAN = float("nan")
INF = float("inf")

# The hand-computable ECM: OCV linear 3.0 → 4.2 V, R0 = 10 mΩ, one RC (20 mΩ, 30 s), 2 A·h,
# thermal model off (the cell sits at ambient).
Q, R0, R1, TAU = 2.0, 0.01, 0.02, 30.0
ECM = {
    "capacity_Ah": Q, "soc_breakpoints": [0, 1], "ocv_V": [3.0, 4.2], "r0_ohm": R0,
    "rc_pairs": [{"r_ohm": R1, "tau_s": TAU}],
    "minimum_voltage_V": 3.2, "maximum_voltage_V": 4.3,
}


def ocv(z):
    return 3.0 + 1.2 * z


def explicit(soc=1.0, **kwargs):
    return lithos.Model(ecm=ECM, initial_soc=soc, **kwargs)


@pytest.fixture()
def model():
    with explicit() as m:
        yield m


@pytest.fixture()
def derived():
    with lithos.Model(DEFAULT_CELL_PATH) as m:
        yield m


# --- creation and facts ---------------------------------------------------------------------

def test_info_of_the_explicit_ecm(model):
    info = model.info
    assert list(info) == lithos.INFO_FIELDS
    assert info["kind"] == "ecm" and model.kind == "ecm"
    assert info["capacity_Ah"] == Q
    assert (info["minimum_voltage_V"], info["maximum_voltage_V"]) == (3.2, 4.3)
    assert (info["minimum_temperature_K"], info["maximum_temperature_K"]) == (243.15, 333.15)
    assert info["state_size"] == model.state_size == len(model.save_state())
    assert info["internal_count"] == len(model.internal_names) >= 1
    assert model.internal_names[0] == "rc1_voltage_V"
    assert len(set(model.internal_names)) == len(model.internal_names)
    info["capacity_Ah"] = 0  # a copy: the model's facts do not change
    assert model.info["capacity_Ah"] == Q


def test_info_struct_mirrors_header(header_text):
    assert ["struct_size"] + lithos.INFO_FIELDS == struct_fields(header_text, "lithos_model_info")
    out_fields = struct_fields(header_text, "lithos_model_output")
    step_fields = [f for f in lithos.StepResult.__dataclass_fields__ if f != "internals"]
    assert step_fields == [f for f in out_fields if f not in ("struct_size", "internal_count", "internals")]


def test_derived_model_from_every_kind_of_cell_source(default_cell, default_design):
    capacity = default_cell.metrics()["practical_capacity_Ah"]
    sources = [default_cell, default_design, json.dumps(default_design), DEFAULT_CELL_PATH,
               pathlib.Path(DEFAULT_CELL_PATH), json.dumps(default_design).encode()]
    outputs = []
    for source in sources:
        with lithos.Model(source) as m:
            assert m.info["capacity_Ah"] == pytest.approx(capacity, rel=1e-12)
            outputs.append(m.step(capacity, dt=5.0))
    assert all(o == outputs[0] for o in outputs)


def test_initial_state_and_output():
    with lithos.Model(ecm=ECM, initial_soc=0.25, initial_temperature_K=310.0) as m:
        o = m.output
        assert (o.time_s, o.current_A, o.soc, o.temperature_K) == (0.0, 0.0, 0.25, 310.0)
        assert o.voltage_V == pytest.approx(ocv(0.25), abs=1e-14)
        assert not o.limit_reached and o.limits == ()
        assert o.internals["rc1_voltage_V"] == 0.0


def test_options_dict_and_json_and_keyword_precedence():
    with lithos.Model(options={"ecm": ECM, "initial_soc": 0.4}) as m:
        assert m.output.soc == 0.4                                  # options' value kept
    with lithos.Model(options=json.dumps({"ecm": ECM, "initial_soc": 0.4}), initial_soc=0.7) as m:
        assert m.output.soc == 0.7                                  # an explicit keyword wins
    with lithos.Model(DEFAULT_CELL_PATH, options={"rc_pairs": 0, "thermal": {"enabled": False}}) as m:
        assert m.parameters()["rc_pairs"] == []
        assert m.step(0.1, dt=60, ambient_K=280.0).temperature_K == 280.0
    with lithos.Model(ecm=json.dumps(ECM)) as m:
        assert m.info["capacity_Ah"] == Q


# --- physics --------------------------------------------------------------------------------

@pytest.mark.parametrize("dts", [[1.0] * 5, [0.1, 7.5, 30.0, 100.0, 0.001, 250.0]])
def test_closed_form_voltage(model, dts):
    current, t = 1.0, 0.0
    for dt in dts:
        out = model.step(current, dt=dt)
        t += dt
        z = 1.0 - current * t / (3600.0 * Q)
        v_rc = R1 * current * (1.0 - math.exp(-t / TAU))
        assert out.voltage_V == pytest.approx(ocv(z) - R0 * current - v_rc, abs=1e-9)
        assert out.soc == pytest.approx(z, abs=1e-12)
        assert out.time_s == pytest.approx(t, rel=1e-15)
        assert out.current_A == current and out.power_W == out.voltage_V * current
        assert out.temperature_K == T25
        assert out.internals["rc1_voltage_V"] == pytest.approx(v_rc, abs=1e-12)
        assert out.internals["series_resistance_ohm"] == pytest.approx(R0, abs=1e-15)
        assert out.discharged_charge_Ah == pytest.approx(current * t / 3600.0, abs=1e-12)
        assert not out.limit_reached
    assert model.output == out


@pytest.mark.parametrize("efficiency", [1.0, 0.95])
def test_charge_conservation(efficiency):
    rng = np.random.default_rng(7)
    currents = (rng.random(500) - 0.5) * 4.0
    dts = 0.05 + 5.0 * rng.random(500)
    with lithos.Model(ecm=dict(ECM, charge_efficiency=efficiency), initial_soc=0.5) as m:
        m.run(current=currents, dt=dts)
        out = m.output
    discharged = currents[currents > 0] @ dts[currents > 0] / 3600.0
    charged = -currents[currents < 0] @ dts[currents < 0] / 3600.0
    assert out.discharged_charge_Ah == pytest.approx(discharged - charged, abs=1e-10)
    assert (0.5 - out.soc) * Q == pytest.approx(discharged - efficiency * charged, abs=1e-10)


@pytest.mark.parametrize("target", [3.5, 3.9, 4.1, 4.25])
@pytest.mark.parametrize("dt", [0.1, 1.0, 10.0])
def test_voltage_step_lands_on_the_voltage(target, dt):
    with explicit(0.8) as m:
        out = m.step(voltage=target, dt=dt)
    r_eff = 1.2 * dt / (3600.0 * Q) + R0 + R1 * (1.0 - math.exp(-dt / TAU))
    assert out.voltage_V == pytest.approx(target, abs=1e-9)
    assert out.current_A == pytest.approx((ocv(0.8) - target) / r_eff, abs=1e-9)


@pytest.mark.parametrize("power", [5.0, 20.0, -5.0, -20.0])
def test_power_step_gives_v_times_i(power):
    with explicit(0.8) as m:
        out = m.step(power=power, dt=1.0)
    assert out.voltage_V * out.current_A == pytest.approx(power, rel=1e-9)
    assert out.power_W == out.voltage_V * out.current_A
    assert (out.current_A > 0) == (power > 0)


def test_limits_are_reported_not_raised(model):
    out = None
    for _ in range(10000):
        out = model.step(Q, dt=10.0)   # 1C
        if out.limit_reached:
            break
    assert out.limit_flags == lithos.model.LIMIT_VOLTAGE_LOW
    assert out.limits == ("voltage_low",)
    assert out.voltage_V < 3.2 and 0.1 < out.soc < 0.3
    model.reset(0.99)
    out = model.step(-2 * Q, dt=60.0)
    assert set(out.limits) == {"voltage_high", "soc_high"}
    model.reset(0.5)
    assert model.step(0.0, ambient_K=340.0).limits == ("temperature_high",)
    assert model.step(0.0, ambient_K=230.0).limits == ("temperature_low",)
    assert lithos.limit_names(0b111111) == tuple(lithos.LIMIT_NAMES.values())


def test_derived_model_discharges_and_heats(derived):
    info = derived.info
    trace = derived.run(current=np.full(4000, info["capacity_Ah"]), dt=1.0)
    below = np.nonzero((trace["voltage_V"] < info["minimum_voltage_V"]) | (trace["soc"] < 0))[0]
    end = below[0] if below.size else len(trace["soc"]) - 1
    delivered = info["capacity_Ah"] * (1.0 - trace["soc"][end])
    assert 0.8 * info["capacity_Ah"] < delivered <= 1.001 * info["capacity_Ah"]
    assert trace.limit_reached
    assert np.all(trace["temperature_K"][:end + 1] > T25)   # discharge heats the cell above ambient


# --- run ------------------------------------------------------------------------------------

def _steps_one_by_one(m, mode, values, dts, ambient_K=T25):
    rows = []
    for value, dt in zip(values, dts):
        out = m.step(**{mode: float(value)}, dt=float(dt), ambient_K=ambient_K)
        rows.append((out.time_s, out.voltage_V, out.current_A, out.soc, out.temperature_K))
    return {name: np.array(column) for name, column in zip(lithos.RUN_FIELDS, zip(*rows))}


@pytest.mark.parametrize("mode", ["current", "power", "voltage"])
@pytest.mark.parametrize("per_step_dt", [True, False])
def test_run_equals_steps_bit_for_bit(mode, per_step_dt):
    rng = np.random.default_rng(11)
    n = 300
    values = {"current": (rng.random(n) - 0.45) * 0.6, "power": (rng.random(n) - 0.5) * 2.0,
              "voltage": 3.7 + 0.25 * rng.random(n)}[mode]
    dts = 0.01 + 2.0 * rng.random(n) if per_step_dt else 0.75
    with lithos.Model(DEFAULT_CELL_PATH) as a, lithos.Model(DEFAULT_CELL_PATH) as b:
        a.step(0.05, dt=3.0)
        b.step(0.05, dt=3.0)
        ran = a.run(**{mode: values}, dt=dts, ambient_K=290.0)
        stepped = _steps_one_by_one(b, mode, values, np.broadcast_to(dts, (n,)), ambient_K=290.0)
        assert list(ran) == list(lithos.RUN_FIELDS)
        for name in lithos.RUN_FIELDS:
            assert ran[name].dtype == np.float64 and ran[name].shape == (n,)
            assert ran[name].tobytes() == stepped[name].tobytes(), name
        assert a.save_state() == b.save_state()
        assert a.output == b.output
        assert a.output.time_s == ran["time_s"][-1]


def test_run_accepts_sequences_scalars_and_empty(model):
    out = model.run(current=[1.0, 1.0, 0.5], dt=2.0)
    assert out["time_s"].tolist() == [2.0, 4.0, 6.0]
    out = model.run(current=0.5, dt=[1.0, 2.0])   # a scalar repeated over the dt array
    assert out["current_A"].tolist() == [0.5, 0.5] and out["time_s"].tolist() == [7.0, 9.0]
    empty = model.run(current=[], dt=1.0)
    assert all(v.shape == (0,) for v in empty.values()) and not empty.limit_reached
    assert model.output.time_s == 9.0


def test_run_is_all_or_nothing(model):
    model.step(1.0, dt=17.0)
    before, output = model.save_state(), model.output
    values = np.ones(100)
    values[37] = NAN
    with pytest.raises(lithos.LithosInvalidArgumentError) as info:
        model.run(current=values, dt=1.0)
    assert info.value.failed_step == 37
    assert "37" in info.value.message
    assert info.value.message == _library.last_error_message()
    assert model.save_state() == before and model.output == output
    dts = np.ones(100)
    dts[5] = 0.0
    with pytest.raises(lithos.LithosOutOfRangeError) as info:
        model.run(current=np.ones(100), dt=dts)
    assert info.value.failed_step == 5
    assert model.save_state() == before


def test_run_argument_errors(model):
    with pytest.raises(TypeError):
        model.run(dt=1.0)
    with pytest.raises(TypeError):
        model.run(current=[1.0], voltage=[3.7])
    with pytest.raises(ValueError):
        model.run(current=[1.0, 2.0], dt=[1.0])
    with pytest.raises(ValueError):
        model.run(current=[[1.0]], dt=1.0)
    with pytest.raises(lithos.LithosOutOfRangeError) as info:
        model.run(current=[1.0], dt=0.0)
    assert "fixed_dt_s" in info.value.message
    with pytest.raises(lithos.LithosOutOfRangeError):
        model.run(current=[1.0], dt=1.0, ambient_K=25.0)


def test_deterministic_two_models_same_bits():
    rng = np.random.default_rng(20240601)
    currents = (rng.random(2000) - 0.45) * 0.9
    dts = 0.001 + 5.0 * rng.random(2000)
    with lithos.Model(DEFAULT_CELL_PATH) as a, lithos.Model(DEFAULT_CELL_PATH) as b:
        ra, rb = a.run(current=currents, dt=dts), b.run(current=currents, dt=dts)
        assert all(ra[k].tobytes() == rb[k].tobytes() for k in ra)
        assert a.save_state() == b.save_state()


# --- reset and snapshots --------------------------------------------------------------------

def test_reset(model):
    model.step(1.5, dt=100.0)
    out = model.reset(0.5, 300.0)
    assert (out.time_s, out.soc, out.temperature_K, out.discharged_charge_Ah) == (0.0, 0.5, 300.0, 0.0)
    assert out.voltage_V == pytest.approx(3.6, abs=1e-14)
    with lithos.Model(ecm=ECM, initial_soc=0.5, initial_temperature_K=300.0) as fresh:
        assert fresh.save_state() == model.save_state()
    before = model.save_state()
    for soc, temperature, error in [(1.5, T25, lithos.LithosOutOfRangeError),
                                    (NAN, T25, lithos.LithosInvalidArgumentError),
                                    (0.5, 25.0, lithos.LithosOutOfRangeError),
                                    (0.5, INF, lithos.LithosInvalidArgumentError)]:
        with pytest.raises(error):
            model.reset(soc, temperature)
    assert model.save_state() == before


def test_save_step_load_step_is_bit_identical(derived):
    derived.step(0.1, dt=30.0)
    state = derived.save_state()
    assert isinstance(state, bytes) and state[:8] == b"LITHOSST"
    profile = np.linspace(-0.2, 0.3, 50)
    first = derived.run(current=profile, dt=0.7)
    derived.load_state(state)
    second = derived.run(current=profile, dt=0.7)
    assert all(first[k].tobytes() == second[k].tobytes() for k in first)
    with lithos.Model(DEFAULT_CELL_PATH) as twin:   # identical parameters accept it too
        twin.load_state(bytearray(state))
        third = twin.run(current=profile, dt=0.7)
        assert all(first[k].tobytes() == third[k].tobytes() for k in first)
    derived.load_state(memoryview(state))


def test_bad_snapshots_are_rejected_and_change_nothing(model, derived):
    model.step(1.0, dt=45.0)
    good = model.save_state()
    model.step(-1.0, dt=5.0)
    before = model.save_state()
    other = lithos.Model(ecm=dict(ECM, r0_ohm=0.0100001))
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x10
    bad = {
        "truncated": good[:-1],
        "empty": b"",
        "bit-flipped": bytes(flipped),
        "other parameters": other.save_state(),
        "derived model": derived.save_state(),
        "garbage": np.random.default_rng(5).bytes(len(good)),
        "zeros": bytes(len(good)),
    }
    for what, blob in bad.items():
        with pytest.raises(lithos.LithosInvalidArgumentError) as info:
            model.load_state(blob)
        assert info.value.message == _library.last_error_message(), what
        assert model.save_state() == before, what
    with pytest.raises(TypeError):
        model.load_state("not bytes")
    other.close()


# --- parameters -----------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["explicit", "derived", "hysteresis"])
def test_parameters_round_trip(which):
    if which == "explicit":
        original = explicit()
    elif which == "derived":
        original = lithos.Model(DEFAULT_CELL_PATH)
    else:
        original = lithos.Model(ecm=dict(ECM, charge_efficiency=0.97,
                                         hysteresis={"magnitude_V": 0.02, "instantaneous_V": 0.005, "rate": 40},
                                         thermal={"enabled": True, "heat_capacity_J_per_K": 40,
                                                  "heat_transfer_W_per_K": 0.1}))
    with original:
        parameters = original.parameters()
        assert parameters["capacity_Ah"] == original.info["capacity_Ah"]
        assert json.loads(original.parameters_json()) == parameters
        with lithos.Model(ecm=parameters) as copy_:
            assert copy_.parameters() == parameters
            assert copy_.info == original.info
            copy_.load_state(original.save_state())
            rng = np.random.default_rng(3)
            currents = (rng.random(200) - 0.45) * 0.4
            a = original.run(current=currents, dt=1.3, ambient_K=285.0)
            b = copy_.run(current=currents, dt=1.3, ambient_K=285.0)
            assert all(a[k].tobytes() == b[k].tobytes() for k in a)


# --- errors ---------------------------------------------------------------------------------

STEP_ERRORS = [
    ("NaN current", dict(current=NAN), lithos.LithosInvalidArgumentError, "nan"),
    ("infinite power", dict(power=INF), lithos.LithosInvalidArgumentError, "inf"),
    ("NaN dt", dict(current=1.0, dt=NAN), lithos.LithosInvalidArgumentError, "dt_s"),
    ("NaN ambient", dict(current=1.0, ambient_K=NAN), lithos.LithosInvalidArgumentError, "ambient_K"),
    ("dt 0", dict(current=1.0, dt=0.0), lithos.LithosOutOfRangeError, "dt_s"),
    ("dt negative", dict(current=1.0, dt=-1.0), lithos.LithosOutOfRangeError, "dt_s"),
    ("dt over a day", dict(current=1.0, dt=86400.5), lithos.LithosOutOfRangeError, "86400"),
    ("ambient 25 (°C by mistake)", dict(current=1.0, ambient_K=25.0), lithos.LithosOutOfRangeError, "ambient_K"),
    ("voltage 0", dict(voltage=0.0), lithos.LithosOutOfRangeError, "voltage"),
    ("voltage 12 V", dict(voltage=12.0), lithos.LithosOutOfRangeError, "voltage"),
    ("unreachable voltage", dict(voltage=9.5), lithos.LithosOutOfRangeError, "current"),
    ("unreachable power", dict(power=1e5), lithos.LithosOutOfRangeError, "W"),
    ("unreachable charge power", dict(power=-1e6), lithos.LithosOutOfRangeError, None),
]


@pytest.mark.parametrize("what,kwargs,error,fragment", STEP_ERRORS, ids=[c[0] for c in STEP_ERRORS])
def test_step_errors_carry_the_c_message_and_change_nothing(model, what, kwargs, error, fragment):
    model.step(0.3, dt=13.0)
    before, output = model.save_state(), model.output
    kwargs = dict(kwargs)
    current = kwargs.pop("current", None)
    with pytest.raises(error) as info:
        model.step(current, **kwargs)
    e = info.value
    assert type(e) is error
    assert e.message == _library.last_error_message()
    assert e.message.startswith("lithos_model_step")
    if fragment:
        assert fragment.lower() in e.message.lower()
    assert model.save_state() == before and model.output == output


def test_unknown_mode_through_the_c_call(model):
    out = _library.lithos_model_output()
    status = _library.lib().lithos_model_step(model._handle, 7, 1.0, 1.0, T25, ctypes.byref(out))
    assert status == Status.INVALID_ARGUMENT
    assert "mode" in _library.last_error_message()


def test_step_argument_errors(model):
    with pytest.raises(TypeError):
        model.step()
    with pytest.raises(TypeError):
        model.step(1.0, power=2.0)
    with pytest.raises(TypeError):
        model.step("one amp")


CREATE_ERRORS = [
    ("no design and no ECM", dict(), (lithos.LithosConfigError, lithos.LithosNullArgumentError), "ecm"),
    ("kind spm", dict(cell=DEFAULT_CELL_PATH, kind="spm"), (lithos.LithosConfigError, lithos.LithosNotSupportedError), "kind"),
    ("unknown option", dict(cell=DEFAULT_CELL_PATH, options={"colour": "red"}), (lithos.LithosConfigError,), "colour"),
    ("malformed options JSON", dict(cell=DEFAULT_CELL_PATH, options='{"kind": ecm}'), (lithos.LithosParseError,), "line"),
    ("initial SOC 1.5", dict(ecm=ECM, initial_soc=1.5), (lithos.LithosOutOfRangeError,), "initial_soc"),
    ("initial temperature 25", dict(ecm=ECM, initial_temperature_K=25.0), (lithos.LithosOutOfRangeError,), "initial_temperature_K"),
    ("ECM without capacity", dict(ecm={k: v for k, v in ECM.items() if k != "capacity_Ah"}), (lithos.LithosConfigError,), "capacity_Ah"),
    ("negative R0", dict(ecm=dict(ECM, r0_ohm=-0.01)), (lithos.LithosConfigError,), "R0"),
    ("malformed design", dict(cell='{"area_cm2": }'), (lithos.LithosParseError,), "line"),
    ("missing design file", dict(cell="/nonexistent/cell.json"), (lithos.LithosNotFoundError,), "nonexistent"),
]


@pytest.mark.parametrize("what,kwargs,errors,fragment", CREATE_ERRORS, ids=[c[0] for c in CREATE_ERRORS])
def test_create_errors(what, kwargs, errors, fragment):
    with pytest.raises(errors) as info:
        lithos.Model(**kwargs)
    assert fragment.lower() in info.value.message.lower()
    if not isinstance(info.value, lithos.LithosNotFoundError) or "file" not in info.value.message:
        assert info.value.message == _library.last_error_message()


def test_create_type_errors():
    with pytest.raises(TypeError):
        lithos.Model(42)
    with pytest.raises(TypeError):
        lithos.Model(ecm=ECM, options=[1, 2])
    with pytest.raises(lithos.LithosInvalidArgumentError):
        lithos.Model(ecm=ECM, initial_soc=NAN)


# --- life cycle -----------------------------------------------------------------------------

def test_close_and_context_manager():
    m = explicit()
    assert not m.closed and "ecm" in repr(m)
    with m:
        m.step(1.0)
    assert m.closed and repr(m) == "<Model (closed)>"
    m.close()   # idempotent
    for call in (lambda: m.step(1.0), lambda: m.run(current=[1.0]), lambda: m.output,
                 lambda: m.save_state(), lambda: m.load_state(b""), lambda: m.reset(0.5),
                 lambda: m.info, lambda: m.parameters()):
        with pytest.raises(lithos.LithosNullArgumentError) as info:
            call()
        assert "closed" in info.value.message


def test_step_result_helpers(model):
    out = model.step(1.0, dt=2.0)
    d = out.to_dict()
    assert d["voltage_V"] == out.voltage_V and d["internals"] == out.internals
    d["internals"]["rc1_voltage_V"] = 99.0
    assert out.internals["rc1_voltage_V"] != 99.0
    with pytest.raises(Exception):
        out.voltage_V = 0.0   # frozen
