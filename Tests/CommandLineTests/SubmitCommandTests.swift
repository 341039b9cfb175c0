import Foundation
import Postgres
import TestSupport
import Testing

/// `registry submit`, `registry submissions` and `registry import --from` / `registry intake` as a registry runs them.
@Suite("registry submit, submissions and intake, end to end")
struct SubmitCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aStateSubmissionIsPreviewedWrittenListedMarkedAndResent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("submit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            #expect(try RegistryExecutable.run(["demo", "--patients", "200"], environment: env).status == 0)
            let db = try PostgresConnection(url)
            let eligible = try db.query("""
                SELECT count(*)::int FROM tumor WHERE behavior IN ('2', '3')
                    OR (behavior IN ('0', '1') AND (primary_site BETWEEN 'C700' AND 'C729' OR primary_site BETWEEN 'C751' AND 'C753'))
                """)[0].decode(Int.self, at: 0)

            let preview = try RegistryExecutable.run(["submit", "--to", "state", "--dry-run", "--format", "json"], environment: env)
            #expect(preview.status == 0, "\(preview.stderr)")
            #expect(try json(preview.stdout)["tumorsNew"] as? Int == eligible)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

            let sent = try RegistryExecutable.run(["submit", "--to", "state", "--out", folder.path], environment: env)
            #expect(sent.status == 0, "\(sent.stderr)")
            #expect(sent.stdout.contains("state: sent \(eligible) tumors") && sent.stdout.contains("SHA-256"))
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(files.count == 1 && files[0].hasSuffix(".xml.gz"))

            let list = try RegistryExecutable.run(["submissions", "list", "--to", "state"], environment: env)
            #expect(list.stdout.contains("\tstate\t") && list.stdout.contains("generated"))
            #expect(try RegistryExecutable.run(["submissions", "mark", "1", "--accepted", "--reason", "received"], environment: env).status == 0)
            let shown = try RegistryExecutable.run(["submissions", "show", "1"], environment: env)
            #expect(shown.stdout.contains("submission 1 to state: accepted (received)"))
            let again = try RegistryExecutable.run(["submit", "--to", "state", "--dry-run", "--format", "json"], environment: env)
            let againJSON = try json(again.stdout)
            #expect(againJSON["tumorsNew"] as? Int == 0 && againJSON["tumorsUnchanged"] as? Int == eligible)

            let copy = folder.appendingPathComponent("copy.xml.gz").path
            let resent = try RegistryExecutable.run(["submit", "--resend", "1", "--out", copy], environment: env)
            #expect(resent.status == 0, "\(resent.stderr)")
            #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: folder.appendingPathComponent(files[0]).path))

            // Mistakes are refused with a clear message.
            let unknown = try RegistryExecutable.run(["submit", "--to", "mars"], environment: env)
            #expect(unknown.status != 0 && unknown.stderr.contains("no destination mars"))
            #expect(try RegistryExecutable.run(["submissions", "mark", "1"], environment: env).status != 0)
        }
    }

    @Test func aFacilityFileIsReceivedOnceAndItsRejectionsGoBack() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("intake-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            let file = folder.appendingPathComponent("facility.xml").path
            #expect(try RegistryExecutable.run(["demo", "--patients", "50", "--xml", file], environment: env).status == 0)
            let first = try RegistryExecutable.run(["import", file, "--from", "FAC9"], environment: env)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("intake 1 from FAC9"))
            let second = try RegistryExecutable.run(["import", file, "--from", "FAC9"], environment: env)
            #expect(second.status != 0 && second.stderr.contains("was received from FAC9 as intake 1"))
            let list = try RegistryExecutable.run(["intake", "list"], environment: env)
            #expect(list.stdout.contains("FAC9\t") && list.stdout.contains("facility.xml"))
            let csv = folder.appendingPathComponent("rejections.csv").path
            let report = try RegistryExecutable.run(["intake", "rejections", "1", "--csv", csv], environment: env)
            let listing = try String(contentsOfFile: csv, encoding: .utf8)
            #expect(report.status == 0 && listing.hasPrefix("patientIdNumber,tumorKey,edit,message"))
        }
    }
}
