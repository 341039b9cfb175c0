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

    @Test func aVersion18FileIsCheckedByTheDryRunAndRefusedByTheImportWithNothingStored() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("v18-\(UUID().uuidString).xml")
        try Self.v18File.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            let dryRun = try RegistryExecutable.run(["import", "--dry-run", file.path], environment: env)
            #expect(dryRun.status == 0, "\(dryRun.stdout)\(dryRun.stderr)")
            #expect(dryRun.stdout.contains("1 patients, 1 tumors read"))
            let imported = try RegistryExecutable.run(["import", file.path], environment: env)
            #expect(imported.status != 0)
            #expect(imported.stderr.contains("NAACCR version 180") && imported.stderr.contains("nothing was stored"))
            #expect(try PostgresConnection(url).query("SELECT count(*) FROM patient")[0].decode(Int.self, at: 0) == 0)
            let checked = try RegistryExecutable.run(["edits", "check", file.path], environment: env)
            #expect(checked.stdout.contains("1 patients, 1 tumors"))
        }
    }
}
