import Foundation
import Postgres
import TestSupport
import Testing

@Suite("registry import of other NAACCR versions, end to end")
struct ImportCommandTests {
    static let v18File = """
        <?xml version="1.0" encoding="UTF-8"?>
        <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-180.xml" recordType="I" specificationVersion="1.3"
            xmlns="http://naaccr.org/naaccrxml">
          <Item naaccrId="registryId">0000001234</Item>
          <Patient><Item naaccrId="patientIdNumber">00000042</Item><Item naaccrId="sex">2</Item>
            <Tumor><Item naaccrId="primarySite">C509</Item><Item naaccrId="sequenceNumberCentral">00</Item></Tumor></Patient>
        </NaaccrData>
        """

    @Test func aVersion18FileIsCheckedConvertedAndStoredWithItsRetiredValuesKept() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("v18-\(UUID().uuidString).xml")
        try Self.v18File.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            let dryRun = try RegistryExecutable.run(["import", "--dry-run", file.path], environment: env)
            #expect(dryRun.status == 0, "\(dryRun.stdout)\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("1 patients, 1 tumors read"))
            let imported = try RegistryExecutable.run(["import", file.path], environment: env)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("converted from NAACCR version 180 to 260"))
            #expect(imported.stdout.contains("retired, kept: sex (220)"))
            let db = try PostgresConnection(url)
            let row = try db.query("SELECT sex_assigned_at_birth, items->>'220', items->>'225' FROM patient")[0]
            #expect(row.text(at: 0) == "2" && row.text(at: 1) == "2" && row.text(at: 2) == "2")
            #expect(try db.query("SELECT naaccr_id FROM naaccr_item WHERE naaccr_num = 220")[0].text(at: 0) == "sex")
            let audit = try db.query("SELECT detail->>'convertedFrom' FROM audit_log WHERE action = 'import'")[0]
            #expect(audit.text(at: 0) == "180")
            let checked = try RegistryExecutable.run(["edits", "check", file.path], environment: env)
            #expect(checked.stdout.contains("1 patients, 1 tumors"))
        }
    }
}

@Suite("registry convert, end to end")
struct ConvertCommandTests {
    @Test func aVersion18FileBecomesAVersion26FileThatReadsBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("v18.xml"), output = folder.appendingPathComponent("v26.xml")
        try ImportCommandTests.v18File.write(to: input, atomically: true, encoding: .utf8)
        let run = try RegistryExecutable.run(["convert", input.path, output.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("converted from NAACCR version 180 to 260"))
        #expect(run.stdout.contains("retired, left out of the v26 file: sex (220)"))
        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(text.contains("naaccr-dictionary-260.xml"))
        #expect(text.contains("<Item naaccrId=\"sexAssignedAtBirth\" naaccrNum=\"225\">2</Item>"))
        #expect(!text.contains("naaccrId=\"sex\""))
        #expect(text.contains("<Item naaccrId=\"primarySite\" naaccrNum=\"400\">C509</Item>") && !text.contains("birthplaceState"))
        #expect(text.contains("<Item naaccrId=\"registryId\" naaccrNum=\"40\">0000001234</Item>"))
    }
}

@Suite("registry import --dry-run, end to end")
struct DryRunTests {
    @Test func theDryRunReportsWhatTheImportWouldRefuse() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("noid-\(UUID().uuidString).xml")
        try ImportCommandTests.v18File.replacingOccurrences(of: "<Item naaccrId=\"patientIdNumber\">00000042</Item>", with: "")
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try RegistryExecutable.run(["import", "--dry-run", file.path])
        #expect(run.status != 0)
        #expect(run.stdout.contains("not stored: patient at line 5: no patientIdNumber (item 20)"), "\(run.stdout)")
    }
}
