import Foundation

/// Net survival by the Pohar-Perme estimator, computed as R's `relsurv::rs.surv(method = "pohar-perme")`:
/// at each distinct follow-up time, events and the population hazard are weighted by each case's inverse
/// expected survival; the population part is integrated over steps of at most `precision` days (relsurv's
/// default 1) with the trapezoid of the weighted hazard, the rate-table cell read at the start of each step.
public struct PoharPermeEstimate: Sendable {
    public struct Row: Sendable, Equatable {
        /// Days since diagnosis.
        public var time: Double
        public var atRisk: Int
        public var events: Int
        public var survival: Double
        /// Standard error of the cumulative excess hazard (relsurv's `std.err`).
        public var cumulativeHazardStdErr: Double
        public var stdErr: Double { survival * cumulativeHazardStdErr }
    }

    public let rows: [Row]

    public init(_ cases: [RelativeSurvivalCase], table: PopulationLifeTable, precision: Double = 1) throws {
        try validate(cases.map { SurvivalCase(time: $0.days, event: $0.event) })
        let sorted = cases.sorted { $0.days < $1.days }
        let n = sorted.count
        var cursors = sorted.map { RateCursor(table: table, ageDays: $0.ageDays, sex: $0.sex, date: $0.diagnosisDay) }
        var inverseSurvival = [Double](repeating: 1, count: n)
        var times: [Double] = []
        for c in sorted where times.last != c.days { times.append(c.days) }

        var rows: [Row] = []
        rows.reserveCapacity(times.count)
        var first = 0, previous = 0.0, survival = 1.0, varianceSum = 0.0
        for time in times {
            while first < n, sorted[first].days < time { first += 1 }
            let length = time - previous
            var elapsed = 0.0, weightedHazard = 0.0, weights = 0.0, weightedHazardEnd = 0.0, weightsEnd = 0.0, integral = 0.0
            while elapsed < length {
                let step = Swift.min(precision, length - elapsed)
                for i in first..<n {
                    let hazard = cursors[i].hazard
                    let before = inverseSurvival[i]
                    let after = before * Foundation.exp(step * hazard)
                    weightedHazard += hazard * before
                    weights += before
                    weightedHazardEnd += hazard * after
                    weightsEnd += after
                    inverseSurvival[i] = after
                    cursors[i].advance(by: step)
                }
                // relsurv's sums run over the whole interval (they are not reset per step).
                integral += (weightedHazard / weights / 2 + weightedHazardEnd / weightsEnd / 2) * step
                elapsed += step
            }
            var atRiskWeight = 0.0, eventWeight = 0.0, eventWeightSquared = 0.0, events = 0
            for i in first..<n {
                atRiskWeight += inverseSurvival[i]
                if sorted[i].days == time, sorted[i].event {
                    events += 1
                    eventWeight += inverseSurvival[i]
                    eventWeightSquared += inverseSurvival[i] * inverseSurvival[i]
                }
            }
            let excessHazard = eventWeight / atRiskWeight - (length > 0 ? integral : 0)
            survival *= 1 - excessHazard
            varianceSum += eventWeightSquared / (atRiskWeight * atRiskWeight)
            rows.append(Row(time: time, atRisk: n - first, events: events, survival: survival,
                            cumulativeHazardStdErr: varianceSum.squareRoot()))
            previous = time
        }
        self.rows = rows
    }

    /// Net survival at a time (days): the value at the last row not after it (1 before the first).
    public func survival(at days: Double) -> (survival: Double, stdErr: Double) {
        guard let row = rows.last(where: { $0.time <= days }) else { return (1, 0) }
        return (row.survival, row.stdErr)
    }
}
