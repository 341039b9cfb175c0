/// One case in a survival analysis: follow-up time (months, or any unit used consistently) and whether it
/// ended in the event (death) or was censored.
public struct SurvivalCase: Sendable, Hashable {
    public var time: Double
    public var event: Bool
    /// When the case came under observation (0 normally; later for period analysis, where only follow-up
    /// inside a calendar window counts): the case is at risk on (entry, time].
    public var entry: Double

    public init(time: Double, event: Bool, entry: Double = 0) {
        self.time = time
        self.event = event
        self.entry = entry
    }
}

/// How confidence limits for a survival probability are computed (as R's `survfit` `conf.type`).
public enum ConfidenceType: String, Sendable, CaseIterable {
    /// S ± z·SE(S), clipped to [0, 1].
    case plain
    /// On log S (R's default).
    case log
    /// On log(−log S): never leaves [0, 1]; the default for reports here, as in SEER*Stat.
    case logLog = "log-log"
}

/// Problems with the input of a survival analysis.
public enum SurvivalError: Error, Sendable, Equatable, CustomStringConvertible {
    case negativeTime(index: Int)
    case notFinite(index: Int)
    case tooFewGroups(Int)
    case entryNotBeforeExit(index: Int)

    public var description: String {
        switch self {
        case .negativeTime(let i): return "case \(i + 1): the survival time is negative"
        case .notFinite(let i): return "case \(i + 1): the survival time is not a finite number"
        case .tooFewGroups(let n): return "a comparison needs at least two groups with cases; there are \(n)"
        case .entryNotBeforeExit(let i): return "case \(i + 1): observation must start before it ends"
        }
    }
}

func validate(_ cases: [SurvivalCase]) throws {
    for (i, c) in cases.enumerated() {
        guard c.time.isFinite else { throw SurvivalError.notFinite(index: i) }
        guard c.time >= 0, c.entry >= 0 else { throw SurvivalError.negativeTime(index: i) }
        guard c.entry == 0 || c.entry < c.time else { throw SurvivalError.entryNotBeforeExit(index: i) }
    }
}

/// Times that differ only by floating-point noise are made equal, as R's `survival::aeqSurv` does by default
/// (`timefix = TRUE`): sorted distinct times closer than √ε, absolutely or relative to their mean magnitude,
/// are merged into the first of their run. Without this, results would differ from R's on computed times.
func mergingNearlyEqualTimes(_ cases: [SurvivalCase]) -> [SurvivalCase] {
    let tolerance = Double.ulpOfOne.squareRoot()
    let distinct = Array(Set(cases.map(\.time) + cases.map(\.entry))).filter(\.isFinite).sorted()
    guard distinct.count > 1 else { return cases }
    let meanMagnitude = distinct.reduce(0) { $0 + abs($1) } / Double(distinct.count)
    var cuts = [distinct[0]]
    var anyTied = false
    for i in 1..<distinct.count {
        let gap = distinct[i] - distinct[i - 1]
        if gap <= tolerance || gap / meanMagnitude <= tolerance { anyTied = true } else { cuts.append(distinct[i]) }
    }
    guard anyTied else { return cases }
    // The last cut not after a time (findInterval).
    func snapped(_ time: Double) -> Double {
        var low = 0, high = cuts.count
        while low < high {
            let mid = (low + high) / 2
            if cuts[mid] <= time { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? cuts[low - 1] : time
    }
    return cases.map { SurvivalCase(time: snapped($0.time), event: $0.event, entry: $0.entry == 0 ? 0 : snapped($0.entry)) }
}
