"""lithos.Pack (lithos.h section 9): ctypes mirrors, stepping, batch runs, commands, snapshots,
errors, the example script and the CLI's simulate --pack."""

import ctypes
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import lithos
from lithos import _library
from conftest import REPO_ROOT, struct_fields

EXAMPLE_PACK = os.path.join(REPO_ROOT, "examples", "packs", "4s2p-ssb-spm.json")
ECM = {"capacity_Ah": 2.0, "soc_breakpoints": [0, 1], "ocv_V": [3.0, 4.2], "r0_ohm": 0.01,
       "minimum_voltage_V": 2.5, "maximum_voltage_V": 4.3,
       "thermal": {"enabled": False, "heat_capacity_J_per_K": 40, "heat_transfer_W_per_K": 0.5}}


def ecm_pack(series, parallel, **extra):
    config = {"series": series, "parallel": parallel, "initial_soc": 0.8, "model": {"kind": "ecm", "ecm": ECM}}
    config.update(extra)
    return lithos.Pack(config)


def test_pack_structs_mirror_header(header_text):
    for struct in (_library.lithos_pack_info, _library.lithos_pack_output):
        assert [n for n, _ in struct._fields_] == struct_fields(header_text, struct.__name__)
        assert struct().struct_size == ctypes.sizeof(struct)
    for name, code in lithos.PACK_QUANTITIES.items():
        out = ctypes.c_char_p()
        _library.check(_library.lib().lithos_pack_quantity_name(code, ctypes.byref(out)))
        assert out.value.decode() == name
    for name, code in lithos.PACK_FAULTS.items():
        assert re.search(r"LITHOS_PACK_FAULT_%s\s*=\s*%d" % (name.upper(), code), header_text)


def test_equal_split_and_series_voltage():
    with ecm_pack(1, 2, tab_resistance_ohm=0.001) as pack:
        out = pack.step(4.0, dt=1.0)
        assert np.allclose(pack.values("cell_current_A"), [2.0, 2.0], atol=1e-9)
        assert out.split_current_residual_A <= 1e-9
    with ecm_pack(3, 1, interconnect_resistance_ohm=0.0005, variation={"seed": 3, "initial_soc_std": 0.05}) as pack:
        out = pack.step(5.0, dt=2.0)
        v = pack.values("cell_voltage_V")
        assert out.voltage_V == pytest.approx(v.sum() - 5.0 * 3 * 0.0005, abs=1e-12)
        assert pack.info["series"] == 3 and pack.info["cell_count"] == 3 and pack.info["kind"] == "ecm"


def test_run_matches_steps_and_records():
    with ecm_pack(2, 2, variation={"seed": 1, "resistance_std_fraction": 0.1}) as a, \
            ecm_pack(2, 2, variation={"seed": 1, "resistance_std_fraction": 0.1}) as b:
        currents = np.where(np.arange(50) % 10 < 5, 3.0, -1.0)
        trace = a.run(currents, dt=1.0, record="cell_current_A")
        for k, i in enumerate(currents):
            out = b.step(i, dt=1.0)
            assert out.voltage_V == trace["voltage_V"][k]
        assert trace["cell_current_A"].shape == (50, 4)
        assert np.allclose(trace["cell_current_A"][:, 0] + trace["cell_current_A"][:, 1], currents, atol=1e-9)
        assert trace["time_s"][-1] == pytest.approx(50.0)
        assert a.save_state() == b.save_state()


def test_balancing_faults_and_measured_values():
    with ecm_pack(3, 1, bleed_resistance_ohm=20) as pack:
        pack.set_balancing([0, 1, 0])
        pack.step(0.0, dt=1.0)
        c = pack.cells()
        assert c["cell_current_A"][1] == pytest.approx(c["cell_voltage_V"][1] / 20, rel=1e-9)
        assert c["balancing_current_A"][0] == 0 and c["balancing_current_A"][2] == 0
        pack.inject_fault("voltage_sensor_offset", 0, 0.1)
        pack.inject_fault("temperature_sensor_stuck", 2, 250.0)
        c = pack.cells()
        assert c["measured_voltage_V"][0] == pytest.approx(c["group_voltage_V"][0] + 0.1)
        assert c["measured_temperature_K"][2] == 250.0
        assert set(pack.output.faults) == {"voltage_sensor_offset", "temperature_sensor_stuck"}
        pack.clear_fault("voltage_sensor_offset", 0)
        assert pack.output.faults == ("temperature_sensor_stuck",)
        pack.inject_fault("contactor_open")
        assert pack.step(10.0).current_A == 0.0
        pack.clear_faults()
        assert pack.output.faults == ()


def test_errors_leave_pack_unchanged():
    with ecm_pack(2, 2) as pack:
        pack.step(1.0)
        state = pack.save_state()
        with pytest.raises(lithos.LithosInvalidArgumentError):
            pack.step(float("nan"))
        with pytest.raises(lithos.LithosOutOfRangeError):
            pack.step(1.0, dt=0.0)
        with pytest.raises(lithos.LithosNotFoundError):
            pack.inject_fault("internal_short", 4, 1.0)
        with pytest.raises(lithos.LithosInvalidArgumentError):
            pack.inject_fault("no_such_fault", 0, 1.0)
        with pytest.raises(lithos.LithosOutOfRangeError):
            pack.set_balancing([1])
        with pytest.raises(lithos.LithosOutOfRangeError) as info:
            pack.run([1.0, 1.0, 1e9], dt=1.0)
        assert info.value.failed_step == 2
        with pytest.raises(lithos.LithosInvalidArgumentError):
            pack.load_state(state[:-1])
        assert pack.save_state() == state
    with pytest.raises(lithos.LithosConfigError):
        lithos.Pack({"series": 2})
    with pytest.raises(lithos.LithosParseError):
        lithos.Pack("{\"series\": ")


def test_example_pack_snapshot_and_config_round_trip():
    with lithos.Pack(EXAMPLE_PACK) as pack:
        info = pack.info
        assert (info["series"], info["parallel"], info["kind"]) == (4, 2, "ssb-spm")
        pack.run(np.full(60, info["capacity_Ah"]), dt=1.0)
        state = pack.save_state()
        first = pack.run(np.full(30, 0.5 * info["capacity_Ah"]), dt=1.0)
        with lithos.Pack(pack.config()) as twin:
            twin.load_state(state)
            second = twin.run(np.full(30, 0.5 * info["capacity_Ah"]), dt=1.0)
        assert np.array_equal(first["voltage_V"], second["voltage_V"])
        assert "4s2p" in repr(pack)
    assert "closed" in repr(pack)


def test_pack_example_script_runs(tmp_path):
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(lithos.__file__)))
    env["PYTHONPATH"] = package_parent + os.pathsep + env.get("PYTHONPATH", "")
    script = os.path.join(REPO_ROOT, "examples", "python", "pack_faults.py")
    result = subprocess.run([sys.executable, script], cwd=str(tmp_path), env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "4s2p of ssb-spm cells" in out
    residual = float(re.search(r"largest \|group sum - pack current\| ([\d.e+-]+) A", out).group(1))
    assert residual <= 1e-9
    merged = re.search(r"measured voltages \[V\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out)
    assert merged.group(2) == merged.group(3)


CLI = os.environ.get("LITHOS_CLI") or os.path.join(REPO_ROOT, ".build", "debug", "lithos")


@pytest.mark.skipif(not os.path.exists(CLI), reason="build the CLI with `swift build` or set LITHOS_CLI")
def test_cli_simulate_pack_matches_python(tmp_path):
    out_csv = tmp_path / "pack.csv"
    result = subprocess.run([CLI, "simulate", "--pack", EXAMPLE_PACK, "--c-rate", "1", "--dt", "5",
                             "--duration-s", "600", "--out", str(out_csv)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4s2p of ssb-spm cells" in result.stdout
    data = np.genfromtxt(out_csv, delimiter=",", names=True)
    assert len(data) == 121 and "cell7_soc" in data.dtype.names and "channel3_measured_voltage_V" in data.dtype.names
    with lithos.Pack(EXAMPLE_PACK) as pack:
        trace = pack.run(np.full(120, pack.info["capacity_Ah"]), dt=5.0)
    assert np.allclose(data["voltage_V"][1:], trace["voltage_V"], rtol=0, atol=1e-12)
    bad = subprocess.run([CLI, "simulate", "--pack", EXAMPLE_PACK], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "exactly one of" in bad.stderr
