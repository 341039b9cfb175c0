import CivilCalendar
import Foundation
import Survival
import Testing

@Suite("Ederer II, age standardisation and period analysis")
struct RelativeSurvivalTests {
    /// A table with one constant rate: expected survival over t days is exactly exp(−λ t).
    static let flat = PopulationLifeTable(firstYear: 2000, lastYear: 2001, maxAge: 100) { _, _, _ in 0.1 }
    static let lambda = -log(0.9) / PopulationLifeTable.daysPerYear

    @Test func edererIIByHandWithAConstantPopulationRate() throws {
        let year = PopulationLifeTable.daysPerYear
        let start = Double(CalendarDate(year: 2000, month: 3, day: 1)!.daysSinceEpoch)
        func c(_ days: Double, _ event: Bool) -> RelativeSurvivalCase {
            RelativeSurvivalCase(days: days, event: event, ageDays: 60 * year, sex: .male, diagnosisDay: start)
        }
        // 6 cases: first year 1 death and 1 withdrawal; second year 1 death.
        let cases = [c(100, true), c(200, false), c(500, true), c(2 * year + 10, false), c(2 * year + 20, false), c(800, false)]
        let estimate = try EdererIIEstimate(cases, table: Self.flat, width: year, count: 2)
        let first = estimate.intervals[0], second = estimate.intervals[1]
        #expect(first.entering == 6 && first.deaths == 1 && first.withdrawn == 1)
        #expect(second.entering == 4 && second.deaths == 1 && second.withdrawn == 0)
        let p1 = 1 - 1 / 5.5, p2 = 1 - 1 / 4.0  // second year: 4 enter, death at day 500 (800 is in the third year)
        #expect(close(first.observedInterval, p1, 1e-14))
        #expect(close(first.expectedInterval, 0.9, 1e-12))
        #expect(close(second.observed, p1 * p2, 1e-14))
        #expect(close(second.relative, p1 * p2 / 0.81, 1e-12))
        let greenwood = 1 / (5.5 * 4.5) + 1 / (4.0 * 3.0)
        #expect(close(second.relativeStdErr, p1 * p2 * greenwood.squareRoot() / 0.81, 1e-12))
    }

    @Test func standardisationWeightsSumToOneAndCombine() {
        for standard in AgeStandard.allCases { #expect(close(standard.weights.reduce(0, +), 1, 1e-12)) }
        let result = AgeStandard.icss1.standardize([(0.9, 0.01), (0.8, 0.02), (0.7, 0.02), (0.6, 0.03), (0.5, 0.04)])
        #expect(close(result?.survival, 0.07 * 0.9 + 0.12 * 0.8 + 0.23 * 0.7 + 0.29 * 0.6 + 0.29 * 0.5, 1e-14))
        let variance = pow(0.07 * 0.01, 2) + pow(0.12 * 0.02, 2) + pow(0.23 * 0.02, 2) + pow(0.29 * 0.03, 2) + pow(0.29 * 0.04, 2)
        #expect(close(result?.stdErr, variance.squareRoot(), 1e-14))
        #expect(AgeStandard.icss1.standardize([(0.9, 0.01), nil, (0.7, 0.02), (0.6, 0.03), (0.5, 0.04)]) == nil)
        #expect(AgeStandard.group(ofAge: 14) == nil && AgeStandard.group(ofAge: 44) == 0 && AgeStandard.group(ofAge: 75) == 4)
    }

    @Test func periodAnalysisWithDelayedEntryMatchesSurvfit() throws {
        let csv = try FixtureCSV("period_cases.csv")
        let cases = csv.rows.map {
            SurvivalCase(time: csv.double($0, "exit")!, event: csv.string($0, "event") == "1", entry: csv.double($0, "entry")!)
        }
        let curve = try KaplanMeierCurve(cases)
        let expected = try FixtureCSV("period_expected.csv")
        #expect(curve.rows.count == expected.rows.count)
        for (mine, row) in zip(curve.rows, expected.rows) {
            #expect(mine.time == expected.double(row, "time"))
            #expect(mine.atRisk == Int(expected.string(row, "n_risk")), "at \(mine.time)")
            #expect(mine.events == Int(expected.string(row, "n_event")))
            #expect(close(mine.survival, expected.double(row, "survival"), 1e-9))
            #expect(close(mine.stdErr, expected.double(row, "std_err"), 1e-9))
            let bounds = curve.limits(mine)
            #expect(close(bounds?.lower, expected.double(row, "lower"), 1e-9))
            #expect(close(bounds?.upper, expected.double(row, "upper"), 1e-9))
        }
    }
}
