/// The library version; must match LITHOS_VERSION_MAJOR/MINOR/PATCH in Include/lithos.h
/// (a test checks that it does).
public enum LithosVersion {
    public static let major = 0
    public static let minor = 1
    public static let patch = 0
    public static let string: StaticString = "0.1.0"
    public static var number: Int { major * 10000 + minor * 100 + patch }
}
