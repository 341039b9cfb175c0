import Foundation
import NAACCR
import Postgres
import RegistryStore
import SyntheticRegistry
import Testing
import TestSupport

@Suite("Importing NAACCR records into the store")
struct NaaccrImporterTests {
    func migrated(_ url: String) throws -> PostgresConnection {
        let db = try PostgresConnection(url)
        try Migrator().migrate(db)
        return db
    }

    func importGenerated(_ db: PostgresConnection, _ generator: SyntheticRegistryGenerator) throws -> ImportSummary {
        var iterator = generator.makeIterator()
        return try NaaccrImporter(connection: db).importPatients(
            header: generator.header(), dictionary: generator.dictionary, source: "test", actor: ActingUser(userId: nil, username: "tester"), next: { iterator.next() })
    }

    /// A reader over the generator's patients as XML, with one patient's markup broken (a tumor left unclosed).
    func brokenFile(_ generator: SyntheticRegistryGenerator, breakingPatient index: Int) throws -> NaaccrXMLReader {
        let sink = MemoryByteSink()
        let writer = try NaaccrXMLWriter(sink: sink, dictionary: generator.dictionary, header: generator.header())
        for patient in generator { try writer.write(patient) }
        try writer.finish()
        var text = String(decoding: sink.bytes, as: UTF8.self)
        text.replaceSubrange(text.ranges(of: "<Patient>")[index], with: "<Patient><Tumor></Patient>")
        return try NaaccrXMLReader(source: MemoryByteSource(Array(text.utf8)), name: "broken.xml")
    }

    func count(_ db: PostgresConnection, _ table: String) throws -> Int {
        try db.query("SELECT count(*) AS n FROM \(table)")[0].decode(Int.self, column: "n")
    }

    @Test func importStoresEveryPatientAndTumorWithTypedColumnsAndItems() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            let generator = SyntheticRegistryGenerator(patientCount: 500, seed: 7)
            let expectedTumors = generator.reduce(0) { $0 + $1.tumors.count }
            let summary = try importGenerated(db, generator)
            #expect(summary.patientsInserted == 500)
            #expect(summary.tumorsInserted == expectedTumors)
            #expect(summary.issueCount == 0)
            #expect(try count(db, "patient") == 500)
            #expect(try count(db, "tumor") == expectedTumors)
            let first = try #require(generator.first { _ in true })
            let row = try db.query("""
                SELECT p.name_last, naaccr_value(p.items, 'dateOfBirth') AS dob, t.primary_site, naaccr_value(t.items, 'histologicTypeIcdO3') AS histology,
                       t.diagnosis_year FROM patient p JOIN tumor t ON t.patient_id = p.id
                WHERE p.patient_id_number = $1 ORDER BY t.tumor_key LIMIT 1
                """, ["00000001"])[0]
            #expect(try row.decode(String.self, column: "name_last") == first["nameLast"])
            #expect(try row.decode(String.self, column: "dob") == first["dateOfBirth"])
            #expect(try row.decode(String.self, column: "primary_site") == first.tumors[0]["primarySite"])
            #expect(try row.decode(String.self, column: "histology") == first.tumors[0]["histologicTypeIcdO3"])
            #expect(try row.decode(Int.self, column: "diagnosis_year") == Int(first.tumors[0]["dateOfDiagnosis"]!.prefix(4)))
            #expect(try count(db, "audit_log WHERE action = 'import'") == 1)
        }
    }

    /// Every typed column is its item's value, after a new import and after an import that changes stored patients
    /// (the staging path), compared with the items JSON by the test's own SQL.
    @Test func everyTypedColumnIsItsItemAfterEitherImportPath() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            let generator = SyntheticRegistryGenerator(patientCount: 200, seed: 8)
            _ = try importGenerated(db, generator)
            let tumorColumns: [(String, String)] = [("primary_site", "400"), ("histologic_type", "522"), ("behavior", "523"),
                ("class_of_case", "610"), ("summary_stage_2018", "764"), ("accession_number", "550"), ("county_at_dx", "90"),
                ("state_at_dx", "80"), ("age_at_diagnosis", "230"), ("summary_stage_2000", "759"), ("type_of_reporting_source", "500")]
            let patientColumns: [(String, String)] = [("vital_status", "1760"), ("date_of_last_contact", "1750"), ("race_1", "160"),
                                                      ("sex_assigned_at_birth", "225")]
            func mismatches() throws -> Int {
                try tumorColumns.reduce(0) { $0 + (try count(db, "tumor WHERE \($1.0) IS DISTINCT FROM items->>'\($1.1)'")) }
                    + (try patientColumns.reduce(0) { $0 + (try count(db, "patient WHERE \($1.0) IS DISTINCT FROM items->>'\($1.1)'")) })
            }
            #expect(try mismatches() == 0)
            #expect(try count(db, "tumor WHERE county_at_dx IS NOT NULL AND age_at_diagnosis IS NOT NULL") > 0)
            #expect(try count(db, "patient WHERE race_1 IS NOT NULL") > 0)
            // Everybody's race and every tumor's county change: the merge of stored patients keeps the columns too.
            var patients = Array(generator)
            for i in patients.indices {
                try patients[i].set("race1", "02")
                for j in patients[i].tumors.indices { try patients[i].tumors[j].set("countyAtDx", "999") }
            }
            var index = 0
            _ = try NaaccrImporter(connection: db).importPatients(
                header: generator.header(), dictionary: generator.dictionary, source: "test", actor: ActingUser(userId: nil, username: "tester"),
                next: { defer { index += 1 }; return index < patients.count ? patients[index] : nil })
            #expect(try mismatches() == 0)
            #expect(try count(db, "patient WHERE race_1 = '02'") == 200 && count(db, "tumor WHERE county_at_dx <> '999'") == 0)
        }
    }

    @Test func reimportingTheSameRecordsCreatesNoDuplicatesAndChangesNothing() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            let generator = SyntheticRegistryGenerator(patientCount: 300, seed: 11)
            _ = try importGenerated(db, generator)
            let again = try importGenerated(db, generator)
            #expect(again.patientsInserted == 0 && again.patientsUpdated == 0)
            #expect(again.tumorsInserted == 0 && again.tumorsUpdated == 0)
            #expect(try count(db, "patient") == 300)
            #expect(try count(db, "patient WHERE version <> 1") == 0)
        }
    }

    @Test func aChangedRecordIsUpdatedInPlaceWithANewVersion() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            let generator = SyntheticRegistryGenerator(patientCount: 50, seed: 3)
            _ = try importGenerated(db, generator)
            var patients = Array(generator)
            // The fifth patient alive in the generated registry dies: vital status and last contact change.
            let changed = try #require(patients.indices.filter { patients[$0]["vitalStatus"] == "1" }.dropFirst(4).first)
            let patientId = try #require(patients[changed]["patientIdNumber"])
            let oldStatus = patients[changed]["vitalStatus"]
            try patients[changed].set("vitalStatus", "0")
            try patients[changed].set("dateOfLastContact", "2025")
            var index = 0
            let summary = try NaaccrImporter(connection: db).importPatients(
                header: generator.header(), dictionary: generator.dictionary, source: "test", actor: ActingUser(userId: nil, username: "tester"),
                next: { defer { index += 1 }; return index < patients.count ? patients[index] : nil })
            #expect(summary.patientsUpdated == 1 && summary.patientsInserted == 0)
            let row = try db.query("SELECT vital_status, version FROM patient WHERE patient_id_number = $1", [patientId])[0]
            #expect(try row.decode(String.self, column: "vital_status") == "0")
            #expect(try row.decode(Int.self, column: "version") == 2)
            // The change is in the revision history: each changed item with its old and new value.
            let revision = try db.query("""
                SELECT r.version, r.source, r.changes->'vitalStatus'->>'old', r.changes->'vitalStatus'->>'new',
                       r.changes->'dateOfLastContact'->>'new', (SELECT count(*) FROM jsonb_object_keys(r.changes))
                FROM abstract_revision r JOIN patient p ON p.id = r.patient_id WHERE p.patient_id_number = $1
                """, [patientId])
            #expect(revision.count == 1)
            #expect(try revision[0].decode(Int.self, at: 0) == 2 && revision[0].text(at: 1) == "import")
            #expect(revision[0].text(at: 2) == oldStatus)
            #expect(revision[0].text(at: 3) == "0" && revision[0].text(at: 4) == "2025")
            #expect(try revision[0].decode(Int.self, at: 5) == 2)
            #expect(try count(db, "abstract_revision") == 1)  // unchanged records get none
        }
    }

    @Test func aMalformedRecordInTheMiddleLeavesNothingHalfWritten() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            // Break the 20th patient's XML.
            let reader = try brokenFile(SyntheticRegistryGenerator(patientCount: 40, seed: 5), breakingPatient: 19)
            let error = try #require(throws: NaaccrReadError.self) {
                try NaaccrImporter(connection: db).importPatients(
                    header: reader.header, dictionary: reader.dictionary, source: "broken.xml", actor: ActingUser(userId: nil, username: "tester"),
                    next: { try reader.next() })
            }
            #expect(error.line > 1)
            #expect(error.message.contains("mismatched end tag"))
            #expect(try count(db, "patient") == 0)
            #expect(try count(db, "tumor") == 0)
            #expect(try count(db, "audit_log") == 0)
        }
    }

    @Test func aPatientWithoutAnIdIsReportedNotStored() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            var patient = NaaccrPatient(dictionary: .v26)
            try patient.set("nameLast", "Nobody")
            patient.line = 12
            var sent = false
            let summary = try NaaccrImporter(connection: db).importPatients(
                header: NaaccrHeader(baseDictionaryUri: NaaccrDictionary.v26.uri, recordType: "A"), dictionary: .v26,
                source: "t", actor: ActingUser(userId: nil, username: "tester"), next: { defer { sent = true }; return sent ? nil : patient })
            #expect(summary.rejectedPatients.count == 1)
            #expect(summary.rejectedPatients[0].line == 12)
            #expect(try count(db, "patient") == 0)
        }
    }

    func importPatients(_ db: PostgresConnection, _ patients: [NaaccrPatient], header: NaaccrHeader) throws -> ImportSummary {
        var index = 0
        return try NaaccrImporter(connection: db).importPatients(
            header: header, dictionary: .v26, source: "test", actor: ActingUser(userId: nil, username: "tester"),
            next: { defer { index += 1 }; return index < patients.count ? patients[index] : nil })
    }

    @Test func aFileThatRepeatsAPatientKeepsItsLastCopy() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            // More than one batch, with the repeat in a later batch than the first copy.
            let generator = SyntheticRegistryGenerator(patientCount: 1_500, seed: 21)
            var patients = Array(generator)
            var repeated = patients[2]
            try repeated.set("nameLast", "Lastcopy")
            patients.append(repeated)
            let summary = try importPatients(db, patients, header: generator.header())
            #expect(summary.patientsRead == 1_501)
            #expect(try count(db, "patient") == 1_500)
            #expect(try count(db, "tumor") == generator.reduce(0) { $0 + $1.tumors.count })
            let row = try db.query("SELECT name_last, naaccr_value(items, 'nameLast'), version FROM patient WHERE patient_id_number = $1",
                                   [patients[2]["patientIdNumber"]!])[0]
            #expect(row.text(at: 0) == "Lastcopy" && row.text(at: 1) == "Lastcopy")
            #expect(try row.decode(Int.self, at: 2) == 2)
        }
    }

    @Test func anImportIntoAStoredRegistryAddsNewPatientsAndUpdatesChangedOnes() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            let generator = SyntheticRegistryGenerator(patientCount: 2_400, seed: 8)
            var patients = Array(generator)
            _ = try importPatients(db, Array(patients.prefix(1_200)), header: generator.header())
            try patients[10].set("nameFirst", "Renamed")
            try patients[1_100].tumors[0].set("primarySite", "C619")
            let summary = try importPatients(db, patients, header: generator.header())
            #expect(summary.patientsInserted == 1_200 && summary.patientsUpdated == 1)
            #expect(summary.tumorsUpdated == 1)
            #expect(summary.tumorsInserted == patients.suffix(1_200).reduce(0) { $0 + $1.tumors.count })
            #expect(try count(db, "patient") == 2_400)
            #expect(try count(db, "patient WHERE version = 2") == 1)
            #expect(try count(db, "tumor WHERE version = 2 AND primary_site = 'C619'") == 1)
            #expect(try count(db, "abstract_revision") == 2)
        }
    }

    @Test func aPatientWhoseTumorsShareAKeyIsReportedNotStored() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            let generator = SyntheticRegistryGenerator(patientCount: 30, seed: 4)
            var patients = Array(generator)
            var twin = patients[5].tumors[0]
            try twin.set("primarySite", "C180")
            patients[5].tumors = [patients[5].tumors[0], twin]
            patients[5].line = 77
            let summary = try importPatients(db, patients, header: generator.header())
            #expect(summary.rejectedPatients.count == 1)
            #expect(summary.rejectedPatients[0].line == 77)
            #expect(summary.rejectedPatients[0].reason.contains("same tumor key"))
            #expect(try count(db, "patient") == 29)
        }
    }

    @Test func valuesThatNeedEscapingSurviveTheImport() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            let generator = SyntheticRegistryGenerator(patientCount: 3, seed: 2)
            var patients = Array(generator)
            let awkward = "O\"Brien\\ Ünal\tTabbed"
            try patients[0].set("nameLast", awkward)
            _ = try importPatients(db, patients, header: generator.header())
            let row = try db.query("SELECT name_last, naaccr_value(items, 'nameLast') FROM patient WHERE patient_id_number = $1",
                                   [patients[0]["patientIdNumber"]!])[0]
            #expect(row.text(at: 0) == awkward && row.text(at: 1) == awkward)
        }
    }

    @Test func aMalformedRecordAfterStoredBatchesLeavesNothingBehind() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try migrated(url)
            // Two batches are stored with COPY before the reader meets the broken patient.
            let reader = try brokenFile(SyntheticRegistryGenerator(patientCount: 2_600, seed: 9), breakingPatient: 2_400)
            #expect(throws: NaaccrReadError.self) {
                try NaaccrImporter(connection: db).importPatients(
                    header: reader.header, dictionary: reader.dictionary, source: "broken.xml", actor: ActingUser(userId: nil, username: "tester"),
                    next: { try reader.next() })
            }
            #expect(try count(db, "patient") == 0)
            #expect(try count(db, "tumor") == 0)
            #expect(db.isHealthy)
        }
    }
}
