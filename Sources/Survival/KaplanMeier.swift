import Foundation

/// A Kaplan-Meier (product-limit) survival curve with Greenwood variance, computed as R's `survfit` does:
/// one row per distinct observed time (event or censoring).
public struct KaplanMeierCurve: Sendable {
    public struct Row: Sendable, Equatable {
        public var time: Double
        /// At risk just before `time` (cases whose time is at least `time`).
        public var atRisk: Int
        public var events: Int
        public var censored: Int
        public var survival: Double
        /// Greenwood standard error of the cumulative hazard, Σ d/(n(n−d)) under the root (R's `std.err`).
        public var cumulativeHazardStdErr: Double
        /// Standard error of the survival probability: S × the above.
        public var stdErr: Double { survival == 0 ? .nan : survival * cumulativeHazardStdErr }
    }

    public let rows: [Row]
    public let caseCount: Int
    public let eventCount: Int
    /// The level of the confidence limits (0.95 by default).
    public let confidenceLevel: Double
    public let confidenceType: ConfidenceType

    /// Estimates the curve; throws for negative or non-finite times.
    public init(_ cases: [SurvivalCase], confidenceType: ConfidenceType = .logLog, confidenceLevel: Double = 0.95) throws {
        try validate(cases)
        self.confidenceType = confidenceType
        self.confidenceLevel = confidenceLevel
        caseCount = cases.count
        let fixed = mergingNearlyEqualTimes(cases)
        let sorted = fixed.sorted { $0.time < $1.time }
        // Delayed entry (period analysis): at risk on (entry, time], so those entering at or after t are not yet at risk.
        let entries = fixed.map(\.entry).filter { $0 > 0 }.sorted()
        var entered = 0
        var rows: [Row] = []
        var leftBefore = 0, survival = 1.0, varianceSum = 0.0, events = 0
        var i = 0
        while i < sorted.count {
            let time = sorted[i].time
            while entered < entries.count, entries[entered] < time { entered += 1 }
            let atRisk = sorted.count - leftBefore - (entries.count - entered)
            var d = 0, c = 0
            while i < sorted.count, sorted[i].time == time {
                if sorted[i].event { d += 1 } else { c += 1 }
                i += 1
            }
            if d > 0 {
                survival *= 1 - Double(d) / Double(atRisk)
                varianceSum += atRisk > d ? Double(d) / (Double(atRisk) * Double(atRisk - d)) : .infinity
            }
            rows.append(Row(time: time, atRisk: atRisk, events: d, censored: c, survival: survival,
                            cumulativeHazardStdErr: varianceSum.squareRoot()))
            events += d
            leftBefore += d + c
        }
        self.rows = rows
        eventCount = events
    }

    /// Confidence limits for a survival probability with the given cumulative-hazard standard error (nil where
    /// R gives NA: S = 0, or S = 1 on the log-log scale).
    public func limits(survival p: Double, cumulativeHazardStdErr se: Double) -> (lower: Double, upper: Double)? {
        let z = normalQuantile(1 - (1 - confidenceLevel) / 2)
        switch confidenceType {
        case .plain:
            guard se.isFinite else { return nil }
            let half = z * se * p
            return (Swift.max(p - half, 0), Swift.min(p + half, 1))
        case .log:
            guard p > 0, se.isFinite else { return nil }
            return (Foundation.exp(Foundation.log(p) - z * se), Swift.min(Foundation.exp(Foundation.log(p) + z * se), 1))
        case .logLog:
            guard p > 0, p < 1, se.isFinite else { return nil }
            let centre = Foundation.log(-Foundation.log(p)), shift = z * se / Foundation.log(p)
            return (Foundation.exp(-Foundation.exp(centre - shift)), Foundation.exp(-Foundation.exp(centre + shift)))
        }
    }

    /// The limits of a row.
    public func limits(_ row: Row) -> (lower: Double, upper: Double)? {
        limits(survival: row.survival, cumulativeHazardStdErr: row.cumulativeHazardStdErr)
    }

    /// The curve at chosen times, as R's `summary(fit, times =)`: survival at the last observed time not after
    /// each, the number at risk at it, and the events since the previous chosen time. Times after the last
    /// observation are left out.
    public func summary(at times: [Double]) -> [TimePoint] {
        guard let last = rows.last?.time else { return [] }
        var points: [TimePoint] = []
        var previous = -Double.infinity
        for t in times.sorted() where t <= last {
            let atRisk = rows.first { $0.time >= t }?.atRisk ?? 0
            let events = rows.lazy.filter { $0.time > previous && $0.time <= t }.reduce(0) { $0 + $1.events }
            previous = t
            guard let row = rows.last(where: { $0.time <= t }) else {
                points.append(TimePoint(time: t, atRisk: atRisk, events: events, survival: 1, stdErr: 0, lower: 1, upper: 1))
                continue
            }
            let bounds = limits(row)
            points.append(TimePoint(time: t, atRisk: atRisk, events: events, survival: row.survival, stdErr: row.stdErr,
                                    lower: bounds?.lower, upper: bounds?.upper))
        }
        return points
    }

    /// `summary(at:)` with the times after the last observation kept, as a committee's table shows them: 0% when the
    /// curve reached 0 (everybody died), else not known (survival NaN, shown as "–"), with nobody at risk.
    public func summary(at times: [Double], extendingPastFollowUp: Bool) -> [TimePoint] {
        var points = summary(at: times)
        guard extendingPastFollowUp, let last = rows.last else { return points }
        var previous = points.last?.time ?? -Double.infinity
        for t in times.sorted() where t > last.time {
            let events = rows.lazy.filter { $0.time > previous && $0.time <= t }.reduce(0) { $0 + $1.events }
            previous = t
            points.append(last.survival == 0
                ? TimePoint(time: t, atRisk: 0, events: events, survival: 0, stdErr: 0, lower: nil, upper: nil)
                : TimePoint(time: t, atRisk: 0, events: events, survival: .nan, stdErr: .nan, lower: nil, upper: nil))
        }
        return points
    }

    /// The median survival time with its confidence limits (nil where not reached), as R's `quantile.survfit`.
    public var median: (estimate: Double?, lower: Double?, upper: Double?) { quantile(0.5) }

    /// The time by which a fraction `p` of the cases have had the event, with confidence limits.
    public func quantile(_ p: Double) -> (estimate: Double?, lower: Double?, upper: Double?) {
        let times = [0] + rows.map(\.time)
        let bounds = rows.map { limits($0) }
        func incidence(_ s: [Double?]) -> [Double?] { [0] + s.map { $0.map { 1 - $0 } } }
        return (findQuantile(times, incidence(rows.map(\.survival)), p),
                findQuantile(times, incidence(bounds.map { $0?.lower }), p),
                findQuantile(times, incidence(bounds.map { $0?.upper }), p))
    }
}

/// One row of `KaplanMeierCurve.summary(at:)`.
public struct TimePoint: Sendable, Equatable {
    public var time: Double
    public var atRisk: Int
    public var events: Int
    public var survival: Double
    public var stdErr: Double
    public var lower: Double?
    public var upper: Double?

    public init(time: Double, atRisk: Int, events: Int, survival: Double, stdErr: Double, lower: Double?, upper: Double?) {
        self.time = time
        self.atRisk = atRisk
        self.events = events
        self.survival = survival
        self.stdErr = stdErr
        self.lower = lower
        self.upper = upper
    }
}

/// R's `survival:::findq`: the first time the cumulative incidence `y` reaches `p`, averaging the two times when
/// it equals `p` over an interval (within a tolerance), and using the last time when the curve ends at `p`.
func findQuantile(_ x: [Double], _ y: [Double?], _ p: Double, tolerance: Double = Double.ulpOfOne.squareRoot()) -> Double? {
    guard let top = y.compactMap({ $0 }).max(), top >= p else { return nil }
    let xmax = x[x.count - 1]
    // Drop repeated values (a censoring leaves the curve where it was), keeping the first.
    var xs: [Double] = [], ys: [Double?] = [], seen = Set<Double?>()
    for (xi, yi) in zip(x, y) where seen.insert(yi).inserted {
        xs.append(xi)
        ys.append(yi)
    }
    // approx(y ± tol, 1:n, p, method = "constant", f = 1): the position of the first knot above p, or of p itself.
    func position(_ offset: Double) -> Int? {
        let knots = ys.enumerated().compactMap { i, v in v.map { (key: $0 + offset, index: i) } }.sorted { $0.key < $1.key }
        guard let first = knots.first, let last = knots.last, p >= first.key, p <= last.key else { return nil }
        if let exact = knots.first(where: { $0.key == p }) { return exact.index }
        return knots.first { $0.key > p }?.index
    }
    if p == 0 { return xs[0] }
    let i1 = position(tolerance), i2 = position(-tolerance)
    if let lastValue = ys[ys.count - 1], abs(p - lastValue) < tolerance { return i1.map { (xs[$0] + xmax) / 2 } }
    guard let i1, let i2 else { return nil }
    return (xs[i1] + xs[i2]) / 2
}
