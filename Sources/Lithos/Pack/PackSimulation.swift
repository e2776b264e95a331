/// A pack of Ns × Np cells of one model kind (`PackConfiguration`), stepped with the pack
/// current. Generic over the cell model so every cell call is statically dispatched; `AnyPack`
/// picks the kind at run time.
///
/// One step of dt (`step`):
/// 1. heat sources of each cell, explicit from the state at the start of the step: thermal
///    event, internal-short heat G·V², bleed heat (with `bleedHeatToCells`), and conduction to
///    the grid neighbours G_eff·(T_j − T_k) with G_eff = G/(1 + 4·G·dt/C_min) (never overshoots);
/// 2. every parallel group's current split (`ParallelGroupSolver`, trials only);
/// 3. every cell commits its current (on a failure the committed cells are restored: the pack
///    is unchanged on error);
/// 4. group (node) voltages, bleed currents, pack voltage Σ V_node − I·Ns·R_ic, measured values
///    and the output.
/// Stepping does not allocate: every array is sized at creation.
public struct PackSimulation<Cell: CellModel> {
    public let configuration: PackConfiguration
    public let variation: CellVariation
    var cells: [Cell]
    let heatCapacity_J_per_K: [Double]
    let cellCapacity_Ah: [Double]
    let currentLimit_A: [Double]
    let minimumVoltage_V: Double
    let maximumVoltage_V: Double
    var solver: ParallelGroupSolver
    public internal(set) var faults: PackFaults
    /// Bleed resistor switched on, per voltage channel.
    public internal(set) var balancing: [Bool]
    var cellCurrent_A: [Double]
    /// `cellCurrent_A` at the start of the step (restored when the step fails).
    var previousCellCurrent_A: [Double]
    var terminalCurrent_A: [Double]
    var groupVoltage_V: [Double]
    var balancingCurrent_A: [Double]
    var measuredVoltage_V: [Double]
    var heatSource_W: [Double]
    var rollback: [Double]
    let cellStateOffsets: [Int]
    public internal(set) var output = PackOutput()

    public var series: Int { configuration.series }
    public var parallel: Int { configuration.parallel }
    public var cellCount: Int { cells.count }

    /// - Parameters:
    ///   - cells: the Ns·Np cells in cell order, already varied and initialised.
    ///   - heatCapacities: each cell's thermal heat capacity [J/K] (for the coupling damping).
    init(configuration c: PackConfiguration, variation: CellVariation, cells: [Cell], heatCapacities: [Double],
         minimumVoltage_V: Double, maximumVoltage_V: Double) {
        configuration = c
        self.variation = variation
        self.cells = cells
        heatCapacity_J_per_K = heatCapacities
        cellCapacity_Ah = cells.map { $0.capacity_Ah }
        currentLimit_A = cells.map { 100 * $0.capacity_Ah }
        self.minimumVoltage_V = minimumVoltage_V
        self.maximumVoltage_V = maximumVoltage_V
        let n = cells.count, ns = c.series
        solver = ParallelGroupSolver(parallel: c.parallel)
        faults = PackFaults(series: ns, cells: n)
        balancing = Array(repeating: false, count: ns)
        cellCurrent_A = Array(repeating: 0, count: n)
        previousCellCurrent_A = cellCurrent_A
        terminalCurrent_A = cellCurrent_A
        heatSource_W = cellCurrent_A
        groupVoltage_V = Array(repeating: 0, count: ns)
        balancingCurrent_A = groupVoltage_V
        measuredVoltage_V = groupVoltage_V
        var offsets: [Int] = []
        var total = 0
        for cell in cells { offsets.append(total); total += cell.stateCount }
        cellStateOffsets = offsets
        rollback = Array(repeating: 0, count: total)
        refresh(current: 0)
        output.time_s = 0
    }

    // MARK: step

    /// Steps the pack with pack current `current` [A] (discharge positive; 0 is used while the
    /// contactor is open) for dt_s [s] at ambient temperature ambient_K [K]. Crossed limits are
    /// reported in `output.limits`, not thrown. On error nothing changes.
    public mutating func step(current commanded: Double, dt_s: Double, ambient_K: Double) throws(LithosError) -> PackOutput {
        try Validate.finite(commanded, "pack current")
        guard abs(commanded) <= 1e6 else { throw LithosError(.outOfRange, "pack current must be within ±1e6 A (got \(commanded))") }
        try StepInput.current(0, dt_s: dt_s, ambient_K: ambient_K).validate()
        let current = faults.contactorOpen ? 0 : commanded
        let ns = series, np = parallel, n = cellCount
        let rt = configuration.tabResistance_ohm
        let gb = 1 / configuration.bleedResistance_ohm

        // 1. Heat sources (explicit).
        for k in 0..<n {
            let v = cells[k].output.voltage_V
            heatSource_W[k] = faults.thermalEvent_W[k] + faults.shortConductance_S[k] * v * v
        }
        if configuration.bleedHeatToCells {
            for s in 0..<ns where balancingCurrent_A[s] != 0 {
                let share = balancingCurrent_A[s] * groupVoltage_V[s] / Double(np)
                for p in 0..<np { heatSource_W[s * np + p] += share }
            }
        }
        let g = configuration.thermalCoupling_W_per_K
        if g > 0 {
            for s in 0..<ns {
                for p in 0..<np {
                    let k = s * np + p
                    if p + 1 < np { exchange(k, k + 1, g, dt_s) }
                    if s + 1 < ns { exchange(k, k + np, g, dt_s) }
                }
            }
        }

        // 2. Current split of every group (trials only; the warm-start currents are restored on error).
        for k in 0..<n { previousCellCurrent_A[k] = cellCurrent_A[k] }
        do {
            try split(current: current, gb: gb, rt: rt, dt_s: dt_s, ambient_K: ambient_K)
        } catch {
            for k in 0..<n { cellCurrent_A[k] = previousCellCurrent_A[k] }
            throw error
        }

        // 3. Commit (restore the committed cells if one fails).
        for k in 0..<n {
            let offset = cellStateOffsets[k]
            rollback.withUnsafeMutableBufferPointer { b in
                cells[k].writeState(to: UnsafeMutableBufferPointer(rebasing: b[offset ..< offset + cells[k].stateCount]))
            }
            do {
                _ = try cells[k].step(StepInput(mode: .current, value: cellCurrent_A[k], dt_s: dt_s, ambient_K: ambient_K,
                                                heatSource_W: heatSource_W[k]))
            } catch {
                for j in 0..<k { restoreCell(j) }
                for j in 0..<n { cellCurrent_A[j] = previousCellCurrent_A[j] }
                throw LithosError(error.kind, "cell \(k): \(error.message)")
            }
        }

        // 4. Outputs.
        output.time_s += dt_s
        refresh(current: current)
        output.dischargedCharge_Ah += current * dt_s / 3600
        output.dischargedEnergy_Wh += current * output.voltage_V * dt_s / 3600
        output.splitCurrentResidual_A = splitResult.residual
        output.splitVoltageSpread_V = splitResult.spread
        output.splitIterations = splitResult.iterations
        return output
    }

    /// Worst figures of the last split.
    var splitResult = (residual: 0.0, spread: 0.0, iterations: 0)

    /// Every group's current split into `cellCurrent_A` (trials only).
    private mutating func split(current: Double, gb: Double, rt: Double, dt_s: Double, ambient_K: Double) throws(LithosError) {
        let ns = series, np = parallel
        var residual = 0.0, spread = 0.0, iterations = 0
        for s in 0..<ns {
            let gbs = bleedConductance(s, gb)
            var needsSolve = np > 1 || gbs != 0
            if !needsSolve { needsSolve = faults.shortConductance_S[s * np] != 0 }
            if !needsSolve {
                guard abs(current) <= currentLimit_A[s * np] else {
                    throw LithosError(.outOfRange, "cell \(s * np) cannot carry \(current) A (beyond 100C = \(currentLimit_A[s * np]) A)")
                }
                cellCurrent_A[s * np] = current
                continue
            }
            var groupLimit = 0.0
            for p in 0..<np { groupLimit += currentLimit_A[s * np + p] }
            guard abs(current) <= groupLimit else {
                throw LithosError(.outOfRange, "parallel group \(s) cannot carry \(current) A (beyond 100C of its cells = \(groupLimit) A)")
            }
            // Warm start: the last split shifted by the change of the group current.
            let shift = (current - output.current_A) / Double(np)
            for p in 0..<np {
                let k = s * np + p
                cellCurrent_A[k] = min(max(cellCurrent_A[k] + shift, -currentLimit_A[k]), currentLimit_A[k])
            }
            let r = try solveGroup(s, current: current, bleed: gbs, tab: rt, dt: dt_s, ambient: ambient_K)
            residual = max(residual, r.currentResidual_A)
            spread = max(spread, r.voltageSpread_V)
            iterations = max(iterations, r.iterations)
        }
        splitResult = (residual, spread, iterations)
    }

    private mutating func restoreCell(_ j: Int) {
        let offset = cellStateOffsets[j]
        let count = cells[j].stateCount
        rollback.withUnsafeBufferPointer { b in
            try? cells[j].readState(from: UnsafeBufferPointer(rebasing: b[offset ..< offset + count]))
        }
    }

    @inline(__always)
    private mutating func exchange(_ k: Int, _ j: Int, _ g: Double, _ dt: Double) {
        let c = min(heatCapacity_J_per_K[k], heatCapacity_J_per_K[j])
        let geff = g / (1 + 4 * g * dt / c)
        let q = geff * (cells[j].output.temperature_K - cells[k].output.temperature_K)
        heatSource_W[k] += q
        heatSource_W[j] -= q
    }

    /// Bleed conductance of channel s [S]: on, and both its sense wires intact.
    @inline(__always)
    func bleedConductance(_ s: Int, _ gb: Double) -> Double {
        balancing[s] && !faults.wireOpen(s) && !faults.wireOpen(s + 1) ? gb : 0
    }

    private mutating func solveGroup(_ s: Int, current: Double, bleed: Double, tab: Double, dt: Double,
                                     ambient: Double) throws(LithosError) -> ParallelGroupSolver.Result {
        try solver.solve(&cells, first: s * parallel, count: parallel, groupCurrent: current, bleedConductance: bleed,
                         tabResistance: tab, shortConductance: faults.shortConductance_S, currentLimit: currentLimit_A,
                         currents: &cellCurrent_A, dt_s: dt, ambient_K: ambient, group: s)
    }

    /// Derived values from the cells' outputs: terminal currents, node voltages, bleed currents,
    /// pack voltage, measured values and the output's extremes and flags.
    mutating func refresh(current: Double) {
        let ns = series, np = parallel, n = cellCount
        let rt = configuration.tabResistance_ohm
        let gb = 1 / configuration.bleedResistance_ohm
        var o = output
        var socSum = 0.0, capacitySum = 0.0, heat = 0.0, limits: UInt32 = 0
        o.minimumSOC = .infinity; o.maximumSOC = -.infinity
        o.minimumCellVoltage_V = .infinity; o.maximumCellVoltage_V = -.infinity
        o.minimumTemperature_K = .infinity; o.maximumTemperature_K = -.infinity
        var stack = 0.0, bleedTotal = 0.0, bleedPower = 0.0
        for s in 0..<ns {
            var node = 0.0
            for p in 0..<np {
                let k = s * np + p
                let co = cells[k].output
                let gs = faults.shortConductance_S[k]
                let e = co.current_A - gs * co.voltage_V
                terminalCurrent_A[k] = e
                node += co.voltage_V - rt * e
                socSum += co.soc * cellCapacity_Ah[k]; capacitySum += cellCapacity_Ah[k]
                o.minimumSOC = min(o.minimumSOC, co.soc); o.maximumSOC = max(o.maximumSOC, co.soc)
                o.minimumCellVoltage_V = min(o.minimumCellVoltage_V, co.voltage_V)
                o.maximumCellVoltage_V = max(o.maximumCellVoltage_V, co.voltage_V)
                o.minimumTemperature_K = min(o.minimumTemperature_K, co.temperature_K)
                o.maximumTemperature_K = max(o.maximumTemperature_K, co.temperature_K)
                heat += co.heatGeneration_W + rt * e * e + gs * co.voltage_V * co.voltage_V
                limits |= co.limits.rawValue
            }
            node /= Double(np)
            groupVoltage_V[s] = node
            let ib = bleedConductance(s, gb) * node
            balancingCurrent_A[s] = ib
            bleedTotal += ib
            bleedPower += ib * node
            stack += node
        }
        let ric = configuration.interconnectResistance_ohm * Double(ns)
        o.current_A = current
        o.measuredCurrent_A = current + faults.currentOffset_A
        o.voltage_V = stack - current * ric
        o.power_W = o.voltage_V * current
        o.soc = socSum / capacitySum
        o.balancingCurrent_A = bleedTotal
        o.balancingPower_W = bleedPower
        o.heatGeneration_W = heat + bleedPower + current * current * ric
        if o.voltage_V < minimumVoltage_V { limits |= PackOutput.packVoltageLow }
        if o.voltage_V > maximumVoltage_V { limits |= PackOutput.packVoltageHigh }
        o.limits = limits
        o.activeFaults = faults.activeBits
        output = o
        _ = n
        measure()
    }

    /// Measured channel voltages: true group voltages, then open sense wires (ascending wire
    /// order), then offsets, then stuck values (`PackFaults`).
    mutating func measure() {
        let ns = series
        for s in 0..<ns { measuredVoltage_V[s] = groupVoltage_V[s] }
        for w in 0...ns where faults.wireOpen(w) {
            if w == 0 { measuredVoltage_V[0] = 0; continue }
            if w == ns { measuredVoltage_V[ns - 1] = 0; continue }
            let sum = measuredVoltage_V[w - 1] + measuredVoltage_V[w]
            let x = faults.openWireFraction[w]
            measuredVoltage_V[w - 1] = x * sum
            measuredVoltage_V[w] = (1 - x) * sum
        }
        for s in 0..<ns {
            measuredVoltage_V[s] += faults.voltageOffset_V[s]
            if !faults.voltageStuck_V[s].isNaN { measuredVoltage_V[s] = faults.voltageStuck_V[s] }
        }
    }

    /// Writes quantity `q` (length `length(of:)`) to `buffer`; returns the count written.
    public func write(_ q: PackQuantity, to buffer: UnsafeMutableBufferPointer<Double>) -> Int {
        let count = min(length(of: q), buffer.count)
        for i in 0..<count {
            switch q {
            case .cellVoltage: buffer[i] = cells[i].output.voltage_V
            case .cellCurrent: buffer[i] = cells[i].output.current_A
            case .cellSOC: buffer[i] = cells[i].output.soc
            case .cellTemperature: buffer[i] = cells[i].output.temperature_K
            case .cellHeat: buffer[i] = cells[i].output.heatGeneration_W
            case .cellShortCurrent: buffer[i] = faults.shortConductance_S[i] * cells[i].output.voltage_V
            case .groupVoltage: buffer[i] = groupVoltage_V[i]
            case .measuredVoltage: buffer[i] = measuredVoltage_V[i]
            case .balancingCurrent: buffer[i] = balancingCurrent_A[i]
            case .measuredTemperature:
                let stuck = faults.temperatureStuck_K[i]
                buffer[i] = stuck.isNaN ? cells[i].output.temperature_K + faults.temperatureOffset_K[i] : stuck
            case .cellOpenCircuitVoltage: buffer[i] = cells[i].output.openCircuitVoltage_V
            case .cellTerminalCurrent: buffer[i] = terminalCurrent_A[i]
            case .cellCapacity: buffer[i] = cellCapacity_Ah[i]
            case .cellResistanceFactor: buffer[i] = variation.cells[i].resistanceFactor
            }
        }
        return count
    }

    public func length(of q: PackQuantity) -> Int { q.isPerChannel ? series : cellCount }

    /// One cell's model output (read-only).
    public func cellOutput(_ k: Int) -> ModelOutput { cells[k].output }

    // MARK: commands

    /// Switches the bleed resistors: `on[s]` for channel s (exactly Ns values). Takes effect
    /// from the next step; the reported balancing currents update now.
    public mutating func setBalancing(_ on: UnsafeBufferPointer<UInt8>) throws(LithosError) {
        guard on.count == series else {
            throw LithosError(.outOfRange, "balancing: \(on.count) values given, the pack has \(series) voltage channels")
        }
        for s in 0..<series { balancing[s] = on[s] != 0 }
        refresh(current: output.current_A)
    }

    public mutating func injectFault(_ kind: PackFaultKind, index: Int, value: Double) throws(LithosError) {
        try faults.inject(kind, index: index, value: value)
        refresh(current: output.current_A)
    }

    public mutating func clearFault(_ kind: PackFaultKind, index: Int) throws(LithosError) {
        try faults.clear(kind, index: index)
        refresh(current: output.current_A)
    }

    public mutating func clearFaults() {
        faults.clearAll()
        refresh(current: output.current_A)
    }

    /// Puts every cell at rest at `soc` and `temperature_K` plus its own variation offsets
    /// (clamped); time and counters restart. Faults and balancing stay as they are.
    public mutating func reset(soc: Double, temperature_K: Double) throws(LithosError) {
        try Validate.unitInterval(soc, "soc")
        try Validate.temperature(temperature_K)
        for k in 0..<cellCount {
            let c = variation.cells[k]
            try cells[k].reset(soc: CellVariation.soc(soc, c), temperature_K: CellVariation.temperature(temperature_K, c))
            cellCurrent_A[k] = 0
        }
        output = PackOutput()
        refresh(current: 0)
    }

    // MARK: state

    /// Doubles of the pack's own state: output, balancing, warm-start currents, faults.
    var packStateCount: Int { PackOutput.stateCount + series + cellCount + faults.stateCount }

    func writePackState(to b: UnsafeMutableBufferPointer<Double>) {
        output.write(to: b, at: 0)
        var k = PackOutput.stateCount
        for s in 0..<series { b[k] = balancing[s] ? 1 : 0; k += 1 }
        for i in 0..<cellCount { b[k] = cellCurrent_A[i]; k += 1 }
        faults.write(to: b, at: k)
    }

    /// Validates the pack state, then (with the cells already loaded) applies it.
    func checkPackState(_ b: UnsafeBufferPointer<Double>) -> Bool {
        guard PackOutput.read(b, at: 0) != nil else { return false }
        var k = PackOutput.stateCount
        for _ in 0..<series { guard b[k] == 0 || b[k] == 1 else { return false }; k += 1 }
        for _ in 0..<cellCount { guard b[k].isFinite else { return false }; k += 1 }
        var probe = faults
        return probe.read(b, at: k)
    }

    mutating func readPackState(_ b: UnsafeBufferPointer<Double>) {
        let o = PackOutput.read(b, at: 0)!
        var k = PackOutput.stateCount
        for s in 0..<series { balancing[s] = b[k] == 1; k += 1 }
        for i in 0..<cellCount { cellCurrent_A[i] = b[k]; k += 1 }
        _ = faults.read(b, at: k)
        output = o
        refresh(current: o.current_A)
        output.heatGeneration_W = o.heatGeneration_W
        output.splitIterations = o.splitIterations
        output.splitCurrentResidual_A = o.splitCurrentResidual_A
        output.splitVoltageSpread_V = o.splitVoltageSpread_V
    }

    var cells_: [Cell] { cells }
}
