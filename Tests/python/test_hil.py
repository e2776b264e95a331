"""The HIL emulator (`lithos emulate`) and the C BMS client (examples/hil/bms_client.c) together
on loopback, plus this test as a second client speaking the protocol (docs/hil.md) from Python.

The CLI is LITHOS_CLI (as in test_cli.py). The client binary is LITHOS_HIL_CLIENT, else
Tests/c/example_hil_client under LITHOS_BUILD_DIR, next to LITHOS_LIBRARY, or under ./build
(scripts/test's default build directory).
"""

import json
import math
import os
import socket
import struct
import subprocess
import time

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("LITHOS_CLI") or os.path.join(REPO_ROOT, ".build", "debug", "lithos")
PACK = os.path.join(REPO_ROOT, "examples", "packs", "4s2p-ssb-spm.json")
CELL = os.path.join(REPO_ROOT, "examples", "cells", "default.json")


def _client_path():
    if os.environ.get("LITHOS_HIL_CLIENT"):
        return os.environ["LITHOS_HIL_CLIENT"]
    roots = [os.environ.get("LITHOS_BUILD_DIR")]
    if os.environ.get("LITHOS_LIBRARY"):
        roots.append(os.path.dirname(os.path.abspath(os.environ["LITHOS_LIBRARY"])))
    roots.append(os.path.join(REPO_ROOT, "build"))
    for root in roots:
        if root:
            path = os.path.join(root, "Tests", "c", "example_hil_client")
            if os.path.exists(path):
                return path
    return None


CLIENT = _client_path()

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CLI) and "CI" not in os.environ, reason=f"lithos CLI not built ({CLI})"),
    pytest.mark.skipif(CLIENT is None and "CI" not in os.environ,
                       reason="example_hil_client not built (set LITHOS_HIL_CLIENT or LITHOS_BUILD_DIR)"),
]

# --- protocol v1 (examples/hil/lithos_hil_protocol.h) ------------------------------------------
MAGIC, VERSION = 0x4C49484C, 1
COMMAND, MEASUREMENT, FAULT, SNAPSHOT, STOP, REPLY = 1, 2, 3, 4, 5, 6
SIZES = {COMMAND: 160, MEASUREMENT: 1776, FAULT: 40, SNAPSHOT: 88, STOP: 16, REPLY: 96}
MEASUREMENT_FIELDS = struct.Struct("<dQddddIIIIIIQIIII")   # bytes 16 … 111


def header(kind, sequence):
    return struct.pack("<IHHII", MAGIC, VERSION, kind, sequence, SIZES[kind] - 16)


def command(sequence, current_A=0.0, balancing=None):
    flags = 1 if balancing is not None else 0
    mask = bytes(balancing or []) + bytes(128 - len(balancing or []))
    return header(COMMAND, sequence) + struct.pack("<dII", current_A, 0, flags) + mask


def fault(sequence, kind, index, value, action=1):
    return header(FAULT, sequence) + struct.pack("<IIIId", action, kind, index, 0, value)


def snapshot(sequence, action, slot=0, name=b""):
    return header(SNAPSHOT, sequence) + struct.pack("<II", action, slot) + name.ljust(64, b"\0")


def decode(datagram):
    magic, version, kind, sequence, payload = struct.unpack_from("<IHHII", datagram)
    assert (magic, version, payload + 16) == (MAGIC, VERSION, len(datagram)) and SIZES[kind] == len(datagram)
    if kind == REPLY:
        rtype, rseq, status, step = struct.unpack_from("<IIiI", datagram, 16)
        return {"type": REPLY, "request_type": rtype, "request_sequence": rseq, "status": status,
                "message": datagram[32:96].rstrip(b"\0").decode()}
    assert kind == MEASUREMENT
    names = ("time_s", "step", "pack_voltage_V", "pack_current_A", "measured_current_A", "balancing_current_A",
             "limit_flags", "active_faults", "status", "command_sequence", "channel_count", "cell_count",
             "missed_deadlines", "jitter_p50_us", "jitter_p99_us", "jitter_max_us", "rejected_datagrams")
    m = dict(zip(names, MEASUREMENT_FIELDS.unpack_from(datagram, 16)))
    m["type"] = MEASUREMENT
    m["voltage_V"] = struct.unpack_from("<%df" % m["channel_count"], datagram, 112)
    m["temperature_K"] = struct.unpack_from("<%df" % m["cell_count"], datagram, 624)
    m["balancing"] = datagram[1648:1648 + m["channel_count"]]
    return m


def receive(sock, want, timeout=2.0):
    """The next decoded datagram of type `want`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        d = decode(data)
        if d["type"] == want:
            return d
    raise AssertionError(f"no datagram of type {want} within {timeout} s")


def start_emulator(tmp_path, rate_hz, duration_s):
    process = subprocess.Popen(
        [CLI, "emulate", "--pack", PACK, "--rate-hz", str(rate_hz), "--listen", "127.0.0.1:0",
         "--duration-s", str(duration_s), "--snapshot-dir", str(tmp_path),
         "--summary-json", str(tmp_path / "summary.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(5):
        line = process.stdout.readline()
        if line.startswith("listening on "):
            return process, int(line.rsplit(":", 1)[1])
    process.kill()
    raise AssertionError("emulator did not report its port: " + process.stderr.read())


def test_emulator_refuses_a_non_loopback_address():
    run = subprocess.run([CLI, "emulate", "--pack", PACK, "--listen", "192.0.2.1:47000"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "loopback" in run.stderr


def test_bms_client_against_the_emulator(tmp_path):
    rate = 200
    emulator, port = start_emulator(tmp_path, rate, duration_s=8)
    try:
        # Datagrams the emulator must count and drop (the client sends 6 more of its own).
        junk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        bad = [b"", b"LHIL", b"\xff" * 2000, header(STOP, 1)[:12] + struct.pack("<I", 4),   # empty, short, long, wrong size field
               command(1, current_A=float("inf")), command(1, balancing=[2, 0, 0, 0]),
               command(1, balancing=[0] * 4 + [1]), header(MEASUREMENT, 1) + bytes(1760),    # value 2, channel 4 of 4, wrong direction
               fault(1, 42, 0, 1.0), snapshot(1, 1, name=b"../escape")]
        for datagram in bad:
            junk.sendto(datagram, ("127.0.0.1", port))
        junk.close()

        client = subprocess.run(
            [CLIENT, "--port", str(port), "--cell", CELL, "--duration-s", "3", "--c-rate", "0.5", "--pulse-s", "0.5",
             "--fault", "5:0:10", "--fault-at-s", "1", "--malformed", "6", "--json", str(tmp_path / "client.json")],
            capture_output=True, text=True, timeout=60)
        print(client.stdout)
        assert client.returncode == 0, client.stderr
        result = json.loads((tmp_path / "client.json").read_text())

        # This test as the next client: a voltage-sensor offset on channel 3 shows at once.
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(0.5)
        sock.connect(("127.0.0.1", port))
        sock.send(command(10, 0.0, balancing=[0, 0, 0, 0]))
        for _ in range(10):
            before = receive(sock, MEASUREMENT)
        sock.send(fault(11, 3, 3, 0.1))
        reply = receive(sock, REPLY)
        assert reply["status"] == 0 and reply["request_sequence"] == 11
        after = receive(sock, MEASUREMENT)
        assert after["active_faults"] & (1 << 3)
        assert after["voltage_V"][3] - before["voltage_V"][3] == pytest.approx(0.1, abs=2e-3)
        assert after["voltage_V"][2] == pytest.approx(before["voltage_V"][2], abs=2e-3)
        # An out-of-range fault is refused with the pack's status, the run goes on.
        sock.send(fault(12, 3, 99, 0.1))
        assert receive(sock, REPLY)["status"] != 0
        # Snapshots: memory slot and file, then a restore.
        sock.send(snapshot(13, 1, slot=2))
        assert receive(sock, REPLY)["status"] == 0
        sock.send(snapshot(14, 1, name=b"hil-state.bin"))
        assert receive(sock, REPLY)["status"] == 0
        sock.send(snapshot(15, 2, slot=2))
        assert receive(sock, REPLY)["status"] == 0
        sock.send(snapshot(16, 2, slot=5))                     # empty slot
        assert receive(sock, REPLY)["status"] != 0
        sock.send(header(STOP, 17))
        assert receive(sock, REPLY)["request_type"] == STOP
        sock.close()
        emulator.wait(timeout=30)
        output = emulator.stdout.read()
        print(output)
        assert emulator.returncode == 0, emulator.stderr.read()
    finally:
        if emulator.poll() is None:
            emulator.kill()
            emulator.wait()
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (tmp_path / "hil-state.bin").stat().st_size > 1000

    # The client got measurements at the emulator's rate and its estimates track the truth.
    assert result["measurements"] >= 0.8 * 3 * rate
    assert result["channels"] == 4 and result["parallel"] == 2
    for estimated, true in zip(result["soc"], summary["channel_soc"]):
        assert math.isfinite(estimated)
        assert abs(estimated - true) < 0.02, (result["soc"], summary["channel_soc"])
    # Balancing: the client closed bleed resistors and the emulator drew current through them.
    assert result["balancing_commands"] > 0
    assert result["max_balancing_current_A"] > 0.005       # ≈ 4 V / 330 Ω = 12 mA
    assert summary["maximum_balancing_current_A"] == pytest.approx(result["max_balancing_current_A"], rel=0.05)
    # The client's fault (temperature sensor of cell 0 + 10 K) was applied and shows.
    assert result["fault_replied"] and result["fault_seen"]
    assert result["fault_reading_after"] - result["fault_reading_before"] == pytest.approx(10, abs=0.5)
    # Malformed datagrams: every one counted and dropped, the emulator ran on.
    assert summary["rejected_datagrams"] == len(bad) + 6
    assert all(n > 0 for n in summary["rejected_by_reason"].values()), summary["rejected_by_reason"]
    assert summary["stopped_by"] == "STOP datagram"
    assert summary["snapshot_commands"] == 4 and summary["fault_commands"] == 3
    # One step per tick: model time is ticks × period less what the restore took back.
    assert summary["model_time_s"] <= summary["ticks"] / rate + 1e-9
    # Deadlines: at 200 Hz (5 ms period) none should be missed. The 2-core CI container runs
    # other builds next to this test, and SCHED_OTHER can stall a process by > 5 ms there, so
    # the bound is 1 % of the ticks (the figure is printed; docs/hil.md has measured values).
    print("missed deadlines:", summary["missed_deadlines"], "of", summary["ticks"], "ticks; lateness µs:", summary["lateness_us"])
    assert summary["missed_deadlines"] <= 0.01 * summary["ticks"]
