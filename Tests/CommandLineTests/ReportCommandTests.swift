import Foundation
import Postgres
import TestSupport
import Testing

/// `registry report annual`, `registry population load` and `registry report incidence` as a committee or an analyst
/// runs them.
@Suite("registry report and population, end to end")
struct ReportCommandTests {
    @Test func theAnnualAndIncidenceReportsAreWrittenInEveryAskedFormat() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            let demo = try RegistryExecutable.run(["demo", "--patients", "300"], environment: env)
            #expect(demo.status == 0 && demo.stdout.contains("demo population"), "\(demo.stderr)")

            let annual = try RegistryExecutable.run(["report", "annual", "--year", "2024", "--public", "--out", folder.path,
                                                     "--format", "csv", "json", "xlsx", "html"], environment: env)
            #expect(annual.status == 0, "\(annual.stderr)")
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
            #expect(files.isSuperset(of: ["annual-2024-public.json", "annual-2024-public.xlsx", "annual-2024-public.html",
                                          "annual-2024-public-primary-sites.csv", "annual-2024-public-survival.csv"]))
            #expect(!files.contains { $0.contains("accession-register") }, "no register in a public report")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("annual-2024-public.json"))) as? [String: Any])
            #expect((json["marking"] as? String)?.hasPrefix("Public") == true)

            let incidence = try RegistryExecutable.run(["report", "incidence", "--from", "2020", "--to", "2024", "--by", "site",
                                                        "--out", folder.path, "--format", "csv"], environment: env)
            #expect(incidence.status == 0, "\(incidence.stderr)")
            let csv = try String(contentsOf: folder.appendingPathComponent("incidence-2020-2024-by-site-rates.csv"), encoding: .utf8)
            #expect(csv.hasPrefix("Primary site,Cases,Population (person-years),Crude rate") && csv.contains("All cases,"))

            // A population file with a bad line: the error names the file and line, and nothing is loaded.
            let bad = folder.appendingPathComponent("pop.csv")
            try "year,county,sex,age_group,race,population\n2030,045,1,0,1,10\n2030,045,1,19,1,10\n".write(to: bad, atomically: true, encoding: .utf8)
            let refused = try RegistryExecutable.run(["population", "load", bad.path], environment: env)
            #expect(refused.status != 0 && refused.stderr.contains("pop.csv:3: age_group '19' must be 0-18"), "\(refused.stderr)")
            let db = try PostgresConnection(url)
            #expect(try db.query("SELECT count(*)::int FROM population WHERE year = 2030")[0].decode(Int.self, at: 0) == 0)
            let noPopulation = try RegistryExecutable.run(["report", "incidence", "--from", "2030", "--to", "2030"], environment: env)
            #expect(noPopulation.status != 0 && noPopulation.stderr.contains("registry population load"))
        }
    }
}
