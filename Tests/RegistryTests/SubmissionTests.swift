import Edits
import Foundation
import NAACCR
import Postgres
import Registry
import RegistryStore
import SyntheticRegistry
import TestSupport
import Testing

/// Submissions end to end against PostgreSQL: eligibility counted independently in SQL, the ledger's change tracking,
/// the edit gate and the refusal threshold, byte-identical resends, the de-identified extract, the deletion report.
@Suite("Submissions: eligibility, change tracking against the last accepted file, edit gate, ledger", .serialized)
struct SubmissionTests {
    let actor = ActingUser(userId: nil, username: "os:submitter")
    static let today = ISO8601DateFormatter().date(from: "2026-11-24T12:00:00Z")!

    func destination(_ name: String) -> Destination { Destination.builtIn.first { $0.name == name }! }

    func withRegistry(patients: Int = 120, _ body: @Sendable (Registry, PostgresConnection, String) async throws -> Void) async throws {
        try await WorkflowTests.withSyntheticRegistry(patients: patients, seed: 14) { registry, db, _ in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("submissions-" + UUID().uuidString).path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await body(registry, db, folder)
        }
    }

    /// Reads a submission file back: (patient id number, tumor items) per tumor.
    func read(_ path: String) throws -> [(patient: NaaccrPatient, tumor: NaaccrTumor)] {
        let reader = try NaaccrFile.open(path: path)
        var out: [(NaaccrPatient, NaaccrTumor)] = []
        while let patient = try reader.next() { for tumor in patient.tumors { out.append((patient, tumor)) } }
        return out
    }

    func count(_ db: PostgresConnection, _ sql: String) throws -> Int { try db.query(sql)[0].decode(Int.self, at: 0) }

    /// Reportable to the state: in situ and malignant, and benign/borderline brain and CNS (C700-C729, C751-C753).
    static let stateEligibleSQL = """
        SELECT count(*)::int FROM tumor WHERE behavior IN ('2', '3')
            OR (behavior IN ('0', '1') AND (primary_site BETWEEN 'C700' AND 'C729' OR primary_site BETWEEN 'C751' AND 'C753'))
        """

    @Test func theStateFileCarriesEveryEligibleTumorOnceAndTheLedgerRemembersIt() async throws {
        try await withRegistry { registry, db, folder in
            let eligible = try count(db, Self.stateEligibleSQL)
            let total = try count(db, "SELECT count(*)::int FROM tumor")
            // A dry run counts and writes nothing.
            let dry = try await registry.submit(to: destination("state"), dryRun: true, directory: folder, today: Self.today, by: actor)
            #expect(dry.tumorsNew == eligible && dry.tumorsHeld == 0 && dry.tumorsNotEligible == total - eligible && eligible > 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
            #expect(try count(db, "SELECT count(*)::int FROM submission") == 0)

            // The registry was abstracted days ago (so the incremental read below has something to skip).
            try db.execute("UPDATE patient SET updated_at = now() - interval '3 days'")
            try db.execute("UPDATE tumor SET updated_at = now() - interval '3 days'")
            let first = try await registry.submit(to: destination("state"), dryRun: false, directory: folder, today: Self.today, by: actor)
            let path = (folder as NSString).appendingPathComponent(try #require(first.fileName))
            let records = try read(path)
            #expect(records.count == eligible && first.tumorsNew == eligible)
            #expect(records.allSatisfy { $0.tumor["dateCaseReportExported"] == "20261124" })
            #expect(try count(db, "SELECT count(*)::int FROM submission_tumor") == eligible)
            // The checksum is the file's.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(first.sha256 == SHA256Hex.of(bytes))

            // Not yet accepted: the next submission sends the same tumors again and says why.
            let again = try await registry.submit(to: destination("state"), dryRun: true, directory: folder, today: Self.today, by: actor)
            #expect(again.tumorsNew == eligible && again.pending == [first.id!])

            // Accepted: nothing changed, nothing to send.
            try await registry.markSubmission(first.id!, status: "accepted", reason: nil, by: actor)
            let none = try await registry.submit(to: destination("state"), dryRun: true, directory: folder, today: Self.today, by: actor)
            #expect(none.tumorsSent == 0 && none.tumorsUnchanged == eligible)

            // Five abstracts change: exactly those five go.
            let changed = try db.query("""
                SELECT t.id FROM tumor t WHERE t.behavior IN ('2', '3') ORDER BY t.id LIMIT 5
                """).map { try $0.decode(Int.self, at: 0) }
            try db.execute("UPDATE tumor SET items = jsonb_set(items::jsonb, '{2680}', '\"Follow-up note added\"'), updated_at = now() WHERE id = ANY($1::bigint[])",
                           ["{" + changed.map(String.init).joined(separator: ",") + "}"])
            let second = try await registry.submit(to: destination("state"), dryRun: false, directory: folder, today: Self.today, by: actor)
            #expect(second.tumorsChanged == 5 && second.tumorsNew == 0 && second.tumorsSent == 5)
            // Only the changed patients were read (their other tumors are all that counts as unchanged or not taken).
            let others = try db.query("""
                SELECT count(*)::int FROM tumor WHERE patient_id IN (SELECT patient_id FROM tumor WHERE id = ANY($1::bigint[])) AND NOT id = ANY($1::bigint[])
                """, ["{" + changed.map(String.init).joined(separator: ",") + "}"])[0].decode(Int.self, at: 0)
            #expect(second.readChangedSince != nil && second.tumorsUnchanged + second.tumorsNotEligible == others)
            // The state takes changed records as record type M, in a file of their own beside the (here empty) file of new ones.
            let m = try #require(second.changedRecords)
            #expect(m.recordType == "M" && m.tumors == 5 && m.id != nil && m.id != second.id)
            #expect(try count(db, "SELECT count(*)::int FROM submission_tumor WHERE submission_id = \(second.id!)") == 0)
            let sentIds = try db.query("SELECT tumor_id FROM submission_tumor WHERE submission_id = $1 ORDER BY 1", [m.id!]).map { try $0.decode(Int.self, at: 0) }
            #expect(sentIds == changed.sorted())
            let mPath = (folder as NSString).appendingPathComponent(try #require(m.fileName))
            let mReader = try NaaccrFile.open(path: mPath)
            #expect(mReader.header.recordType == "M")
            var mTumors = 0
            while let patient = try mReader.next() { mTumors += patient.tumors.count }
            let mBytes = try Data(contentsOf: URL(fileURLWithPath: mPath))
            #expect(mTumors == 5 && m.sha256 == SHA256Hex.of(mBytes))
            #expect(try read(path).count == eligible)  // the first file is untouched
            let aFile = try NaaccrFile.open(path: (folder as NSString).appendingPathComponent(try #require(second.fileName)))
            #expect(aFile.header.recordType == "A")
            while let _ = try aFile.next() { Issue.record("no new tumor, so no record in the A file") }
            // The destination takes or refuses the pair: marking either marks both; then nothing is left to send.
            let marked = try await registry.markSubmission(m.id!, status: "accepted", reason: nil, by: actor)
            #expect(marked == [second.id!, m.id!].sorted())
            let statuses = try db.query("SELECT DISTINCT status FROM submission WHERE id IN ($1, $2)", [second.id!, m.id!]).map { try $0.decode(String.self, at: 0) }
            #expect(statuses == ["accepted"])
            let after = try await registry.submit(to: destination("state"), dryRun: true, directory: folder, today: Self.today, by: actor)
            #expect(after.tumorsSent == 0 && after.changedRecords == nil)

            // A lost file comes back byte for byte.
            let copy = (folder as NSString).appendingPathComponent("copy.xml.gz")
            _ = try await registry.resend(submission: first.id!, to: copy, by: actor)
            #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == bytes)

            // Every step is in the audit trail.
            // (two submissions, the M file, the first accepted, the pair accepted, the resend)
            #expect(try count(db, "SELECT count(*)::int FROM audit_log WHERE action = 'submit' AND entity = 'submission'") == 7)
        }
    }

    /// Batches of 1,000 patients are checked on other threads while the next is read and the one before written:
    /// every eligible tumor is in the file once, in the order the patients are stored, whatever the batch boundaries.
    @Test func aSubmissionOfSeveralBatchesKeepsEveryPatientInOrder() async throws {
        try await withRegistry(patients: 2_600) { registry, db, folder in
            let eligible = try count(db, Self.stateEligibleSQL)
            let summary = try await registry.submit(to: destination("state"), dryRun: false, directory: folder, today: Self.today, by: actor)
            let records = try read((folder as NSString).appendingPathComponent(try #require(summary.fileName)))
            #expect(records.count == eligible && summary.tumorsNew == eligible)
            let inFile = records.map { $0.patient["patientIdNumber"] ?? "" }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            let stored = try db.query("""
                SELECT p.patient_id_number FROM patient p WHERE EXISTS (SELECT 1 FROM tumor t WHERE t.patient_id = p.id AND (t.behavior IN ('2', '3')
                    OR (t.behavior IN ('0', '1') AND (t.primary_site BETWEEN 'C700' AND 'C729' OR t.primary_site BETWEEN 'C751' AND 'C753'))))
                ORDER BY p.id
                """).map { try $0.decode(String.self, at: 0) }
            #expect(inFile == stored && stored.count > 2_000)
        }
    }

    @Test func failingRecordsAreHeldBackAndTooManyRefuseTheFile() async throws {
        try await withRegistry { registry, db, folder in
            let eligible = try count(db, Self.stateEligibleSQL)
            // One malignant tumor with an invalid primary site (SF01) and one with no date of diagnosis (RQ390).
            let broken = try db.query("SELECT id FROM tumor WHERE behavior = '3' ORDER BY id LIMIT 2").map { try $0.decode(Int.self, at: 0) }
            try db.execute("UPDATE tumor SET items = jsonb_set(items::jsonb, '{400}', '\"C99X\"') WHERE id = $1", [broken[0]])
            try db.execute("UPDATE tumor SET items = (items::jsonb - '390') WHERE id = $1", [broken[1]])
            let summary = try await registry.submit(to: destination("state"), dryRun: false, directory: folder, today: Self.today, by: actor)
            #expect(summary.tumorsHeld == 2 && summary.tumorsSent == eligible - 2 && summary.heldByEdit["SF01"] == 1 && summary.heldByEdit["RQ390"] == 1)
            let (_, _, held, _) = try await registry.submission(summary.id!)
            #expect(held.map(\.tumorId).sorted() == broken.sorted() && held.allSatisfy { $0.failures.contains("\"edit\"") })
            #expect(try read((folder as NSString).appendingPathComponent(summary.fileName!)).count == eligible - 2)

            // A destination tolerating none refuses the whole file: nothing written, nothing recorded, the refusal audited.
            let strict = try Destination.decode(Data("""
                {"destinations": [{"name": "strict", "description": "no failures", "recordType": "A", "editSet": "state-submission",
                  "maxHeldPercent": 0, "fileName": "strict_{id}.xml", "cases": {"behaviors": "2,3"}}]}
                """.utf8))[0]
            let before = try count(db, "SELECT count(*)::int FROM submission")
            await #expect(throws: SubmissionError.self) {
                _ = try await registry.submit(to: strict, dryRun: false, directory: folder, today: Self.today, by: actor)
            }
            #expect(try count(db, "SELECT count(*)::int FROM submission") == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasPrefix("strict") })
            #expect(try count(db, "SELECT count(*)::int FROM audit_log WHERE action = 'submit' AND detail->>'refused' = 'true'") == 1)
        }
    }

    @Test func theResearchExtractCarriesNoDirectIdentifier() async throws {
        try await withRegistry { registry, db, folder in
            let summary = try await registry.submit(to: destination("research"), dryRun: false, directory: folder, today: Self.today, by: actor)
            let records = try read((folder as NSString).appendingPathComponent(summary.fileName!))
            #expect(!records.isEmpty)
            let storedIds = Set(try db.query("SELECT patient_id_number FROM patient").map { try $0.decode(String.self, at: 0) })
            let identifiers = ["nameLast", "nameFirst", "nameMiddle", "socialSecurityNumber", "medicalRecordNumber", "addrAtDxNoStreet",
                               "addrCurrentNoStreet", "telephone", "textRemarks"]
            for (patient, tumor) in records {
                for id in identifiers { #expect(patient[id] == nil && tumor[id] == nil, "\(id)") }
                #expect((patient["dateOfBirth"]?.count ?? 0) <= 6 && (tumor["dateOfDiagnosis"]?.count ?? 0) <= 6)
                #expect((tumor["addrAtDxPostalCode"]?.count ?? 0) <= 3 && (patient["addrCurrentPostalCode"]?.count ?? 0) <= 3)
            }
            // Study numbers, not the registry's patient ids (the synthetic ids start at 00000001 too, so compare the sets' pairing).
            let fileIds = records.map { $0.patient["patientIdNumber"]! }
            #expect(Set(fileIds).count == summary.patients && fileIds.first == "00000001")
            #expect(storedIds.count >= summary.patients)
        }
    }

    @Test func ncdbTakesAnalyticCasesAndTheNewestYearInFull() async throws {
        try await withRegistry { registry, db, folder in
            let analytic = try count(db, """
                SELECT count(*)::int FROM tumor WHERE class_of_case IN ('00', '10', '11', '12', '13', '14', '20', '21', '22') AND diagnosis_year >= 2018
                  AND (behavior IN ('2', '3') OR (behavior IN ('0', '1') AND (primary_site BETWEEN 'C700' AND 'C729' OR primary_site BETWEEN 'C751' AND 'C753')))
                """)
            let first = try await registry.submit(to: destination("ncdb"), dryRun: false, directory: folder, today: Self.today, by: actor)
            #expect(first.tumorsSent + first.tumorsHeld == analytic)
            try await registry.markSubmission(first.id!, status: "accepted", reason: "RCRS accepted", by: actor)
            let newest = try count(db, "SELECT max(diagnosis_year)::int FROM tumor")
            let ofNewestYear = try db.query("SELECT count(*)::int FROM submission_tumor st JOIN tumor t ON t.id = st.tumor_id WHERE t.diagnosis_year = $1",
                                            [newest])[0].decode(Int.self, at: 0)
            let next = try await registry.submit(to: destination("ncdb"), dryRun: true, directory: folder, today: Self.today, by: actor)
            #expect(next.tumorsResent == ofNewestYear && next.tumorsNew == 0 && next.tumorsChanged == 0)
        }
    }

    @Test func aTumorDeletedAfterItWasSentIsInTheDeletionReport() async throws {
        try await withRegistry { registry, db, folder in
            let first = try await registry.submit(to: destination("state"), dryRun: false, directory: folder, today: Self.today, by: actor)
            let gone = try db.query("SELECT tumor_id FROM submission_tumor WHERE submission_id = $1 ORDER BY tumor_id LIMIT 1", [first.id!])[0].decode(Int.self, at: 0)
            try db.execute("DELETE FROM edit_result WHERE tumor_id = $1", [gone])
            try db.execute("DELETE FROM tumor WHERE id = $1", [gone])
            let (_, _, _, deleted) = try await registry.submission(first.id!)
            #expect(deleted.map(\.tumorId) == [gone])
            let next = try await registry.submit(to: destination("state"), dryRun: true, directory: folder, today: Self.today, by: actor)
            #expect(next.deletedSinceSent == 1)
        }
    }

    /// NPCR's data-quality figures over the eligible tumors, counted independently in SQL from the stored items
    /// (500 Type of Reporting Source, 230 Age at Diagnosis, 90 County at DX, 160 Race 1, 220 Sex Assigned at Birth).
    @Test func aDryRunShowsTheNPCRQualityFigures() async throws {
        try await withRegistry { registry, db, folder in
            let ids = try db.query("SELECT id FROM tumor WHERE behavior = '3' AND diagnosis_year >= 2018 ORDER BY id LIMIT 3").map { try $0.decode(Int.self, at: 0) }
            try db.execute("UPDATE tumor SET items = jsonb_set(items::jsonb, '{500}', '\"7\"')::json WHERE id = $1", [ids[0]])
            try db.execute("UPDATE tumor SET items = jsonb_set(items::jsonb, '{230}', '\"999\"')::json WHERE id = $1", [ids[1]])
            try db.execute("UPDATE tumor SET items = jsonb_set(items::jsonb, '{90}', '\"999\"')::json WHERE id = $1", [ids[2]])
            let eligible = "FROM tumor t JOIN patient p ON p.id = t.patient_id WHERE t.behavior IN ('2', '3') AND t.diagnosis_year >= 2018"
            func share(_ condition: String) throws -> Double {
                let n = try count(db, "SELECT count(*)::int \(eligible) AND \(condition)")
                return Double(n) * 100 / Double(try count(db, "SELECT count(*)::int \(eligible)"))
            }
            let summary = try await registry.submit(to: destination("npcr"), dryRun: true, directory: folder, today: Self.today, by: actor)
            let figures = try #require(summary.quality?.figures)
            func figure(_ name: String) -> Double { figures.first { $0.name == name }!.percent }
            #expect(abs(figure("death certificate only") - (try share("t.items::jsonb->>'500' = '7'"))) < 1e-9)
            #expect(abs(figure("unknown age") - (try share("coalesce(t.items::jsonb->>'230', '999') = '999'"))) < 1e-9)
            #expect(abs(figure("unknown county") - (try share("coalesce(t.items::jsonb->>'90', '999') = '999'"))) < 1e-9)
            #expect(abs(figure("unknown race") - (try share("coalesce(p.items::jsonb->>'160', '99') = '99'"))) < 1e-9)
            #expect(figure("death certificate only") > 0 && figures.first { $0.name == "passing the edits" }!.standard == "≥ 99%")
        }
    }

    /// A central registry receives a facility's file: recorded with its checksum and counts, the incoming edits' failures
    /// kept for the rejection report, and the same file refused the second time unless forced.
    @Test func theIntakeLedgerRecordsEachFileOnceWithItsRejections() async throws {
        try await withRegistry(patients: 10) { registry, db, folder in
            let generator = SyntheticRegistryGenerator(patientCount: 30, seed: 77, firstPatientNumber: 5001)
            let path = (folder as NSString).appendingPathComponent("facility.xml")
            let writer = try NaaccrXMLWriter(sink: try FileByteSink(path: path), dictionary: generator.dictionary, header: generator.header())
            var broken: String?
            for var patient in generator {
                if broken == nil, patient.tumors[0]["behaviorCodeIcdO3"] == "3" {
                    patient.tumors[0][generator.dictionary.key("primarySite")!] = "C99X"  // fails SF01
                    broken = patient["patientIdNumber"]
                }
                try writer.write(patient)
            }
            try writer.finish()
            let tumorsInFile = try read(path).count
            let request = IntakeRequest(facility: "FAC1", editSet: .stateSubmission)
            let (imported, intake) = try await registry.receiveFile(path: path, from: request, by: actor)
            let fileBytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(intake.facility == "FAC1" && intake.sha256 == SHA256Hex.of(fileBytes))
            #expect(intake.tumorsRead == tumorsInFile && intake.tumorsNew == imported.summary.tumorsInserted && intake.tumorsNew == tumorsInFile)
            #expect(intake.tumorsFailing == 1 && intake.failingByEdit["SF01"] == 1)
            // The same file again: refused, nothing imported.
            let before = try count(db, "SELECT count(*)::int FROM tumor")
            await #expect(throws: IntakeError.self) { _ = try await registry.receiveFile(path: path, from: request, by: actor) }
            #expect(try count(db, "SELECT count(*)::int FROM tumor") == before)
            #expect(try count(db, "SELECT count(*)::int FROM intake") == 1)
            // Forced: received again, every tumor unchanged.
            let (_, again) = try await registry.receiveFile(path: path, from: IntakeRequest(facility: "FAC1", force: true), by: actor)
            #expect(again.tumorsUnchanged == tumorsInFile && again.tumorsNew == 0)
            // The rejection report names the failing record and gives it back as NAACCR.
            let sink = WorkflowTests.Box([NaaccrPatient]())
            let (_, rejections) = try await registry.rejectionReport(intake: intake.id, by: actor) { sink.value.append($0) }
            #expect(rejections.map(\.patientIdNumber) == [broken!] && rejections[0].failures.contains("SF01"))
            #expect(sink.value.count == 1 && sink.value[0]["patientIdNumber"] == broken && sink.value[0].tumors.count == 1)
            #expect(try count(db, "SELECT count(*)::int FROM audit_log WHERE entity = 'intake_rejection'") == 1)
        }
    }

    @Test func destinationsAreDataAndMistakesNameTheDestination() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema/submissions/destinations.json").standardized
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(Destination.builtInText == text.trimmingCharacters(in: .newlines))
        #expect(Destination.builtIn.map(\.name) == ["state", "ncdb", "npcr", "seer", "research"])
        #expect(Destination.builtIn.allSatisfy { d in EditSet.builtIn.contains { $0.name == d.editSet } })
        #expect(throws: DestinationError.invalid("x", "recordType is A, M, C or I")) {
            _ = try Destination.decode(Data("""
                {"destinations": [{"name": "x", "description": "", "recordType": "Z", "editSet": "s", "maxHeldPercent": 1, "fileName": "f", "cases": {}}]}
                """.utf8))
        }
        #expect(throws: DestinationError.invalid("y", "changedRecordType is A, M, C or I, other than recordType")) {
            _ = try Destination.decode(Data("""
                {"destinations": [{"name": "y", "description": "", "recordType": "A", "changedRecordType": "A", "editSet": "s", "maxHeldPercent": 1, "fileName": "f", "cases": {}}]}
                """.utf8))
        }
        #expect(destination("state").changedRecordType == "M" && destination("ncdb").changedRecordType == nil)
        #expect(Destination.builtIn.allSatisfy { $0.compressionLevel == 2 })
        #expect(throws: DestinationError.invalid("z", "gzipLevel is 1 to 9")) {
            _ = try Destination.decode(Data("""
                {"destinations": [{"name": "z", "description": "", "recordType": "A", "gzipLevel": 12, "editSet": "s", "maxHeldPercent": 1, "fileName": "f.xml.gz", "cases": {}}]}
                """.utf8))
        }
        let fast = try Destination.decode(Data("""
            {"destinations": [{"name": "w", "description": "", "recordType": "A", "gzipLevel": 9, "editSet": "s", "maxHeldPercent": 1, "fileName": "f.xml.gz", "cases": {}}]}
            """.utf8))
        #expect(fast.first?.compressionLevel == 9)
        // Eligibility rules: benign brain tumors count for the state, class 30 is not analytic.
        let state = destination("state").cases, ncdb = destination("ncdb").cases
        #expect(state.takes(behavior: "0", site: "C710", classOfCase: "30", diagnosisYear: 2022))
        #expect(!state.takes(behavior: "0", site: "C500", classOfCase: "10", diagnosisYear: 2022))
        #expect(!ncdb.takes(behavior: "3", site: "C500", classOfCase: "30", diagnosisYear: 2022))
        #expect(ncdb.takes(behavior: "3", site: "C500", classOfCase: "22", diagnosisYear: 2022))
    }
}
