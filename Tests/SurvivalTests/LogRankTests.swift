import Foundation
import Survival
import Testing

@Suite("Log-rank test against R survdiff")
struct LogRankTests {
    static func load(_ name: String) throws -> (cases: [SurvivalCase], groups: [String], strata: [String]) {
        let csv = try FixtureCSV(name)
        let hasStrata = csv.header.contains("stratum")
        return (csv.rows.map { SurvivalCase(time: csv.double($0, "time_months")!, event: csv.string($0, "event") == "1") },
                csv.rows.map { csv.string($0, "group") }, hasStrata ? csv.rows.map { csv.string($0, "stratum") } : [])
    }

    @Test func chiSquareObservedExpectedAndPValueMatch() throws {
        let data = try Self.load("logrank_cases.csv")
        let expected = try FixtureCSV("logrank_expected.csv")
        let plain = try LogRankTest(data.cases, groups: data.groups)
        let stratified = try LogRankTest(data.cases, groups: data.groups, strata: data.strata)
        for (test, row) in zip([plain, stratified], expected.rows) {
            #expect(close(test.chiSquare, expected.double(row, "chisq"), 1e-8))
            #expect(test.degreesOfFreedom == Int(expected.string(row, "df")))
            #expect(close(test.pValue, expected.double(row, "p"), 1e-8))
            #expect(close(test.logPValue, expected.double(row, "log_p"), 1e-8))
        }
        let groups = try FixtureCSV("logrank_groups_expected.csv")
        for row in groups.rows {
            let g = try #require(plain.groups.first { $0.name == groups.string(row, "group") })
            #expect(Double(g.observed) == groups.double(row, "observed"))
            #expect(close(g.expected, groups.double(row, "expected"), 1e-9))
        }
    }

    @Test func hugeChiSquareKeepsAFiniteLogPValue() throws {
        let data = try Self.load("logrank_big_cases.csv")
        let expected = try FixtureCSV("logrank_big_expected.csv").rows[0]
        let test = try LogRankTest(data.cases, groups: data.groups)
        #expect(close(test.chiSquare, Double(expected[0]), 1e-8))
        #expect(close(test.logPValue, Double(expected[2]), 1e-8))
        #expect(test.pValue == 0)  // below the smallest double; the log is what reports print
    }

    @Test func chiSquareTailAgainstKnownValues() {
        // Closed forms: df 2 → exp(−x/2); df 1 → erfc(√(x/2)).
        for x in [0.1, 1, 3.84, 10, 50, 200] {
            #expect(close(ChiSquare.upperTail(x, degreesOfFreedom: 2), exp(-x / 2), 1e-13))
            #expect(close(ChiSquare.upperTail(x, degreesOfFreedom: 1), erfc((x / 2).squareRoot()), 1e-12))
        }
        #expect(close(ChiSquare.logUpperTail(20_000, degreesOfFreedom: 2), -10_000, 1e-14))
    }

    @Test func oneGroupIsRefused() {
        #expect(throws: SurvivalError.tooFewGroups(1)) { try LogRankTest([.init(time: 1, event: true)], groups: ["a"]) }
    }
}
