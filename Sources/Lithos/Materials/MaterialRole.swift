/// What a material does in a cell. Raw values equal the C `lithos_material_role` codes.
public enum MaterialRole: Int32, Sendable {
    case cathode = 1
    case solidElectrolyte = 2
    case anode = 3
    case currentCollector = 4

    public var name: String {
        switch self {
        case .cathode: return "cathode"
        case .solidElectrolyte: return "solid_electrolyte"
        case .anode: return "anode"
        case .currentCollector: return "current_collector"
        }
    }
}
