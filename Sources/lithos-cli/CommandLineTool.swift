#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lithos

/// Dispatches `lithos <command> …` and turns every failure into one line on stderr and a
/// non-zero exit status (1 = the command failed, 2 = the command line was wrong).
enum CommandLineTool {
    static let usage = """
    lithos — solid-state lithium battery simulation and BMS state estimation

    usage: lithos <command> [options]

    commands:
      demo                          design the default cell (NMC811 | Li6PS5Cl | Li), print its summary,
                                    run it through a US06 drive cycle (writes demo.csv, demo.svg)
      materials [--role ROLE] [--json]
                                    list the materials database (ROLE: cathode, solid_electrolyte,
                                    anode, current_collector)
      material NAME [--json]        one material: every property with unit and citation
      design CELL.json [--temperature-K T] [--json]
                                    derived metrics of a cell design (default T = 298.15 K)
      simulate --cell CELL.json [--model ecm|ssb-spm|ssb-p2d] [--options OPTIONS.json]
               --protocol FILE_OR_TEXT [--drive-cycle CYCLE.csv [--scale X]]
               [--out out.csv] [--ambient-K T] [--dt s] [--initial-soc z]
                                    run a protocol ("Discharge at 1C until 3.0 V; Rest for 1 hour";
                                    a file if one of that name exists) on a cell model, write the
                                    trace as CSV and print a summary (docs/protocols.md;
                                    models: docs/models.md, docs/ssb-models.md)
      simulate --pack PACK.json (--current-A I | --c-rate C | --drive-cycle CYCLE.csv [--scale X])
               [--duration-s T] [--dt s] [--ambient-K T] [--out out.csv] [--every N]
               [--balance CH[,CH…]] [--continue-past-limits]
                                    run an Ns x Np pack (docs/packs.md) with a current, a C-rate of
                                    the pack or a current/C-rate drive cycle until its end, --duration-s
                                    or a voltage limit; CSV with pack, cell and channel columns
      fit-ocv --data C20.csv [--charge CHARGE.csv] [--capacity-Ah Q] [--grid-step 0.005] --out ocv.json
                                    OCV(SOC) from a low-rate discharge (and charge) log: average branch
                                    and hysteresis half-width, monotone (docs/identification.md)
      fit-ecm --hppc FILE[,FILE…] --ocv ocv.json --capacity-Ah Q --out ecm.json [--rc-pairs 2]
              [--grid-step 0.01] [--ocv-source rests|table] [--no-thermal] [--validate FILE[,FILE…]]
                                    R0 and RC pairs per SOC and temperature from HPPC logs; writes the
                                    ECM JSON the model and estimator read; prints fit summaries
                                    (CSV logs: time_s,current_A,voltage_V,temperature_C|_K[,ah_Ah];
                                    discharge current positive; --discharge-negative for logs that count it negative)
      fit-capacity --data CYCLES.csv [--minimum-voltage V] [--maximum-voltage V] [--out capacity.json]
                                    capacity of every full discharge and coulombic/energy efficiency
                                    of every full charge → full discharge pair in a cycler log
      identify-ecm --cell CELL.json [--model ssb-p2d|ssb-spm] [--temperature-K T] [--rc-pairs 2] --out ecm.json
                                    an ECM for a designed cell: a virtual HPPC test on its physics
                                    model, fitted like cycler data (docs/identification.md)
      impedance --cell CELL.json [--model ssb-spm|ssb-p2d|ecm] [--soc 0.5] [--temperature-K T]
                [--from 1e-3] [--to 1e4] [--per-decade 10] [--out eis.csv]
                                    small-signal impedance spectrum of a model at rest; CSV
                                    frequency_Hz,re_ohm,im_ohm,… for Nyquist/Bode plots
      fit-eis --data eis.csv [--arcs 2] [--warburg none|semi-infinite|finite-space] [--inductance]
              --out fit.json [--spectrum-out fitted.csv]
                                    fit R0 [+ L] + N (R|CPE) arcs (0-4) [+ Warburg] to a measured
                                    spectrum (CSV frequency_Hz,re_ohm,im_ohm|minus_im_ohm; Im Z < 0
                                    capacitive); prints parameters with 95 % intervals
      drt --data eis.csv [--lambda 1e-5] [--points-per-decade 10] [--inductance] [--capacitance]
          --out drt.csv [--peaks-out peaks.csv]
                                    distribution of relaxation times (Tikhonov + non-negative least
                                    squares): gamma(tau), peaks with their resistances, R_inf
      estimate --data measured.csv --config estimator.json --out estimate.csv
               [--temperature-unit C|K] [--current-sign discharge-positive|discharge-negative]
               [--initial-soc X] [--algorithm ekf|ukf|coulomb]
                                    run the BMS state estimator over a measured log (CSV columns
                                    time_s,current_A,voltage_V,temperature_K|temperature_C[,soc]);
                                    writes SOC, its std, predicted voltage, SOH, 10 s SOP and faults
                                    per sample; with a reference soc column prints the SOC error
      emulate --pack PACK.json [--rate-hz 1000] [--listen 127.0.0.1:PORT] [--allow-remote]
              [--duration-s T] [--report-every-s S] [--snapshot-dir DIR] [--ambient-K T]
              [--summary-json FILE]
                                    real-time HIL cell emulator: a fixed-rate loop that takes the
                                    pack current, balancing, fault and snapshot commands from a
                                    BMS over UDP and answers with measured channel voltages and
                                    cell temperatures (protocol LHIL v1, docs/hil.md); prints
                                    missed deadlines and loop jitter (loopback unless --allow-remote)
      version                       print the library version
      help                          this text
    """

    static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            printError(usage)
            return 2
        }
        var options = Options(Array(arguments.dropFirst()))
        do {
            switch command {
            case "demo": try DemoCommand.run(&options)
            case "materials": try MaterialsCommand.list(&options)
            case "material": try MaterialsCommand.show(&options)
            case "design": try DesignCommand.run(&options)
            case "simulate": try SimulateCommand.run(&options)
            case "fit-ocv": try FitCommands.fitOCV(&options)
            case "fit-ecm": try FitCommands.fitECM(&options)
            case "fit-capacity": try CapacityCommand.run(&options)
            case "identify-ecm": try IdentifyCommand.run(&options)
            case "impedance": try ImpedanceCommand.run(&options)
            case "fit-eis": try ImpedanceAnalysisCommands.fitEIS(&options)
            case "drt": try ImpedanceAnalysisCommands.drt(&options)
            case "estimate": try EstimateCommand.run(&options)
            case "emulate": try EmulateCommand.run(&options)
            case "version", "--version": print(LithosVersion.string)
            case "help", "--help", "-h": print(usage)
            default:
                printError("lithos: unknown command '\(command)'; run `lithos help` for the list")
                return 2
            }
            return 0
        } catch let error as UsageError {
            printError("lithos \(command): \(error.message)")
            return 2
        } catch let error as LithosError {
            printError("lithos \(command): error: \(error.message)")
            return 1
        } catch {
            printError("lithos \(command): error: \(error)")
            return 1
        }
    }
}

struct UsageError: Error { var message: String }

func printError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    // Write straight to file descriptor 2: no shared C `stderr` global (Swift 6 concurrency).
    var bytes = Array(line.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// A minimal option parser: `--flag`, `--key value`, and positional arguments, with every
/// unrecognised option reported (no third-party argument parser: DESIGN.md).
struct Options {
    private var remaining: [String]

    init(_ arguments: [String]) { remaining = arguments }

    mutating func flag(_ name: String) -> Bool {
        if let i = remaining.firstIndex(of: name) { remaining.remove(at: i); return true }
        return false
    }

    mutating func value(_ name: String) throws -> String? {
        guard let i = remaining.firstIndex(of: name) else { return nil }
        guard i + 1 < remaining.count else { throw UsageError(message: "option \(name) needs a value") }
        let v = remaining[i + 1]
        remaining.removeSubrange(i...(i + 1))
        return v
    }

    mutating func number(_ name: String) throws -> Double? {
        guard let text = try value(name) else { return nil }
        guard let x = Double(text), x.isFinite else { throw UsageError(message: "option \(name) needs a number (got '\(text)')") }
        return x
    }

    mutating func positional(_ what: String) throws -> String {
        guard let i = remaining.firstIndex(where: { !$0.hasPrefix("--") }) else {
            throw UsageError(message: "missing \(what)")
        }
        return remaining.remove(at: i)
    }

    func finish() throws {
        if let extra = remaining.first {
            throw UsageError(message: "unexpected argument '\(extra)'; run `lithos help`")
        }
    }
}

/// Reads a whole file as UTF-8 text (invalid UTF-8 is repaired).
func readTextFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else {
        throw LithosError(.notFound, "cannot open '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count { break }
        if bytes.count > JSONParser.maximumLength {
            throw LithosError(.parse, "'\(path)' is larger than \(JSONParser.maximumLength) bytes")
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
