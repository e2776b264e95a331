#!/usr/bin/env python3
"""Reference data for the solid-state physics models (SSB-SPM, SSB-P2D) from PyBaMM.

Writes, next to this script:
  ssb_spm_chen2020.json                         PyBaMM Chen2020 as explicit SSB-SPM parameters
  ssb_spm_chen2020_{0p5C,1C,2C}_reference.csv   PyBaMM SPM, constant-current discharges to 2.5 V
  ssb_p2d_nmc811_lpscl_li.json                  NMC811 | Li6PS5Cl | Li half cell, SSB-P2D parameters
  ssb_p2d_nmc811_lpscl_li_{1C,3C}_reference.csv PyBaMM DFN {"working electrode": "positive"},
                                                constant-current discharges to 3.35 V

CSV rows: row 0 is the initial rest (t = 0, current 0, open-circuit state). Row k ≥ 1 holds the
current [A, discharge positive] held constant over (time_{k-1}, time_k] and the state at time_k.
Rows are 1 s apart; the last row is the voltage cut-off (time with 9 decimals, voltage = cut-off).

PyBaMM is needed only here: run `python3 validation/pybamm/generate_ssb_reference.py`; it creates
.tools/pybamm-venv with the pinned PyBaMM on first use and re-runs itself inside it (≈ 2 min).
Deterministic for a given PyBaMM version. README.md beside this script lists every modelling
detail of PyBaMM a Lithos model must match, and the self-check figures this script prints.

What is set, in short (the README has the reasoning):
  * Isothermal 298.15 K (PyBaMM's default "isothermal" thermal option; ambient = initial
    = reference temperature, so Arrhenius factors are exactly 1 and no entropic term acts).
  * PyBaMM 26 regularises the square roots of its exchange-current densities (RegPower,
    x·(x² + δ²)^(-1/4) with δ = 1e-3 of the scale). The reference sets δ = 1e-10, i.e. the plain
    k·√(c_e·c_s·(c_max − c_s)) of docs/ssb-models.md; the effect of δ = 1e-3 is printed.
  * PyBaMM 26 adds an OCP barrier U_asymptotes(θ) (≈ 1 mV at θ = 0.001 or 0.999) to every
    intercalation OCP. It cannot be switched off; the cases are chosen so that every surface
    stoichiometry stays where it is < 1e-9 V (printed), which is why the half cell stops at 3.35 V.
  * Half cell: the Li metal's ohmic drop i·L/σ (PyBaMM adds it) is neutralised with σ = 1e12 S/m;
    the Li exchange current is a constant 10 A/m²; t+ = 1 keeps the SE concentration uniform.
"""
import contextlib
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

RTOL = 1e-10                       # IDAKLU tolerances of the reference
ATOL = 1e-10
PERIOD_S = 1.0                     # sample spacing [s]
T_K = 298.15                       # cell = ambient = reference temperature [K]
REG_POWER_DELTA = 1e-10            # PyBaMM's j0 square-root regularisation, effectively off

# Meshes. PyBaMM's finite volumes converge like h²; the particle's √t boundary layer in the
# first seconds needs far finer radial meshes than the usual 20–100 points.
SPM_REFERENCE_MESH = {"r": 3200}
SPM_CHECK_MESHES = [("finer-mesh check, r 1600", {"r": 1600}),
                    ("r 100 (the JSON's mesh)", {"r": 100}),
                    ("PyBaMM default mesh, r 20", {"r": 20})]
P2D_REFERENCE_MESH = {"x_s": 20, "x_p": 80, "r": 1600}
P2D_CHECK_MESHES = [("finer-mesh check, x_p 40, r 800", {"x_s": 20, "x_p": 40, "r": 800}),
                    ("x_p 40, r 100 (the JSON's mesh)", {"x_s": 20, "x_p": 40, "r": 100}),
                    ("PyBaMM default mesh, x 20, r 20", {"x_s": 20, "x_p": 20, "r": 20})]

# ---- SPM on Chen2020 ------------------------------------------------------------------------
SPM_NOMINAL_CAPACITY_AH = 5.0      # Chen2020 "Nominal cell capacity [A.h]"; 1C = 5 A
SPM_RATES = [("0p5C", 0.5), ("1C", 1.0), ("2C", 2.0)]
SPM_LIQUID_FREE = 1e9              # [S/m] electrolyte and electronic conductivity in the JSON

# ---- P2D half cell NMC811 | Li6PS5Cl | Li ---------------------------------------------------
P2D_AREA_M2 = 1e-4                 # 1 cm²: electrode height 0.01 m × width 0.01 m
P2D_SE_CONDUCTIVITY = 0.2          # [S/m] Li6PS5Cl at 25 °C
P2D_SE_DIFFUSIVITY = 1e-12         # [m²/s] arbitrary: with t+ = 1 nothing diffuses
P2D_SEPARATOR_THICKNESS = 30e-6
P2D_SEPARATOR_POROSITY = 1.0       # a dense SE layer: ε^b = 1 whatever b
P2D_POSITIVE_THICKNESS = 60e-6
P2D_ACTIVE_FRACTION = 0.60
P2D_POROSITY = 0.33                # SE volume fraction; 0.07 is inactive (binder, carbon)
P2D_BRUGGEMAN_SE = 1.5
P2D_BRUGGEMAN_SOLID = 1.5
P2D_SOLID_CONDUCTIVITY = 0.18      # [S/m] Chen2020's NMC811 value, before Bruggeman
P2D_LI_EXCHANGE_CURRENT = 10.0     # [A/m²] Li | Li6PS5Cl, constant
P2D_LI_CONDUCTIVITY = 1e12         # [S/m] neutralises PyBaMM's i·L/σ drop in the Li foil
P2D_LI_INVENTORY = 100.0           # [mol/m²] Lithos' Li reservoir (PyBaMM's is unlimited)
P2D_OCV_AT_0_SOC = 3.5             # [V] defines θ at full discharge (OCP fit: U(1) = 3.487 V)
P2D_MIN_VOLTAGE = 3.35             # [V] discharge cut-off
P2D_MAX_VOLTAGE = 4.3              # [V] (initial OCV 4.273 V)
P2D_RATES = [("1C", 1.0), ("3C", 3.0)]


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


@contextlib.contextmanager
def reg_power(pybamm, delta):
    """PyBaMM's square-root regularisation δ, read when a model's parameters are processed."""
    old = pybamm.settings.tolerances["reg_power"]
    pybamm.settings.tolerances["reg_power"] = delta
    try:
        yield
    finally:
        pybamm.settings.tolerances["reg_power"] = old


def value(pybamm, expr):
    return float(expr.evaluate().item()) if hasattr(expr, "evaluate") else float(expr)


def kinetics_of(pybamm, pv, domain, c_e):
    """(k, Ea) of a PyBaMM exchange-current function of the form k·exp(Ea/R·(1/298.15 − 1/T))·
    √(c_e·c_s·(c_max − c_s)), read off by evaluating it; verified at a second point."""
    S = pybamm.Scalar
    f = pv[f"{domain} electrode exchange-current density [A.m-2]"]
    c_max = float(pv[f"Maximum concentration in {domain.lower()} electrode [mol.m-3]"])

    def j0(ce, cs, T):
        return value(pybamm, f(S(ce), S(cs), S(c_max), S(T)))

    cs = 0.5 * c_max
    k = j0(c_e, cs, T_K) / math.sqrt(c_e * cs * (c_max - cs))
    k = float(f"{k:.12g}")
    ea = pybamm.constants.R.value * math.log(j0(c_e, cs, 318.15) / j0(c_e, cs, T_K)) / (1 / T_K - 1 / 318.15)
    ea = float(f"{ea:.9g}")
    for ce, cs, T in ((600.0, 0.3 * c_max, 280.0), (1400.0, 0.85 * c_max, 330.0)):
        expect = k * math.exp(ea / pybamm.constants.R.value * (1 / T_K - 1 / T)) * math.sqrt(ce * cs * (c_max - cs))
        if abs(j0(ce, cs, T) / expect - 1) > 1e-9:
            raise SystemExit(f"{domain} exchange-current density is not of the k·√(c_e·c_s·(c_max − c_s)) form")
    return k, ea


def constant(pv, key):
    v = pv[key]
    if callable(v):
        raise SystemExit(f"{key} is a function in this parameter set; expected a constant")
    return float(v)


def check_options(model, **expected):
    base = {"thermal": "isothermal", "SEI": "none", "SEI film resistance": "none",
            "contact resistance": "false", "surface form": "false", "lithium plating": "none",
            "particle": "Fickian diffusion", "particle size": "single",
            "intercalation kinetics": "symmetric Butler-Volmer", "current collector": "uniform",
            "loss of active material": "none", "open-circuit potential": "single",
            "exchange-current density": "single", "transport efficiency": "Bruggeman"}
    base.update(expected)
    for key, want in base.items():
        got = model.options[key]
        if got != want and not (isinstance(got, tuple) and all(g == want for g in got)):
            raise SystemExit(f"{model.name}: option {key!r} is {got!r}, expected {want!r}")


def u_asymptote(theta):
    """PyBaMM 26's OCP barrier (parameters/lithium_ion_parameters.py: U_asymptotes), numpy."""
    import numpy as np
    a, b, c = 205.0568621937484, 6910.192179565431, -7.7e-4

    def zero(s):
        return a * np.log1p(np.exp(-b * (np.maximum(s, -1.0) - c)))
    theta = np.asarray(theta, dtype=float)
    return zero(theta) - zero(1 - theta)


def write_json(doc, path):
    with open(path, "w") as f:
        f.write(json.dumps(doc, indent=2) + "\n")


def fmt_time(t):
    k = round(t)
    return f"{k:d}" if abs(t - k) < 1e-12 else f"{t:.9f}"


def write_csv(header, rows, path, formats):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow([fmt_time(row[0]), repr(float(row[1]))] + [fm.format(x) for fm, x in zip(formats, row[2:])])


def sample_rows(sol, current, names):
    """Rows (t, I, *names) of a constant-current solution sampled every PERIOD_S, ending at the
    cut-off event. Row 0 carries current 0; its state is the initial rest state (the caller
    replaces the voltage by the open-circuit voltage)."""
    t = sol.t
    cols = [sol[n].entries for n in names]
    rows = [(float(t[k]), current) + tuple(float(c[k]) for c in cols) for k in range(len(t))]
    rows[0] = (0.0, 0.0) + rows[0][2:]
    for k, row in enumerate(rows[:-1]):
        if abs(row[0] - k * PERIOD_S) > 1e-9:
            raise SystemExit(f"row {k}: time {row[0]} s is not on the {PERIOD_S} s sample grid")
    if not str(sol.termination).startswith("event: Minimum voltage"):
        raise SystemExit(f"the discharge did not end at the voltage cut-off: {sol.termination}")
    return rows


def compare(rows, other, column=2):
    """RMS and max |difference| of a column over the common full-second rows (k ≥ 1), the max
    from t = 10 s on (after the particles' √t surface layer), and the cut-off time difference."""
    n = min(len(rows), len(other)) - 1
    d = [rows[k][column] - other[k][column] for k in range(1, n)]
    rms = math.sqrt(sum(x * x for x in d) / len(d))
    return rms, max(abs(x) for x in d), max(abs(x) for x in d[9:]), other[-1][0] - rows[-1][0]


def describe(label, rows, other, column=2, unit=1e6, unit_name="µV"):
    rms, worst, late, dt = compare(rows, other, column)
    print(f"    {label:<44} RMS {rms * unit:9.3f} {unit_name}, max {worst * unit:9.3f} {unit_name} "
          f"(t ≥ 10 s: {late * unit:9.3f}), cut-off {dt:+.4f} s")


# ============================================================================================
# SPM, Chen2020
# ============================================================================================

def spm_parameter_values(pybamm, current=None):
    pv = pybamm.ParameterValues("Chen2020")
    pv.update({"Ambient temperature [K]": T_K, "Initial temperature [K]": T_K,
               "Reference temperature [K]": T_K})
    if current is not None:
        pv.update({"Current function [A]": current})
    return pv


def spm_model(pybamm):
    model = pybamm.lithium_ion.SPM()
    check_options(model, **{"working electrode": "both"})
    return model


def spm_var_pts(mesh):
    return {"x_n": 20, "x_s": 20, "x_p": 20, "r_n": mesh["r"], "r_p": mesh["r"]}


SPM_NAMES = ["Voltage [V]", "X-averaged positive particle surface stoichiometry",
             "X-averaged negative particle surface stoichiometry"]


def spm_solve(pybamm, current, mesh, solver=None, delta=REG_POWER_DELTA):
    import numpy as np
    t_max = 1.6 * 3600.0 * SPM_NOMINAL_CAPACITY_AH / current
    grid = [k * PERIOD_S for k in range(int(t_max / PERIOD_S) + 1)]
    with reg_power(pybamm, delta):
        sim = pybamm.Simulation(spm_model(pybamm), parameter_values=spm_parameter_values(pybamm, current),
                                solver=solver or pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL),
                                var_pts=spm_var_pts(mesh))
        if isinstance(sim.solver, pybamm.IDAKLUSolver):
            sol = sim.solve(t_eval=[0.0, grid[-1]], t_interp=grid)
        else:
            sol = sim.solve(t_eval=np.array(grid))
        # Inside the block: PyBaMM processes output variables lazily, with the δ then in force.
        rows = sample_rows(sol, current, SPM_NAMES)
        ocv = sol["Surface open-circuit voltage [V]"].entries[0]
    rows[0] = (0.0, 0.0, float(ocv)) + rows[0][3:]
    return rows, sol


def spm_export(pybamm, path):
    """Chen2020 as explicit SSB-SPM parameters (docs/ssb-models.md)."""
    pv = spm_parameter_values(pybamm)
    c_e0 = constant(pv, "Initial concentration in electrolyte [mol.m-3]")
    x0, x100, y100, y0 = (float(v) for v in pybamm.lithium_ion.get_min_max_stoichiometries(pv))

    def electrode(domain, ocp_name):
        d = domain.lower()
        c_max = constant(pv, f"Maximum concentration in {d} electrode [mol.m-3]")
        k, ea = kinetics_of(pybamm, pv, domain, c_e0)
        return {
            "active_material": ocp_name,
            "thickness_m": constant(pv, f"{domain} electrode thickness [m]"),
            "active_fraction": constant(pv, f"{domain} electrode active material volume fraction"),
            "particle_radius_m": constant(pv, f"{domain} particle radius [m]"),
            "max_concentration_mol_per_m3": c_max,
            "stoichiometry_at_full_charge": constant(pv, f"Initial concentration in {d} electrode [mol.m-3]") / c_max,
            "stoichiometry_at_full_discharge": y0 if domain == "Positive" else x0,
            # Chen2020's particle diffusivities are constants (no Arrhenius law).
            "diffusivity_m2_per_s": constant(pv, f"{domain} particle diffusivity [m2.s-1]"),
            "diffusivity_activation_energy_J_per_mol": 0,
            "kinetics": {"reaction_rate_constant": k, "reference_concentration_mol_per_m3": c_e0,
                         "activation_energy_J_per_mol": ea},
            "interface_resistance_ohm_m2": 0,
            "ionic_relative_conductivity": 1,
            "electronic_conductivity_S_per_m": SPM_LIQUID_FREE,
        }

    positive = electrode("Positive", "NMC811")
    negative = {"type": "intercalation"}
    negative.update(electrode("Negative", "Graphite"))
    doc = {
        "kind": "ssb-spm",
        "initial_soc": 1.0,
        "mesh": {"particle_shells": 100, "cathode_nodes": 20},
        "ssb": {
            "area_m2": constant(pv, "Electrode height [m]") * constant(pv, "Electrode width [m]"),
            "minimum_voltage_V": constant(pv, "Lower voltage cut-off [V]"),
            "maximum_voltage_V": constant(pv, "Upper voltage cut-off [V]"),
            "capacity_Ah": constant(pv, "Nominal cell capacity [A.h]"),
            "series_resistance_ohm_m2": 0,
            "electrolyte": {"conductivity_S_per_m": SPM_LIQUID_FREE, "activation_energy_J_per_mol": 0},
            "separator": {"thickness_m": constant(pv, "Separator thickness [m]"), "relative_conductivity": 1},
            "positive": positive,
            "negative": negative,
        },
    }
    write_json(doc, path)
    # The windows hold the same cyclable lithium (PyBaMM's ElectrodeSOH conserves it).
    li_p = positive["thickness_m"] * positive["active_fraction"] * positive["max_concentration_mol_per_m3"] * (y0 - positive["stoichiometry_at_full_charge"])
    li_n = negative["thickness_m"] * negative["active_fraction"] * negative["max_concentration_mol_per_m3"] * (negative["stoichiometry_at_full_charge"] - x0)
    print(f"  ElectrodeSOH (Chen2020, 2.5–4.2 V): x_0 = {x0:.6f}, x_100 = {x100:.6f}, y_100 = {y100:.6f}, "
          f"y_0 = {y0:.6f}; initial θ_n = {negative['stoichiometry_at_full_charge']:.6f}, "
          f"θ_p = {positive['stoichiometry_at_full_charge']:.6f}")
    print(f"  window Li: positive {li_p:.6f} mol/m², negative {li_n:.6f} mol/m² "
          f"(= {li_p * pybamm.constants.F.value * doc['ssb']['area_m2'] / 3600:.4f} A·h)")
    return doc


def spm_reconstruct(pybamm, doc, rows):
    """V from the CSV's own surface stoichiometries and the JSON through the equations of
    docs/ssb-models.md: V = U_p(θ_p) − U_n(θ_n) + η_p − η_n, η = 2RT/F·asinh(j/(2 i0)),
    j_n = I/(A a_n L_n), j_p = −I/(A a_p L_p), a = 3 ε_s/R, i0 = k √(c_e c_s (c_max − c_s))."""
    import numpy as np
    pv = spm_parameter_values(pybamm)
    F, R = pybamm.constants.F.value, pybamm.constants.R.value
    s = doc["ssb"]
    I = np.array([r[1] for r in rows])
    th = {"positive": np.array([r[3] for r in rows]), "negative": np.array([r[4] for r in rows])}
    ocp = {"positive": pv["Positive electrode OCP [V]"], "negative": pv["Negative electrode OCP [V]"]}
    v = 0.0
    for name, sign in (("positive", 1.0), ("negative", -1.0)):
        e = s[name]
        a = 3 * e["active_fraction"] / e["particle_radius_m"]
        j = -sign * I / (s["area_m2"] * a * e["thickness_m"])
        cs = th[name] * e["max_concentration_mol_per_m3"]
        kin = e["kinetics"]
        i0 = kin["reaction_rate_constant"] * np.sqrt(kin["reference_concentration_mol_per_m3"] * cs * (e["max_concentration_mol_per_m3"] - cs))
        eta = 2 * R * T_K / F * np.arcsinh(j / (2 * i0))
        v = v + sign * (np.asarray(ocp[name](th[name]), dtype=float) + eta)
    return float(np.max(np.abs(v - np.array([r[2] for r in rows]))))


def run_spm(pybamm):
    print("SPM, Chen2020 (ssb_spm_chen2020.json)")
    doc = spm_export(pybamm, os.path.join(HERE, "ssb_spm_chen2020.json"))
    for tag, rate in SPM_RATES:
        current = rate * SPM_NOMINAL_CAPACITY_AH
        rows, sol = spm_solve(pybamm, current, SPM_REFERENCE_MESH)
        path = os.path.join(HERE, f"ssb_spm_chen2020_{tag}_reference.csv")
        write_csv(["time_s", "current_A", "voltage_V", "positive_surface_stoichiometry",
                   "negative_surface_stoichiometry"], rows, path, ["{:.9f}", "{:.10f}", "{:.10f}"])
        volts = [r[2] for r in rows]
        print(f"  {tag}: {current:g} A, {len(rows)} rows, cut-off at {rows[-1][0]:.3f} s, "
              f"V {volts[0]:.4f} (rest) → {volts[1]:.4f} (1 s) → {volts[-1]:.4f} V, "
              f"θ_p {rows[0][3]:.4f} → {rows[-1][3]:.4f}, θ_n {rows[0][4]:.4f} → {rows[-1][4]:.4f}")
        # What the JSON + equations give from the CSV's own surface stoichiometries.
        print(f"    V rebuilt from the CSV's θ_surf and the JSON (docs/ssb-models.md equations): "
              f"max |ΔV| = {spm_reconstruct(pybamm, doc, rows):.1e} V")
        # PyBaMM's OCP barrier over every surface node actually visited.
        th_all = [sol[n].entries for n in SPM_NAMES[1:]]
        barrier = max(float(abs(u_asymptote(th)).max()) for th in th_all)
        print(f"    max |U_asymptotes(θ_surf)| over the run = {barrier:.2e} V")
        for label, mesh in SPM_CHECK_MESHES:
            describe(label, rows, spm_solve(pybamm, current, mesh)[0])
        fine = spm_solve(pybamm, current, {"r": 100})[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # CasadiSolver is deprecated
            casadi = pybamm.CasadiSolver(mode="safe", rtol=RTOL, atol=ATOL)
        describe("CasADi vs IDAKLU, both r 100", fine, spm_solve(pybamm, current, {"r": 100}, solver=casadi)[0])
        describe("PyBaMM's j0 regularisation δ = 1e-3", rows,
                 spm_solve(pybamm, current, SPM_REFERENCE_MESH, delta=1e-3)[0])


# ============================================================================================
# P2D half cell NMC811 | Li6PS5Cl | Li
# ============================================================================================

P2D_OPTIONS = {"working electrode": "positive"}


def p2d_parameter_values(pybamm, current=None):
    pv = pybamm.ParameterValues("Chen2020")
    pv.update({
        "Ambient temperature [K]": T_K, "Initial temperature [K]": T_K, "Reference temperature [K]": T_K,
        # Solid electrolyte: single-ion conductor (t+ = 1), constant conductivity.
        "Cation transference number": 1.0,
        "Thermodynamic factor": 1.0,
        "Electrolyte conductivity [S.m-1]": P2D_SE_CONDUCTIVITY,
        "Electrolyte diffusivity [m2.s-1]": P2D_SE_DIFFUSIVITY,
        "Separator thickness [m]": P2D_SEPARATOR_THICKNESS,
        "Separator porosity": P2D_SEPARATOR_POROSITY,
        # Composite cathode (Chen2020's NMC811: OCP, c_max, D, kinetics, radius, initial θ).
        "Positive electrode thickness [m]": P2D_POSITIVE_THICKNESS,
        "Positive electrode active material volume fraction": P2D_ACTIVE_FRACTION,
        "Positive electrode porosity": P2D_POROSITY,
        "Positive electrode Bruggeman coefficient (electrolyte)": P2D_BRUGGEMAN_SE,
        "Positive electrode Bruggeman coefficient (electrode)": P2D_BRUGGEMAN_SOLID,
        "Positive electrode conductivity [S.m-1]": P2D_SOLID_CONDUCTIVITY,
        # Li metal counter electrode ("Negative electrode ..." in a half cell).
        "Negative electrode conductivity [S.m-1]": P2D_LI_CONDUCTIVITY,
        "Electrode height [m]": 0.01, "Electrode width [m]": P2D_AREA_M2 / 0.01,
        "Lower voltage cut-off [V]": P2D_MIN_VOLTAGE, "Upper voltage cut-off [V]": P2D_MAX_VOLTAGE,
        "Open-circuit voltage at 0% SOC [V]": P2D_OCV_AT_0_SOC,
    })
    pv.update({
        "Exchange-current density for lithium metal electrode [A.m-2]":
            lambda c_e, c_Li, T: pybamm.Scalar(P2D_LI_EXCHANGE_CURRENT),
        # Only enters PyBaMM's Li-metal j0 arguments (c_Li = 1/V̄), which the constant ignores.
        "Lithium metal partial molar volume [m3.mol-1]": 1.3e-5,
    }, check_already_exists=False)
    theta0 = constant(pv, "Initial concentration in positive electrode [mol.m-3]") / constant(
        pv, "Maximum concentration in positive electrode [mol.m-3]")
    u0 = value(pybamm, pv["Positive electrode OCP [V]"](pybamm.Scalar(theta0)))
    pv.update({"Open-circuit voltage at 100% SOC [V]": u0})
    if current is not None:
        pv.update({"Current function [A]": current})
    return pv


def p2d_window(pybamm):
    """(θ at full charge, θ at full discharge, capacity [A·h]): θ_100 = PyBaMM's initial θ,
    θ_0 from PyBaMM's half-cell ElectrodeSOH, U_p(θ_0) = P2D_OCV_AT_0_SOC."""
    from pybamm.models.full_battery_models.lithium_ion import electrode_soh_half_cell
    pv = p2d_parameter_values(pybamm)
    soh = electrode_soh_half_cell.get_min_max_stoichiometries(pv, options=dict(P2D_OPTIONS))
    c_max = constant(pv, "Maximum concentration in positive electrode [mol.m-3]")
    theta100 = constant(pv, "Initial concentration in positive electrode [mol.m-3]") / c_max
    theta0 = float(soh["x_0"])
    if abs(float(soh["x_100"]) - theta100) > 1e-8:
        raise SystemExit(f"ElectrodeSOHHalfCell x_100 = {soh['x_100']} is not the initial θ {theta100}")
    capacity = (P2D_POSITIVE_THICKNESS * P2D_ACTIVE_FRACTION * c_max * (theta0 - theta100)
                * pybamm.constants.F.value / 3600 * P2D_AREA_M2)
    return theta100, theta0, capacity


def p2d_model(pybamm):
    """PyBaMM's DFN half cell plus the CSV's boundary values. FV node values are cell averages,
    so a boundary value extrapolated from them is O(h²) accurate whatever the order; quadratic
    extrapolation (3 nodes) is used as it has the smaller constant. The separator-side
    electrolyte potential is taken from the separator, where φ_e is linear (uniform c_e, no
    reaction) and the extrapolation exact."""
    model = pybamm.lithium_ion.DFN(P2D_OPTIONS)
    check_options(model, **{"working electrode": "positive"})

    def boundary(var, side):
        bv = pybamm.boundary_value(var, side)
        bv.order = "quadratic"          # read by FiniteVolume.boundary_value_or_flux
        return bv

    sto = model.variables["Positive particle surface stoichiometry"]
    model.variables.update({
        "sto_surf separator side": boundary(sto, "left"),
        "sto_surf collector side": boundary(sto, "right"),
        "phi_e collector side [V]": boundary(model.variables["Positive electrolyte potential [V]"], "right"),
        "phi_e separator side [V]": pybamm.boundary_value(model.variables["Separator electrolyte potential [V]"], "right"),
    })
    model.variables["electrolyte potential drop [V]"] = (
        model.variables["phi_e collector side [V]"] - model.variables["phi_e separator side [V]"])
    return model


def p2d_var_pts(mesh):
    return {"x_n": 20, "x_s": mesh["x_s"], "x_p": mesh["x_p"], "r_n": 20, "r_p": mesh["r"]}


P2D_NAMES = ["Voltage [V]", "sto_surf separator side", "sto_surf collector side",
             "electrolyte potential drop [V]"]


def p2d_solve(pybamm, current, capacity, mesh, delta=REG_POWER_DELTA):
    t_max = 1.2 * 3600.0 * capacity / current
    grid = [k * PERIOD_S for k in range(int(t_max / PERIOD_S) + 1)]
    with reg_power(pybamm, delta):
        sim = pybamm.Simulation(p2d_model(pybamm), parameter_values=p2d_parameter_values(pybamm, current),
                                solver=pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL), var_pts=p2d_var_pts(mesh))
        sol = sim.solve(t_eval=[0.0, grid[-1]], t_interp=grid)
        # Inside the block: PyBaMM processes output variables lazily, with the δ then in force.
        rows = sample_rows(sol, current, P2D_NAMES)
        ocv = sol["Surface open-circuit voltage [V]"].entries[0]
    rows[0] = (0.0, 0.0, float(ocv), rows[0][3], rows[0][4], 0.0)
    return rows, sol


def p2d_export(pybamm, path):
    pv = p2d_parameter_values(pybamm)
    theta100, theta0, capacity = p2d_window(pybamm)
    c_e0 = constant(pv, "Initial concentration in electrolyte [mol.m-3]")
    k, ea = kinetics_of(pybamm, pv, "Positive", c_e0)
    # PyBaMM: σ_eff = σ·(1 − ε)^b_s (transport_efficiency/bruggeman.py: the solid fraction is
    # 1 − porosity, active material and inactive filler together), κ_eff = κ·ε^b_e.
    sigma_eff = P2D_SOLID_CONDUCTIVITY * (1 - P2D_POROSITY) ** P2D_BRUGGEMAN_SOLID
    doc = {
        "kind": "ssb-p2d",
        "initial_soc": 1.0,
        "mesh": {"particle_shells": 100, "cathode_nodes": 40},
        "ssb": {
            "area_m2": P2D_AREA_M2,
            "minimum_voltage_V": P2D_MIN_VOLTAGE,
            "maximum_voltage_V": P2D_MAX_VOLTAGE,
            "capacity_Ah": capacity,
            "series_resistance_ohm_m2": 0,
            "electrolyte": {"conductivity_S_per_m": P2D_SE_CONDUCTIVITY, "activation_energy_J_per_mol": 0},
            "separator": {"thickness_m": P2D_SEPARATOR_THICKNESS,
                          "relative_conductivity": P2D_SEPARATOR_POROSITY ** constant(pv, "Separator Bruggeman coefficient (electrolyte)")},
            "positive": {
                "active_material": "NMC811",
                "thickness_m": P2D_POSITIVE_THICKNESS,
                "active_fraction": P2D_ACTIVE_FRACTION,
                "particle_radius_m": constant(pv, "Positive particle radius [m]"),
                "max_concentration_mol_per_m3": constant(pv, "Maximum concentration in positive electrode [mol.m-3]"),
                "stoichiometry_at_full_charge": theta100,
                "stoichiometry_at_full_discharge": theta0,
                "diffusivity_m2_per_s": constant(pv, "Positive particle diffusivity [m2.s-1]"),
                "diffusivity_activation_energy_J_per_mol": 0,
                "kinetics": {"reaction_rate_constant": k, "reference_concentration_mol_per_m3": c_e0,
                             "activation_energy_J_per_mol": ea},
                "interface_resistance_ohm_m2": 0,
                "ionic_relative_conductivity": P2D_POROSITY ** P2D_BRUGGEMAN_SE,
                "electronic_conductivity_S_per_m": sigma_eff,
            },
            "negative": {
                "type": "lithium_metal",
                "kinetics": {"exchange_current_density_A_per_m2": P2D_LI_EXCHANGE_CURRENT,
                             "activation_energy_J_per_mol": 0},
                "interface_resistance_ohm_m2": 0,
                "lithium_inventory_mol_per_m2": P2D_LI_INVENTORY,
            },
        },
    }
    write_json(doc, path)
    print(f"  window: θ_100 = {theta100:.8f} (initial, U = {value(pybamm, pv['Positive electrode OCP [V]'](pybamm.Scalar(theta100))):.6f} V), "
          f"θ_0 = {theta0:.8f} (U = {P2D_OCV_AT_0_SOC} V); capacity {capacity * 1e3:.6f} mA·h "
          f"= {capacity / P2D_AREA_M2 * 0.1:.4f} mA·h/cm²")
    print(f"  κ_eff/κ = {P2D_POROSITY ** P2D_BRUGGEMAN_SE:.6f} (κ_eff = {P2D_SE_CONDUCTIVITY * P2D_POROSITY ** P2D_BRUGGEMAN_SE:.6f} S/m), "
          f"σ_eff = {P2D_SOLID_CONDUCTIVITY} × {1 - P2D_POROSITY:.2f}^{P2D_BRUGGEMAN_SOLID} = {sigma_eff:.6f} S/m")
    return doc


def run_p2d(pybamm):
    import numpy as np
    print("P2D half cell NMC811 | Li6PS5Cl | Li (ssb_p2d_nmc811_lpscl_li.json)")
    doc = p2d_export(pybamm, os.path.join(HERE, "ssb_p2d_nmc811_lpscl_li.json"))
    capacity = doc["ssb"]["capacity_Ah"]
    F, R = pybamm.constants.F.value, pybamm.constants.R.value
    for tag, rate in P2D_RATES:
        current = rate * capacity
        rows, sol = p2d_solve(pybamm, current, capacity, P2D_REFERENCE_MESH)
        path = os.path.join(HERE, f"ssb_p2d_nmc811_lpscl_li_{tag}_reference.csv")
        write_csv(["time_s", "current_A", "voltage_V", "positive_surface_stoichiometry_separator_side",
                   "positive_surface_stoichiometry_collector_side", "electrolyte_potential_drop_V"],
                  rows, path, ["{:.9f}", "{:.10f}", "{:.10f}", "{:.9f}"])
        volts = [r[2] for r in rows]
        i_app = current / P2D_AREA_M2
        print(f"  {tag}: {current * 1e3:.6f} mA ({i_app:.4f} A/m²), {len(rows)} rows, cut-off at {rows[-1][0]:.3f} s, "
              f"V {volts[0]:.4f} (rest) → {volts[1]:.4f} (1 s) → {volts[-1]:.4f} V; θ_surf at cut-off "
              f"{rows[-1][3]:.4f} (separator side) / {rows[-1][4]:.4f} (collector side); "
              f"Δφ_e {rows[-1][5] * 1e3:.3f} mV")
        c_e = sol["Electrolyte concentration [mol.m-3]"].entries
        print(f"    max |c_e − c_e0| = {np.max(np.abs(c_e - 1000.0)):.2e} mol/m³ (t+ = 1)")
        # The Li-metal side and the separator, against their closed forms.
        eta_li = sol["Lithium metal interface reaction overpotential [V]"].entries[1:]
        phi_e_li = sol["Lithium metal interface electrolyte potential [V]"].entries[1:]
        phi_e_sep = sol["phi_e separator side [V]"].entries[1:]
        eta_li_expected = 2 * R * T_K / F * math.asinh(i_app / (2 * P2D_LI_EXCHANGE_CURRENT))
        sep_drop = i_app * P2D_SEPARATOR_THICKNESS / P2D_SE_CONDUCTIVITY
        print(f"    Li: η_Li = {eta_li[0] * 1e3:.6f} mV (2RT/F·asinh(i/2i0) = {eta_li_expected * 1e3:.6f} mV), "
              f"max |φ_e(Li) + η_Li| = {np.max(np.abs(phi_e_li + eta_li)):.1e} V; separator drop "
              f"max |φ_e(Li) − φ_e(sep|pos) − i·L_s/κ| = {np.max(np.abs(phi_e_li - phi_e_sep - sep_drop)):.1e} V "
              f"(i·L_s/κ = {sep_drop * 1e3:.4f} mV)")
        th = sol["Positive particle surface stoichiometry"].entries
        print(f"    max |U_asymptotes(θ_surf)| over every node and time = {float(np.max(np.abs(u_asymptote(th)))):.2e} V "
              f"(max θ_surf {float(th.max()):.6f})")
        for n, (label, mesh) in enumerate(P2D_CHECK_MESHES):
            other = p2d_solve(pybamm, current, capacity, mesh)[0]
            describe(label, rows, other)
            if n == 0:
                describe("  same, θ_surf separator side", rows, other, column=3, unit=1e6, unit_name="ppm")
                describe("  same, θ_surf collector side", rows, other, column=4, unit=1e6, unit_name="ppm")
                describe("  same, Δφ_e", rows, other, column=5)
        describe("PyBaMM's j0 regularisation δ = 1e-3 (x_p 40, r 800)",
                 p2d_solve(pybamm, current, capacity, P2D_CHECK_MESHES[0][1])[0],
                 p2d_solve(pybamm, current, capacity, P2D_CHECK_MESHES[0][1], delta=1e-3)[0])


def main():
    ensure_pybamm()
    import pybamm
    # Global, because PyBaMM processes solution variables lazily (after the solve returns).
    pybamm.settings.tolerances["reg_power"] = REG_POWER_DELTA
    print(f"PyBaMM {pybamm.__version__}; IDAKLU rtol = {RTOL:g}, atol = {ATOL:g}; sample period {PERIOD_S:g} s; "
          f"isothermal {T_K} K; j0 regularisation δ = {REG_POWER_DELTA:g}")
    which = sys.argv[1:] or ["spm", "p2d"]
    if "spm" in which:
        run_spm(pybamm)
    if "p2d" in which:
        run_p2d(pybamm)


if __name__ == "__main__":
    main()
