import CivilCalendar
import Foundation
import Survival
import Testing

@Suite("Net survival and population life tables")
struct NetSurvivalTests {
    static func table() throws -> PopulationLifeTable {
        let url = Bundle.module.url(forResource: "Fixtures/lifetable_fixture.csv", withExtension: nil)!
        return try PopulationLifeTable.load(csv: try String(contentsOf: url, encoding: .utf8), name: "lifetable_fixture.csv")
    }

    static func cases() throws -> [String: [RelativeSurvivalCase]] {
        let csv = try FixtureCSV("net_cases.csv")
        var byGroup: [String: [RelativeSurvivalCase]] = [:]
        for row in csv.rows {
            let date = try #require(CalendarDate(csv.string(row, "dx_date")))
            byGroup[csv.string(row, "group"), default: []].append(RelativeSurvivalCase(
                days: csv.double(row, "time_days")!, event: csv.string(row, "status") == "1",
                ageDays: csv.double(row, "age_days")!, sex: LifeTableSex(code: csv.string(row, "sex"))!,
                diagnosisDay: Double(date.daysSinceEpoch)))
        }
        return byGroup
    }

    @Test func poharPermeMatchesRelsurvToOneInAMillion() throws {
        let table = try Self.table()
        let expected = try FixtureCSV("net_expected.csv")
        for (group, cases) in try Self.cases() {
            let estimate = try PoharPermeEstimate(cases, table: table)
            let rows = expected.rows.filter { expected.string($0, "group") == group }
            #expect(estimate.rows.count == rows.count)
            for (mine, theirs) in zip(estimate.rows, rows) {
                #expect(mine.time == expected.double(theirs, "time"))
                #expect(mine.atRisk == Int(expected.string(theirs, "n_risk")))
                #expect(mine.events == Int(expected.string(theirs, "n_event")))
                #expect(close(mine.survival, expected.double(theirs, "survival"), 1e-6), "\(group) at \(mine.time)")
                #expect(close(mine.cumulativeHazardStdErr, expected.double(theirs, "std_err"), 1e-6), "\(group) se at \(mine.time)")
            }
        }
    }

    @Test func lifeTableLookupsAndExpectedSurvival() throws {
        let table = try Self.table()
        #expect(table.firstYear == 1995 && table.lastYear == 2014 && table.maxAge == 109)
        // One year at a constant rate: exp(−365.241 λ) = 1 − qx exactly.
        let qx = 1 - exp(-table.dailyHazard(age: 70, sex: .female, year: 2005) * PopulationLifeTable.daysPerYear)
        let start = Double(CalendarDate(year: 2005, month: 1, day: 1)!.daysSinceEpoch)
        let survival = table.expectedSurvival(ageDays: 70 * PopulationLifeTable.daysPerYear, sex: .female, date: start,
                                              days: 364)  // stays within age 70 and year 2005
        #expect(close(survival, exp(-364 * table.dailyHazard(age: 70, sex: .female, year: 2005)), 1e-14))
        #expect(qx > 0.01 && qx < 0.03)
        // Years outside the table use the nearest year; men die sooner than women at the same age.
        #expect(table.dailyHazard(age: 50, sex: .male, year: 2030) == table.dailyHazard(age: 50, sex: .male, year: 2014))
        #expect(table.dailyHazard(age: 60, sex: .male, year: 2010) > table.dailyHazard(age: 60, sex: .female, year: 2010))
    }

    @Test func badLifeTableFilesNameTheLine() {
        #expect(throws: LifeTableError.self) { try PopulationLifeTable.load(csv: "year,sex,age\n", name: "t.csv") }
        do {
            _ = try PopulationLifeTable.load(csv: "year,sex,age,qx\n2000,male,0,0.01\n2000,other,0,0.01\n", name: "t.csv")
            Issue.record("accepted an unknown sex")
        } catch let error as LifeTableError {
            #expect(error.line == 3)
            #expect(error.description.contains("t.csv:3"))
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: LifeTableError.self) {  // a missing combination
            try PopulationLifeTable.load(csv: "year,sex,age,qx\n2000,male,0,0.01\n2000,male,1,0.01\n2000,female,0,0.01\n", name: "t.csv")
        }
    }

    @Test func builtInUSTableIsComplete() {
        let us = PopulationLifeTable.unitedStates
        #expect(us.firstYear == 1940 && us.lastYear == 2014 && us.maxAge == 109)
        #expect(us.dailyHazard(age: 0, sex: .male, year: 2000) > us.dailyHazard(age: 10, sex: .male, year: 2000))
    }
}

@Suite("Built-in US life table against the shared reference")
struct BuiltInLifeTableReferenceTests {
    @Test func everyRateMatchesTheReferenceFileWhenPresent() throws {
        // ../shared/reference/lifetables/us_lifetable.csv sits beside the repository on CI; skip when absent.
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let reference = repository.deletingLastPathComponent().appendingPathComponent("shared/reference/lifetables/us_lifetable.csv")
        guard let text = try? String(contentsOf: reference, encoding: .utf8) else { return }
        let us = PopulationLifeTable.unitedStates
        var checked = 0
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            let year = Int(f[0])!, sex = LifeTableSex(code: f[1])!, age = Int(f[2])!, qx = Double(f[3])!
            let ours = 1 - exp(-us.dailyHazard(age: age, sex: sex, year: year) * PopulationLifeTable.daysPerYear)
            #expect(close(ours, qx, 1e-6), "\(year) \(sex) \(age)")
            checked += 1
        }
        #expect(checked == 16_500)
    }
}
