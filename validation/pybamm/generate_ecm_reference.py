#!/usr/bin/env python3
"""Reference data for the ECM: PyBaMM's Thevenin model on PyBaMM's ECM_Example parameters.

Writes, next to this script:
  ecm_example.json                      ECM_Example as Lithos ECM parameters (1 RC pair)
  ecm_example_pulse_reference.csv       PyBaMM Thevenin (1 RC), pulse profile, 25 °C
  ecm_example_2rc.json                  ECM_Example + a second, slow RC pair (2 RC pairs)
  ecm_example_2rc_pulse_reference.csv   PyBaMM Thevenin ("number of rc elements": 2), 10 °C

CSV columns: time_s,current_A,voltage_V,soc,temperature_K. Row k (k ≥ 1) holds the current
[A, discharge positive] held constant over (time_{k-1}, time_k] and the terminal voltage, SOC
and cell temperature at time_k, at the end of that interval. Row 0 is the initial rest state.

PyBaMM is needed only here: run `python3 validation/pybamm/generate_ecm_reference.py`; it
creates .tools/pybamm-venv with the pinned PyBaMM on first use and re-runs itself inside it.
The library and its tests never import PyBaMM; they read the committed outputs.

How the comparison is made exact (see README.md beside this script for the reasoning):
  * R0, R1, C1 of ECM_Example depend on temperature, SOC *and current* (|I|, +1 % per 100 A).
    Lithos' ECM elements are tables over SOC × T only, so the reference pins the current
    argument of those three functions to 0 A (PyBaMM's own trilinear interpolants, evaluated
    on their I = 0 A plane). Everything else is ECM_Example unchanged.
  * Isothermal: ECM_Example couples a two-node (cell + jig) lumped thermal model. Lithos'
    thermal model is one node and, for a single-column OCV table, adds the entropic term to
    the OCV, which PyBaMM's Thevenin does not. The reference therefore runs with a cell thermal
    mass of 1e30 J/K (cell temperature constant to ~1e-25 K) at initial = ambient temperature,
    and Lithos runs with its thermal model disabled (cell at ambient).
  * Tables are exported by evaluating PyBaMM's parameter functions at the grid nodes: SOC =
    the OCV table's own breakpoints within [0, 1] (every 0.01, a superset of the R/C SOC
    breakpoints), T = the R/C temperature breakpoints (−20…50 °C every 10 °C) plus 25 °C. Both
    codes interpolate linearly, so R0, R1 and OCV agree exactly at every SOC and at every T.
    PyBaMM interpolates C1 and forms τ1 = R1·C1; Lithos interpolates τ1. These agree at the
    nodes only, so the reference temperatures (25 °C, 10 °C) are nodes of the T grid.
  * Input is current, piecewise constant with breakpoints on the 1 s sample times (a PyBaMM
    Experiment, each step a separate solve), so Lithos' zero-order hold is exact.
"""
import csv
import json
import math
import os
import subprocess
import sys
import warnings

PYBAMM_VERSION = "26.10.1.1"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV = os.path.join(ROOT, ".tools", "pybamm-venv")

# Solver tolerances (IDAKLU, PyBaMM's default solver); a CasADi "safe" solve at the same
# tolerances is compared against it to bound the reference's own numerical error.
RTOL = 1e-10
ATOL = 1e-10
PERIOD_S = 1.0                     # sample spacing [s]
KELVIN = 273.15


def ensure_pybamm():
    """Re-executes this script inside .tools/pybamm-venv (created on first use)."""
    try:
        import pybamm  # noqa: F401
        if pybamm.__version__ == PYBAMM_VERSION:
            return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        sys.exit(f"pybamm=={PYBAMM_VERSION} is not importable in {VENV}")
    if not os.path.exists(python):
        print(f"creating {VENV} with pybamm=={PYBAMM_VERSION}", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           f"pybamm=={PYBAMM_VERSION}"])
    # Re-run the script that was started (this module is also imported by the benchmarks).
    os.execv(python, [python, os.path.abspath(sys.argv[0])] + sys.argv[1:])


# The pulse profile: (current [A], duration [s]); positive = discharge. Capacity 100 A·h, so
# 100 A = 1C. Starts at SOC 1 and ends near SOC 0.39; 5200 s in all.
PROFILE = [
    (0.0, 60),                       # rest at full charge
    (50.0, 900), (0.0, 300),         # 0.5C
    (100.0, 600), (0.0, 300),        # 1C
    (200.0, 180), (0.0, 300),        # 2C
    (300.0, 60), (0.0, 300),         # 3C
    (-100.0, 300), (0.0, 300),       # 1C charge
    (150.0, 10), (0.0, 40),          # HPPC-style 10 s discharge pulse
    (-75.0, 10), (0.0, 40),          # and 10 s charge pulse
    (100.0, 900), (0.0, 600),        # 1C, then a long rest
]

CASES = [
    # name, RC pairs, temperature [K]
    ("ecm_example", 1, 25.0 + KELVIN),
    ("ecm_example_2rc", 2, 10.0 + KELVIN),
]


def experiment_steps():
    steps = []
    for current, duration in PROFILE:
        if current > 0:
            steps.append(f"Discharge at {current:g} A for {duration} seconds")
        elif current < 0:
            steps.append(f"Charge at {-current:g} A for {duration} seconds")
        else:
            steps.append(f"Rest for {duration} seconds")
    return steps


def parameter_values(pybamm, rc_pairs, temperature_K, pin_current=True, isothermal=True):
    pv = pybamm.ParameterValues("ECM_Example")
    if pin_current:
        def pinned(f):
            return lambda T_cell, current, soc: f(T_cell, pybamm.Scalar(0.0), soc)
        pv.update({k: pinned(pv[k]) for k in ("R0 [Ohm]", "R1 [Ohm]", "C1 [F]")})
    if rc_pairs == 2:
        # A second, slow RC pair (firmware ECMs use two): R2 = R1/2, and C2 = 20·C1·(1.5 − SOC),
        # so τ2 = R2·C2 = 10·τ1·(1.5 − SOC) = 450 s at SOC 0 … 150 s at SOC 1 (τ1 = 30 s).
        r1, c1 = pv["R1 [Ohm]"], pv["C1 [F]"]
        pv.update({
            "R2 [Ohm]": lambda T_cell, current, soc: 0.5 * r1(T_cell, current, soc),
            "C2 [F]": lambda T_cell, current, soc: 20.0 * c1(T_cell, current, soc) * (1.5 - soc),
            "Element-2 initial overpotential [V]": 0.0,
        }, check_already_exists=False)
    pv.update({
        "Initial SoC": 1.0,
        "Initial temperature [K]": temperature_K,
        "Ambient temperature [K]": temperature_K,
    })
    if isothermal:
        pv.update({"Cell thermal mass [J/K]": 1e30})
    return pv


def make_model(pybamm, rc_pairs):
    model = pybamm.equivalent_circuit.Thevenin(options={"number of rc elements": rc_pairs})
    # The profile starts at SOC = 1 exactly, where PyBaMM's "Maximum SoC" termination event is
    # already zero; the profile discharges first and never returns above SOC 1.
    model.events = [e for e in model.events if e.name != "Maximum SoC"]
    return model


def evaluate(pybamm, expr):
    return float(expr.evaluate().item())


def export_parameters(pybamm, pv, rc_pairs, path):
    """ECM_Example (as modified by parameter_values) as Lithos ECM JSON on one SOC × T grid."""
    S = pybamm.Scalar
    ocv_fn = pv["Open-circuit voltage [V]"]
    soc_axis = [float(x) for x in ocv_fn(S(0.5)).x[0] if -1e-9 <= x <= 1 + 1e-9]
    # The pinned functions wrap the original interpolant; read its temperature axis from a
    # fresh ECM_Example.
    base = pybamm.ParameterValues("ECM_Example")
    r_temps_C = [float(t) for t in base["R0 [Ohm]"](S(25.0), S(0.0), S(0.5)).x[0]]
    temps_C = sorted(set(r_temps_C) | {t - KELVIN for _, _, t in CASES})
    temps_C = [round(t, 9) for t in temps_C]

    def table(f):
        return [[evaluate(pybamm, f(S(tc), S(0.0), S(z))) for z in soc_axis] for tc in temps_C]

    ocv_row = [evaluate(pybamm, ocv_fn(S(z))) for z in soc_axis]
    dudt_fn = pv["Entropic change [V/K]"]
    dudt = [[evaluate(pybamm, dudt_fn(S(v), S(tc))) for v in ocv_row] for tc in temps_C]
    pairs = []
    for j in range(1, rc_pairs + 1):
        r = table(pv[f"R{j} [Ohm]"])
        c = table(pv[f"C{j} [F]"])
        tau = [[ri * ci for ri, ci in zip(rr, cr)] for rr, cr in zip(r, c)]
        pairs.append({"r_ohm": r, "tau_s": tau})
    doc = {
        "capacity_Ah": float(pv["Cell capacity [A.h]"]),
        "charge_efficiency": 1.0,
        "soc_breakpoints": soc_axis,
        "temperature_breakpoints_K": [tc + KELVIN for tc in temps_C],
        # PyBaMM's Thevenin OCV has no temperature dependence: one identical row per
        # temperature (a 2-D table, so Lithos adds no entropic term to it).
        "ocv_V": [ocv_row for _ in temps_C],
        # dU/dT(OCV(SOC), T) of ECM_Example. Informational: with a 2-D OCV table Lithos uses
        # neither an entropic OCV shift nor reversible heat, and the comparison is isothermal.
        "entropic_coefficient_V_per_K": dudt,
        "r0_ohm": table(pv["R0 [Ohm]"]),
        "rc_pairs": pairs,
        "minimum_voltage_V": float(pv["Lower voltage cut-off [V]"]),
        "maximum_voltage_V": float(pv["Upper voltage cut-off [V]"]),
        "minimum_temperature_K": temps_C[0] + KELVIN,
        "maximum_temperature_K": temps_C[-1] + KELVIN,
    }
    write_json(doc, path)
    return doc


def write_json(doc, path):
    """JSON with one table row per line (floats as Python repr: shortest round-trip form)."""
    def fmt(v, indent):
        pad = "  " * indent
        if isinstance(v, dict):
            items = [f'{pad}  {json.dumps(k)}: {fmt(x, indent + 1)}' for k, x in v.items()]
            return "{\n" + ",\n".join(items) + f"\n{pad}}}"
        if isinstance(v, list) and v and isinstance(v[0], (list, dict)):
            return "[\n" + ",\n".join(f"{pad}  {fmt(x, indent + 1)}" for x in v) + f"\n{pad}]"
        return json.dumps(v)
    with open(path, "w") as f:
        f.write(fmt(doc, 0) + "\n")


def solve(pybamm, rc_pairs, temperature_K, solver, **kw):
    pv = parameter_values(pybamm, rc_pairs, temperature_K, **kw)
    model = make_model(pybamm, rc_pairs)
    experiment = pybamm.Experiment(experiment_steps(), period=f"{PERIOD_S:g} second")
    sim = pybamm.Simulation(model, parameter_values=pv, experiment=experiment, solver=solver)
    return sim.solve(), pv


def samples(solution):
    """(t, I, V, SOC, T) rows: the initial state, then the end of every sample interval. Each
    experiment step is its own sub-solution whose first point repeats the previous end time
    (with the new current); it is skipped, so each row's current is the one held over the
    interval that ends at that row's time."""
    rows = []
    for k, sub in enumerate(solution.sub_solutions):
        t = sub.t
        cols = [sub[name].entries for name in ("Current [A]", "Voltage [V]", "SoC", "Cell temperature [K]")]
        first = 0 if k == 0 else 1
        for i in range(first, len(t)):
            rows.append((float(t[i]),) + tuple(float(c[i]) for c in cols))
    rows[0] = (rows[0][0], 0.0) + rows[0][2:]
    total = sum(d for _, d in PROFILE)
    n = int(round(total / PERIOD_S))
    if len(rows) != n + 1 or abs(rows[-1][0] - total) > 1e-9:
        raise SystemExit(f"the profile did not run to the end ({len(rows)} rows, t_end = {rows[-1][0]} s); "
                         "a voltage or SOC limit stopped the experiment")
    for k, row in enumerate(rows):
        if abs(row[0] - k * PERIOD_S) > 1e-9:
            raise SystemExit(f"row {k}: time {row[0]} s is not on the {PERIOD_S} s sample grid")
    # The current of every row is the profile's: piecewise constant, breakpoints on samples.
    expected = [0.0]
    for current, duration in PROFILE:
        expected += [current] * int(round(duration / PERIOD_S))
    for k, (row, i) in enumerate(zip(rows, expected)):
        if abs(row[1] - i) > 1e-9:
            raise SystemExit(f"row {k}: current {row[1]} A, profile says {i} A")
    return rows


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["time_s", "current_A", "voltage_V", "soc", "temperature_K"])
        for t, i, v, z, T in rows:
            w.writerow([f"{t:.0f}" if PERIOD_S == int(PERIOD_S) else f"{t:.6f}", f"{i:g}",
                        f"{v:.10f}", f"{z:.12f}", f"{T:.6f}"])


def rms_max(a, b):
    d = [x - y for x, y in zip(a, b)]
    return math.sqrt(sum(x * x for x in d) / len(d)), max(abs(x) for x in d)


def main():
    ensure_pybamm()
    import pybamm
    print(f"PyBaMM {pybamm.__version__}; IDAKLU rtol = {RTOL:g}, atol = {ATOL:g}; sample period {PERIOD_S:g} s")
    for name, rc_pairs, temperature_K in CASES:
        pv = parameter_values(pybamm, rc_pairs, temperature_K)
        export_parameters(pybamm, pv, rc_pairs, os.path.join(HERE, f"{name}.json"))
        solution, _ = solve(pybamm, rc_pairs, temperature_K, pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL))
        rows = samples(solution)
        write_csv(rows, os.path.join(HERE, f"{name}_pulse_reference.csv"))
        volts = [r[2] for r in rows]
        temps = [r[4] for r in rows]
        print(f"{name}: {rc_pairs} RC, {temperature_K:.2f} K, {len(rows)} rows, "
              f"V {min(volts):.4f}…{max(volts):.4f} V, SOC {rows[-1][3]:.4f} at the end, "
              f"max |T − T_amb| = {max(abs(t - temperature_K) for t in temps):.2e} K")
        # The reference's own numerical error: an independent solver at the same tolerances.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # CasadiSolver is deprecated
            casadi = pybamm.CasadiSolver(mode="safe", rtol=RTOL, atol=ATOL)
        check, _ = solve(pybamm, rc_pairs, temperature_K, casadi)
        rms, worst = rms_max(volts, [r[2] for r in samples(check)])
        print(f"  IDAKLU vs CasADi (same tolerances): RMS {rms * 1e6:.4f} µV, max {worst * 1e6:.4f} µV")
        # What pinning the current argument to 0 A leaves out: ECM_Example as shipped.
        try:
            full, _ = solve(pybamm, rc_pairs, temperature_K, pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL),
                            pin_current=False)
            rms, worst = rms_max(volts, [r[2] for r in samples(full)])
            print(f"  current-dependent R0/R1/C1 (ECM_Example as shipped) vs pinned at 0 A: "
                  f"RMS {rms * 1e3:.3f} mV, max {worst * 1e3:.3f} mV")
        except SystemExit as e:
            print(f"  current-dependent run: {e}")
        # What the isothermal setting leaves out: ECM_Example's cell + jig thermal model.
        thermal, _ = solve(pybamm, rc_pairs, temperature_K, pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL),
                           isothermal=False)
        thermal_rows = samples(thermal)
        rms, worst = rms_max(volts, [r[2] for r in thermal_rows])
        print(f"  ECM_Example's cell + jig thermal model vs isothermal: RMS {rms * 1e3:.3f} mV, "
              f"max {worst * 1e3:.3f} mV (cell warms by up to "
              f"{max(r[4] for r in thermal_rows) - temperature_K:.3f} K)")


if __name__ == "__main__":
    main()
