/// One condition that can end a step inside a time step, as a signed margin: > 0 while the
/// condition is not met, ≤ 0 once it is. The runner finds the sub-step length at which the
/// margin crosses zero (`ExperimentRunner.locate`).
struct CutoffEvent: Sendable, Equatable {
    enum Test: Sendable, Equatable {
        case voltageBelow(Double)      // V ≤ x [V]
        case voltageAbove(Double)      // V ≥ x [V]
        case currentMagnitudeBelow(Double)  // |I| ≤ x [A]
        case socBelow(Double)          // SOC ≤ x
        case socAbove(Double)          // SOC ≥ x
        case temperatureAbove(Double)  // T ≥ x [K]
    }

    var test: Test
    var reason: StepEndReason

    /// Margin in the unit of the tested quantity (V, A, 1, K).
    func margin(_ o: ModelOutput) -> Double {
        switch test {
        case let .voltageBelow(x): return o.voltage_V - x
        case let .voltageAbove(x): return x - o.voltage_V
        case let .currentMagnitudeBelow(x): return abs(o.current_A) - x
        case let .socBelow(x): return o.soc - x
        case let .socAbove(x): return x - o.soc
        case let .temperatureAbove(x): return x - o.temperature_K
        }
    }

    /// How close to zero the margin must come: 1e-9 V, 1e-9 A (relative above 1 A), 1e-12 in
    /// SOC, 1e-9 K.
    var tolerance: Double {
        switch test {
        case .voltageBelow, .voltageAbove: return 1e-9
        case let .currentMagnitudeBelow(x): return 1e-9 * max(1, x)
        case .socBelow, .socAbove: return 1e-12
        case .temperatureAbove: return 1e-9
        }
    }

    /// "voltage fell to 3.0 V", for messages.
    var description: String {
        switch test {
        case let .voltageBelow(x): return "voltage fell to \(x) V"
        case let .voltageAbove(x): return "voltage rose to \(x) V"
        case let .currentMagnitudeBelow(x): return "|current| fell to \(x) A"
        case let .socBelow(x): return "SOC fell to \(x)"
        case let .socAbove(x): return "SOC rose to \(x)"
        case let .temperatureAbove(x): return "temperature rose to \(x) K"
        }
    }
}
