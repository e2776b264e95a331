import CLithos
import Lithos

// C entry points of section 3 of lithos.h: cell designs behind an opaque handle.

/// The object behind a `lithos_cell *`. Immutable once created, so it is safe to read from
/// several threads (the header still promises only one-thread-per-handle).
final class CellBox {
    let design: CellDesign
    init(_ design: CellDesign) { self.design = design }
}

func cellBox(_ pointer: OpaquePointer?, in function: StaticString) throws(LithosError) -> CellBox {
    let p = try require(pointer, "cell", in: function)
    return Unmanaged<CellBox>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}

func cMetrics(_ m: CellMetrics) -> lithos_cell_metrics {
    var c = lithos_cell_metrics()
    c.struct_size = MemoryLayout<lithos_cell_metrics>.size
    c.temperature_K = m.temperature_K
    c.area_m2 = m.area_m2
    c.theoretical_capacity_Ah = m.theoreticalCapacity_Ah
    c.practical_capacity_Ah = m.practicalCapacity_Ah
    c.areal_capacity_mAh_per_cm2 = m.arealCapacity_mAh_per_cm2
    c.np_ratio = m.npRatio
    c.nominal_voltage_V = m.nominalVoltage_V
    c.energy_Wh = m.energy_Wh
    c.stack_mass_kg = m.stackMass_kg
    c.stack_thickness_m = m.stackThickness_m
    c.specific_energy_Wh_per_kg = m.specificEnergy_Wh_per_kg
    c.energy_density_Wh_per_L = m.energyDensity_Wh_per_L
    c.cathode_loading_kg_per_m2 = m.cathodeLoading_kg_per_m2
    c.separator_conductivity_S_per_m = m.separatorConductivity_S_per_m
    c.separator_asr_ohm_m2 = m.separatorASR_ohm_m2
    c.cathode_ionic_conductivity_S_per_m = m.cathodeIonicConductivity_S_per_m
    c.cathode_electronic_conductivity_S_per_m = m.cathodeElectronicConductivity_S_per_m
    c.cathode_ionic_tortuosity_factor = m.cathodeIonicTortuosityFactor
    c.cathode_ionic_asr_ohm_m2 = m.cathodeIonicASR_ohm_m2
    c.stack_pressure_Pa = m.stackPressure_Pa
    return c
}

@_cdecl("lithos_cell_create")
public func lithos_cell_create(_ json: UnsafePointer<CChar>?,
                               _ outCell: UnsafeMutablePointer<OpaquePointer?>?) -> lithos_status {
    run("lithos_cell_create") { () throws(LithosError) in
        let out = try require(outCell, "out_cell", in: "lithos_cell_create")
        let text = string(from: try require(json, "design_json", in: "lithos_cell_create"))
        let design = try CellDesign.fromJSON(text)
        let box = CellBox(design)
        out.pointee = OpaquePointer(Unmanaged.passRetained(box).toOpaque())
    }
}

@_cdecl("lithos_cell_destroy")
public func lithos_cell_destroy(_ cell: OpaquePointer?) -> lithos_status {
    if let cell {
        Unmanaged<CellBox>.fromOpaque(UnsafeRawPointer(cell)).release()
    }
    return LITHOS_OK
}

@_cdecl("lithos_cell_metrics_at")
public func lithos_cell_metrics_at(_ cell: OpaquePointer?, _ temperature_K: Double,
                                   _ outMetrics: UnsafeMutablePointer<lithos_cell_metrics>?) -> lithos_status {
    run("lithos_cell_metrics_at") { () throws(LithosError) in
        let box = try cellBox(cell, in: "lithos_cell_metrics_at")
        let out = try require(outMetrics, "out_metrics", in: "lithos_cell_metrics_at")
        let metrics = try box.design.metrics(at: temperature_K)
        try copyOut(cMetrics(metrics), to: out, minimumSize: StructLayout.cellMetrics,
                    in: "lithos_cell_metrics_at")
    }
}

@_cdecl("lithos_cell_metrics_json")
public func lithos_cell_metrics_json(_ cell: OpaquePointer?, _ temperature_K: Double,
                                     _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                     _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_cell_metrics_json") { () throws(LithosError) in
        let box = try cellBox(cell, in: "lithos_cell_metrics_json")
        let metrics = try box.design.metrics(at: temperature_K)
        try copyOut(JSONWriter.write(metrics.toJSON()), buffer, capacity, outLength, in: "lithos_cell_metrics_json")
    }
}

@_cdecl("lithos_cell_design_json")
public func lithos_cell_design_json(_ cell: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?,
                                    _ capacity: UInt, _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_cell_design_json") { () throws(LithosError) in
        let box = try cellBox(cell, in: "lithos_cell_design_json")
        try copyOut(JSONWriter.write(box.design.toJSON(), pretty: true), buffer, capacity, outLength,
                    in: "lithos_cell_design_json")
    }
}
