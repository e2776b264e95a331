/// What every model derived from a cell design takes from it the same way — the design-derived
/// ECM (`ECMFromCellDesign`) and the SSB models (`SolidStateCellParameters(design:)`) — so the
/// two stay consistent: the Li-metal kinetics, the collectors' resistance, the lumped thermal
/// model and the terminal-voltage window.
enum DesignDerivedCell {
    /// Li plating/stripping exchange current of the negative side: the foil material's (or
    /// `ECMFromCellDesign.defaultLithiumExchangeCurrent_A_per_m2`), the default for an
    /// anode-free cell; nil for a composite anode.
    static func lithiumExchangeCurrent(_ design: CellDesign) -> ArrheniusLaw? {
        switch design.anode {
        case let .lithiumMetal(foil):
            return ArrheniusLaw(valueAt25C: foil.material.value(MaterialKey.exchangeCurrentDensity) ?? ECMFromCellDesign.defaultLithiumExchangeCurrent_A_per_m2,
                                activationEnergy_J_per_mol: foil.material.value(MaterialKey.kineticsActivationEnergy) ?? 0)
        case .anodeFree:
            return ArrheniusLaw(valueAt25C: ECMFromCellDesign.defaultLithiumExchangeCurrent_A_per_m2, activationEnergy_J_per_mol: 0)
        case .composite:
            return nil
        }
    }

    /// In-plane resistance of both collector foils [Ω·m² of electrode]
    /// (`CurrentCollectorLayer.inPlaneASR_ohm_m2`).
    static func collectorASR_ohm_m2(_ design: CellDesign) -> Double {
        design.collectors.positive.inPlaneASR_ohm_m2(area_m2: design.area_m2)
            + design.collectors.negative.inPlaneASR_ohm_m2(area_m2: design.area_m2)
    }

    /// Lumped thermal model: C = stack mass × `ECMFromCellDesign.specificHeat_J_per_kgK`,
    /// hA = h·2A (both faces cooled).
    static func thermal(_ design: CellDesign, _ metrics: CellMetrics) -> LumpedThermalModel<Double> {
        LumpedThermalModel(enabled: true,
                           heatCapacity_J_per_K: metrics.stackMass_kg * ECMFromCellDesign.specificHeat_J_per_kgK,
                           heatTransfer_W_per_K: ECMFromCellDesign.heatTransferCoefficient_W_per_m2K * 2 * design.area_m2)
    }

    /// Terminal-voltage window [V]: the cathode material's limits vs Li⁺/Li minus the negative's
    /// mid-window potential; where the material gives no limit, `fullOCV_V` above and
    /// `emptyOCV_V` − 0.5 V below (room for overpotential).
    static func voltageWindow(_ design: CellDesign, _ ocv: CellOpenCircuitVoltage, emptyOCV_V: Double,
                              fullOCV_V: Double) -> (minimum_V: Double, maximum_V: Double) {
        let cam = design.cathode.activeMaterial
        let upper = cam.value(MaterialKey.upperVoltageLimit) ?? fullOCV_V
        let lower = cam.value(MaterialKey.lowerVoltageLimit) ?? (emptyOCV_V - 0.5)
        let anodeMid = ocv.negative.potential(0.5 * (ocv.negativeCharged + ocv.negativeDischarged), temperature_K: Physics.referenceTemperature_K)
        return (lower - anodeMid, upper - anodeMid)
    }
}
