import CLithos
import Lithos

// C entry points of section 2 of lithos.h: the static materials database.

func lookupMaterial(_ name: UnsafePointer<CChar>?, in function: StaticString) throws(LithosError) -> Material {
    let n = try require(name, "name", in: function)
    return try MaterialDatabase.material(named: string(from: n))
}

func fillProperty(_ p: MaterialProperty, _ out: UnsafeMutablePointer<lithos_material_property>,
                  in function: StaticString) throws(LithosError) {
    var value = lithos_material_property()
    value.struct_size = MemoryLayout<lithos_material_property>.size
    value.key = cString(p.key)
    value.value = p.value
    value.unit = cString(p.unit)
    value.citation = cString(p.citation)
    value.description = cString(p.description)
    try copyOut(value, to: out, minimumSize: StructLayout.materialProperty, in: function)
}

@_cdecl("lithos_material_count")
public func lithos_material_count(_ outCount: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_material_count") { () throws(LithosError) in
        let out = try require(outCount, "out_count", in: "lithos_material_count")
        out.pointee = MaterialDatabase.all.count
    }
}

@_cdecl("lithos_material_name")
public func lithos_material_name(_ index: UInt, _ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> lithos_status {
    run("lithos_material_name") { () throws(LithosError) in
        let out = try require(outName, "out_name", in: "lithos_material_name")
        let all = MaterialDatabase.all
        guard let i = intIndex(index), i < all.count else {
            throw LithosError(.notFound, "lithos_material_name: index \(index) is out of range (the database has \(all.count) materials)")
        }
        out.pointee = cString(all[i].name)
    }
}

@_cdecl("lithos_material_lookup")
public func lithos_material_lookup(_ name: UnsafePointer<CChar>?,
                                   _ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> lithos_status {
    run("lithos_material_lookup") { () throws(LithosError) in
        let out = try require(outName, "out_canonical_name", in: "lithos_material_lookup")
        let m = try lookupMaterial(name, in: "lithos_material_lookup")
        out.pointee = cString(m.name)
    }
}

@_cdecl("lithos_material_role_of")
public func lithos_material_role_of(_ name: UnsafePointer<CChar>?,
                                    _ outRole: UnsafeMutablePointer<lithos_material_role>?) -> lithos_status {
    run("lithos_material_role_of") { () throws(LithosError) in
        let out = try require(outRole, "out_role", in: "lithos_material_role_of")
        let m = try lookupMaterial(name, in: "lithos_material_role_of")
        out.pointee = lithos_material_role(rawValue: UInt32(m.role.rawValue))
    }
}

@_cdecl("lithos_material_property_count")
public func lithos_material_property_count(_ name: UnsafePointer<CChar>?,
                                           _ outCount: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_material_property_count") { () throws(LithosError) in
        let out = try require(outCount, "out_count", in: "lithos_material_property_count")
        let m = try lookupMaterial(name, in: "lithos_material_property_count")
        out.pointee = m.properties.count
    }
}

@_cdecl("lithos_material_property_at")
public func lithos_material_property_at(_ name: UnsafePointer<CChar>?, _ index: UInt,
                                        _ outProperty: UnsafeMutablePointer<lithos_material_property>?) -> lithos_status {
    run("lithos_material_property_at") { () throws(LithosError) in
        let out = try require(outProperty, "out_property", in: "lithos_material_property_at")
        let m = try lookupMaterial(name, in: "lithos_material_property_at")
        guard let i = intIndex(index), i < m.properties.count else {
            throw LithosError(.notFound, "lithos_material_property_at: index \(index) is out of range (\(m.name) has \(m.properties.count) properties)")
        }
        try fillProperty(m.properties[i], out, in: "lithos_material_property_at")
    }
}

@_cdecl("lithos_material_property_get")
public func lithos_material_property_get(_ name: UnsafePointer<CChar>?, _ key: UnsafePointer<CChar>?,
                                         _ outProperty: UnsafeMutablePointer<lithos_material_property>?) -> lithos_status {
    run("lithos_material_property_get") { () throws(LithosError) in
        let out = try require(outProperty, "out_property", in: "lithos_material_property_get")
        let k = string(from: try require(key, "key", in: "lithos_material_property_get"))
        let m = try lookupMaterial(name, in: "lithos_material_property_get")
        guard let p = m.property(k) else {
            let keys = m.properties.map { $0.key.description }.joined(separator: ", ")
            throw LithosError(.notFound, "lithos_material_property_get: \(m.name) has no property \"\(k)\" (it has: \(keys))")
        }
        try fillProperty(p, out, in: "lithos_material_property_get")
    }
}

@_cdecl("lithos_material_ionic_conductivity")
public func lithos_material_ionic_conductivity(_ name: UnsafePointer<CChar>?, _ temperature_K: Double,
                                               _ out: UnsafeMutablePointer<Double>?) -> lithos_status {
    run("lithos_material_ionic_conductivity") { () throws(LithosError) in
        let o = try require(out, "out_conductivity_S_per_m", in: "lithos_material_ionic_conductivity")
        let m = try lookupMaterial(name, in: "lithos_material_ionic_conductivity")
        o.pointee = try m.ionicConductivity(at: temperature_K)
    }
}

@_cdecl("lithos_material_open_circuit_potential")
public func lithos_material_open_circuit_potential(_ name: UnsafePointer<CChar>?, _ stoichiometry: Double,
                                                   _ temperature_K: Double,
                                                   _ out: UnsafeMutablePointer<Double>?) -> lithos_status {
    run("lithos_material_open_circuit_potential") { () throws(LithosError) in
        let o = try require(out, "out_potential_V", in: "lithos_material_open_circuit_potential")
        let m = try lookupMaterial(name, in: "lithos_material_open_circuit_potential")
        o.pointee = try m.openCircuitPotential(stoichiometry: stoichiometry, temperature_K: temperature_K)
    }
}

@_cdecl("lithos_material_entropic_coefficient")
public func lithos_material_entropic_coefficient(_ name: UnsafePointer<CChar>?, _ stoichiometry: Double,
                                                 _ out: UnsafeMutablePointer<Double>?) -> lithos_status {
    run("lithos_material_entropic_coefficient") { () throws(LithosError) in
        let o = try require(out, "out_dUdT_V_per_K", in: "lithos_material_entropic_coefficient")
        let m = try lookupMaterial(name, in: "lithos_material_entropic_coefficient")
        o.pointee = try m.entropicCoefficient(stoichiometry: stoichiometry)
    }
}

@_cdecl("lithos_material_diffusivity")
public func lithos_material_diffusivity(_ name: UnsafePointer<CChar>?, _ temperature_K: Double,
                                        _ out: UnsafeMutablePointer<Double>?) -> lithos_status {
    run("lithos_material_diffusivity") { () throws(LithosError) in
        let o = try require(out, "out_diffusivity_m2_per_s", in: "lithos_material_diffusivity")
        let m = try lookupMaterial(name, in: "lithos_material_diffusivity")
        o.pointee = try m.diffusivity(at: temperature_K)
    }
}

@_cdecl("lithos_material_json")
public func lithos_material_json(_ name: UnsafePointer<CChar>?, _ buffer: UnsafeMutablePointer<CChar>?,
                                 _ capacity: UInt, _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_material_json") { () throws(LithosError) in
        let m = try lookupMaterial(name, in: "lithos_material_json")
        try copyOut(JSONWriter.write(m.toJSON()), buffer, capacity, outLength, in: "lithos_material_json")
    }
}

@_cdecl("lithos_materials_json")
public func lithos_materials_json(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                  _ outLength: UnsafeMutablePointer<Int>?) -> lithos_status {
    run("lithos_materials_json") { () throws(LithosError) in
        try copyOut(JSONWriter.write(MaterialDatabase.toJSON()), buffer, capacity, outLength, in: "lithos_materials_json")
    }
}
