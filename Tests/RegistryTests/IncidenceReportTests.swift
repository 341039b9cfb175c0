import Foundation
import Postgres
import Registry
import RegistryStore
import Reports
import TestSupport
import Testing

/// Population loading and incidence rates end to end: cases counted by the test's own SQL, population from the
/// test's own file, the age-adjusted rate and its Tiwari interval computed by SciPy from those.
@Suite("Incidence: population load and rates against independent SQL and SciPy", .serialized)
struct IncidenceReportTests {
    let actor = ActingUser(userId: nil, username: "os:analyst")
    static let counties = ["045", "091", "173", "177", "209", "161", "015", "051", "113", "169", "059", "021"]

    /// A population CSV of the test's own: every county, sex, age group and race, 2020-2024, leaving out county 021.
    static func populationCSV() -> String {
        var lines = ["year,county,sex,age_group,race,population"]
        for year in 2020...2024 {
            for (c, county) in counties.enumerated() where county != "021" {
                for sex in ["1", "2"] {
                    for group in 0...18 {
                        for race in ["1", "2", "3", "4"] {
                            lines.append("\(year),\(county),\(sex),\(group),\(race),\(300 + 37 * c + 11 * group + (race == "1" ? 900 : 40) + year % 7)")
                        }
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("population-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theAllCasesRateIsTheIndependentComputation() async throws {
        try await WorkflowTests.withSyntheticRegistry(patients: 2_500, seed: 16) { registry, db, _ in
            let path = try write(Self.populationCSV())
            defer { try? FileManager.default.removeItem(atPath: path) }
            let estimates = try PopulationEstimates.read(path: path)
            let loaded = try await registry.loadPopulation(estimates, source: path, by: actor)
            #expect(loaded.years == Array(2020...2024) && loaded.rows == 5 * 11 * 2 * 19 * 4 && loaded.replaced == 0)
            let document = try await registry.incidenceReport(.init(years: 2020...2024, grouping: .sex, isPublic: false), by: actor)
            let rates = try #require(document.tables.first { $0.name == "rates" })
            let all = try #require(rates.cells.last)
            // Cases by age group, counted by the test: invasive or in situ bladder, known age, a county of the file.
            let counted = try db.query("""
                SELECT CASE WHEN a = 0 THEN 0 WHEN a < 5 THEN 1 ELSE least(18, a / 5 + 1) END AS g, count(*)::int
                FROM (SELECT (t.items->>'230')::int AS a FROM tumor t
                      WHERE t.diagnosis_year BETWEEN 2020 AND 2024 AND t.items->>'230' <> '999'
                        AND (t.behavior = '3' OR (t.behavior = '2' AND t.primary_site LIKE 'C67%'))
                        AND t.items->>'90' IN ('045','091','173','177','209','161','015','051','113','169','059')) x
                GROUP BY 1
                """)
            var cases = [Int](repeating: 0, count: 19)
            for r in counted { cases[try r.decode(Int.self, at: 0)] = try r.decode(Int.self, at: 1) }
            #expect(all[1] == .count(cases.reduce(0, +)) && cases.reduce(0, +) > 100)
            var population = [Double](repeating: 0, count: 19)
            for line in Self.populationCSV().split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",")
                population[Int(f[3])!] += Double(f[5])!
            }
            let script = """
                import json, sys
                from scipy.stats import gamma
                d = json.load(sys.stdin); x, n, std = d["cases"], d["population"], d["std"]
                w = [s / sum(std) / n[j] for j, s in enumerate(std)]
                R = sum(w[j] * x[j] for j in range(19)); v = sum(w[j] ** 2 * x[j] for j in range(19))
                wb = sum(w) / 19; w2 = sum(a * a for a in w) / 19
                print(json.dumps([R * 1e5, gamma.ppf(0.025, R * R / v, scale=v / R) * 1e5,
                                  gamma.ppf(0.975, (R + wb) ** 2 / (v + w2), scale=(v + w2) / (R + wb)) * 1e5]))
                """
            let std = [13818, 55317, 72533, 73032, 72169, 66478, 64529, 71044, 80762, 81851, 72118, 62716, 48454, 38793, 34264, 31773, 26999, 17842, 15508]
            let want = try #require(try Python.json(script, input: ["cases": cases, "population": population, "std": std]) as? [Double])
            for (cell, expected) in zip([all[5], all[6], all[7]], want) {
                guard case .number(let got, _) = cell else { Issue.record("not a rate: \(cell)"); continue }
                #expect(abs(got - expected) < 1e-9 * expected, "\(got) vs \(expected)")
            }
            // Tumors of county 021 (not in the file) are left out and said so.
            #expect(rates.notes.contains { $0.contains("outside the population's counties") })
            // Male + female + other add up to all cases.
            let byGroup = rates.cells.dropLast().compactMap { row -> Int? in if case .count(let n) = row[1] { return n } else { return nil } }
            #expect(byGroup.reduce(0, +) == cases.reduce(0, +))
            // The public version shows no count from 1 to 15.
            let publicDocument = try await registry.incidenceReport(.init(years: 2020...2024, grouping: .county, isPublic: true), by: actor)
            for table in publicDocument.tables {
                for row in table.cells {
                    for cell in row { if case .count(let n) = cell { #expect(n == 0 || n >= 16) } }
                }
            }
            // A year without population is refused with what to do.
            await #expect(throws: MissingPopulationError.self) {
                _ = try await registry.incidenceReport(.init(years: 2019...2020, grouping: .all, isPublic: false), by: actor)
            }
        }
    }

    @Test func aBadPopulationFileNamesTheLineAndChangesNothing() async throws {
        try await WorkflowTests.withSyntheticRegistry(patients: 10, seed: 17) { registry, db, _ in
            let good = try write("year,county,sex,age,race,population\n2024,45,1,67,1,1200\n2024,045,female,90,4,30\n")
            let bad = try write("year,county,sex,age_group,race,population\n2024,045,1,3,1,100\n2024,045,3,3,1,100\n")
            defer { try? FileManager.default.removeItem(atPath: good); try? FileManager.default.removeItem(atPath: bad) }
            let estimates = try PopulationEstimates.read(path: good)
            #expect(estimates.counts.count == 2)
            #expect(estimates.counts[.init(year: 2024, county: "045", sex: "1", ageGroup: 14, race: "1")] == 1200)
            #expect(estimates.counts[.init(year: 2024, county: "045", sex: "2", ageGroup: 18, race: "4")] == 30)
            _ = try await registry.loadPopulation(estimates, source: good, by: actor)
            #expect(throws: PopulationFileError(file: bad, line: 3, message: "sex '3' must be 1 (male) or 2 (female)")) {
                try PopulationEstimates.read(path: bad)
            }
            #expect(try db.query("SELECT sum(population)::int FROM population")[0].decode(Int.self, at: 0) == 1230)
            // Loading the year again replaces it.
            let again = try await registry.loadPopulation(estimates, source: good, by: actor)
            #expect(again.replaced == 2)
            #expect(try db.query("SELECT count(*)::int FROM audit_log WHERE entity = 'population' AND action = 'import'")[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test func seerFixedWidthPopulationFilesAreSummedOverOrigin() throws {
        // year, state, state FIPS, county, registry, race, origin, sex, age group, population (8 digits).
        let text = ["2023CA06001971010000001234", "2023CA06001971110000000766", "2023CA06001974021800000050", "2023NV32003971010000009999"]
            .joined(separator: "\n") + "\n"
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let california = try PopulationEstimates.read(path: path, state: "CA")
        #expect(california.counts == [.init(year: 2023, county: "001", sex: "1", ageGroup: 0, race: "1"): 2000,
                                      .init(year: 2023, county: "001", sex: "2", ageGroup: 18, race: "4"): 50])
        #expect(try PopulationEstimates.read(path: path).counts.count == 3)
    }
}
