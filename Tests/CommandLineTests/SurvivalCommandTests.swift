import Foundation
import Testing
import TestSupport

@Suite("registry survival, end to end")
struct SurvivalCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SurvivalTests/Fixtures")

    @Test func csvAtChosenTimesIsExactlyTheDocumentedTableAndMatchesR() throws {
        let result = try RegistryExecutable.run(["survival", "--input", Self.fixtures.appendingPathComponent("km_cases.csv").path,
                                                 "--times", "12,24,36,60", "--format", "csv"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "group,time_months,n_risk,n_event,survival,std_err,lower95,upper95")
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("km_times_expected.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == expected.count)
        for (mine, theirs) in zip(rows, expected) {
            #expect(mine[0...3] == theirs[0...3])
            for column in 4...7 {
                let a = Double(mine[column])!, b = Double(theirs[column])!
                #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(mine) vs \(theirs)")
            }
        }
        #expect(result.stderr.contains("log-rank test: chi-square 139.518, 2 df"))  // notes go to standard error
    }

    /// `registry survival months` on the reference implementation's published patient (imsweb SurvivalTimeUtilsTest:
    /// end point 2010, last contact November 2009, alive), its rows shuffled among another patient's: the expected
    /// months and flags are the reference's, written back in the input's order.
    @Test func survivalMonthsForACaseListingMatchTheReferenceCases() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("months-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        let rows = [("A", "01", "20090901"), ("B", "00", "20100314"), ("A", "02", "20089999"), ("A", "03", "20080399"), ("A", "04", "99999999"),
                    ("A", "05", "20099923"), ("A", "06", "20080405"), ("A", "07", "20091199")]
        var text = "patientIdNumber,sequenceNumberCentral,dateOfDiagnosis,dateOfBirth,dateOfLastContact,vitalStatus,typeOfReportingSource\n"
        for (id, seq, dx) in rows {
            text += id == "A" ? "A,\(seq),\(dx),20080304,20091199,1,1\n" : "B,\(seq),\(dx),20080304,20100314,1,1\n"
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try RegistryExecutable.run(["survival", "months", "--input", file.path, "--cutoff", "2010", "--today", "2026-11-24"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: ",").suffix(4).joined(separator: ",") }
        #expect(lines == ["survivalMonths,survivalFlag,survivalMonthsPresumedAlive,survivalFlagPresumedAlive",
                          "0002,3,0015,1", "0000,0,0009,1", "0020,3,0033,3", "0020,3,0033,3", "9999,9,9999,9",
                          "0001,2,0014,3", "0019,3,0032,1", "0000,2,0013,3"])
        let missing = try RegistryExecutable.run(["survival", "months", "--input", Self.fixtures.appendingPathComponent("km_cases.csv").path, "--cutoff", "2010"])
        #expect(missing.status != 0 && missing.stderr.contains("patientIdNumber"))
    }

    /// Times past a group's last follow-up stay in the table: 0% for a group where everybody died (as R's
    /// summary(fit, times, extend = TRUE) gives), not known ("NA") for one whose follow-up ended alive.
    @Test func timesPastTheLastFollowUpAreShownNotDropped() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try "time_months,event,group\n3,1,Died\n10,1,Died\n20,1,Died\n5,0,Censored\n12,1,Censored\n30,0,Censored\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try RegistryExecutable.run(["survival", "--input", file.path, "--times", "12,60", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let died60 = try #require(rows.first { $0.first == "Died" && $0[1] == "60" })
        #expect(died60[2] == "0" && Double(died60[4]) == 0)
        let censored60 = try #require(rows.first { $0.first == "Censored" && $0[1] == "60" })
        #expect(censored60[2] == "0" && censored60[4] == "NA")
    }

    @Test func badCaseListingsNameTheLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).csv")
        try "time_months,event,group\n12,1,A\n-3,0,A\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try RegistryExecutable.run(["survival", "--input", file.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(":3: time_months '-3'"))
    }

    @Test func netSurvivalFromACaseListingWithTheBuiltInTable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("net-\(UUID().uuidString).csv")
        var text = "dx_date,last_contact_date,vital_status,age,sex,group\n"
        for i in 0..<60 {
            let dead = i % 3 == 0
            text += "2005-0\(1 + i % 9)-15,20\(dead ? "08" : "12")-0\(1 + i % 9)-10,\(dead ? "dead" : "alive"),\(50 + i % 30),\(i % 2 == 0 ? "male" : "female"),\(i % 2 == 0 ? "M" : "F")\n"
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        for method in ["net", "relative"] {
            let result = try RegistryExecutable.run(["survival", "--input", file.path, "--method", method, "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let groups = document?["groups"] as? [[String: Any]]
            #expect(groups?.count == 2, "\(method)")
        }
    }

    @Test func fromTheStoreByStageWithExclusionsCountedAndAPlot() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            let demo = try RegistryExecutable.run(["demo", "--patients", "3000"], environment: env)
            #expect(demo.status == 0, "\(demo.stderr)")
            let plot = FileManager.default.temporaryDirectory.appendingPathComponent("stage-\(UUID().uuidString).svg")
            defer { try? FileManager.default.removeItem(at: plot) }
            let result = try RegistryExecutable.run(["survival", "--by", "stage", "--from", "2010", "--to", "2024", "--cutoff", "2025",
                                                     "--format", "json", "--plot", plot.path], environment: env)
            #expect(result.status == 0, "\(result.stderr)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let groups = try #require(document["groups"] as? [[String: Any]])
            func fiveYear(_ name: String) -> Double? {
                let points = groups.first { $0["group"] as? String == name }?["points"] as? [[String: Any]]
                return points?.first { $0["time_months"] as? Double == 60 }?["survival"] as? Double
            }
            let localized = try #require(fiveYear("Localized")), distant = try #require(fiveYear("Distant"))
            #expect(localized > distant + 0.2, "localized \(localized), distant \(distant)")
            #expect((document["notes"] as? [String])?.contains { $0.contains("excluded") } == true)
            #expect(document["logRank"] != nil)
            let svg = try String(contentsOf: plot, encoding: .utf8)
            #expect(svg.hasPrefix("<svg") && svg.contains("Localized") && svg.contains("Months since diagnosis"))

            // Period analysis, a stratified log-rank test and ICSS age standardisation on the same registry.
            let period = try RegistryExecutable.run(["survival", "--by", "stage", "--period", "2020-2024", "--strata", "sex",
                                                     "--standardize", "icss1", "--format", "json"], environment: env)
            #expect(period.status == 0, "\(period.stderr)")
            let periodDocument = try #require(try JSONSerialization.jsonObject(with: Data(period.stdout.utf8)) as? [String: Any])
            #expect((periodDocument["logRank"] as? [String: Any])?["stratified"] as? Bool == true)
            let labels = (periodDocument["groups"] as? [[String: Any]])?.compactMap { $0["group"] as? String } ?? []
            #expect(labels.contains("Localized (age-standardised, ICSS1)"), "\(labels)")
            // Relative survival (Ederer II) with the built-in US table, as a table for people.
            let relative = try RegistryExecutable.run(["survival", "--method", "relative", "--by", "sex", "--cutoff", "2025"], environment: env)
            #expect(relative.status == 0, "\(relative.stderr)")
            #expect(relative.stdout.contains("relative survival (Ederer II)"))
        }
    }
}
