import Foundation
import Survival
import Testing

/// Checked against R `survival` 3.5 (scripts/survival-fixtures.R wrote the expected values).
@Suite("Kaplan-Meier, medians and life tables against R")
struct KaplanMeierTests {
    static func cases() throws -> [String: [SurvivalCase]] {
        let csv = try FixtureCSV("km_cases.csv")
        var byGroup: [String: [SurvivalCase]] = [:]
        for row in csv.rows {
            byGroup[csv.string(row, "group"), default: []].append(
                SurvivalCase(time: csv.double(row, "time_months")!, event: csv.string(row, "event") == "1"))
        }
        return byGroup
    }

    @Test func everyRowMatchesSurvfitForEachConfidenceType() throws {
        let groups = try Self.cases()
        let expected = try FixtureCSV("km_expected.csv")
        let curves = try groups.mapValues { cases in
            try ConfidenceType.allCases.reduce(into: [ConfidenceType: KaplanMeierCurve]()) { $0[$1] = try KaplanMeierCurve(cases, confidenceType: $1) }
        }
        var position: [String: Int] = [:]
        for row in expected.rows {
            let group = expected.string(row, "group")
            let i = position[group, default: 0]
            position[group] = i + 1
            let curve = try #require(curves[group]?[.logLog])
            let r = curve.rows[i]
            #expect(r.time == expected.double(row, "time"))
            #expect(r.atRisk == Int(expected.string(row, "n_risk")))
            #expect(r.events == Int(expected.string(row, "n_event")))
            #expect(r.censored == Int(expected.string(row, "n_censor")))
            #expect(close(r.survival, expected.double(row, "survival"), 1e-9))
            #expect(close(r.stdErr, expected.double(row, "std_err"), 1e-9), "std err at \(group) \(r.time)")
            for (type, suffix) in [(ConfidenceType.logLog, "loglog"), (.log, "log"), (.plain, "plain")] {
                let bounds = curves[group]![type]!.limits(r)
                #expect(close(bounds?.lower, expected.double(row, "lower_\(suffix)"), 1e-9), "\(type) lower at \(group) \(r.time)")
                #expect(close(bounds?.upper, expected.double(row, "upper_\(suffix)"), 1e-9), "\(type) upper at \(group) \(r.time)")
            }
        }
        for (group, curve) in curves { #expect(curve[.logLog]!.rows.count == position[group]) }
    }

    @Test func summaryAtChosenTimesMatchesSummarySurvfit() throws {
        let groups = try Self.cases()
        let expected = try FixtureCSV("km_times_expected.csv")
        var produced: [[String]] = []
        for group in groups.keys.sorted() {
            for p in try KaplanMeierCurve(groups[group]!).summary(at: [12, 24, 36, 60]) {
                produced.append([group, String(p.time), String(p.atRisk), String(p.events)])
                let row = try #require(expected.rows.first { $0[0] == group && Double($0[1]) == p.time })
                #expect(p.atRisk == Int(expected.string(row, "n_risk")))
                #expect(p.events == Int(expected.string(row, "n_event")))
                #expect(close(p.survival, expected.double(row, "survival"), 1e-9))
                #expect(close(p.stdErr, expected.double(row, "std_err"), 1e-9))
                #expect(close(p.lower, expected.double(row, "lower95"), 1e-9))
                #expect(close(p.upper, expected.double(row, "upper95"), 1e-9))
            }
        }
        #expect(produced.count == expected.rows.count)
    }

    @Test func mediansAndTheirLimitsMatchQuantileSurvfit() throws {
        let groups = try Self.cases()
        let expected = try FixtureCSV("median_expected.csv")
        for row in expected.rows {
            let type = try #require(ConfidenceType(rawValue: expected.string(row, "conf_type")))
            let median = try KaplanMeierCurve(groups[expected.string(row, "group")]!, confidenceType: type).median
            #expect(median.estimate == expected.double(row, "median"))
            #expect(median.lower == expected.double(row, "lower"), "\(type) \(row)")
            #expect(median.upper == expected.double(row, "upper"), "\(type) \(row)")
        }
    }

    @Test func medianOnAFlatHalfAndAtTheEndOfTheCurve() throws {
        let csv = try FixtureCSV("median_special_cases.csv")
        let expected = try FixtureCSV("median_special_expected.csv")
        for row in expected.rows {
            let group = expected.string(row, "group")
            let cases = csv.rows.filter { csv.string($0, "group") == group }
                .map { SurvivalCase(time: csv.double($0, "time_months")!, event: csv.string($0, "event") == "1") }
            let median = try KaplanMeierCurve(cases).median
            #expect(median.estimate == expected.double(row, "median"))
            #expect(median.lower == expected.double(row, "lower"))
            #expect(median.upper == expected.double(row, "upper"))
        }
    }

    @Test func curveDetailsOfTheEdges() throws {
        // Everybody dies: survival reaches 0 and its limits are undefined (R: NA), the std err is NaN.
        let all = try KaplanMeierCurve([1, 2, 3, 3].map { SurvivalCase(time: $0, event: true) })
        #expect(all.rows.last?.survival == 0)
        #expect(all.limits(all.rows.last!) == nil)
        #expect(all.rows.last!.stdErr.isNaN)
        // Before the first observation the summary is survival 1 with limits 1 (as summary.survfit).
        #expect(all.summary(at: [0.5]).first == TimePoint(time: 0.5, atRisk: 4, events: 0, survival: 1, stdErr: 0, lower: 1, upper: 1))
        // Times after the end of follow-up are left out.
        #expect(all.summary(at: [10]).isEmpty)
        #expect(throws: SurvivalError.negativeTime(index: 1)) { try KaplanMeierCurve([.init(time: 1, event: true), .init(time: -1, event: false)]) }
    }

    @Test func actuarialTableHalvesWithdrawals() throws {
        // Worked by hand: 10 cases, 12-month intervals.
        let cases = [(3, true), (5, false), (8, true), (12, true), (14, false), (20, true), (25, false), (30, false), (40, true), (50, false)]
            .map { SurvivalCase(time: Double($0.0), event: $0.1) }
        let table = try ActuarialLifeTable(cases, width: 12, count: 5)
        let first = table.intervals[0]
        #expect(first.entering == 10 && first.deaths == 2 && first.withdrawn == 1)
        #expect(first.effectiveAtRisk == 9.5)
        #expect(close(first.intervalSurvival, 1 - 2 / 9.5, 1e-15))
        let second = table.intervals[1]  // [12, 24): death at 12 and 20, withdrawal at 14
        #expect(second.entering == 7 && second.deaths == 2 && second.withdrawn == 1 && second.effectiveAtRisk == 6.5)
        let s2 = (1 - 2 / 9.5) * (1 - 2 / 6.5)
        #expect(close(second.cumulativeSurvival, s2, 1e-15))
        let greenwood = 2 / (9.5 * 7.5) + 2 / (6.5 * 4.5)
        #expect(close(second.cumulativeStdErr, s2 * greenwood.squareRoot(), 1e-15))
        #expect(table.intervals.count == 5)
    }
}
