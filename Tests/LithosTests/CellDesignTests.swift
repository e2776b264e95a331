import Foundation
import Testing
@testable import Lithos

/// Cell-design calculator: metrics of the example cells against hand calculations, round trips,
/// and every error path.
struct CellDesignTests {
    /// examples/cells/ of this repository.
    static let examplesDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)   // …/Tests/LithosTests/CellDesignTests.swift
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("examples/cells").path
    }()

    static func example(_ name: String) throws -> String {
        try String(contentsOfFile: examplesDirectory + "/" + name, encoding: .utf8)
    }

    static func defaultDesign() throws -> CellDesign {
        try CellDesign.fromJSON(try example("default.json"))
    }

    static func value(_ material: String, _ key: String) throws -> Double {
        let m = try MaterialDatabase.material(named: material)
        return try m.require(key, for: "test")
    }

    /// A compact valid design whose pieces the error tests replace.
    static let base = #"""
    {"name": "base", "area_cm2": 1,
     "anode": {"type": "lithium_metal", "thickness_um": 20},
     "separator": {"material": "Li6PS5Cl", "thickness_um": 30},
     "cathode": {"active_material": "NMC811", "thickness_um": 60,
                 "volume_fractions": {"active": 0.6, "electrolyte": 0.33, "carbon": 0.02, "binder": 0, "porosity": 0.05},
                 "active_particle_radius_um": 2.5, "electrolyte_particle_radius_um": 1.0}}
    """#

    /// Parses `text` and returns the error it must raise.
    static func failure(_ text: String) -> LithosError? {
        do throws(LithosError) {
            _ = try CellDesign.fromJSON(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Default cell

    @Test func baseDesignIsValid() throws {
        let design = try CellDesign.fromJSON(Self.base)
        #expect(design.collectors.positive.material.nameString == "Al")
        #expect(design.collectors.negative.thickness_um == 10)
        #expect(design.cathode.electrolyte.nameString == "Li6PS5Cl")   // defaulted from the separator
        #expect(design.stackPressure_MPa == CellDesign.defaultStackPressure_MPa)
    }

    @Test func defaultCellCapacitiesMatchHandCalculation() throws {
        let design = try Self.defaultDesign()
        let m = try design.metrics(at: 298.15)
        // CAM mass = area × thickness × φ_CAM × ρ_CAM = 100 cm² × 60 µm × 0.60 × ρ_NMC811.
        let rho = try Self.value("NMC811", MaterialKey.density)
        let camMass_kg = 100e-4 * 60e-6 * 0.60 * rho
        // 1 kg × 1 mAh/g = 1000 g × 1 mAh/g = 1000 mAh = 1 Ah.
        let theoretical = camMass_kg * (try Self.value("NMC811", MaterialKey.theoreticalCapacity))
        let practical = camMass_kg * (try Self.value("NMC811", MaterialKey.practicalCapacity))
        #expect(abs(m.theoreticalCapacity_Ah - theoretical) <= 1e-12 * theoretical)
        #expect(abs(m.practicalCapacity_Ah - practical) <= 1e-12 * practical)
        #expect(abs(m.cathodeLoading_kg_per_m2 - camMass_kg / 100e-4) <= 1e-12)
        #expect(abs(m.arealCapacity_mAh_per_cm2 - practical * 1000 / 100) <= 1e-9)
        // With ρ ≈ 4.78 g/cm³ and 177 mAh/g: 17.2 mg/cm² and ≈ 3.0 mAh/cm², a typical SSB loading.
        #expect(m.arealCapacity_mAh_per_cm2 > 2.5 && m.arealCapacity_mAh_per_cm2 < 4.5)
        #expect(m.area_m2 == 100e-4)
        #expect(m.stackPressure_Pa == 5e6)
        #expect(m.temperature_K == 298.15)
    }

    @Test func defaultCellEnergyDensitiesAreInTheExpectedRange() throws {
        let m = try Self.defaultDesign().metrics(at: 298.15)
        // Per cm² of one unit cell (both collectors counted in full):
        //   Al 12 µm × 2.70 g/cm³ = 3.24 mg, Cu 10 µm × 8.96 = 8.96 mg, Li 20 µm × 0.534 = 1.07 mg,
        //   separator 30 µm × 1.87 g/cm³ = 5.6 mg,
        //   cathode 60 µm × (0.60 × 4.78 + 0.33 × 1.87 + 0.02 × 1.95) = 21.1 mg
        //   → 40 mg/cm². Energy = 3.04 mAh/cm² (177 mAh/g) × 3.88 V = 11.8 mWh/cm² → 295 Wh/kg.
        //   The 250–450 Wh/kg band covers NMC811 practical capacities of 160–220 mAh/g (177 for the
        //   Chen 2.5–4.2 V window, ≈ 200 to 4.3 V) and ±10 % on the densities; the upper end is
        //   where a double-sided real stack that shares its collectors lands.
        #expect(m.specificEnergy_Wh_per_kg > 250 && m.specificEnergy_Wh_per_kg < 450,
                "specific energy \(m.specificEnergy_Wh_per_kg) Wh/kg")
        // Stack 12 + 20 + 30 + 60 + 10 = 132 µm → 11.8 mWh/cm² / 0.0132 cm³ = 894 Wh/L;
        // 700–1300 Wh/L is the same band (practical capacity 160–220 mAh/g, V 3.7–3.9).
        #expect(abs(m.stackThickness_m - 132e-6) < 1e-12)
        #expect(m.energyDensity_Wh_per_L > 700 && m.energyDensity_Wh_per_L < 1300,
                "energy density \(m.energyDensity_Wh_per_L) Wh/L")
        // Mass and energy are consistent.
        #expect(abs(m.energy_Wh - m.practicalCapacity_Ah * m.nominalVoltage_V) < 1e-12)
        #expect(abs(m.specificEnergy_Wh_per_kg - m.energy_Wh / m.stackMass_kg) < 1e-9)
    }

    @Test func defaultCellStackMassIsTheSumOfItsLayers() throws {
        let m = try Self.defaultDesign().metrics(at: 298.15)
        let area = 100e-4
        let al = 12e-6 * (try Self.value("Al", MaterialKey.density))
        let cu = 10e-6 * (try Self.value("Cu", MaterialKey.density))
        let li = 20e-6 * (try Self.value("Li", MaterialKey.density))
        let rhoSE = try Self.value("Li6PS5Cl", MaterialKey.density)
        let separator = 30e-6 * rhoSE
        let cathode = 60e-6 * (0.60 * (try Self.value("NMC811", MaterialKey.density)) + 0.33 * rhoSE
                               + 0.02 * 1950 + 0 * 1780)
        let expected = area * (al + cu + li + separator + cathode)
        #expect(abs(m.stackMass_kg - expected) <= 1e-12 * expected)
    }

    @Test func defaultCellNPRatioAndVoltage() throws {
        let m = try Self.defaultDesign().metrics(at: 298.15)
        // N/P = Li foil capacity / cathode practical capacity
        //     = 20 µm × ρ_Li × 3860 mAh/g / (60 µm × 0.60 × ρ_NMC × q_practical) ≈ 4.12 / 3.04 ≈ 1.35.
        let li = 20e-6 * (try Self.value("Li", MaterialKey.density)) * (try Self.value("Li", MaterialKey.theoreticalCapacity))
        let nmc = 60e-6 * 0.60 * (try Self.value("NMC811", MaterialKey.density)) * (try Self.value("NMC811", MaterialKey.practicalCapacity))
        #expect(abs(m.npRatio - li / nmc) <= 1e-12 * m.npRatio)
        #expect(m.npRatio > 1 && m.npRatio < 1.6, "a thin-Li cell has little excess Li: N/P \(m.npRatio)")
        // NMC811 vs Li over its practical window: mean OCV 3.6–3.9 V (Chen 2020 OCP: 4.2 V at
        // θ = 0.27, 3.4 V near θ = 0.9).
        #expect(m.nominalVoltage_V > 3.6 && m.nominalVoltage_V < 3.9, "nominal voltage \(m.nominalVoltage_V) V")
    }

    @Test func nominalVoltageIsTheMeanOfTheOCP() throws {
        // Independent trapezoid integration of the NMC811 OCP over its window (Li metal = 0 V).
        let nmc = try MaterialDatabase.material(named: "NMC811")
        let window = try NominalVoltage.cathodeWindow(nmc)
        let n = 20000
        var sum = 0.0
        for i in 0...n {
            let theta = window.charged + (window.discharged - window.charged) * Double(i) / Double(n)
            let u = try nmc.openCircuitPotential(stoichiometry: theta, temperature_K: 298.15)
            sum += (i == 0 || i == n) ? u / 2 : u
        }
        let trapezoid = sum / Double(n)
        let m = try Self.defaultDesign().metrics(at: 298.15)
        #expect(abs(m.nominalVoltage_V - trapezoid) < 1e-4)
    }

    @Test func separatorASRIsThicknessOverConductivity() throws {
        let design = try Self.defaultDesign()
        for temperature in [253.15, 298.15, 333.15] {
            let m = try design.metrics(at: temperature)
            let sigma = try MaterialDatabase.material(named: "Li6PS5Cl").ionicConductivity(at: temperature)
            #expect(m.separatorConductivity_S_per_m == sigma)
            #expect(m.separatorASR_ohm_m2 == 30e-6 / sigma)
        }
    }

    @Test func cathodeTransportMetricsFollowTheLaw() throws {
        let design = try Self.defaultDesign()
        let m = try design.metrics(at: 298.15)
        let sigmaSE = try MaterialDatabase.material(named: "Li6PS5Cl").ionicConductivity(at: 298.15)
        let relative = EffectiveConductivity.relativeIonicConductivity(electrolyteFraction: 0.33, sizeRatio: 2.5, porosity: 0.05)
        #expect(abs(m.cathodeIonicConductivity_S_per_m - sigmaSE * relative) <= 1e-15)
        #expect(abs(m.cathodeIonicTortuosityFactor - 0.33 / relative) <= 1e-9)
        #expect(abs(m.cathodeIonicASR_ohm_m2 - 60e-6 / (3 * sigmaSE * relative)) <= 1e-12)
        // 60 vol % CAM at λ = 2.5 and 5 % porosity sits between Froboese's coarse (τ ≈ 10) and
        // small (τ ≈ 100) composites.
        #expect(m.cathodeIonicTortuosityFactor > 5 && m.cathodeIonicTortuosityFactor < 60)
        // Bruggeman would give τ = ε^-0.5 = 1.7: the law is far more tortuous.
        #expect(m.cathodeIonicTortuosityFactor > 3 / EffectiveConductivity.bruggeman(fraction: 0.33) * 0.33)
        #expect(m.cathodeElectronicConductivity_S_per_m > 0)
    }

    @Test func anodeFreeCellHasNoAnodeLayer() throws {
        let withLi = try CellDesign.fromJSON(Self.base).metrics(at: 298.15)
        let text = Self.base.replacingOccurrences(of: #"{"type": "lithium_metal", "thickness_um": 20}"#,
                                                  with: #"{"type": "anode_free"}"#)
        let design = try CellDesign.fromJSON(text)
        let m = try design.metrics(at: 298.15)
        #expect(design.anode == .anodeFree)
        #expect(m.npRatio == 0)
        // Same cathode and same Li-metal counter electrode potential: same capacity and voltage.
        #expect(m.practicalCapacity_Ah == withLi.practicalCapacity_Ah)
        #expect(m.nominalVoltage_V == withLi.nominalVoltage_V)
        // The 20 µm foil is gone from thickness and mass.
        #expect(abs(withLi.stackThickness_m - m.stackThickness_m - 20e-6) < 1e-15)
        let foil = 1e-4 * 20e-6 * (try Self.value("Li", MaterialKey.density))
        #expect(abs(withLi.stackMass_kg - m.stackMass_kg - foil) < 1e-15)
        #expect(m.specificEnergy_Wh_per_kg > withLi.specificEnergy_Wh_per_kg)
    }

    @Test func compositeGraphiteAnodeLowersTheVoltage() throws {
        // Graphite | Li6PS5Cl composite anode sized for N/P ≈ 1.1–1.3.
        let anode = #"{"type": "composite", "active_material": "Graphite", "thickness_um": 70, "volume_fractions": {"active": 0.6, "electrolyte": 0.35, "porosity": 0.05}, "active_particle_radius_um": 5}"#
        let text = Self.base.replacingOccurrences(of: #"{"type": "lithium_metal", "thickness_um": 20}"#, with: anode)
        let design = try CellDesign.fromJSON(text)
        guard case let .composite(electrode) = design.anode else {
            Issue.record("anode is not composite")
            return
        }
        #expect(electrode.electrolyte.nameString == "Li6PS5Cl")   // defaulted from the separator
        let m = try design.metrics(at: 298.15)
        let withLi = try CellDesign.fromJSON(Self.base).metrics(at: 298.15)
        // N/P = anode practical capacity / cathode practical capacity (hand calculation).
        let anodeQ = 70e-6 * 0.6 * (try Self.value("Graphite", MaterialKey.density))
            * (try Self.value("Graphite", MaterialKey.practicalCapacity))
        let cathodeQ = 60e-6 * 0.6 * (try Self.value("NMC811", MaterialKey.density))
            * (try Self.value("NMC811", MaterialKey.practicalCapacity))
        #expect(abs(m.npRatio - anodeQ / cathodeQ) < 1e-12)
        // Graphite sits 0.1–0.25 V above Li over most of its window.
        let drop = withLi.nominalVoltage_V - m.nominalVoltage_V
        #expect(drop > 0.05 && drop < 0.4, "graphite lowers V_nom by \(drop) V")
        // The graphite layer is heavier and thicker than 20 µm Li: less Wh/kg.
        #expect(m.specificEnergy_Wh_per_kg < withLi.specificEnergy_Wh_per_kg)
        // Round trip of a composite anode.
        let again = try CellDesign.fromJSON(JSONWriter.write(design.toJSON()))
        #expect(again == design)
        // Li metal is not a composite host.
        let li = Self.failure(text.replacingOccurrences(of: #""Graphite""#, with: #""Li""#))
        #expect(li?.kind == .config)
        #expect(li?.message.contains("anode.active_material") == true)
    }

    // MARK: Example cells

    static func exampleFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: examplesDirectory)
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func everyExampleCellGivesFinitePositiveMetrics() throws {
        let files = try Self.exampleFiles()
        #expect(files.count >= 4)
        for file in files {
            let design: CellDesign
            do {
                design = try CellDesign.fromJSON(try Self.example(file))
            } catch let error as LithosError {
                Issue.record("\(file): \(error.message)")
                continue
            }
            let m = try design.metrics(at: 298.15)
            guard case let .object(members) = m.toJSON() else {
                Issue.record("metrics JSON is not an object")
                continue
            }
            for (key, value) in members {
                guard case let .number(x) = value else {
                    Issue.record("\(file): \(key) is not a number")
                    continue
                }
                #expect(x.isFinite, "\(file): \(key) = \(x)")
                if key == "np_ratio", case .anodeFree = design.anode {
                    #expect(x == 0, "\(file): anode-free N/P must be 0")
                } else {
                    #expect(x > 0, "\(file): \(key) = \(x)")
                }
            }
            #expect(m.specificEnergy_Wh_per_kg > 100 && m.specificEnergy_Wh_per_kg < 700, "\(file): \(m.specificEnergy_Wh_per_kg) Wh/kg")
            #expect(m.nominalVoltage_V > 1 && m.nominalVoltage_V < 5, "\(file): \(m.nominalVoltage_V) V")
        }
    }

    @Test func peoSeparatorNeedsItsOperatingTemperature() throws {
        let design = try CellDesign.fromJSON(try Self.example("peo.json"))
        let cold = try design.metrics(at: 298.15)
        let warm = try design.metrics(at: 333.15)
        // PEO is semi-crystalline below ≈ 60 °C: 1e-8–1e-5 S/cm at RT, ≥ 1e-4 above the melt
        // (SEED 001 L235–L237). The separator ASR must drop by more than two decades.
        // The catalogue anchors its VTF law at 1e-6 S/cm (25 °C) and 1e-4 S/cm (60 °C), exactly two
        // decades, so the ratio is 100 up to rounding: allow 1e-9 relative.
        #expect(cold.separatorASR_ohm_m2 >= 100 * (1 - 1e-9) * warm.separatorASR_ohm_m2,
                "ASR 25 °C \(cold.separatorASR_ohm_m2) vs 60 °C \(warm.separatorASR_ohm_m2) Ω·m²")
        // The composite cathode follows its PEO catholyte.
        #expect(cold.cathodeIonicASR_ohm_m2 >= 100 * (1 - 1e-9) * warm.cathodeIonicASR_ohm_m2)
    }

    // MARK: Round trip

    @Test func roundTripGivesAnIdenticalDesignAndMetrics() throws {
        for file in try Self.exampleFiles() {
            let design = try CellDesign.fromJSON(try Self.example(file))
            let text = JSONWriter.write(design.toJSON(), pretty: true)
            let again = try CellDesign.fromJSON(text)
            #expect(again == design, "\(file)")
            #expect(again.toJSON() == design.toJSON(), "\(file)")
            for temperature in [273.15, 298.15, 333.15] {
                #expect(try again.metrics(at: temperature) == design.metrics(at: temperature), "\(file)")
            }
        }
    }

    @Test func normalisedJSONFillsDefaultsAndCanonicalNames() throws {
        let design = try CellDesign.fromJSON(Self.base.replacingOccurrences(of: "\"Li6PS5Cl\"", with: "\"lpscl\""))
        let json = design.toJSON()
        #expect(json["separator"]?["material"] == .string("Li6PS5Cl"))
        #expect(json["separator"]?["porosity"] == .number(0))
        #expect(json["cathode"]?["electrolyte"] == .string("Li6PS5Cl"))
        #expect(json["anode"]?["material"] == .string("Li"))
        #expect(json["current_collectors"]?["positive"]?["thickness_um"] == .number(12))
        #expect(json["stack_pressure_MPa"] == .number(5))
    }

    @Test func metricsJSONUsesTheCFieldNames() throws {
        let m = try Self.defaultDesign().metrics(at: 298.15)
        guard case let .object(members) = m.toJSON() else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == [
            "temperature_K", "area_m2", "theoretical_capacity_Ah", "practical_capacity_Ah",
            "areal_capacity_mAh_per_cm2", "np_ratio", "nominal_voltage_V", "energy_Wh", "stack_mass_kg",
            "stack_thickness_m", "specific_energy_Wh_per_kg", "energy_density_Wh_per_L",
            "cathode_loading_kg_per_m2", "separator_conductivity_S_per_m", "separator_asr_ohm_m2",
            "cathode_ionic_conductivity_S_per_m", "cathode_electronic_conductivity_S_per_m",
            "cathode_ionic_tortuosity_factor", "cathode_ionic_asr_ohm_m2", "stack_pressure_Pa",
        ])
        #expect(m.toJSON()["separator_asr_ohm_m2"] == .number(m.separatorASR_ohm_m2))
    }

    // MARK: Error paths

    @Test func malformedJSONIsAParseError() {
        let error = Self.failure(#"{"name": "x", "cathode": {"#)
        #expect(error?.kind == .parse)
        #expect(error?.message.contains("line 1") == true)
    }

    @Test func unknownKeyIsRejected() {
        let error = Self.failure(Self.base.replacingOccurrences(of: #""area_cm2": 1,"#, with: #""area_cm2": 1, "colour": "red","#))
        #expect(error?.kind == .config)
        #expect(error?.message.contains("colour") == true, "\(error?.message ?? "")")
        let nested = Self.failure(Self.base.replacingOccurrences(of: #""thickness_um": 60,"#, with: #""thickness_um": 60, "thikness": 1,"#))
        #expect(nested?.kind == .config)
        #expect(nested?.message.contains("cathode.thikness") == true, "\(nested?.message ?? "")")
    }

    @Test func missingCathodeIsRejected() {
        let text = #"{"anode": {"type": "anode_free"}, "separator": {"material": "Li6PS5Cl", "thickness_um": 30}}"#
        let error = Self.failure(text)
        #expect(error?.kind == .config)
        #expect(error?.message == "cell design: cathode is required but missing")
    }

    @Test func negativeThicknessIsRejected() {
        let error = Self.failure(Self.base.replacingOccurrences(of: #""thickness_um": 60"#, with: #""thickness_um": -5"#))
        #expect(error?.kind == .config)
        #expect(error?.message == "cell design: cathode.thickness_um must be > 0 (got -5)")
        let huge = Self.failure(Self.base.replacingOccurrences(of: #""thickness_um": 30"#, with: #""thickness_um": 6000"#))
        #expect(huge?.kind == .outOfRange)
        #expect(huge?.message.contains("separator.thickness_um") == true)
    }

    @Test func fractionsNotSummingToOneAreRejected() {
        let error = Self.failure(Self.base.replacingOccurrences(
            of: #""active": 0.6, "electrolyte": 0.33, "carbon": 0.02, "binder": 0, "porosity": 0.05"#,
            with: #""active": 0.6, "electrolyte": 0.3, "carbon": 0.03, "binder": 0, "porosity": 0"#))
        #expect(error?.kind == .config)
        #expect(error?.message == "cell design: cathode.volume_fractions sum to 0.93, they must sum to 1 (active 0.6 + electrolyte 0.3 + carbon 0.03 + binder 0 + porosity 0)",
                "\(error?.message ?? "")")
        let negative = Self.failure(Self.base.replacingOccurrences(of: #""binder": 0"#, with: #""binder": -0.1"#))
        #expect(negative?.kind == .config)
        #expect(negative?.message.contains("cathode.volume_fractions.binder") == true)
    }

    @Test func unknownMaterialIsNotFound() {
        let error = Self.failure(Self.base.replacingOccurrences(of: #""NMC811""#, with: #""NMC9000""#))
        #expect(error?.kind == .notFound)
        #expect(error?.message.hasPrefix("cell design: cathode.active_material: unknown material \"NMC9000\"") == true,
                "\(error?.message ?? "")")
    }

    @Test func wrongRoleMaterialIsRejected() {
        let error = Self.failure(Self.base.replacingOccurrences(of: #""active_material": "NMC811","#,
                                                                with: #""active_material": "NMC811", "electrolyte": "NMC811","#))
        #expect(error?.kind == .config)
        #expect(error?.message.contains("cathode.electrolyte") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("solid_electrolyte") == true)
        let collector = Self.failure(Self.base.replacingOccurrences(of: #""material": "Li6PS5Cl""#, with: #""material": "Cu""#))
        #expect(collector?.kind == .config)
        #expect(collector?.message.contains("separator.material") == true)
    }

    @Test func wrongTypesAndUnknownAnodeTypeAreRejected() {
        let error = Self.failure(Self.base.replacingOccurrences(of: #""thickness_um": 60"#, with: #""thickness_um": "60""#))
        #expect(error?.kind == .config)
        #expect(error?.message.contains("cathode.thickness_um must be a number") == true)
        let type = Self.failure(Self.base.replacingOccurrences(of: #""lithium_metal""#, with: #""sodium""#))
        #expect(type?.kind == .config)
        #expect(type?.message.contains("anode.type") == true)
        let notLi = Self.failure(Self.base.replacingOccurrences(of: #""type": "lithium_metal","#, with: #""type": "lithium_metal", "material": "Al","#))
        #expect(notLi?.kind == .config)
        #expect(notLi?.message.contains("anode.material") == true)
    }

    @Test func nonPercolatingCathodeIsRejected() {
        // 15 % SE with fine CAM (λ = 0.5): below the threshold 0.16 + 0.20/1.5 + 0.12·0.05 = 0.30.
        let error = Self.failure(Self.base
            .replacingOccurrences(of: #""active": 0.6, "electrolyte": 0.33"#, with: #""active": 0.78, "electrolyte": 0.15"#)
            .replacingOccurrences(of: #""active_particle_radius_um": 2.5"#, with: #""active_particle_radius_um": 0.5"#))
        #expect(error?.kind == .config)
        #expect(error?.message.contains("cathode.volume_fractions.electrolyte") == true)
        #expect(error?.message.contains("does not percolate") == true, "\(error?.message ?? "")")
    }

    @Test func cathodeWithoutElectronicPathIsRejected() {
        // No carbon, and 30 % CAM at λ = 2.5 is below the CAM network's threshold
        // φ_c(1/λ, p) = 0.16 + 0.20/1.4 + 0.12·0.05 = 0.309: electrons cannot reach the CAM.
        let text = Self.base.replacingOccurrences(
            of: #""active": 0.6, "electrolyte": 0.33, "carbon": 0.02"#,
            with: #""active": 0.3, "electrolyte": 0.65, "carbon": 0"#)
        let error = Self.failure(text)
        #expect(error?.kind == .config)
        #expect(error?.message.contains("cathode has no electronic path") == true, "\(error?.message ?? "")")
        // The same cathode with 60 % CAM conducts through the CAM network itself when the
        // database gives the CAM an electronic conductivity (NMC811 does), carbon-free.
        let carbonFree = Self.base.replacingOccurrences(of: #""electrolyte": 0.33, "carbon": 0.02"#,
                                                        with: #""electrolyte": 0.35, "carbon": 0"#)
        if ((try? MaterialDatabase.material(named: "NMC811"))?.value(MaterialKey.electronicConductivity) ?? 0) > 0 {
            #expect(Self.failure(carbonFree) == nil)
        }
    }

    @Test func badTemperaturesAreRejected() throws {
        let design = try CellDesign.fromJSON(Self.base)
        for (temperature, kind) in [(Double.nan, LithosError.Kind.invalidArgument), (.infinity, .invalidArgument),
                                    (25, .outOfRange), (1000, .outOfRange), (-300, .outOfRange)] {
            do throws(LithosError) {
                _ = try design.metrics(at: temperature)
                Issue.record("metrics(at: \(temperature)) must throw")
            } catch {
                #expect(error.kind == kind)
                #expect(error.message.contains("temperature_K"))
            }
        }
    }

    @Test func hostileInputsNeverTrap() {
        // Extreme but well-formed numbers everywhere must throw or succeed, never trap.
        let numbers = ["0", "-0", "1e308", "-1e308", "1e-308", "0.5", "1", "5000", "5001"]
        for n in numbers {
            for key in [#""thickness_um": 60"#, #""thickness_um": 30"#, #""thickness_um": 20"#, #""area_cm2": 1"#,
                        #""active_particle_radius_um": 2.5"#, #""electrolyte_particle_radius_um": 1.0"#, #""porosity": 0.05"#] {
                let name = key.split(separator: ":")[0]
                _ = Self.failure(Self.base.replacingOccurrences(of: key, with: "\(name): \(n)"))
            }
        }
        for text in ["", "null", "[]", "{}", "1", #"{"cathode": []}"#, #"{"anode": {"type": "composite"}}"#] {
            #expect(Self.failure(text) != nil)
        }
    }
}

@Test func builtInDefaultCellEqualsTheExampleFile() throws {
    // `lithos demo` uses the built-in copy; examples/cells/default.json is what users read.
    let url = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
    let text = try String(contentsOfFile: "/" + url + "/examples/cells/default.json", encoding: .utf8)
    #expect(try CellDesign.fromJSON(text) == BuiltInCells.defaultDesign())
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines)
            == BuiltInCells.defaultDesignJSON.trimmingCharacters(in: .whitespacesAndNewlines))
}
