#!/usr/bin/env python3
"""Lithos' solid-state physics models against PyBaMM on the same 1C discharges, same machine.

Cases (validation/pybamm/generate_ssb_reference.py makes the JSON and the reference CSVs):
  ssb-spm  PyBaMM SPM on Chen2020, 1C = 5 A from the initial state to 2.5 V (≈ 3568 steps)
  ssb-p2d  PyBaMM DFN {"working electrode": "positive"}: NMC811 | Li6PS5Cl | Li half cell,
           1C = 4.349 mA (1 cm²) to 3.35 V (≈ 3085 steps)
The current profile is the reference CSV's: 1 s steps, the last one shorter (to the cut-off).

Timed (PyBaMM on the mesh of the case's JSON "mesh" block, so both codes solve the same number
of unknowns: particle_shells radial points per particle, cathode_nodes x points in the cathode):
  PyBaMM  step      Simulation.step(dt) per sample, current as an input parameter, the solution
                    not accumulated (save=False) and only "Voltage [V]" post-processed (IDAKLU
                    output_variables): the fastest PyBaMM stepping path we know
  PyBaMM  solve     the whole discharge as one Simulation.solve() (warm: model already built),
                    output every second
  Lithos  step      lithos_model_step per sample through ctypes (includes ctypes call overhead)
  Lithos  run       lithos_model_run over the whole array of samples, one ctypes call
PyBaMM uses its default IDAKLU tolerances and default i0 regularisation here (what a user gets);
the accuracy of each against the tight-tolerance, mesh-converged reference CSV is printed next to
its speed (it is dominated by the mesh: see validation/pybamm/README.md).

The Lithos part needs the "ssb-spm"/"ssb-p2d" model kinds; when lithos_model_create refuses a
case (e.g. a library built before they existed) that case's Lithos lines are skipped with the
library's error message, and the PyBaMM timings are still printed.

Usage: benchmarks/pybamm_ssb_benchmark.py [path/to/liblithos.so] [spm|p2d ...]
       (default library build-bench/liblithos.so; default cases: both)
Needs PyBaMM: runs itself inside .tools/pybamm-venv, created by the reference generator.
"""
import ctypes
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VALIDATION = os.path.join(ROOT, "validation", "pybamm")
sys.path.insert(0, VALIDATION)
import generate_ssb_reference as reference  # noqa: E402  (pins the PyBaMM version, builds the venv)

CASES = {
    "spm": ("ssb-spm", "ssb_spm_chen2020.json", "ssb_spm_chen2020_1C_reference.csv"),
    "p2d": ("ssb-p2d", "ssb_p2d_nmc811_lpscl_li.json", "ssb_p2d_nmc811_lpscl_li_1C_reference.csv"),
}


# ---- Lithos through ctypes ---------------------------------------------------------------

class ModelOutput(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t)] + [
        (name, ctypes.c_double) for name in (
            "time_s", "current_A", "voltage_V", "power_W", "open_circuit_voltage_V", "soc",
            "temperature_K", "heat_generation_W", "discharged_charge_Ah", "discharged_energy_Wh")
    ] + [("limit_flags", ctypes.c_uint), ("internal_count", ctypes.c_uint),
         ("internals", ctypes.c_double * 16)]


def load_lithos(path):
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        print(f"Lithos: cannot load {path} ({e}); only PyBaMM is timed\n")
        return None
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
        raise RuntimeError(f"{what}: status {status}: {lib.lithos_last_error_message().decode()}")


def lithos_model(lib, options_json):
    """A Lithos model from the case's JSON (model options with explicit "ssb" parameters), or
    None with the library's message when it refuses (kind not implemented in this build)."""
    model = ctypes.c_void_p()
    status = lib.lithos_model_create(None, options_json.encode(), ctypes.byref(model))
    if status != 0:
        return None, f"status {status}: {lib.lithos_last_error_message().decode()}"
    return model, None


def time_lithos(lib, model, soc, T, currents, dts, reps_step, reps_run):
    n = len(currents)
    cur = (ctypes.c_double * n)(*currents)
    dt_arr = (ctypes.c_double * n)(*dts)
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
            status = step(model, 0, currents[k], dts[k], T, pout)
            if status and status != 100:
                check(lib, status, "lithos_model_step")
            v_step[k] = out.voltage_V
        return time.perf_counter() - t0

    def batch():
        check(lib, lib.lithos_model_reset(model, soc, T), "reset")
        t0 = time.perf_counter()
        status = lib.lithos_model_run(model, 0, cur, dt_arr, 0.0, n, T, volts, None, None, None, ctypes.byref(steps))
        elapsed = time.perf_counter() - t0
        check(lib, status, "lithos_model_run")
        return elapsed

    per_step(); batch()                                    # warm-up
    t_step = statistics.median(per_step() for _ in range(reps_step)) / n
    t_run = statistics.median(batch() for _ in range(reps_run)) / n
    return t_step, t_run, v_step, list(volts)


# ---- PyBaMM --------------------------------------------------------------------------------

def pybamm_setup(pybamm, case, doc):
    """(model factory, parameter values, var_pts) of a case on the mesh of its JSON."""
    mesh = doc.get("mesh", {})
    shells = int(mesh.get("particle_shells", 20))
    if case == "spm":
        return (lambda: reference.spm_model(pybamm), reference.spm_parameter_values(pybamm),
                reference.spm_var_pts({"r": shells}))
    nodes = int(mesh.get("cathode_nodes", 20))
    return (lambda: reference.p2d_model(pybamm), reference.p2d_parameter_values(pybamm),
            reference.p2d_var_pts({"x_s": 20, "x_p": nodes, "r": shells}))


def time_pybamm(pybamm, case, doc, currents, dts, reps):
    make_model, pv0, var_pts = pybamm_setup(pybamm, case, doc)

    def stepping():
        pv = pv0.copy()
        pv.update({"Current function [A]": "[input]"})
        sim = pybamm.Simulation(make_model(), parameter_values=pv, var_pts=var_pts,
                                solver=pybamm.IDAKLUSolver(output_variables=["Voltage [V]"]))
        volts = []
        sol = None
        elapsed = 0.0
        for k, (current, dt) in enumerate(zip(currents, dts)):
            t0 = time.perf_counter()
            sol = sim.step(dt, inputs={"Current function [A]": current}, save=False, starting_solution=sol)
            volts.append(float(sol["Voltage [V]"].data[-1]))
            if k > 0:                   # the first step builds and sets up the model: not timed
                elapsed += time.perf_counter() - t0
            if str(sol.termination).startswith("event"):
                break                   # PyBaMM met its cut-off (at its tolerances) before the reference
        return elapsed / max(len(volts) - 1, 1), volts

    t_step, v_step = stepping()             # one repetition: it takes seconds

    # The whole discharge, one solve; the current is constant (a 1C discharge).
    pv = pv0.copy()
    pv.update({"Current function [A]": currents[0]})
    t_end = sum(dts)
    grid = [0.0]
    for dt in dts:
        grid.append(grid[-1] + dt)
    sim = pybamm.Simulation(make_model(), parameter_values=pv, var_pts=var_pts, solver=pybamm.IDAKLUSolver())
    sim.solve(t_eval=[0.0, t_end + 60.0], t_interp=grid[:-1])          # build, discretise, warm up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        solution = sim.solve(t_eval=[0.0, t_end + 60.0], t_interp=grid[:-1])
        times.append(time.perf_counter() - t0)
    v_solve = [float(v) for v in solution["Voltage [V]"].entries[1:]]
    return t_step, statistics.median(times) / len(currents), v_step, v_solve


def rms_max(a, b):
    """Over the rows both have, excluding the last (the cut-off, where the grids differ)."""
    n = min(len(a), len(b)) - 1
    d = [a[k] - b[k] for k in range(n)]
    return (sum(x * x for x in d) / len(d)) ** 0.5, max(abs(x) for x in d)


def run_case(pybamm, lib, case):
    kind, json_name, csv_name = CASES[case]
    with open(os.path.join(VALIDATION, json_name)) as f:
        committed = json.loads(f.read())
    with open(os.path.join(VALIDATION, csv_name)) as f:
        rows = [tuple(map(float, line.split(","))) for line in list(f)[1:]]
    currents = [r[1] for r in rows[1:]]
    dts = [rows[k][0] - rows[k - 1][0] for k in range(1, len(rows))]
    v_ref = [r[2] for r in rows[1:]]
    T = reference.T_K
    soc0 = float(committed.get("initial_soc", 1.0))
    # Two meshes: the validation JSON's fine one (both codes solve the same number of unknowns)
    # and both codes' defaults (20 radial points; 20 cathode nodes), where Lithos' flux-aware
    # surface extrapolation is the more accurate of the two.
    default_mesh = {"particle_shells": 20, "cathode_nodes": 20}
    for label, mesh in (("validation mesh", committed.get("mesh", {})), ("default meshes", default_mesh)):
        doc = dict(committed, mesh=mesh)
        options_json = json.dumps(doc)
        print(f"== {kind}, {label}: {len(currents)} steps ({sum(dts):.1f} s), {currents[0]:g} A, {T} K, "
              f"mesh {json.dumps(mesh)} ({json_name})")

        lithos = None
        if lib is not None:
            model, error = lithos_model(lib, options_json)
            if model is None:
                print(f"   Lithos: lithos_model_create refused {kind!r} ({error}); Lithos part skipped")
            else:
                try:
                    lithos = time_lithos(lib, model, soc0, T, currents, dts, reps_step=3, reps_run=11)
                except RuntimeError as e:
                    print(f"   Lithos: {e}; Lithos part skipped")
                finally:
                    lib.lithos_model_destroy(model)
        p_step, p_solve, pv_step, pv_solve = time_pybamm(pybamm, case, doc, currents, dts, reps=3)

        def line(label, seconds, volts):
            rms, worst = rms_max(volts, v_ref)
            print(f"   {label:<46} {seconds * 1e9:>13,.0f} ns/step   vs reference: RMS {rms * 1e6:9.2f} µV, "
                  f"max {worst * 1e6:9.2f} µV")

        name = "SPM" if case == "spm" else "DFN half cell"
        line(f"PyBaMM {name}, Simulation.step per sample", p_step, pv_step)
        line(f"PyBaMM {name}, one solve", p_solve, pv_solve)
        if lithos is not None:
            l_step, l_run, lv_step, lv_run = lithos
            line("Lithos lithos_model_step per sample (ctypes)", l_step, lv_step)
            line("Lithos lithos_model_run, one call (ctypes)", l_run, lv_run)
            print(f"   ratios: PyBaMM step / Lithos step = {p_step / l_step:,.0f}×, "
                  f"PyBaMM solve / Lithos run = {p_solve / l_run:,.0f}×, "
                  f"PyBaMM step / Lithos run = {p_step / l_run:,.0f}×")
        print()


def main():
    reference.ensure_pybamm()
    import pybamm
    args = sys.argv[1:]
    library = os.path.join(ROOT, "build-bench", "liblithos.so")
    if args and args[0] not in CASES:
        library = args.pop(0)
    cases = args or list(CASES)
    lib = load_lithos(library)
    version = lib.lithos_version().decode() if lib is not None else "not loaded"
    print(f"Lithos {version} ({library}); PyBaMM {pybamm.__version__}\n")
    for case in cases:
        run_case(pybamm, lib, case)


if __name__ == "__main__":
    main()
