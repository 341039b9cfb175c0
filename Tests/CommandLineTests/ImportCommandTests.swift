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

@Suite("Flat (fixed-width) files at the command line, end to end")
struct FlatFileCommandTests {
    /// A v18 flat A record with `values` at the columns of the published layout (`../shared/reference/naaccr/flat-layouts`).
    static func v18Record(_ values: [String: String]) throws -> String {
        let layout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/reference/naaccr/flat-layouts/naaccr-18-layout.xml").standardized
        let text = try String(contentsOf: layout, encoding: .utf8)
        var characters = [Character](repeating: " ", count: 24194)
        for (id, value) in values {
            let match = try #require(text.firstMatch(of: try Regex("name=\"\(id)\" start=\"(\\d+)\"")), "\(id)")
            let start = Int(match.output[1].substring!)!
            for (offset, character) in value.enumerated() { characters[start - 1 + offset] = character }
        }
        return String(characters)
    }

    static var available: Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/reference/naaccr/flat-layouts/naaccr-18-layout.xml").standardized.path)
    }

    @Test(.enabled(if: available)) func aFlatVersion18FileIsDryRunImportedAndConverted() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["recordType": "A", "naaccrRecordVersion": "180", "registryId": "0000001234", "patientIdNumber": "00000042",
                    "sex": "2", "primarySite": "C509", "sequenceNumberCentral": "01", "tumorRecordNumber": "01", "dateOfDiagnosis": "20150312"]
        var second = base
        second["primarySite"] = "C189"; second["sequenceNumberCentral"] = "02"; second["tumorRecordNumber"] = "02"
        let file = folder.appendingPathComponent("hospital.txt")
        try ([try Self.v18Record(base), try Self.v18Record(second)].joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)

        let converted = folder.appendingPathComponent("v26.xml")
        let convert = try RegistryExecutable.run(["convert", file.path, converted.path])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(convert.stdout.contains("1 patients, 2 tumors converted from NAACCR version 180 to 260"), "\(convert.stdout)")
        let xml = try String(contentsOf: converted, encoding: .utf8)
        #expect(xml.contains("<Item naaccrId=\"sexAssignedAtBirth\" naaccrNum=\"225\">2</Item>") && xml.contains(">C189</Item>"))

        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            let dryRun = try RegistryExecutable.run(["import", "--dry-run", file.path], environment: env)
            #expect(dryRun.status == 0 && dryRun.stdout.contains("1 patients, 2 tumors read"), "\(dryRun.stdout)\(dryRun.stderr)")
            let imported = try RegistryExecutable.run(["import", file.path], environment: env)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("converted from NAACCR version 180 to 260"))
            let db = try PostgresConnection(url)
            #expect(try db.query("SELECT count(*)::text FROM tumor")[0].text(at: 0) == "2")
        }

        // A truncated line: the dry run and the import both name the line; nothing is stored.
        let broken = folder.appendingPathComponent("broken.txt")
        try (try Self.v18Record(base) + "\n" + String(try Self.v18Record(second).prefix(6000)) + "\n").write(to: broken, atomically: true, encoding: .utf8)
        let refused = try RegistryExecutable.run(["import", "--dry-run", broken.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("line 2: the line is 6000 characters; a NAACCR v180 record of type A is 24194"), "\(refused.stderr)")
    }
}

@Suite("registry stage, end to end")
struct StageCommandTests {
    @Test func aBreastTumorIsStagedAndAnUnknownSchemaExitsNonZero() throws {
        let run = try RegistryExecutable.run(["stage", "--site", "C504", "--histology", "8500", "--behavior", "3", "--year", "2022",
                                              "--item", "eodPrimaryTumor=100", "--item", "eodRegionalNodes=000", "--item", "eodMets=70",
                                              "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\(run.stderr)")
        #expect(document["schema"] as? String == "breast" && document["schemaId"] as? String == "00480")
        #expect((document["outputs"] as? [String: String])?["derivedSummaryStage2018"] == "7")
        let unknown = try RegistryExecutable.run(["stage", "--site", "C111", "--histology", "8010", "--year", "2022"])
        #expect(unknown.status == 1 && unknown.stdout.contains("Schema Discriminator"), "\(unknown.stdout)")
    }
}
