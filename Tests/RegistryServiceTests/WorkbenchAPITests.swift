import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Registry
import RegistryService
import RegistryStore
import Testing

/// The workbench's abstract operations: patient and tumor saved together (both or neither), drafts that come back,
/// and status by explicit action with the items at fault named.
@Suite("Workbench API: whole-abstract saves, drafts, status", .serialized)
struct WorkbenchAPITests {
    @Test func aPatientAndTumorSaveIsBothOrNeitherAndAConflictKeepsADraft() async throws {
        try await ServiceHarness.with { h in
            let row = try await h.query("SELECT t.id, t.patient_id FROM tumor t ORDER BY t.id LIMIT 1")[0]
            let tumorId = try row.decode(Int.self, at: 0), patientId = try row.decode(Int.self, at: 1)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                var headers = session.bearer
                headers[.ifMatch] = "\"1\""
                // A stale patient version: nothing is saved (not even the tumor's change), and the changes come back as a draft.
                let stale = try await client.json("/api/tumors/\(tumorId)/abstract", .put, headers: headers,
                                                  body: ["patientVersion": 7, "items": ["gradeClinical": "2"], "patientItems": ["spanishHispanicOrigin": "1"]])
                #expect(stale.status == .conflict)
                let error = try #require(stale.json()["error"] as? [String: Any])
                #expect(error["code"] as? String == "version_conflict" && error["currentPatientVersion"] as? String == "1")
                let versions = try await h.query("SELECT t.version, p.version FROM tumor t JOIN patient p ON p.id = t.patient_id WHERE t.id = $1", [tumorId])[0]
                #expect(try versions.decode(Int.self, at: 0) == 1 && versions.decode(Int.self, at: 1) == 1)
                let draft = try await client.json("/api/tumors/\(tumorId)/draft", headers: session.bearer)
                #expect(draft.status == .ok)
                let kept = try draft.json()
                #expect((kept["items"] as? [String: String]) == ["gradeClinical": "2"])
                #expect((kept["patientItems"] as? [String: String]) == ["spanishHispanicOrigin": "1"])
                #expect(kept["reason"] as? String == "version conflict" && kept["baseVersion"] as? Int == 1)
                // Another user does not see it.
                let other = try await client.signIn("admin")
                #expect(try await client.json("/api/tumors/\(tumorId)/draft", headers: other.bearer).status == .notFound)

                // Current versions: both saved in one transaction, the drafts dropped.
                let saved = try await client.json("/api/tumors/\(tumorId)/abstract", .put, headers: headers,
                                                  body: ["patientVersion": 1, "items": ["gradeClinical": "2"], "patientItems": ["spanishHispanicOrigin": "1"]])
                #expect(saved.status == .ok)
                let body = try saved.json()
                #expect(body["version"] as? Int == 2 && body["patientVersion"] as? Int == 2)
                #expect(body["changedPatientItems"] as? [String] == ["spanishHispanicOrigin"] && body["changedItems"] as? [String] == ["gradeClinical"])
                #expect(try await client.json("/api/tumors/\(tumorId)/draft", headers: session.bearer).status == .notFound)
                let audit = try await h.query("SELECT count(*)::int FROM audit_log WHERE action = 'update' AND ((entity = 'patient' AND entity_id = $1) OR (entity = 'tumor' AND entity_id = $2))",
                                              [patientId, tumorId])
                #expect(try audit[0].decode(Int.self, at: 0) == 2)
                // An invalid value anywhere: 422, nothing saved.
                headers[.ifMatch] = "\"2\""
                let invalid = try await client.json("/api/tumors/\(tumorId)/abstract", .put, headers: headers,
                                                    body: ["patientVersion": 2, "items": ["gradeClinical": "1"], "patientItems": ["dateOfBirth": "19xx0101"]])
                #expect(invalid.status == .unprocessableContent)
                let after = try await h.query("SELECT version FROM tumor WHERE id = $1", [tumorId])[0]
                #expect(try after.decode(Int.self, at: 0) == 2)
            }
        }
    }

    @Test func workingDraftsHoldOnlyTheChangedItemsAndAreTheAuthors() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                #expect(try await client.json("/api/tumors/\(tumorId)/draft", headers: session.bearer).status == .notFound)
                let kept = try await client.json("/api/tumors/\(tumorId)/draft", .put, headers: session.bearer,
                                                 body: ["baseVersion": 1, "items": ["textRemarks": "typed, not saved"]])
                #expect(kept.status == .noContent)
                // Typing on: the working draft is replaced, not added to.
                _ = try await client.json("/api/tumors/\(tumorId)/draft", .put, headers: session.bearer,
                                          body: ["baseVersion": 1, "items": ["textRemarks": "typed, not saved, more"], "patientItems": ["race1": "02"]])
                let draft = try await client.json("/api/tumors/\(tumorId)/draft", headers: session.bearer).json()
                #expect(draft["items"] as? [String: String] == ["textRemarks": "typed, not saved, more"])
                #expect(draft["patientItems"] as? [String: String] == ["race1": "02"] && draft["reason"] as? String == "working")
                #expect(try await h.query("SELECT count(*)::int FROM abstract_draft WHERE tumor_id = $1", [tumorId])[0].decode(Int.self, at: 0) == 1)
                #expect(try await client.json("/api/tumors/\(tumorId)/draft", .delete, headers: session.bearer).status == .noContent)
                #expect(try await client.json("/api/tumors/\(tumorId)/draft", headers: session.bearer).status == .notFound)
                // A reviewer keeps no drafts; an unknown item is refused naming it.
                let reviewer = try await client.signIn("reviewer")
                #expect(try await client.json("/api/tumors/\(tumorId)/draft", .put, headers: reviewer.bearer, body: ["baseVersion": 1, "items": [:] as [String: String]]).status == .forbidden)
                let unknown = try await client.json("/api/tumors/\(tumorId)/draft", .put, headers: session.bearer, body: ["baseVersion": 1, "items": ["noSuchItem": "1"]])
                #expect(unknown.status == .unprocessableContent)
            }
        }
    }

    @Test func anAbstractIsCompleteOnlyWhenNoEditFailsAndReviewedOnlyByAReviewer() async throws {
        try await ServiceHarness.with { h in
            let patientId = try await h.query("SELECT min(id) FROM patient")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                // A new, empty primary: required items are missing, so it cannot be complete; the refusal names them.
                let created = try await client.json("/api/patients/\(patientId)/tumors", .post, headers: session.bearer,
                                                    body: ["items": ["sequenceNumberHospital": "09"]])
                #expect(created.status == .created)
                let tumorId = try #require(created.json()["id"] as? Int)
                let refused = try await client.json("/api/tumors/\(tumorId)/status", .post, headers: session.bearer, body: ["status": "complete"])
                #expect(refused.status == .unprocessableContent)
                let items = try #require((refused.json()["error"] as? [String: Any])?["items"] as? [String])
                #expect(items.contains("primarySite") && items.contains("dateOfDiagnosis"))
                #expect(try await h.query("SELECT status FROM tumor WHERE id = $1", [tumorId])[0].text(at: 0) == "incomplete")
                // A demo abstract that passes every edit is marked complete; the reviewer marks it reviewed; the registrar may not.
                // A demo abstract the registry's edit set passes without an error is marked complete; the reviewer marks
                // it reviewed; the registrar may not.
                var cleanId: Int?
                for row in try await h.query("SELECT id FROM tumor ORDER BY id LIMIT 60") {
                    let id = try row.decode(Int.self, at: 0)
                    if try await h.registry.checkDraft(tumorId: id, items: [:], patientItems: nil).errors == 0 { cleanId = id; break }
                }
                let clean = try #require(cleanId)
                #expect(try await client.json("/api/tumors/\(clean)/status", .post, headers: session.bearer, body: ["status": "complete"]).status == .ok)
                #expect(try await client.json("/api/tumors/\(clean)/status", .post, headers: session.bearer, body: ["status": "reviewed"]).status == .forbidden)
                let reviewer = try await client.signIn("reviewer")
                #expect(try await client.json("/api/tumors/\(clean)/status", .post, headers: reviewer.bearer, body: ["status": "reviewed"]).status == .ok)
                #expect(try await h.query("SELECT status FROM tumor WHERE id = $1", [clean])[0].text(at: 0) == "reviewed")
                #expect(try await client.json("/api/tumors/\(tumorId)/status", .post, headers: session.bearer, body: ["status": "done"]).status == .badRequest)
            }
        }
    }

    @Test func newCasesAreCheckedForDuplicatesAndNumberedByTheRegistrysRules() async throws {
        try await ServiceHarness.with { h in
            let stored = try await h.query("SELECT id, name_last, name_first, date_of_birth FROM patient WHERE name_last IS NOT NULL ORDER BY id LIMIT 1")[0]
            let storedId = try stored.decode(Int.self, at: 0)
            let last = stored.text(at: 1)!, first = stored.text(at: 2)!, born = stored.text(at: 3)!
            try await h.test { client in
                let session = try await client.signIn("registrar")
                func duplicates(_ query: String) async throws -> [[String: Any]] {
                    try await client.json("/api/patients/duplicates?\(query)", headers: session.bearer).jsonArray()
                }
                let byName = try await duplicates("nameLast=\(last.uppercased())&nameFirst=Nobody&dateOfBirth=\(born)")
                #expect(byName.contains { $0["patientId"] as? Int == storedId && $0["matchedOn"] as? String == "last name and date of birth" })
                #expect(try await duplicates("nameLast=Zzyzx&nameFirst=Nobody&dateOfBirth=18500101").isEmpty)
                // The SSN matches on its own; a reviewer may not run the check.
                var headers = session.bearer
                headers[.ifMatch] = "\"1\""
                _ = try await client.json("/api/patients/\(storedId)", .put, headers: headers, body: ["items": ["socialSecurityNumber": "123456789"]])
                #expect(try await duplicates("nameLast=Other&socialSecurityNumber=123-45-6789").first?["matchedOn"] as? String == "social security number")
                let reviewer = try await client.signIn("reviewer")
                #expect(try await client.json("/api/patients/duplicates?nameLast=\(last)", headers: reviewer.bearer).status == .forbidden)

                // A new patient's first primary: the next accession number of the year and sequence 00; a second primary
                // shares the accession number and is 02, with the note that the first should now be 01.
                let created = try await client.json("/api/patients", .post, headers: session.bearer, body: ["items": ["nameLast": "Primaries"]])
                let patientId = try #require(try created.json()["id"] as? Int)
                let first = try await client.json("/api/patients/\(patientId)/primaries", .post, headers: session.bearer,
                                                  body: ["items": ["dateOf1stContact": "20250310"]]).json()
                let accession = try #require(first["accessionNumber"] as? String)
                let highest = try await h.query("""
                    SELECT coalesce(max(substr(accession_number, 5)::int), 0) FROM tumor WHERE accession_number LIKE '2025%' AND id <> $1
                    """, [first["tumorId"] as? Int ?? 0])[0].decode(Int.self, at: 0)
                #expect(accession == "2025" + String(format: "%05d", highest + 1) && first["sequenceNumber"] as? String == "00")
                let second = try await client.json("/api/patients/\(patientId)/primaries", .post, headers: session.bearer, body: ["items": [:] as [String: String]]).json()
                #expect(second["accessionNumber"] as? String == accession && second["sequenceNumber"] as? String == "02")
                #expect((second["note"] as? String)?.contains("00") == true)
                let rows = try await h.query("SELECT items->>'550', items->>'560', items->>'580', status FROM tumor WHERE patient_id = $1 ORDER BY id", [patientId])
                #expect(rows.count == 2 && rows[0].text(at: 2) == "20250310" && rows[1].text(at: 3) == "incomplete")

                // Found by the accession number and the medical record number (an identifier search), not by a reviewer.
                let tumorId = try #require(second["tumorId"] as? Int)
                var tumorHeaders = session.bearer
                tumorHeaders[.ifMatch] = "\"1\""
                _ = try await client.json("/api/tumors/\(tumorId)", .put, headers: tumorHeaders, body: ["items": ["medicalRecordNumber": "MR-4471"]])
                for identifier in [accession, "MR-4471"] {
                    let found = try await client.json("/api/patients?identifier=\(identifier)", headers: session.bearer).json()
                    #expect((found["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [patientId], "\(identifier)")
                }
                let ssn = try await client.json("/api/patients?identifier=123456789", headers: session.bearer).json()
                #expect((ssn["items"] as? [[String: Any]])?.first?["id"] as? Int == storedId)
                #expect(try await client.json("/api/patients?identifier=MR-4471", headers: reviewer.bearer).status == .forbidden)
            }
        }
    }

    @Test func aSearchCountsItsMatchesUpToTheLimitAndSaysWhenThereAreMore() async throws {
        try await ServiceHarness.with { h in
            _ = try await h.query("""
                INSERT INTO patient (registry_id, patient_id_number, name_last, name_first, items)
                SELECT '', lpad((90000000 + n)::text, 8, '0'), 'Capcount', 'P' || n, '{}'::json FROM generate_series(1, 1010) n
                """)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let first = try await client.json("/api/patients?name=capcount&pageSize=25", headers: session.bearer).json()
                #expect(first["total"] as? Int == PatientSearch.countLimit && first["totalIsAtLeast"] as? Bool == true)
                #expect((first["items"] as? [[String: Any]])?.count == 25)
                // Past the limit the count goes one page further: the last page knows the exact number.
                let last = try await client.json("/api/patients?name=capcount&pageSize=25&page=41", headers: session.bearer).json()
                #expect(last["total"] as? Int == 1010 && last["totalIsAtLeast"] as? Bool == false)
                #expect((last["items"] as? [[String: Any]])?.count == 10)
            }
        }
    }

    /// The staging schema's section follows what is typed: SEER EOD 2018 selects Breast for C50x/8500 (with its
    /// estrogen receptor SSDI, item 3827) and Lung for C34x/8140 (separate tumor nodules, item 3929); a site SEER
    /// does not stage says so. Surgery codes come with the fragment for the site and year (SEER site-specific tables).
    @Test func theSchemaSectionFollowsTheTypedSiteAndHistology() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT id FROM tumor ORDER BY id LIMIT 1")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let registrar = try await client.signIn("registrar")
                func fragment(_ query: String) async throws -> String {
                    let response = try await client.json("/tumors/\(tumorId)/schema-items?\(query)", headers: [.cookie: registrar.cookie])
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
                let breast = try await fragment("primarySite=C504&histologicTypeIcdO3=8500&behaviorCodeIcdO3=3&dateOfDiagnosis=20220315")
                #expect(breast.contains("Staging schema: Breast") && breast.contains("name=\"estrogenReceptorSummary\""))
                #expect(breast.contains("<datalist id=\"ss-estrogenReceptorSummary\">"))
                #expect(breast.contains("<datalist id=\"surgery\"><option"))
                let lung = try await fragment("primarySite=C341&histologicTypeIcdO3=8140&behaviorCodeIcdO3=3&dateOfDiagnosis=20220315")
                #expect(lung.contains("Staging schema: Lung") && lung.contains("name=\"separateTumorNodules\"") && !lung.contains("estrogenReceptorSummary"))
                let none = try await fragment("primarySite=&histologicTypeIcdO3=8500")
                #expect(none.contains("no staging schema") && !none.contains("<fieldset"))
                // Typed values are bounded like every query value; the reviewer (read-only) has no use for it.
                let long = try await client.json("/tumors/\(tumorId)/schema-items?primarySite=\(String(repeating: "C", count: 40))", headers: [.cookie: registrar.cookie])
                #expect(long.status == .badRequest)
                let reviewer = try await client.signIn("reviewer")
                #expect(try await client.json("/tumors/\(tumorId)/schema-items?primarySite=C504", headers: [.cookie: reviewer.cookie]).status == .forbidden)
            }
        }
    }
}
