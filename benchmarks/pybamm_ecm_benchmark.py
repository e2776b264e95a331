#!/usr/bin/env python3
"""Lithos' ECM against PyBaMM's Thevenin model on the same profile, same parameters, same machine.

The profile is the validation pulse profile (validation/pybamm/generate_ecm_reference.py: 5200
samples of 1 s, 0.5C…3C pulses, a charge pulse, rests) on ECM_Example with two RC pairs at
10 °C, isothermal, current input — the case whose PyBaMM reference Lithos matches to ~10 µV.

Timed (median of several repetitions, each from the same initial state):
  PyBaMM  step      Simulation.step(1 s) per sample, current as an input parameter, the
                    solution not accumulated (save=False) and only "Voltage [V]" post-processed
                    (IDAKLU output_variables): the fastest PyBaMM stepping path we know
  PyBaMM  solve     the whole profile as one pybamm.Experiment, Simulation.solve() (warm: the
                    model is already built and discretised)
  Lithos  step      lithos_model_step per sample through ctypes (includes ctypes call overhead)
  Lithos  run       lithos_model_run over the 5200-sample array, one ctypes call
PyBaMM uses its default IDAKLU tolerances here (what a user gets); the accuracy of each against
the tight-tolerance reference CSV is printed next to its speed.

Usage: benchmarks/pybamm_ecm_benchmark.py [path/to/liblithos.so]   (default build-bench/)
Needs PyBaMM: runs itself inside .tools/pybamm-venv, created by the reference generator.
"""
import ctypes
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VALIDATION = os.path.join(ROOT, "validation", "pybamm")
sys.path.insert(0, VALIDATION)
import generate_ecm_reference as reference  # noqa: E402  (pins the PyBaMM version, builds the venv)

CASE = ("ecm_example_2rc", 2, 10.0 + reference.KELVIN)


# ---- Lithos through ctypes ---------------------------------------------------------------

class ModelOutput(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t)] + [
        (name, ctypes.c_double) for name in (
            "time_s", "current_A", "voltage_V", "power_W", "open_circuit_voltage_V", "soc",
            "temperature_K", "heat_generation_W", "discharged_charge_Ah", "discharged_energy_Wh")
    ] + [("limit_flags", ctypes.c_uint), ("internal_count", ctypes.c_uint),
         ("internals", ctypes.c_double * 16)]


def load_lithos(path):
    lib = ctypes.CDLL(path)
    P, D, S = ctypes.c_void_p, ctypes.c_double, ctypes.c_size_t
    DP = ctypes.POINTER(ctypes.c_double)
    lib.lithos_model_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(P)]
    lib.lithos_model_destroy.argtypes = [P]
    lib.lithos_model_reset.argtypes = [P, D, D]
    lib.lithos_model_step.argtypes = [P, ctypes.c_int, D, D, D, ctypes.POINTER(ModelOutput)]
    lib.lithos_model_run.argtypes = [P, ctypes.c_int, DP, DP, D, S, D, DP, DP, DP, DP, ctypes.POINTER(S)]
    lib.lithos_last_error_message.restype = ctypes.c_char_p
    lib.lithos_version.restype = ctypes.c_char_p
    return lib


def check(lib, status, what):
    if status not in (0, 100):        # LITHOS_OK, LITHOS_LIMIT_REACHED
        raise SystemExit(f"{what}: status {status}: {lib.lithos_last_error_message().decode()}")


def lithos_model(lib, ecm_json, soc, temperature_K):
    options = f'{{"kind": "ecm", "initial_soc": {soc!r}, "initial_temperature_K": {temperature_K!r}, "ecm": {ecm_json}}}'
    model = ctypes.c_void_p()
    check(lib, lib.lithos_model_create(None, options.encode(), ctypes.byref(model)), "lithos_model_create")
    return model


def time_lithos(lib, model, soc, T, currents, dt, reps_step, reps_run):
    n = len(currents)
    cur = (ctypes.c_double * n)(*currents)
    volts = (ctypes.c_double * n)()
    steps = ctypes.c_size_t()
    out = ModelOutput()
    out.struct_size = ctypes.sizeof(ModelOutput)
    step = lib.lithos_model_step
    pout = ctypes.byref(out)
    v_step = [0.0] * n

    def per_step():
        check(lib, lib.lithos_model_reset(model, soc, T), "reset")
        t0 = time.perf_counter()
        for k in range(n):
            status = step(model, 0, currents[k], dt, T, pout)
            if status and status != 100:
                check(lib, status, "lithos_model_step")
            v_step[k] = out.voltage_V
        return time.perf_counter() - t0

    def batch():
        check(lib, lib.lithos_model_reset(model, soc, T), "reset")
        t0 = time.perf_counter()
        status = lib.lithos_model_run(model, 0, cur, None, dt, n, T, volts, None, None, None, ctypes.byref(steps))
        elapsed = time.perf_counter() - t0
        check(lib, status, "lithos_model_run")
        return elapsed

    per_step(); batch()                                    # warm-up
    t_step = statistics.median(per_step() for _ in range(reps_step)) / n
    t_run = statistics.median(batch() for _ in range(reps_run)) / n
    return t_step, t_run, v_step, list(volts)


# ---- PyBaMM --------------------------------------------------------------------------------

def time_pybamm(pybamm, rc_pairs, T, currents, dt, reps):
    def stepping():
        pv = reference.parameter_values(pybamm, rc_pairs, T)
        pv.update({"Current function [A]": "[input]"})
        sim = pybamm.Simulation(reference.make_model(pybamm, rc_pairs), parameter_values=pv,
                                solver=pybamm.IDAKLUSolver(output_variables=["Voltage [V]"]))
        volts = []
        sol = None
        elapsed = 0.0
        for k, current in enumerate(currents):
            t0 = time.perf_counter()
            sol = sim.step(dt, inputs={"Current function [A]": current}, save=False, starting_solution=sol)
            volts.append(float(sol["Voltage [V]"].data[-1]))
            if k > 0:                   # the first step builds and sets up the model: not timed
                elapsed += time.perf_counter() - t0
        return elapsed / (len(currents) - 1), volts

    t_step, v_step = stepping()             # one repetition: it takes seconds

    sim = pybamm.Simulation(reference.make_model(pybamm, rc_pairs),
                            parameter_values=reference.parameter_values(pybamm, rc_pairs, T),
                            experiment=pybamm.Experiment(reference.experiment_steps(), period=f"{dt:g} second"),
                            solver=pybamm.IDAKLUSolver())
    sim.solve()                                             # build, discretise, warm up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        solution = sim.solve()
        times.append(time.perf_counter() - t0)
    v_solve = [row[2] for row in reference.samples(solution)][1:]
    return t_step, statistics.median(times) / len(currents), v_step, v_solve


def rms_max(a, b):
    d = [x - y for x, y in zip(a, b)]
    return (sum(x * x for x in d) / len(d)) ** 0.5, max(abs(x) for x in d)


def main():
    reference.ensure_pybamm()
    import pybamm
    library = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build-bench", "liblithos.so")
    lib = load_lithos(library)
    name, rc_pairs, T = CASE
    with open(os.path.join(VALIDATION, f"{name}_pulse_reference.csv")) as f:
        rows = [tuple(map(float, line.split(","))) for line in list(f)[1:]]
    currents = [r[1] for r in rows[1:]]
    v_ref = [r[2] for r in rows[1:]]
    dt = reference.PERIOD_S
    soc0 = rows[0][3]
    with open(os.path.join(VALIDATION, f"{name}.json")) as f:
        ecm_json = f.read()

    print(f"Lithos {lib.lithos_version().decode()} ({library}); PyBaMM {pybamm.__version__}")
    print(f"profile: {len(currents)} samples of {dt:g} s, ECM_Example + 2nd RC pair, {T:.2f} K, isothermal\n")
    model = lithos_model(lib, ecm_json, soc0, T)
    l_step, l_run, lv_step, lv_run = time_lithos(lib, model, soc0, T, currents, dt, reps_step=5, reps_run=51)
    lib.lithos_model_destroy(model)
    p_step, p_solve, pv_step, pv_solve = time_pybamm(pybamm, rc_pairs, T, currents, dt, reps=3)

    def line(label, seconds, volts):
        rms, worst = rms_max(volts, v_ref)
        print(f"{label:<46} {seconds * 1e9:>13,.0f} ns/step   vs reference: RMS {rms * 1e6:8.2f} µV, max {worst * 1e6:8.2f} µV")

    line("PyBaMM Thevenin, Simulation.step per sample", p_step, pv_step)
    line("PyBaMM Thevenin, Experiment solved in one go", p_solve, pv_solve)
    line("Lithos lithos_model_step per sample (ctypes)", l_step, lv_step)
    line("Lithos lithos_model_run, one call (ctypes)", l_run, lv_run)
    print(f"\nratios: PyBaMM step / Lithos step = {p_step / l_step:,.0f}×, "
          f"PyBaMM solve / Lithos run = {p_solve / l_run:,.0f}×, "
          f"PyBaMM step / Lithos run = {p_step / l_run:,.0f}×")


if __name__ == "__main__":
    main()
