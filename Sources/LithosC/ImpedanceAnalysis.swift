import CLithos
import Lithos

// C entry points of section 8 of lithos.h: equivalent-circuit fit and DRT of a measured
// impedance spectrum. One-off computations (they allocate); results are library-owned JSON
// strings (lithos_string_free).

/// A spectrum from C arrays, every value checked (nothing written on error).
private func spectrum(_ f: UnsafePointer<Double>?, _ re: UnsafePointer<Double>?, _ im: UnsafePointer<Double>?,
                      _ n: UInt, in function: StaticString) throws(LithosError) -> ImpedanceSpectrum {
    guard n >= 1, n <= 1_000_000 else { throw LithosError(.outOfRange, "n = \(n) must be within 1…1e6 frequencies") }
    let f = try require(f, "frequencies_Hz", in: function)
    let re = try require(re, "re_ohm", in: function)
    let im = try require(im, "im_ohm", in: function)
    let count = Int(n)
    var frequencies: [Double] = [], z: [ComplexNumber] = []
    frequencies.reserveCapacity(count)
    z.reserveCapacity(count)
    for k in 0..<count {
        guard f[k].isFinite, re[k].isFinite, im[k].isFinite else {
            throw LithosError(.invalidArgument, "point \(k) (f = \(f[k]) Hz, Z = \(re[k]) + \(im[k])j Ω) is not finite")
        }
        guard f[k] > 0, f[k] <= 1e9 else { throw LithosError(.outOfRange, "frequencies_Hz[\(k)] = \(f[k]) is not within (0, 1e9] Hz") }
        frequencies.append(f[k])
        z.append(ComplexNumber(re[k], im[k]))
    }
    return try ImpedanceSpectrum(frequency_Hz: frequencies, impedance_ohm: z)
}

@_cdecl("lithos_fit_eis")
public func lithos_fit_eis(_ f: UnsafePointer<Double>?, _ re: UnsafePointer<Double>?, _ im: UnsafePointer<Double>?, _ n: UInt,
                           _ optionsJSON: UnsafePointer<CChar>?,
                           _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> lithos_status {
    run("lithos_fit_eis") { () throws(LithosError) in
        let out = try require(outJSON, "out_fit_json", in: "lithos_fit_eis")
        let data = try spectrum(f, re, im, n, in: "lithos_fit_eis")
        let (topology, options) = try optionsJSON.map { p throws(LithosError) in try ImpedanceAnalysisJSON.fitOptions(string(from: p)) }
            ?? (EquivalentCircuitTopology(arcCount: 2), EquivalentCircuitFitOptions())
        let fit = try EquivalentCircuitFit.fit(data, topology: topology, options: options)
        out.pointee = ownedCString(JSONWriter.write(fit.toJSON(), pretty: false))
    }
}

@_cdecl("lithos_drt")
public func lithos_drt(_ f: UnsafePointer<Double>?, _ re: UnsafePointer<Double>?, _ im: UnsafePointer<Double>?, _ n: UInt,
                       _ optionsJSON: UnsafePointer<CChar>?,
                       _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> lithos_status {
    run("lithos_drt") { () throws(LithosError) in
        let out = try require(outJSON, "out_drt_json", in: "lithos_drt")
        let data = try spectrum(f, re, im, n, in: "lithos_drt")
        let options = try optionsJSON.map { p throws(LithosError) in try ImpedanceAnalysisJSON.drtOptions(string(from: p)) } ?? DRTOptions()
        let drt = try DistributionOfRelaxationTimes.compute(data, options: options)
        out.pointee = ownedCString(JSONWriter.write(drt.toJSON(), pretty: false))
    }
}
