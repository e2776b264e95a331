/// The inactive solids of a composite electrode besides the solid electrolyte. They are not
/// materials-database entries (no role in lithos.h); their densities are fixed here.
public enum ElectrodeAdditives {
    /// Conductive carbon (carbon black, Super P / C65 class) skeletal density [kg/m^3]:
    /// 1.9–2.0 g/cm^3 (manufacturer data, Imerys C-NERGY Super C65: 1.9–2.1 g/cm^3 helium
    /// pycnometry; graphite itself is 2.26 g/cm^3, amorphous carbon black slightly lower).
    public static let carbonDensity_kg_per_m3 = 1950.0
    /// Binder, PVDF, density [kg/m^3]: 1.75–1.80 g/cm^3 (Solvay Solef PVDF technical data;
    /// Arkema Kynar 1.78 g/cm^3). Used for any binder, since the schema has no binder type.
    public static let binderDensity_kg_per_m3 = 1780.0
}
