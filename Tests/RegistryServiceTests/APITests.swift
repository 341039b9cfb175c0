import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import RegistryService
import TestSupport
import Testing

@Suite("Registrar service API", .serialized)
struct APITests {
    @Test func healthAndReadiness() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                #expect(try await client.json("/health").status == .ok)
                let ready = try await client.json("/ready")
                #expect(ready.status == .ok)
                // The newest migration in schema/ (NNNN_name.sql).
                let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema").standardized
                let newest = try FileManager.default.contentsOfDirectory(atPath: schema.path).filter { $0.hasSuffix(".sql") }.compactMap { Int($0.prefix(4)) }.max()
                #expect(try ready.json()["schemaVersion"] as? Int == newest)
            }
        }
    }

    @Test func signInSetsAHardenedCookieAndFailuresAreAuditedAndRateLimited() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let response = try await client.json("/api/session", .post, body: ["username": "registrar", "password": ServiceHarness.password])
                #expect(response.status == .ok)
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
                #expect(try response.json()["user"] as? [String: Any] != nil)
                #expect(try response.json()["token"] == nil)  // the browser keeps the token in the HttpOnly cookie only
                for _ in 0..<5 {
                    let bad = try await client.json("/api/session", .post, body: ["username": "reviewer", "password": "wrong password!!"])
                    #expect(bad.status == .unauthorized)
                    #expect(try (bad.json()["error"] as? [String: Any])?["code"] as? String == "bad_credentials")
                }
                // Even the right password is refused while the user name is locked out.
                let locked = try await client.json("/api/session", .post, body: ["username": "reviewer", "password": ServiceHarness.password])
                #expect(locked.status == .tooManyRequests)
            }
            let audit = try await h.query("SELECT action, count(*) FROM audit_log WHERE action LIKE 'sign_in%' GROUP BY action ORDER BY action")
            #expect(audit.map { $0.text(at: 0)! + "=" + $0.text(at: 1)! } == ["sign_in=1", "sign_in_failed=5"])
        }
    }

    /// Every protected route, tried as each role and signed out: 401 without a session, 403 when the role lacks the
    /// permission, otherwise not refused.
    @Test func rolesAreEnforcedOnEveryRoute() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            let patientId = try await h.query("SELECT min(id) FROM patient")[0].decode(Int.self, at: 0)
            try await h.test { client in
                var sessions: [Role: SignedIn] = [:]
                for role in Role.allCases { sessions[role] = try await client.signIn(role.rawValue) }
                for route in RouteTable.protectedRoutes {
                    let path = route.path.replacingOccurrences(of: "{id}", with: route.path.contains("patients") ? String(patientId) : String(tumorId))
                        .replacingOccurrences(of: "/api/drafts/\(tumorId)", with: "/api/drafts/999999")
                        .replacingOccurrences(of: "{table}", with: "primarySite")
                    let isPage = !route.path.hasPrefix("/api/")
                    let body: Any? = route.method == .get ? nil : ["items": ["primarySite": "C504"]]
                    let anonymous = try await client.json(path, route.method, body: body)
                    #expect(anonymous.status == (isPage ? .seeOther : .unauthorized), "\(route.method) \(path) signed out")
                    for role in Role.allCases {
                        var headers = sessions[role]!.bearer
                        headers[.ifMatch] = "\"999\""  // a stale version: saves by allowed roles end in a conflict, not a change
                        let response = try await client.json(path, route.method, headers: headers, body: body)
                        if route.permission!.allows(role) {
                            #expect(response.status != .forbidden && response.status != .unauthorized, "\(route.method) \(path) as \(role)")
                        } else {
                            #expect(response.status == .forbidden, "\(route.method) \(path) as \(role): \(response.status)")
                        }
                    }
                }
            }
        }
    }

    /// The submitter generates, inspects, downloads and marks a submission; the ledger names held records by tumor id
    /// only; the file downloaded is the one recorded (its SHA-256).
    @Test func aSubmitterRunsASubmissionThroughTheAPI() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let session = try await client.signIn("submitter")
                let dry = try await client.json("/api/submissions", .post, headers: session.bearer, body: ["destination": "state", "dryRun": true])
                #expect(dry.status == .ok)
                let dryJSON = try dry.json()
                let wouldSend = dryJSON["tumorsNew"] as? Int ?? -1
                #expect(wouldSend > 0 && dryJSON["quality"] != nil)
                let made = try await client.json("/api/submissions", .post, headers: session.bearer, body: ["destination": "state"])
                #expect(made.status == .created)
                let id = try #require(try made.json()["id"] as? Int)
                let madeJSON = try made.json()
                #expect(madeJSON["tumorsNew"] as? Int == wouldSend)
                let sha = try #require(madeJSON["sha256"] as? String)
                let listed = try await client.json("/api/submissions?destination=state", headers: session.bearer).jsonArray()
                #expect(listed.first?["id"] as? Int == id && listed.first?["status"] as? String == "generated")
                let shown = try await client.json("/api/submissions/\(id)", headers: session.bearer)
                #expect(shown.status == .ok && !String(decoding: Data(buffer: shown.body), as: UTF8.self).contains("patientIdNumber"))
                let file = try await client.json("/api/submissions/\(id)/file", headers: session.bearer)
                #expect(file.status == .ok && file.headers[.contentType] == "application/gzip")
                #expect(SHA256Hex.of(Data(buffer: file.body)) == sha)
                let marked = try await client.json("/api/submissions/\(id)/status", .post, headers: session.bearer, body: ["status": "accepted"])
                #expect(marked.status == .ok)
                let again = try await client.json("/api/submissions", .post, headers: session.bearer, body: ["destination": "state", "dryRun": true])
                let againJSON = try again.json()
                #expect(againJSON["tumorsNew"] as? Int == 0 && againJSON["tumorsUnchanged"] as? Int == wouldSend)
                #expect(try await client.json("/api/submissions", .post, headers: session.bearer, body: ["destination": "mars"]).status == .badRequest)
                #expect(try await client.json("/api/submissions/999999", headers: session.bearer).status == .notFound)
                #expect(try await client.json("/api/submissions/\(id)/status", .post, headers: session.bearer, body: ["status": "lost"]).status == .badRequest)
                // The pages: the ledger with its download link, and a preview.
                let page = try await client.json("/submissions", headers: [.cookie: session.cookie])
                let html = String(decoding: Data(buffer: page.body), as: UTF8.self)
                #expect(page.status == .ok && html.contains("/api/submissions/\(id)/file") && html.contains("accepted"))
                let preview = try await client.json("/submissions/preview?destination=ncdb", headers: [.cookie: session.cookie])
                #expect(preview.status == .ok && String(decoding: Data(buffer: preview.body), as: UTF8.self).contains("Held back by the edits"))
            }
            let audited = try await h.query("SELECT count(*)::int FROM audit_log WHERE action = 'submit'")[0].decode(Int.self, at: 0)
            #expect(audited >= 3)
        }
    }

    /// The committee's reviewer opens the annual report: the printable page (its own policy: inline styles, no
    /// script), the spreadsheet and JSON; the internal register shows no names to a reviewer; bad input is a 400.
    @Test func aReviewerOpensTheAnnualReportInEveryFormat() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let session = try await client.signIn("reviewer")
                let page = try await client.json("/reports", headers: [.cookie: session.cookie])
                #expect(page.status == .ok && String(decoding: Data(buffer: page.body), as: UTF8.self).contains("Annual report"))
                let year = try await h.query("SELECT max(diagnosis_year)::int FROM tumor")[0].decode(Int.self, at: 0)
                let html = try await client.json("/reports/annual?year=\(year)", headers: session.bearer)
                let text = String(decoding: Data(buffer: html.body), as: UTF8.self)
                #expect(html.status == .ok && text.contains("Primary site table, \(year)") && text.contains("Accession register"))
                #expect(html.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src") == false)
                for name in try await h.query("SELECT name_last FROM patient WHERE length(name_last) > 5") {
                    #expect(!text.contains(name.text(at: 0) ?? "~"), "a reviewer sees no names")
                }
                let xlsx = try await client.json("/reports/annual?year=\(year)&public=1&format=xlsx", headers: session.bearer)
                #expect(xlsx.status == .ok && Data(buffer: xlsx.body).prefix(2) == Data("PK".utf8))
                #expect(xlsx.headers[.contentDisposition]?.contains("annual-\(year)-public.xlsx") == true)
                let json = try await client.json("/reports/annual?year=\(year)&public=1&format=json", headers: session.bearer).json()
                let names = (json["tables"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(names.contains("primary-sites") && !names.contains("accession-register"))
                let csv = try await client.json("/reports/annual?year=\(year)&format=csv&table=trend", headers: session.bearer)
                #expect(csv.status == .ok && String(decoding: Data(buffer: csv.body), as: UTF8.self).hasPrefix("Primary site,Total,"))
                // Incidence: refused with what to do until there is a population, then computed.
                let noPopulation = try await client.json("/reports/incidence?from=\(year)&to=\(year)", headers: session.bearer)
                #expect(noPopulation.status == .unprocessableContent)
                _ = try await h.query("""
                    INSERT INTO population (year, county, sex, age_group, race, population)
                    SELECT $1::smallint, c, s, g, '1', 5000 FROM unnest(ARRAY(SELECT DISTINCT county_at_dx FROM tumor WHERE county_at_dx ~ '^[0-9]{3}$')) c,
                           unnest(ARRAY['1', '2']) s, generate_series(0, 18) g
                    """, [year])
                let incidence = try await client.json("/reports/incidence?from=\(year)&to=\(year)&by=sex", headers: session.bearer)
                #expect(incidence.status == .ok && String(decoding: Data(buffer: incidence.body), as: UTF8.self).contains("Incidence rates, \(year)"))
                #expect(try await client.json("/reports/incidence?by=planet", headers: session.bearer).status == .badRequest)
                #expect(try await client.json("/reports/annual?year=12345", headers: session.bearer).status == .badRequest)
                #expect(try await client.json("/reports/annual?format=docx", headers: session.bearer).status == .badRequest)
                #expect(try await client.json("/reports/annual?format=csv&table=nope", headers: session.bearer).status == .notFound)
            }
        }
    }

    /// A registrar works the follow-up list through the API: the due list (names for the registrar, none for the
    /// reviewer), a letter recorded, a contact recorded (patient and tumors), refusals with the item named.
    @Test func aRegistrarWorksTheFollowUpListThroughTheAPI() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let registrar = try await client.signIn("registrar"), reviewer = try await client.signIn("reviewer")
                let due = try await client.json("/api/followup/due?asOf=2030-01-01", headers: registrar.bearer)
                #expect(due.status == .ok)
                let entries = try due.json()["entries"] as? [[String: Any]] ?? []
                let first = try #require(entries.first)
                let patientId = try #require(first["patientId"] as? Int)
                #expect((first["name"] as? String)?.isEmpty == false)
                let seen = try await client.json("/api/followup/due?asOf=2030-01-01", headers: reviewer.bearer).json()["entries"] as? [[String: Any]] ?? []
                #expect(!seen.isEmpty && seen.allSatisfy { ($0["name"] as? String) == "" }, "a reviewer sees no names")
                let letter = try await client.json("/api/patients/\(patientId)/followup/attempts", .post, headers: registrar.bearer,
                                                   body: ["method": "physician letter", "on": "2026-01-05"])
                #expect(letter.status == .created)
                let recorded = try await client.json("/api/patients/\(patientId)/followup", .post, headers: registrar.bearer,
                                                     body: ["date": "2026-01-10", "source": "1", "vitalStatus": "1", "allTumors": "1", "nextFollowUpSource": "1"])
                #expect(recorded.status == .ok, "\(String(decoding: Data(buffer: recorded.body), as: UTF8.self))")
                let row = try await h.query("SELECT date_of_last_contact FROM patient WHERE id = $1", [patientId])[0]
                #expect(row.text(at: 0) == "20260110")
                let statuses = try await h.query("SELECT DISTINCT items->>'1770' FROM tumor WHERE patient_id = $1", [patientId])
                #expect(statuses.count == 1 && statuses[0].text(at: 0) == "1")
                let older = try await client.json("/api/patients/\(patientId)/followup", .post, headers: registrar.bearer,
                                                  body: ["date": "2025-01-10", "source": "1", "vitalStatus": "1"])
                let olderError = try older.json()["error"] as? [String: Any]
                #expect(older.status == .unprocessableContent && olderError?["items"] as? [String] == ["dateOfLastContact"])
                let badDate = try await client.json("/api/patients/\(patientId)/followup", .post, headers: registrar.bearer,
                                                    body: ["date": "2026-02-30", "source": "1", "vitalStatus": "1"])
                #expect(badDate.status == .badRequest)
                #expect(try await client.json("/api/patients/999999/followup", .post, headers: registrar.bearer,
                                              body: ["date": "2026-01-10", "source": "1", "vitalStatus": "1"]).status == .notFound)
                #expect(try await client.json("/api/patients/\(patientId)/followup", .post, headers: reviewer.bearer,
                                              body: ["date": "2026-01-10", "source": "1", "vitalStatus": "1"]).status == .forbidden)
                // The pages: the list shows the letter, the record form offers the code lists, the rates open.
                let list = try await client.json("/followup?asOf=2030-01-01&status=all", headers: [.cookie: registrar.cookie])
                #expect(list.status == .ok && String(decoding: Data(buffer: list.body), as: UTF8.self).contains("Record contact"))
                let form = try await client.json("/followup/patients/\(patientId)", headers: [.cookie: registrar.cookie])
                #expect(form.status == .ok && String(decoding: Data(buffer: form.body), as: UTF8.self).contains("Next follow-up source (1800)"))
                let rates = try await client.json("/followup/rates?asOf=2030-01-01&referenceDate=2010-01-01", headers: [.cookie: reviewer.cookie])
                #expect(rates.status == .ok && String(decoding: Data(buffer: rates.body), as: UTF8.self).contains("Follow-up rate (B + D) / A"))
                let letters = try await client.json("/followup/letters?asOf=2030-01-01", headers: [.cookie: registrar.cookie])
                #expect(letters.status == .ok && String(decoding: Data(buffer: letters.body), as: UTF8.self).contains("class=\"letter\""))
                #expect(try await client.json("/followup/letters", headers: [.cookie: reviewer.cookie]).status == .forbidden)
                let quality = try await client.json("/quality?asOf=2030-01-01", headers: [.cookie: reviewer.cookie])
                let qualityText = String(decoding: Data(buffer: quality.body), as: UTF8.self)
                #expect(quality.status == .ok && qualityText.contains("CoC quality measures") && qualityText.contains("12RLN"))
                #expect(try await client.json("/quality?format=pdfx", headers: [.cookie: reviewer.cookie]).status == .badRequest)
            }
            let audited = try await h.query("SELECT count(*)::int FROM audit_log WHERE entity IN ('follow_up', 'follow_up_attempt')")[0].decode(Int.self, at: 0)
            #expect(audited == 2)
        }
    }

    @Test func cookieSessionsNeedTheCSRFTokenForChanges() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let withoutToken = try await client.json("/api/tumors/\(tumorId)/edits", .post, headers: [.cookie: session.cookie],
                                                         body: ["items": ["primarySite": "C504"]])
                #expect(withoutToken.status == .forbidden)
                #expect(try (withoutToken.json()["error"] as? [String: Any])?["code"] as? String == "csrf")
                let withToken = try await client.json("/api/tumors/\(tumorId)/edits", .post, headers: session.cookieWithCSRF,
                                                      body: ["items": ["primarySite": "C504"]])
                #expect(withToken.status == .ok)
                // Reads need no token.
                #expect(try await client.json("/api/tumors/\(tumorId)", headers: [.cookie: session.cookie]).status == .ok)
            }
        }
    }

    @Test func savesUseOptimisticLockingAndAConflictKeepsBothVersions() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let opened = try await client.json("/api/tumors/\(tumorId)", headers: session.bearer)
                #expect(opened.headers[.eTag] == "\"1\"")
                var items = try #require(opened.json()["items"] as? [String: String])
                items["gradeClinical"] = "3"
                var headers = session.bearer
                headers[.ifMatch] = "\"1\""
                let saved = try await client.json("/api/tumors/\(tumorId)", .put, headers: headers, body: ["items": items])
                #expect(saved.status == .ok)
                #expect(try saved.json()["version"] as? Int == 2)
                let stored = try await h.query("SELECT count(*) FROM edit_result WHERE tumor_id = $1 AND edit_set = 'incoming-abstract'", [tumorId])
                #expect(try stored[0].decode(Int.self, at: 0) == 1)  // the work lists see this save's edit results
                #expect(try saved.json()["changedItems"] as? [String] == ["gradeClinical"])

                // A second registrar still holding version 1 saves something else: 409, and their draft is kept.
                items["gradeClinical"] = "1"
                items["laterality"] = "9"
                let conflict = try await client.json("/api/tumors/\(tumorId)", .put, headers: headers, body: ["items": items])
                #expect(conflict.status == .conflict)
                let error = try #require(conflict.json()["error"] as? [String: Any])
                #expect(error["code"] as? String == "version_conflict" && error["currentVersion"] as? String == "2")
                let draftId = try #require(error["draftId"] as? String)
                let draft = try await client.json("/api/drafts/\(draftId)", headers: session.bearer)
                #expect((try draft.json()["items"] as? [String: String])?["laterality"] == "9")
                let current = try await client.json("/api/tumors/\(tumorId)", headers: session.bearer)
                #expect((try current.json()["items"] as? [String: String])?["gradeClinical"] == "3")

                let revisions = try await client.json("/api/tumors/\(tumorId)/revisions", headers: session.bearer).jsonArray()
                #expect(revisions.map { $0["version"] as? Int } == [2])
                #expect((revisions.first?["changes"] as? String)?.contains("gradeClinical") == true)
                #expect(revisions.first?["changedBy"] as? String == "registrar")

                var noVersion = session.bearer
                noVersion[.ifMatch] = nil
                #expect(try await client.json("/api/tumors/\(tumorId)", .put, headers: noVersion, body: ["items": items]).status == .preconditionRequired)
            }
        }
    }

    @Test func aSaveChangesOnlyTheItemsSentAndBlanksClear() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let before = try #require(try await client.json("/api/tumors/\(tumorId)", headers: session.bearer).json()["items"] as? [String: String])
                var headers = session.bearer
                headers[.ifMatch] = "\"1\""
                let saved = try await client.json("/api/tumors/\(tumorId)", .put, headers: headers,
                                                  body: ["items": ["gradeClinical": "4", "textRemarks": ""]])
                #expect(try saved.json()["changedItems"] as? [String] == ["gradeClinical", "textRemarks"])
                let after = try #require(try await client.json("/api/tumors/\(tumorId)", headers: session.bearer).json()["items"] as? [String: String])
                #expect(after["gradeClinical"] == "4" && after["textRemarks"] == nil)
                var expected = before
                expected["gradeClinical"] = "4"
                expected["textRemarks"] = nil
                // Date Case Last Changed (item 2100) is today's date (UTC) after any change.
                let day = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
                expected["dateCaseLastChanged"] = String(format: "%04d%02d%02d", day.year!, day.month!, day.day!)
                #expect(after == expected)
            }
        }
    }

    @Test func registrarsCreatePatientsAndTumorsAndUpdatePatients() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let created = try await client.json("/api/patients", .post, headers: session.bearer,
                                                    body: ["items": ["patientIdNumber": "77000001", "nameLast": "Newcase", "dateOfBirth": "19700101"]])
                #expect(created.status == .created)
                let patientId = try #require(try created.json()["id"] as? Int)
                let duplicate = try await client.json("/api/patients", .post, headers: session.bearer, body: ["items": ["patientIdNumber": "77000001"]])
                #expect(duplicate.status == .conflict)
                // Without a Patient ID Number the registry assigns the next one (the highest plus one).
                let missingId = try await client.json("/api/patients", .post, headers: session.bearer, body: ["items": ["nameLast": "X"]])
                #expect(missingId.status == .created)
                let assigned = try #require(try missingId.json()["id"] as? Int)
                #expect(try await h.query("SELECT patient_id_number FROM patient WHERE id = $1", [assigned])[0].text(at: 0) == "77000002")

                let tumor = try await client.json("/api/patients/\(patientId)/tumors", .post, headers: session.bearer,
                                                  body: ["items": ["primarySite": "C504", "histologicTypeIcdO3": "8500", "behaviorCodeIcdO3": "3",
                                                                   "sequenceNumberCentral": "00"]])
                #expect(tumor.status == .created)
                let tumorId = try #require(try tumor.json()["id"] as? Int)
                let abstract = try await client.json("/api/tumors/\(tumorId)", headers: session.bearer).json()
                #expect(abstract["status"] as? String == "incomplete")

                let patient = try await client.json("/api/patients/\(patientId)", headers: session.bearer)
                #expect(patient.headers[.eTag] == "\"1\"")
                var headers = session.bearer
                headers[.ifMatch] = "\"1\""
                let saved = try await client.json("/api/patients/\(patientId)", .put, headers: headers, body: ["items": ["vitalStatus": "1"]])
                #expect(saved.status == .ok)
                #expect(try saved.json()["version"] as? Int == 2)
                #expect(try await client.json("/api/patients/\(patientId)", .put, headers: headers, body: ["items": ["vitalStatus": "0"]]).status == .conflict)
            }
            let worklist = try await h.query("SELECT count(*) FROM patient WHERE patient_id_number = '77000001' AND vital_status = '1'")
            #expect(try worklist[0].decode(Int.self, at: 0) == 1)
            let audit = try await h.query("SELECT action || ' ' || entity FROM audit_log WHERE action IN ('create', 'update') AND username = 'registrar' ORDER BY id")
            #expect(audit.map { $0.text(at: 0)! } == ["create patient", "create patient", "create tumor", "update patient"])
        }
    }

    @Test func invalidValuesAreRefusedWithTheItemsNamedAndNothingChanges() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                var headers = session.bearer
                headers[.ifMatch] = "\"1\""
                let response = try await client.json("/api/tumors/\(tumorId)", .put, headers: headers,
                                                     body: ["items": ["primarySite": "C504", "dateOfDiagnosis": "20230231", "nameLast": "X", "bogus": "1"]])
                #expect(response.status == .unprocessableContent)
                let error = try #require(response.json()["error"] as? [String: Any])
                #expect(error["items"] as? [String] == ["bogus", "dateOfDiagnosis", "nameLast"])
            }
            #expect(try await h.query("SELECT version FROM tumor WHERE id = $1", [tumorId])[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func inlineEditsOnADraftNameTheEditsAndItems() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                var items = try #require(try await client.json("/api/tumors/\(tumorId)", headers: session.bearer).json()["items"] as? [String: String])
                items["histologicTypeIcdO3"] = "8170"  // hepatocellular carcinoma, wherever the site is not liver
                items["primarySite"] = items["primarySite"] == "C220" ? "C504" : items["primarySite"]
                let result = try await client.json("/api/tumors/\(tumorId)/edits", .post, headers: session.bearer, body: ["items": items]).json()
                let failures = try #require(result["failures"] as? [[String: Any]])
                let if25 = try #require(failures.first { $0["edit"] as? String == "IF25" })
                #expect(if25["items"] as? [String] == ["primarySite", "histologicTypeIcdO3"])
                #expect(if25["severity"] as? String == "warning")
                // Nothing was saved.
                let stored = try await client.json("/api/tumors/\(tumorId)", headers: session.bearer).json()["items"] as? [String: String]
                #expect(stored?["histologicTypeIcdO3"] != "8170")
            }
        }
    }

    @Test func readsAndWritesOfAbstractsAreAudited() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("reviewer")
                _ = try await client.json("/api/tumors/\(tumorId)", headers: session.bearer)
                _ = try await client.json("/api/patients?page=1&pageSize=5", headers: session.bearer)
            }
            let rows = try await h.query("SELECT action, entity, entity_id, username FROM audit_log WHERE username = 'reviewer' AND action <> 'sign_in' ORDER BY id")
            #expect(rows.map { "\($0.text(at: 0)!) \($0.text(at: 1)!)" } == ["read tumor", "search patient"])
            #expect(try rows[0].decode(Int.self, at: 2) == tumorId)
        }
    }

    @Test func patientSearchIsPaginated() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let session = try await client.signIn("reviewer")
                let page = try await client.json("/api/patients?page=2&pageSize=25", headers: session.bearer).json()
                #expect(page["total"] as? Int == 60)
                #expect((page["items"] as? [[String: Any]])?.count == 25)
                #expect(page["page"] as? Int == 2)
                let last = try await client.json("/api/patients?page=3&pageSize=25", headers: session.bearer).json()
                #expect((last["items"] as? [[String: Any]])?.count == 10)
            }
        }
    }

    @Test func idleSessionsExpire() async throws {
        try await ServiceHarness.with(idleTimeout: 1) { h in
            try await h.test { client in
                let session = try await client.signIn("reviewer")
                #expect(try await client.json("/api/patients", headers: session.bearer).status == .ok)
                try await Task.sleep(for: .milliseconds(1500))
                #expect(try await client.json("/api/patients", headers: session.bearer).status == .unauthorized)
            }
        }
    }

    @Test func submittersImportNAACCRFilesAndBadFilesChangeNothing() async throws {
        try await ServiceHarness.with { h in
            let before = try await h.query("SELECT count(*) FROM patient")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("submitter")
                let xml = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" recordType="A" specificationVersion="1.8" xmlns="http://naaccr.org/naaccrxml">
                      <Item naaccrId="registryId">0000009999</Item>
                      <Patient><Item naaccrId="patientIdNumber">90000001</Item>
                        <Tumor><Item naaccrId="primarySite">C504</Item><Item naaccrId="sequenceNumberCentral">00</Item></Tumor></Patient>
                    </NaaccrData>
                    """
                var headers = session.bearer
                headers[.contentType] = "application/xml"
                let ok = try await client.execute(uri: "/api/imports", method: .post, headers: headers, body: ByteBuffer(string: xml))
                #expect(ok.status == .ok)
                #expect(try ok.json()["patientsInserted"] as? Int == 1)
                let broken = try await client.execute(uri: "/api/imports", method: .post, headers: headers,
                                                      body: ByteBuffer(string: xml.replacingOccurrences(of: "</Patient>", with: "")))
                #expect(broken.status == .badRequest)
                #expect(try (broken.json()["error"] as? [String: Any])?["code"] as? String == "invalid_naaccr_xml")
            }
            #expect(try await h.query("SELECT count(*) FROM patient")[0].decode(Int.self, at: 0) == before + 1)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let session = try await client.signIn("registrar")
                #expect(try await client.json("/api/session", .delete, headers: session.cookieWithCSRF).status == .noContent)
                #expect(try await client.json("/api/patients", headers: session.bearer).status == .unauthorized)
            }
        }
    }
}

@Suite("The OpenAPI document")
struct OpenAPIDocumentTests {
    static var document: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(RegistryService.openAPIDocument.utf8))) as? [String: Any] ?? [:]
    }

    @Test func everyProtectedRouteIsDocumentedWithItsErrors() throws {
        let paths = try #require(Self.document["paths"] as? [String: [String: Any]])
        for route in RouteTable.protectedRoutes where route.path.hasPrefix("/api/") {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any], "\(route.method) \(route.path)")
            let responses = try #require(operation["responses"] as? [String: Any])
            #expect(responses["401"] != nil && responses["403"] != nil, "\(route.method) \(route.path)")
        }
        #expect(Self.document["openapi"] as? String == "3.1.0")
    }

    /// The responses the API actually gives carry the documented fields.
    @Test func responsesMatchTheDocumentedSchemas() async throws {
        let schemas = try #require((Self.document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let requiredFields: [String: [String]] = schemas.mapValues { $0["required"] as? [String] ?? [] }
        @Sendable func required(_ name: String) -> [String] { requiredFields[name] ?? [] }
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let abstract = try await client.json("/api/tumors/\(tumorId)", headers: session.bearer).json()
                for field in required("Abstract") { #expect(abstract[field] != nil, "Abstract.\(field)") }
                let edits = try await client.json("/api/tumors/\(tumorId)/edits", .post, headers: session.bearer, body: ["items": [String: String]()]).json()
                for field in required("EditResults") { #expect(edits[field] != nil, "EditResults.\(field)") }
                let patients = try await client.json("/api/patients?pageSize=1", headers: session.bearer).json()
                let first = try #require((patients["items"] as? [[String: Any]])?.first)
                for field in required("PatientSummary") { #expect(first[field] != nil, "PatientSummary.\(field)") }
                let error = try await client.json("/api/tumors/999999", headers: session.bearer).json()
                for field in ["code", "message"] { #expect((error["error"] as? [String: Any])?[field] != nil) }
                #expect(try await client.json("/api/openapi.json").status == .ok)
            }
        }
    }
}
