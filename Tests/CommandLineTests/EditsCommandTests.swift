import Foundation
import Postgres
import Testing
import TestSupport

@Suite("registry edits, end to end")
struct EditsCommandTests {
    func demoFile(patients: Int) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edits-\(UUID().uuidString).xml")
        let result = try RegistryExecutable.run(["demo", "--patients", String(patients), "--xml", file.path])
        #expect(result.status == 0)
        return file
    }

    @Test func checkingAFileReportsFailuresByRecordAndEditAndExitsNonZero() throws {
        let file = try demoFile(patients: 200)
        defer { try? FileManager.default.removeItem(at: file) }
        let clean = try RegistryExecutable.run(["edits", "check", file.path, "--set", "state-submission"])
        #expect(clean.status == 0, "\(clean.stdout.suffix(500))")
        #expect(clean.stdout.contains("no edit failed"))

        // Plant an invalid site in the first tumor and a hepatocellular histology in another.
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "naaccrNum=\"400\">C", with: "naaccrNum=\"400\">X", options: [], range: text.range(of: "naaccrNum=\"400\">C"))
        try text.write(to: file, atomically: true, encoding: .utf8)
        let failing = try RegistryExecutable.run(["edits", "check", file.path, "--set", "state-submission"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("patient 1, tumor 1: [ERROR] SF01 Primary Site (SEER/CoC): primarySite 'X"))
        #expect(failing.stdout.contains("1 tumors with errors"))

        let json = try RegistryExecutable.run(["edits", "check", file.path, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let failures = try #require(document["failures"] as? [[String: Any]])
        #expect(failures.first?["edit"] as? String == "SF01")
        #expect((failures.first?["line"] as? Int ?? 0) > 1)
        #expect(failures.first?["items"] as? [String] == ["primarySite"])
    }

    /// The shipped example files of a registry's own edits (schema/edits/examples), end to end: file → check → message.
    @Test func aRegistrysOwnEditsRunFromFiles() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema/edits/examples").standardized.path
        let list = try RegistryExecutable.run(["edits", "list", "--edits", examples, "--set", "ks-submission"])
        #expect(list.status == 0 && list.stdout.contains("KS01") && list.stdout.contains("set ks-submission"), "\(list.stderr)")
        let file = try demoFile(patients: 50)
        defer { try? FileManager.default.removeItem(at: file) }
        // The demo registry is a Kansas one diagnosed 2010-2024: leave out the county of every tumor.
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: #"<Item naaccrId="countyAtDx" naaccrNum="90">\d{3}</Item>"#, with: "", options: .regularExpression)
        try text.write(to: file, atomically: true, encoding: .utf8)
        let checked = try RegistryExecutable.run(["edits", "check", file.path, "--edits", examples, "--set", "ks-submission"])
        #expect(checked.status == 1)
        #expect(checked.stdout.contains("[ERROR] KS01 Addr at DX--County, Required for Kansas residents (KS): countyAtDx (item 90) is required"), "\(checked.stdout.prefix(2000))")
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).edits")
        try "edit X1 \"A (T)\"\n  check contyAtDx is present\n".write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let refused = try RegistryExecutable.run(["edits", "list", "--edits", broken.path])
        #expect(refused.status != 0 && refused.stderr.contains(":2: edit X1: contyAtDx is not a NAACCR v26 item"), "\(refused.stderr)")
    }

    @Test func listNamesEveryEditWithItsSeverity() throws {
        let result = try RegistryExecutable.run(["edits", "list", "--set", "incoming-abstract", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let edits = try #require(document["edits"] as? [[String: String]])
        #expect(edits.count >= 60)
        #expect(edits.first { $0["id"] == "IF25" }?["override"] == "overRideSiteType=1")
        #expect(edits.first { $0["id"] == "IF25" }?["severity"] == "warning")
        // Source, years and sets of each edit.
        let if25 = try #require(edits.first { $0["id"] == "IF25" })
        #expect(if25["source"] == "SEER" && if25["years"] == "all" && if25["sets"] == "incoming-abstract state-submission npcr-submission seer-submission naaccr-call-for-data")
        #expect(edits.first { $0["id"] == "STG08" }?["years"] == "2018-" && edits.first { $0["id"] == "COC-ST" }?["sets"]?.contains("seer") == false)
        #expect(edits.first { $0["id"] == "RQ1291" }?["years"] == "2023-")
        #expect(edits.first { $0["id"] == "SF27" }?["source"] == "CoC")
        #expect(try RegistryExecutable.run(["edits", "list", "--set", "nonsense"]).status != 0)
    }

    @Test func runningOverTheStoreSavesResultsPerTumor() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            let demo = try RegistryExecutable.run(["demo", "--patients", "300"], environment: env)
            #expect(demo.status == 0, "\(demo.stderr)")
            let run = try RegistryExecutable.run(["edits", "run", "--set", "state-submission"], environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("0 with errors"))
            let db = try PostgresConnection(url)
            let stored = try db.query("SELECT count(*), sum(errors) FROM edit_result WHERE edit_set = 'state-submission'")[0]
            let tumors = try db.query("SELECT count(*) FROM tumor")[0].decode(Int.self, at: 0)
            #expect(try stored.decode(Int.self, at: 0) == tumors)
            #expect(try stored.decode(Int.self, at: 1) == 0)
            // Break one abstract in the store; the next run marks exactly that tumor as failing.
            try db.execute("UPDATE tumor SET items = jsonb_set(items::jsonb, '{400}', '\"C99X\"') WHERE id = (SELECT min(id) FROM tumor)")  // 400: primarySite
            _ = try RegistryExecutable.run(["edits", "run", "--set", "state-submission"], environment: env)
            let failing = try db.query("""
                SELECT tumor_id, failures->0->>'edit' FROM edit_result WHERE edit_set = 'state-submission' AND errors > 0
                """)
            #expect(failing.count == 1)
            #expect(failing.first?.text(at: 1) == "SF01")
            #expect(try db.query("SELECT count(*) FROM edit_run")[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test func commandsNameTheirActorTheOperatingSystemAccountOrTheRegistryUserGivenWithAs() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url, "REGISTRY_PASSWORD": "correct horse battery", "USER": "jdoe"]
            #expect(try RegistryExecutable.run(["demo", "--patients", "20"], environment: env).status == 0)
            #expect(try RegistryExecutable.run(["user", "add", "clerk", "--role", "registrar"], environment: env).status == 0)
            #expect(try RegistryExecutable.run(["edits", "run", "--as", "clerk"], environment: env).status == 0)
            let unknown = try RegistryExecutable.run(["edits", "run", "--as", "nobody"], environment: env)
            #expect(unknown.status != 0 && unknown.stderr.contains("no enabled registry user"))
            let db = try PostgresConnection(url)
            // The demo imports its patients and then its population (two imports).
            let rows = try db.query("SELECT action, entity, username, user_id IS NOT NULL FROM audit_log ORDER BY id")
            #expect(rows.map { "\($0.text(at: 0)!) \($0.text(at: 1)!) \($0.text(at: 2)!) \($0.text(at: 3)!)" }
                    == ["import naaccr_file os:jdoe f", "import population os:jdoe f", "create app_user os:jdoe f", "run edit_run clerk t"])
        }
    }
}
