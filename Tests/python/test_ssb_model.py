"""The solid-state physics models (kinds "ssb-spm" and "ssb-p2d") through lithos.Model: creation
from a design and from explicit ``ssb=`` parameters, internals, a 1C discharge, the Li|SE
resistance as i·R, parameters round trip, snapshots, and errors carrying the C message."""

import numpy as np
import pytest

import lithos
from conftest import DEFAULT_CELL_PATH

T25 = 298.15
KINDS = ["ssb-spm", "ssb-p2d"]

EXPLICIT = {
    "area_m2": 0.01, "minimum_voltage_V": 3.0, "maximum_voltage_V": 4.3,
    "electrolyte": {"material": "LLZO-Ta"}, "separator": {"thickness_m": 5e-5},
    "positive": {"active_material": "NMC811", "thickness_m": 6e-5, "active_fraction": 0.6,
                 "ionic_relative_conductivity": 0.2},
    "negative": {"type": "lithium_metal", "interface_resistance_ohm_m2": 5e-4},
}


def available(kind):
    try:
        lithos.Model(DEFAULT_CELL_PATH, kind=kind).close()
        return True
    except lithos.LithosError as error:
        if "not available" in error.message:
            return False
        raise


@pytest.mark.parametrize("kind", KINDS)
def test_design_derived_model_discharges(kind):
    if not available(kind):
        pytest.skip(f"{kind} not in this build yet")
    with lithos.Model(DEFAULT_CELL_PATH, kind=kind, options={"thermal": {"enabled": False}}) as m:
        info = m.info
        assert info["kind"] == kind
        assert info["capacity_Ah"] == pytest.approx(0.3044, rel=0.01)
        names = m.internal_names
        assert "positive_surface_stoichiometry" in names or any("surface_stoichiometry" in n for n in names)
        rest = m.output
        assert rest.voltage_V == pytest.approx(rest.open_circuit_voltage_V, abs=1e-12)
        trace = m.run(current=[info["capacity_Ah"]] * 400, dt=10.0)
        v, soc = trace["voltage_V"], trace["soc"]
        usable = (v > info["minimum_voltage_V"]) & (soc >= 0)
        delivered = np.count_nonzero(usable) * 10 / 3600   # fraction of capacity at 1C
        assert 0.9 < delivered < 1.01
        assert np.all(np.diff(v[usable]) <= 1e-12)


def test_explicit_parameters_and_lithium_interface_resistance():
    low = lithos.Model(kind="ssb-spm", ssb=EXPLICIT, initial_soc=0.8)
    high_params = dict(EXPLICIT, negative=dict(EXPLICIT["negative"], interface_resistance_ohm_m2=0.5542))
    high = lithos.Model(kind="ssb-spm", ssb=high_params, initial_soc=0.8)
    a = low.step(0.01, dt=1.0)
    b = high.step(0.01, dt=1.0)
    # i = 0.01 A / 0.01 m² = 1 A/m²: ΔV = i·ΔR (5542 vs 5 Ω·cm², SEED_DATA Li|LLZO)
    assert a.voltage_V - b.voltage_V == pytest.approx(0.5542 - 5e-4, rel=1e-9)
    assert a.internals["negative_interface_drop_V"] == pytest.approx(5e-4, rel=1e-9)
    # the parameters round-trip into an identical model
    copy = lithos.Model(kind="ssb-spm", ssb=low.parameters(), initial_soc=0.8)
    assert copy.step(0.01, dt=1.0).voltage_V == a.voltage_V
    for m in (low, high, copy):
        m.close()


def test_snapshot_resumes_bit_exactly():
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm", initial_soc=0.7) as a, \
            lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm", initial_soc=0.2) as b:
        a.run(current=list(0.2 * np.sin(np.arange(200) * 0.1)), dt=2.0)
        b.load_state(a.save_state())
        ra = a.run(current=[0.3] * 100, dt=5.0)
        rb = b.run(current=[0.3] * 100, dt=5.0)
        assert np.array_equal(ra["voltage_V"], rb["voltage_V"])


def test_errors_carry_the_library_message():
    with pytest.raises(lithos.LithosConfigError, match="ssb"):
        lithos.Model(kind="ssb-spm")
    with pytest.raises(lithos.LithosError, match="particle_shells"):
        lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm", options={"mesh": {"particle_shells": 2}})
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm") as m:
        before = m.output
        with pytest.raises(lithos.LithosError):
            m.step(float("nan"), dt=1.0)
        after = m.output   # (internals hold NaN for the Li-metal anode's stoichiometries)
        assert (after.time_s, after.voltage_V, after.soc) == (before.time_s, before.voltage_V, before.soc)


def test_p2d_profiles_show_the_reaction_front():
    """SSB-P2D profiles through the cathode: with a poorly conducting SE network (σ_eff/σ_SE =
    0.01) a 3C discharge reacts near the separator first — the front the composite-cathode
    literature describes; the electrolyte potential falls away from the separator."""
    params = dict(EXPLICIT, electrolyte={"material": "Li6PS5Cl"},
                  positive=dict(EXPLICIT["positive"], ionic_relative_conductivity=0.01))
    with lithos.Model(kind="ssb-p2d", ssb=params, initial_soc=1.0) as m:
        assert "electrolyte_potential_V" in m.profile_names
        capacity = m.info["capacity_Ah"]
        for _ in range(30):
            m.step(3 * capacity, dt=10.0)
        p = m.profiles()
        x, phi, theta = p["x_m"], p["electrolyte_potential_V"], p["mean_stoichiometry"]
        assert len(x) == 20 and np.all(np.diff(x) > 0)
        assert x[-1] < 6e-5
        assert np.all(np.diff(phi) < 0)
        assert theta[0] > theta[-1] + 0.05     # more lithiated at the separator side


def test_spm_particle_profiles_and_ecm_has_none():
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm") as m:
        assert m.profile_names == ["positive_particle_radius_m", "positive_particle_stoichiometry"]
        m.step(0.3, dt=60.0)
        p = m.profiles()
        assert p["positive_particle_stoichiometry"][-1] > p["positive_particle_stoichiometry"][0]
    with lithos.Model(DEFAULT_CELL_PATH) as ecm:
        assert ecm.profile_names == [] and ecm.profiles() == {}


def test_impedance_of_the_spm_and_the_ecm():
    """Model.impedance: resistive at high frequency (the series/ohmic part), capacitive
    (negative imaginary part growing) toward low frequency; P2D is not supported yet."""
    f = np.logspace(-3, 3, 13)
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm") as m:
        z = m.impedance(f, soc=0.5)
        assert z.shape == f.shape and np.all(np.isfinite(z))
        assert np.all(z.imag < 0)
        assert -z.imag[0] > 10 * -z.imag[-1]
        assert np.all(np.diff(z.real) <= 1e-12)      # real part falls with frequency
    with lithos.Model(DEFAULT_CELL_PATH) as ecm:
        z = ecm.impedance([1e4], soc=0.5)
        r0 = ecm.parameters()
        assert z[0].real > 0 and abs(z[0].imag) < 1e-3 * z[0].real
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-p2d") as p2d:
        zp = p2d.impedance(f, soc=0.5)
        assert np.all(np.isfinite(zp)) and np.all(zp.imag < 0) and np.all(zp.real > 0)
    with lithos.Model(DEFAULT_CELL_PATH, kind="ssb-spm") as m:
        with pytest.raises(lithos.LithosError, match="frequencies_Hz"):
            m.impedance([1.0, -1.0])
