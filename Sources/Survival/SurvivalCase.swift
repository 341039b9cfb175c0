/// One case in a survival analysis: follow-up time (months, or any unit used consistently) and whether it
/// ended in the event (death) or was censored.
public struct SurvivalCase: Sendable, Hashable {
    public var time: Double
    public var event: Bool

    public init(time: Double, event: Bool) {
        self.time = time
        self.event = event
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

    public var description: String {
        switch self {
        case .negativeTime(let i): return "case \(i + 1): the survival time is negative"
        case .notFinite(let i): return "case \(i + 1): the survival time is not a finite number"
        case .tooFewGroups(let n): return "a comparison needs at least two groups with cases; there are \(n)"
        }
    }
}

func validate(_ cases: [SurvivalCase]) throws {
    for (i, c) in cases.enumerated() {
        guard c.time.isFinite else { throw SurvivalError.notFinite(index: i) }
        guard c.time >= 0 else { throw SurvivalError.negativeTime(index: i) }
    }
}

/// Times that differ only by floating-point noise are made equal, as R's `survival::aeqSurv` does by default
/// (`timefix = TRUE`): sorted distinct times closer than √ε, absolutely or relative to their mean magnitude,
/// are merged into the first of their run. Without this, results would differ from R's on computed times.
func mergingNearlyEqualTimes(_ cases: [SurvivalCase]) -> [SurvivalCase] {
    let tolerance = Double.ulpOfOne.squareRoot()
    let distinct = Array(Set(cases.map(\.time))).filter(\.isFinite).sorted()
    guard distinct.count > 1 else { return cases }
    let meanMagnitude = distinct.reduce(0) { $0 + abs($1) } / Double(distinct.count)
    var cuts = [distinct[0]]
    var anyTied = false
    for i in 1..<distinct.count {
        let gap = distinct[i] - distinct[i - 1]
        if gap <= tolerance || gap / meanMagnitude <= tolerance { anyTied = true } else { cuts.append(distinct[i]) }
    }
    guard anyTied else { return cases }
    return cases.map { c in
        // The last cut not after the time (findInterval).
        var low = 0, high = cuts.count
        while low < high {
            let mid = (low + high) / 2
            if cuts[mid] <= c.time { low = mid + 1 } else { high = mid }
        }
        return SurvivalCase(time: low > 0 ? cuts[low - 1] : c.time, event: c.event)
    }
}
