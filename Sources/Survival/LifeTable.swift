/// An actuarial life table (Cutler-Ederer): fixed intervals, withdrawals counted as at risk for half the
/// interval, cumulative survival with Greenwood standard errors, as SEER*Stat reports observed survival.
public struct ActuarialLifeTable: Sendable {
    public struct Interval: Sendable, Equatable {
        public var start: Double
        public var end: Double
        /// Alive at the start of the interval.
        public var entering: Int
        public var deaths: Int
        /// Censored (alive at last contact) during the interval.
        public var withdrawn: Int
        /// entering − withdrawn / 2.
        public var effectiveAtRisk: Double
        /// Probability of surviving this interval, given alive at its start.
        public var intervalSurvival: Double
        /// Survival from the start to the end of this interval.
        public var cumulativeSurvival: Double
        public var cumulativeStdErr: Double
    }

    public let intervals: [Interval]

    /// Builds the table for intervals of `width` (e.g. 12 months) up to `count` intervals (fewer when follow-up ends).
    public init(_ cases: [SurvivalCase], width: Double, count: Int) throws {
        try validate(cases)
        precondition(width > 0 && count > 0)
        var intervals: [Interval] = []
        var survival = 1.0, greenwood = 0.0
        var alive = cases.count
        let sorted = cases.sorted { $0.time < $1.time }
        var i = 0
        for k in 0..<count {
            let start = Double(k) * width, end = Double(k + 1) * width
            guard alive > 0 else { break }
            var deaths = 0, withdrawn = 0
            while i < sorted.count, sorted[i].time < end {
                if sorted[i].event { deaths += 1 } else { withdrawn += 1 }
                i += 1
            }
            let effective = Double(alive) - Double(withdrawn) / 2
            let q = effective > 0 ? Double(deaths) / effective : 0
            survival *= 1 - q
            if deaths > 0 { greenwood += effective > Double(deaths) ? Double(deaths) / (effective * (effective - Double(deaths))) : .infinity }
            intervals.append(Interval(start: start, end: end, entering: alive, deaths: deaths, withdrawn: withdrawn,
                                      effectiveAtRisk: effective, intervalSurvival: 1 - q, cumulativeSurvival: survival,
                                      cumulativeStdErr: survival * greenwood.squareRoot()))
            alive -= deaths + withdrawn
        }
        self.intervals = intervals
    }
}
