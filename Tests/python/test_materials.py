"""The materials database through the Python package: catalogue, laws, properties, JSON."""

import math

import pytest

import lithos

SE_TEMPERATURES_K = [263.15, 298.15, 333.15, 373.15]


# --- catalogue ------------------------------------------------------------------------------

def test_catalogue_size():
    all_materials = lithos.materials()
    assert len(all_materials) >= 23
    assert len(lithos.materials("cathode")) >= 8
    assert len(lithos.materials("solid_electrolyte")) >= 10
    assert len(lithos.materials("anode")) >= 5


def test_roles_partition_the_catalogue():
    everything = lithos.materials()
    by_role = [m for role in lithos.ROLES for m in lithos.materials(role)]
    assert sorted(m.name for m in by_role) == sorted(m.name for m in everything)
    for role in lithos.ROLES:
        assert all(m.role == role for m in lithos.materials(role))
    assert len(lithos.materials("current_collector")) >= 2


def test_names_are_unique_and_canonical():
    names = lithos.material_names()
    assert len(names) == len(set(names))
    for name in names:
        assert lithos.Material(name).name == name
        assert lithos.Material(name.lower()).name == name  # case-insensitive lookup


def test_aliases_resolve_to_canonical_names():
    assert lithos.Material("LPSCl").name == "Li6PS5Cl"
    assert lithos.Material("lpscl") == lithos.Material("Li6PS5Cl")
    assert hash(lithos.Material("LPSCl")) == hash(lithos.Material("Li6PS5Cl"))
    for m in lithos.materials():
        for alias in m.aliases:
            assert lithos.Material(alias).name == m.name


def test_repr_names_material_and_role():
    assert repr(lithos.Material("NMC811")) == "Material('NMC811', role='cathode')"


def test_unknown_role_is_rejected():
    with pytest.raises(lithos.LithosInvalidArgumentError) as info:
        lithos.materials("electrolyte")
    assert info.value.status == lithos.Status.INVALID_ARGUMENT
    assert "solid_electrolyte" in info.value.message


# --- ionic conductivity ---------------------------------------------------------------------

def test_li6ps5cl_conductivity_at_25C():
    assert lithos.Material("Li6PS5Cl").ionic_conductivity(298.15) == pytest.approx(0.2, rel=0.1)


def test_conductivity_rises_with_temperature():
    for m in lithos.materials("solid_electrolyte"):
        sigma = m.ionic_conductivity(SE_TEMPERATURES_K)
        assert all(math.isfinite(s) and s > 0 for s in sigma), (m.name, sigma)
        assert all(b > a for a, b in zip(sigma, sigma[1:])), (m.name, sigma)


def test_every_electrolyte_conducts_at_room_temperature():
    for m in lithos.materials("solid_electrolyte"):
        sigma = m.ionic_conductivity(298.15)
        assert 1e-6 < sigma < 10, (m.name, sigma)  # 1e-5 … 100 mS/cm


def test_arrhenius_law_reproduces_its_25C_value():
    checked = 0
    for m in lithos.materials("solid_electrolyte"):
        law = m.to_dict().get("conductivity_law", {})
        if law.get("type") == "arrhenius" and "conductivity_25C_S_per_m" in law:
            assert m.ionic_conductivity(298.15) == pytest.approx(law["conductivity_25C_S_per_m"], rel=1e-9)
            checked += 1
    assert checked >= 1


def test_peo_litfsi_gains_more_than_tenfold_from_25_to_60C():
    peo = lithos.Material("PEO-LiTFSI")
    assert peo.role == "solid_electrolyte"
    assert peo.ionic_conductivity(333.15) > 10 * peo.ionic_conductivity(298.15)


def test_garnet_llzo_ta_conducts_less_than_argyrodite():
    llzo = lithos.Material("LLZO-Ta")
    assert llzo.role == "solid_electrolyte"
    assert 0 < llzo.ionic_conductivity(298.15) < lithos.Material("Li6PS5Cl").ionic_conductivity(298.15)


# --- open-circuit potential, entropy, diffusivity ---------------------------------------------

def test_nmc811_ocp_in_its_window():
    nmc = lithos.Material("NMC811")
    props = nmc.properties
    lo = props["stoichiometry_at_full_charge"].value if "stoichiometry_at_full_charge" in props else 0.3
    hi = props["stoichiometry_at_full_discharge"].value if "stoichiometry_at_full_discharge" in props else 0.9
    thetas = [lo + (hi - lo) * k / 20 for k in range(21)]
    potentials = nmc.open_circuit_potential(thetas)
    assert all(3.4 <= u <= 4.4 for u in potentials), potentials
    # delithiating (lower θ) raises the cathode potential
    assert potentials[0] > potentials[-1]
    assert all(b <= a + 1e-9 for a, b in zip(potentials, potentials[1:]))


def test_every_cathode_ocp_is_plausible():
    for m in lithos.materials("cathode"):
        u = m.open_circuit_potential(0.6)
        assert 1.0 < u < 5.5, (m.name, u)


def test_lithium_metal_is_the_zero_of_the_potential_scale():
    assert lithos.Material("Li").open_circuit_potential(0.5) == 0.0


def test_ocp_temperature_term_uses_the_entropic_coefficient():
    nmc = lithos.Material("NMC811")
    theta = 0.5
    dUdT = nmc.entropic_coefficient(theta)
    u25 = nmc.open_circuit_potential(theta, 298.15)
    u45 = nmc.open_circuit_potential(theta, 318.15)
    assert u45 == pytest.approx(u25 + 20.0 * dUdT, abs=1e-12)
    assert u25 == nmc.open_circuit_potential(theta)  # default temperature is 298.15 K


def test_diffusivity_is_arrhenius_from_its_25C_value():
    nmc = lithos.Material("NMC811")
    d25 = nmc.diffusivity(298.15)
    if "diffusivity_25C_m2_per_s" in nmc.properties:
        assert d25 == pytest.approx(nmc.property("diffusivity_25C_m2_per_s").value, rel=1e-12)
    assert 1e-20 < d25 < 1e-10
    assert nmc.diffusivity(333.15) >= d25


# --- properties and JSON --------------------------------------------------------------------

def test_properties_carry_units_and_citations():
    for m in lithos.materials():
        props = m.properties
        assert props, m.name
        for key, p in props.items():
            assert isinstance(p, lithos.Property)
            assert p.key == key
            assert isinstance(p.value, float) and math.isfinite(p.value)
            assert p.unit and p.citation and p.description, (m.name, p)


def test_property_lookup_matches_the_list():
    lpscl = lithos.Material("Li6PS5Cl")
    for key, p in lpscl.properties.items():
        assert lpscl.property(key) == p
    sigma = lpscl.property("ionic_conductivity_25C_S_per_m")
    assert sigma.unit == "S/m" and sigma.value == pytest.approx(0.2, rel=0.1)


def test_to_dict_matches_the_object():
    for m in lithos.materials():
        d = m.to_dict()
        assert d["name"] == m.name
        assert d["role"] == m.role
        assert [p["key"] for p in d["properties"]] == list(m.properties)
        for p in d["properties"]:
            assert p["value"] == pytest.approx(m.properties[p["key"]].value, rel=1e-12)
            assert p["unit"] == m.properties[p["key"]].unit
        d["name"] = "changed"  # a copy: the object is not affected
        assert m.to_dict()["name"] == m.name


def test_materials_json_lists_the_whole_database():
    database = lithos.materials_json()
    assert [d["name"] for d in database] == lithos.material_names()


# --- array arguments ------------------------------------------------------------------------

def test_sequences_give_lists():
    lpscl = lithos.Material("Li6PS5Cl")
    temps = [273.15, 298.15, 323.15]
    values = lpscl.ionic_conductivity(temps)
    assert isinstance(values, list) and len(values) == 3
    assert values == [lpscl.ionic_conductivity(t) for t in temps]
    nmc = lithos.Material("NMC811")
    assert nmc.open_circuit_potential((0.4, 0.6), 310.0) == [
        nmc.open_circuit_potential(0.4, 310.0), nmc.open_circuit_potential(0.6, 310.0)]
    with pytest.raises(ValueError):
        nmc.open_circuit_potential([0.4, 0.5], [300.0])


def test_numpy_arrays_give_arrays():
    np = pytest.importorskip("numpy")
    nmc = lithos.Material("NMC811")
    theta = np.linspace(0.3, 0.9, 7)
    u = nmc.open_circuit_potential(theta)
    assert isinstance(u, np.ndarray) and u.shape == (7,) and u.dtype == np.float64
    assert u[2] == nmc.open_circuit_potential(float(theta[2]))
    grid = nmc.open_circuit_potential(theta[:, None], np.array([280.0, 300.0, 320.0]))
    assert grid.shape == (7, 3)
    assert grid[4, 1] == nmc.open_circuit_potential(float(theta[4]), 300.0)
    sigma = lithos.Material("Li6PS5Cl").ionic_conductivity(np.array([[263.15, 298.15]]))
    assert sigma.shape == (1, 2) and sigma[0, 1] == pytest.approx(0.2, rel=0.1)
    assert isinstance(nmc.diffusivity(np.float64(300.0)), float)
