/// Reads one JSON object of a configuration document with path-aware, actionable errors:
/// "cell design: cathode.thickness_um must be a number (got a string)". Call `finish()` after
/// reading to reject keys nobody asked for (a misspelt key is an error, not silently ignored).
public struct JSONObjectReader {
    public let path: String
    private let members: [(key: String, value: JSONValue)]
    private var consumed: [String] = []
    private let context: String

    /// - Parameters:
    ///   - value: must be an object.
    ///   - path: dotted path of this object in the document ("" for the root).
    ///   - context: what the document is ("cell design"), prefixed to every message.
    public init(_ value: JSONValue, path: String, context: String) throws(LithosError) {
        guard case let .object(members) = value else {
            let place = path.isEmpty ? "the document" : path
            throw LithosError(.config, "\(context): \(place) must be a JSON object (got \(value.typeName))")
        }
        self.members = members
        self.path = path
        self.context = context
    }

    public func keyPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    public func fail(_ key: String, _ what: String) -> LithosError {
        fail(.config, key, what)
    }

    public func fail(_ kind: LithosError.Kind, _ key: String, _ what: String) -> LithosError {
        LithosError(kind, "\(context): \(keyPath(key)) \(what)")
    }

    public func contains(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// The raw value of `key`, marking it consumed; nil when absent or null.
    public mutating func value(_ key: String) -> JSONValue? {
        consumed.append(key)
        for member in members where member.key == key {
            if case .null = member.value { return nil }
            return member.value
        }
        return nil
    }

    public mutating func requiredValue(_ key: String) throws(LithosError) -> JSONValue {
        guard let v = value(key) else { throw fail(key, "is required but missing") }
        return v
    }

    public mutating func optionalNumber(_ key: String) throws(LithosError) -> Double? {
        guard let v = value(key) else { return nil }
        guard case let .number(x) = v else { throw fail(key, "must be a number (got \(v.typeName))") }
        return x
    }

    /// A number, checked against a closed range; `defaultValue` when absent.
    public mutating func number(_ key: String, default defaultValue: Double? = nil,
                                in range: ClosedRange<Double>? = nil) throws(LithosError) -> Double {
        let x: Double
        if let given = try optionalNumber(key) {
            x = given
        } else if let d = defaultValue {
            x = d
        } else {
            throw fail(key, "is required but missing")
        }
        if let r = range, !r.contains(x) {
            throw fail(.outOfRange, key, "must be within \(JSONWriter.number(r.lowerBound))…\(JSONWriter.number(r.upperBound)) (got \(JSONWriter.number(x)))")
        }
        return x
    }

    /// A strictly positive number below `maximum`.
    public mutating func positiveNumber(_ key: String, default defaultValue: Double? = nil,
                                        maximum: Double = .greatestFiniteMagnitude) throws(LithosError) -> Double {
        let x = try number(key, default: defaultValue)
        if !(x > 0) { throw fail(.outOfRange, key, "must be > 0 (got \(JSONWriter.number(x)))") }
        if x > maximum { throw fail(.outOfRange, key, "must be ≤ \(JSONWriter.number(maximum)) (got \(JSONWriter.number(x)))") }
        return x
    }

    public mutating func optionalString(_ key: String) throws(LithosError) -> String? {
        guard let v = value(key) else { return nil }
        guard case let .string(s) = v else { throw fail(key, "must be a string (got \(v.typeName))") }
        return s
    }

    public mutating func string(_ key: String, default defaultValue: String? = nil) throws(LithosError) -> String {
        if let s = try optionalString(key) { return s }
        if let d = defaultValue { return d }
        throw fail(key, "is required but missing")
    }

    public mutating func optionalBool(_ key: String) throws(LithosError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case let .bool(b) = v else { throw fail(key, "must be true or false (got \(v.typeName))") }
        return b
    }

    /// A nested object reader for `key`, or nil when absent.
    public mutating func optionalObject(_ key: String) throws(LithosError) -> JSONObjectReader? {
        guard let v = value(key) else { return nil }
        return try JSONObjectReader(v, path: keyPath(key), context: context)
    }

    public mutating func object(_ key: String) throws(LithosError) -> JSONObjectReader {
        guard let r = try optionalObject(key) else { throw fail(key, "is required but missing") }
        return r
    }

    /// Rejects keys that were never read. Keys starting with "_" or named "comment" are allowed
    /// as annotations.
    public func finish() throws(LithosError) {
        for member in members where !consumed.contains(member.key) {
            if member.key.hasPrefix("_") || member.key == "comment" || member.key == "description" { continue }
            let known = consumed.joined(separator: ", ")
            throw fail(member.key, "is not a known key here (known keys: \(known))")
        }
    }
}
