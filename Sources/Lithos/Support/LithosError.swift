/// The one error type the Lithos core throws. `kind` maps one-to-one onto the C ABI's
/// `lithos_status`, and `message` is what `lithos_last_error_message()` shows: it says what was
/// wrong and, where possible, how to fix it.
public struct LithosError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Error categories; raw values equal the C `lithos_status` codes.
    public enum Kind: Int32, Sendable {
        case nullArgument = 1
        case invalidArgument = 2
        case outOfRange = 3
        case parse = 4
        case config = 5
        case notFound = 6
        case bufferTooSmall = 7
        case structSize = 8
        case notSupported = 9
        case outOfMemory = 10
        case `internal` = 11
    }

    public var kind: Kind
    public var message: String

    #if hasFeature(Embedded)
    /// Embedded Swift (the firmware build, scripts/firmware): the message is never built — the
    /// firmware API reports the kind only, and formatting numbers into strings would add more
    /// code than the estimator itself.
    @inline(__always)
    public init(_ kind: Kind, _ message: @autoclosure () -> String) {
        self.kind = kind
        self.message = ""
    }
    #else
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    #endif

    public var description: String { message }
}

/// Validation helpers shared by every layer that accepts numbers from outside.
public enum Validate {
    /// Temperatures accepted anywhere in the API [K] (-100 °C … 400 °C); mirrors
    /// `LITHOS_TEMPERATURE_MIN_K`/`MAX_K` in lithos.h.
    public static let minimumTemperature_K = 173.15
    public static let maximumTemperature_K = 673.15

    @inlinable
    public static func finite(_ value: Double, _ name: String) throws(LithosError) {
        if !value.isFinite {
            throw LithosError(.invalidArgument, "\(name) must be a finite number (got \(value))")
        }
    }

    public static func temperature(_ value: Double, _ name: String = "temperature_K") throws(LithosError) {
        try finite(value, name)
        if value < minimumTemperature_K || value > maximumTemperature_K {
            throw LithosError(.outOfRange,
                "\(name) must be within \(minimumTemperature_K)…\(maximumTemperature_K) K (got \(value) K; did you pass °C?)")
        }
    }

    public static func unitInterval(_ value: Double, _ name: String) throws(LithosError) {
        try finite(value, name)
        if value < 0 || value > 1 {
            throw LithosError(.outOfRange, "\(name) must be within 0…1 (got \(value))")
        }
    }
}
