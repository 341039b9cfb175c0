import Foundation
import NAACCR
import Postgres
import RegistryStore
import SyntheticRegistry
import Testing
import TestSupport

@Suite("Exporting NAACCR records from the store")
struct NaaccrExporterTests {
    func importGenerated(_ db: PostgresConnection, _ generator: SyntheticRegistryGenerator) throws {
        var iterator = generator.makeIterator()
        _ = try NaaccrImporter(connection: db).importPatients(
            header: generator.header(), dictionary: generator.dictionary, source: "test", actor: ActingUser(userId: nil, username: "tester"), next: { iterator.next() })
    }

    func exportAll(_ db: PostgresConnection, _ selection: ExportSelection = ExportSelection(),
                   recordType: String = "A") throws -> (ExportSummary, [NaaccrPatient]) {
        var patients: [NaaccrPatient] = []
        let summary = try NaaccrExporter(connection: db).export(selection, dictionary: .v26, actor: ActingUser(userId: nil, username: "tester"), recordType: recordType) {
            patients.append($0)
        }
        return (summary, patients)
    }

    /// Patient values, then tumor values in a fixed order, keyed by patient id (the store may order tumors differently).
    func canonical(_ patients: [NaaccrPatient]) -> [String: [NaaccrValues]] {
        func sortKey(_ values: NaaccrValues) -> String { values.entries.map { "\($0.index)=\($0.value)" }.joined(separator: "|") }
        return Dictionary(uniqueKeysWithValues: patients.map { p in
            (p["patientIdNumber"]!, [p.values] + p.tumors.map(\.values).sorted { sortKey($0) < sortKey($1) })
        })
    }

    @Test func exportGivesBackExactlyTheImportedItemsAndValues() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            let generator = SyntheticRegistryGenerator(patientCount: 400, seed: 5)
            try importGenerated(db, generator)
            let (summary, exported) = try exportAll(db)
            let original = Array(generator)
            #expect(summary.patients == 400)
            #expect(summary.tumors == original.reduce(0) { $0 + $1.tumors.count })
            #expect(summary.unknownItems.isEmpty)
            #expect(canonical(exported) == canonical(original))
            #expect(try db.query("SELECT count(*) FROM audit_log WHERE action = 'export'")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func exportedXMLReadsBackAndIncidenceFilesLeaveOutConfidentialItems() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            try importGenerated(db, SyntheticRegistryGenerator(patientCount: 50, seed: 9))
            for recordType in ["A", "I"] {
                let sink = MemoryByteSink()
                var header = NaaccrHeader(baseDictionaryUri: NaaccrDictionary.v26.uri, recordType: recordType)
                header.values[NaaccrDictionary.v26.key("registryId")!.index] = "0000009999"
                let writer = try NaaccrXMLWriter(sink: sink, dictionary: .v26, header: header)
                let (summary, _) = try exportAll(db, recordType: recordType)
                _ = try NaaccrExporter(connection: db).export(ExportSelection(), dictionary: .v26, actor: ActingUser(userId: nil, username: "t"), recordType: recordType) {
                    try writer.write($0)
                }
                try writer.finish()
                let reader = try NaaccrXMLReader(source: MemoryByteSource(sink.bytes), name: "export")
                var patients = 0, names = 0
                while let patient = try reader.next() {
                    patients += 1
                    #expect(patient.issues.isEmpty)
                    if patient["nameLast"] != nil { names += 1 }
                }
                #expect(patients == summary.patients)
                #expect(recordType == "A" ? names == patients : names == 0, "record type \(recordType)")
            }
        }
    }

    @Test func sinceSelectsOnlyPatientsChangedAfterTheDate() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            try importGenerated(db, SyntheticRegistryGenerator(patientCount: 30, seed: 3))
            try db.execute("UPDATE patient SET updated_at = '2020-01-01'")
            try db.execute("UPDATE tumor SET updated_at = '2020-01-01'")
            try db.execute("UPDATE patient SET updated_at = '2026-06-01' WHERE patient_id_number = $1", ["00000003"])
            try db.execute("""
                UPDATE tumor SET updated_at = '2026-06-01'
                WHERE patient_id = (SELECT id FROM patient WHERE patient_id_number = $1)
                """, ["00000007"])
            let since = ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z")!
            let (summary, patients) = try exportAll(db, ExportSelection(changedSince: since))
            #expect(summary.patients == 2)
            #expect(Set(patients.compactMap { $0["patientIdNumber"] }) == ["00000003", "00000007"])
            // A patient comes with all its tumors, not only the changed ones.
            let seven = try #require(patients.first { $0["patientIdNumber"] == "00000007" })
            let stored = try db.query("SELECT count(*) FROM tumor t JOIN patient p ON p.id = t.patient_id WHERE p.patient_id_number = $1",
                                      ["00000007"])[0].decode(Int.self, at: 0)
            #expect(seven.tumors.count == stored)
        }
    }

    @Test func severalRegistriesNeedAChoice() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            try db.execute("INSERT INTO patient (registry_id, patient_id_number, items) VALUES ('A', '1', '{}'), ('B', '1', '{}')")
            #expect(throws: ExportError.self) { try exportAll(db) }
            let (summary, _) = try exportAll(db, ExportSelection(registryId: "B"))
            #expect(summary.patients == 1)
        }
    }

    @Test func storedTextWithEscapesComesBackIntact() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            let text = "line one\nline \"two\" \\ tab\t é 😀 <&>"
            try db.execute("INSERT INTO patient (patient_id_number, items) VALUES ('1', jsonb_build_object('patientIdNumber', '1', 'nameLast', $1::text))",
                           [text])
            let (_, patients) = try exportAll(db)
            #expect(patients.first?["nameLast"] == text)
        }
    }
}
