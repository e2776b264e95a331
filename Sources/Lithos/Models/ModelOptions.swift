/// How to build a model from a cell design: which kind, its discretisation, thermal settings and
/// initial state. JSON (every key optional):
///
/// ```json
/// {"kind": "ecm", "initial_soc": 1.0, "initial_temperature_K": 298.15,
///  "rc_pairs": 2,
///  "thermal": {"enabled": true, "heat_capacity_J_per_K": 3.5, "heat_transfer_W_per_K": 0.2},
///  "ecm": { …ECM parameters (ECMParametersJSON)… }}
/// ```
/// - `kind`: "ecm", "ssb-spm" or "ssb-p2d" (docs/ssb-models.md).
/// - `mesh`: SSB discretisation, `{"particle_shells": 20, "cathode_nodes": 20}`.
/// - `ssb`: explicit SSB parameters (docs/ssb-models.md); when given, the cell design is not
///   needed.
/// - `rc_pairs`: RC pairs of an ECM derived from the design: 0 (Rint), 1 (+ cathode charge
///   transfer), 2 (+ solid diffusion). Default 2.
/// - `ecm`: explicit ECM parameters; when given, the cell design is not needed.
/// - `thermal`: overrides the thermal parameters derived from the design (or given in `ecm`).
public struct ModelOptions: Sendable {
    public enum Kind: String, Sendable {
        case ecm
        case ssbSPM = "ssb-spm"
        case ssbP2D = "ssb-p2d"
    }

    public var kind: Kind = .ecm
    public var initialSOC: Double = 1
    public var initialTemperature_K: Double = Physics.referenceTemperature_K
    public var derivedRCPairs: Int = 2
    public var thermalEnabled: Bool?
    public var heatCapacity_J_per_K: Double?
    public var heatTransfer_W_per_K: Double?
    public var explicitECM: ECMParameters<Double>?
    public var explicitSSB: SolidStateCellParameters?
    /// Radial shells per particle (SSB models).
    public var particleShells: Int = SolidStateSPM.defaultShellCount
    /// Through-thickness nodes of the composite cathode (SSB-P2D).
    public var cathodeNodes: Int = SolidStateP2D.defaultNodeCount

    public init() {}

    static let context = "model options"

    public static func fromJSON(_ text: String) throws(LithosError) -> ModelOptions {
        try from(json: JSONParser.parse(text))
    }

    public static func from(json: JSONValue) throws(LithosError) -> ModelOptions {
        var r = try JSONObjectReader(json, path: "", context: context)
        var o = ModelOptions()
        let kindName = try r.string("kind", default: "ecm")
        guard let kind = Kind(rawValue: kindName) else {
            throw r.fail("kind", "must be \"ecm\", \"ssb-spm\" or \"ssb-p2d\" (got \"\(kindName)\")")
        }
        o.kind = kind
        o.initialSOC = try r.number("initial_soc", default: 1, in: 0...1)
        o.initialTemperature_K = try r.number("initial_temperature_K", default: Physics.referenceTemperature_K,
                                              in: Validate.minimumTemperature_K...Validate.maximumTemperature_K)
        let pairs = try r.number("rc_pairs", default: 2, in: 0...2)
        guard pairs == pairs.rounded() else { throw r.fail("rc_pairs", "must be 0, 1 or 2 (got \(pairs))") }
        o.derivedRCPairs = Int(pairs)
        if var t = try r.optionalObject("thermal") {
            o.thermalEnabled = try t.optionalBool("enabled")
            if t.contains("heat_capacity_J_per_K") { o.heatCapacity_J_per_K = try t.positiveNumber("heat_capacity_J_per_K", maximum: 1e9) }
            if t.contains("heat_transfer_W_per_K") { o.heatTransfer_W_per_K = try t.number("heat_transfer_W_per_K", in: 0...1e6) }
            try t.finish()
        }
        if var mesh = try r.optionalObject("mesh") {
            let shells = try mesh.number("particle_shells", default: Double(o.particleShells),
                                         in: Double(SphericalParticleDiffusion.minimumShells)...Double(SphericalParticleDiffusion.maximumShells))
            let nodes = try mesh.number("cathode_nodes", default: Double(o.cathodeNodes), in: 2...500)
            guard shells == shells.rounded(), nodes == nodes.rounded() else {
                throw mesh.fail("particle_shells", "and cathode_nodes must be whole numbers")
            }
            o.particleShells = Int(shells)
            o.cathodeNodes = Int(nodes)
            try mesh.finish()
        }
        if let ssb = r.value("ssb") {
            o.explicitSSB = try SolidStateCellParameters.from(json: ssb)
        }
        if let ecm = r.value("ecm") {
            o.explicitECM = try ECMParameters.from(json: ecm)
        }
        try r.finish()
        return o
    }

    /// Applies the thermal overrides to `thermal`.
    func applyThermal(_ thermal: inout LumpedThermalModel<Double>) {
        if let e = thermalEnabled { thermal.enabled = e }
        if let c = heatCapacity_J_per_K { thermal.heatCapacity_J_per_K = c }
        if let h = heatTransfer_W_per_K { thermal.heatTransfer_W_per_K = h }
    }
}
