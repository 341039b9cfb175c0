import CivilCalendar
import Foundation
import Postgres
import Registry
import RegistryStore
import TestSupport
import Testing

/// Casefinding: reports from a file and the form, worked through by decision; a reportable one becomes an abstract
/// pre-filled from the report and numbered as any new primary.
@Suite("Casefinding (suspense list)", .serialized)
struct CasefindingTests {
    let actor = ActingUser(userId: nil, username: "os:registrar")

    @Test func reportsAreImportedListedAndDecidedOnce() async throws {
        try await WorkflowTests.withEmptyRegistry { registry, db, _ in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("casefinding-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            try """
                nameLast,nameFirst,dateOfBirth,sex,medicalRecordNumber,reportedOn,suspectedSite,suspectedHistology,diagnosis
                Lindqvist,Maja,1958-02-11,2,MR100,2026-03-02,C504,8500/3,"C50.412 Malignant neoplasm, upper-outer quadrant"
                Okafor,Chidi,19700315,1,MR200,2026-03-05,C619,,C61
                Berg,Ola,19440101,1,MR300,2026-03-06,,,D12.6
                """.write(toFile: file, atomically: true, encoding: .utf8)
            let entries = try Registry.readCasefinding(path: file, source: "disease index")
            #expect(entries.count == 3 && entries[0].diagnosis == "C50.412 Malignant neoplasm, upper-outer quadrant" && entries[0].dateOfBirth == "19580211")
            #expect(try await registry.importCasefinding(entries, sourceFile: "hits.csv", by: actor) == 3)
            let (pending, total) = try await registry.casefinding(status: "pending", limit: 10, offset: 0, by: actor)
            #expect(total == 3 && pending.map(\.nameLast) == ["Lindqvist", "Okafor", "Berg"])

            // Reportable: a new patient and abstract from the report.
            let tumorId = try #require(try await registry.decideCasefinding(pending[0].id, .reportable(patientId: nil), by: actor))
            let row = try db.query("""
                SELECT p.name_last, p.date_of_birth, p.sex_assigned_at_birth, t.primary_site, t.histologic_type, t.behavior,
                       t.date_of_first_contact, t.medical_record_number, t.accession_number, t.sequence_number_hospital, t.status
                FROM tumor t JOIN patient p ON p.id = t.patient_id WHERE t.id = $1
                """, [tumorId])[0]
            #expect((0..<11).map { row.text(at: $0) ?? "" } == ["Lindqvist", "19580211", "2", "C504", "8500", "3", "20260302", "MR100",
                                                               "202600001", "00", "incomplete"])
            // Not reportable needs its reason; a duplicate names an existing tumor; a decision is made once.
            await #expect(throws: WorkflowError.self) { try await registry.decideCasefinding(pending[2].id, .notReportable(reason: " "), by: actor) }
            try await registry.decideCasefinding(pending[2].id, .notReportable(reason: "benign colon adenoma (D12.6)"), by: actor)
            await #expect(throws: WorkflowError.self) { try await registry.decideCasefinding(pending[1].id, .duplicate(tumorId: 999_999), by: actor) }
            try await registry.decideCasefinding(pending[1].id, .duplicate(tumorId: tumorId), by: actor)
            await #expect(throws: WorkflowError.conflict(code: "already_decided", message: "this report was decided already (duplicate)", detail: [:])) {
                try await registry.decideCasefinding(pending[1].id, .reportable(patientId: nil), by: actor)
            }
            #expect(try await registry.casefinding(status: "pending", limit: 10, offset: 0, by: actor).total == 0)
            let decided = try await registry.casefinding(status: "not reportable", limit: 10, offset: 0, by: actor).entries
            #expect(decided.first?.reason == "benign colon adenoma (D12.6)")
            let audited = try db.query("SELECT count(*)::int FROM audit_log WHERE entity = 'casefinding'")[0].decode(Int.self, at: 0)
            #expect(audited == 1 + 3 + 3)  // the import, three decisions, three list reads
        }
    }

    @Test func aBadLineStopsTheFileNamingTheLineAndField() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("casefinding-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        func error(_ text: String) throws -> CasefindingFileError? {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            do { _ = try Registry.readCasefinding(path: file, source: "pathology"); return nil } catch let e as CasefindingFileError { return e }
        }
        #expect(try error("nameLast,suspectedSite\nA,C504\nB,X99\n") == CasefindingFileError(
            file: file, line: 3, message: "suspectedSite: an ICD-O-3 topography code (C000-C809)"))
        #expect(try error("nameLast,ssn\nA,1\n")?.line == 1)
        #expect(try error("nameLast,reportedOn\nA,2999-01-01\n")?.message == "reportedOn: a date (YYYY-MM-DD) up to today")
        #expect(try error("nameLast,source\nA,hearsay\n")?.message.hasPrefix("source: one of") == true)
    }
}
