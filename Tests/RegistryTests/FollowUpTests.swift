import CivilCalendar
import Foundation
import Postgres
import Registry
import RegistryStore
import Reports
import TestSupport
import Testing

/// Follow-up on a constructed cohort whose every case sits on a rule's boundary (14 vs 15 months since contact,
/// 99 vs 100 years of age, class of case 14, 20 and 30, skin localized vs distant, cervix in situ, benign, foreign
/// resident, diagnosed before the five-year cohort): the due list, the worksheet and the rates are the values
/// worked out by hand below, not the code's own output.
@Suite("Follow-up: due list, CoC worksheet and rates, recording contacts", .serialized)
struct FollowUpTests {
    let actor = ActingUser(userId: nil, username: "os:registrar")
    static let asOf = CalendarDate(year: 2026, month: 6, day: 15)!
    static let reference = CalendarDate(year: 2015, month: 1, day: 1)!

    /// (patient id number, patient items, tumor items) of the cohort.
    static let cohort: [(String, [String: String], [String: String])] = {
        func patient(_ id: String, contact: String, vital: String = "1", birth: String = "19500101") -> [String: String] {
            ["patientIdNumber": id, "dateOfBirth": birth, "sexAssignedAtBirth": "2", "vitalStatus": vital, "dateOfLastContact": contact]
        }
        func tumor(site: String = "C509", histology: String = "8500", behavior: String = "3", dx: String = "20220310", klass: String = "10",
                   stage: String = "1", state: String = "PA", next: String = "1") -> [String: String] {
            ["primarySite": site, "histologicTypeIcdO3": histology, "behaviorCodeIcdO3": behavior, "dateOfDiagnosis": dx, "classOfCase": klass,
             "summaryStage2018": stage, "addrAtDxState": state, "ageAtDiagnosis": "072", "nextFollowUpSource": next, "sequenceNumberHospital": "00"]
        }
        return [
            ("00000001", patient("00000001", contact: "20250415"), tumor()),                              // 14 months: due, current
            ("00000002", patient("00000002", contact: "20250315"), tumor()),                              // 15 months: delinquent
            ("00000003", patient("00000003", contact: "20240615"), tumor()),                              // 24 months: lost
            ("00000004", patient("00000004", contact: "2023", vital: "0"), tumor()),                      // dead
            ("00000005", patient("00000005", contact: "20200101", birth: "19260615"), tumor()),           // 100 on the as-of date: excluded
            ("00000006", patient("00000006", contact: "20200101", birth: "19260616"), tumor()),           // 99: followed, lost
            ("00000007", patient("00000007", contact: "20260101"), tumor(klass: "14")),                   // analytic, current
            ("00000008", patient("00000008", contact: "20260101"), tumor(klass: "20")),                   // analytic, current
            ("00000009", patient("00000009", contact: "20200101"), tumor(klass: "30")),                   // non-analytic
            ("00000010", patient("00000010", contact: "20200101"), tumor(site: "C443", histology: "8090")),  // localized basal cell skin
            ("00000011", patient("00000011", contact: "20260501"), tumor(site: "C443", histology: "8090", stage: "7")),  // distant: followed
            ("00000012", patient("00000012", contact: "20200101"), tumor(site: "C539", histology: "8070", behavior: "2", stage: "0")),
            ("00000013", patient("00000013", contact: "20200101"), tumor(site: "C710", histology: "9530", behavior: "0", stage: "8")),
            ("00000014", patient("00000014", contact: "20200101"), tumor(state: "XX")),                   // foreign resident
            ("00000015", patient("00000015", contact: "20200101"), tumor(dx: "20180505")),                // before the five-year cohort
            ("00000016", patient("00000016", contact: "20240101"), tumor(next: "9")),                     // not followed (1800 = 9)
        ]
    }()

    func withCohort(_ body: @Sendable (Registry, PostgresConnection, [String: Int]) async throws -> Void) async throws {
        try await WorkflowTests.withEmptyRegistry { registry, db, _ in
            let repository = AbstractRepository(connection: db)
            var ids: [String: Int] = [:]
            for (number, patient, tumor) in Self.cohort {
                let id = try repository.createPatient(items: patient, registryId: "", userId: nil)
                _ = try repository.createTumor(patientId: id, items: tumor, userId: nil)
                ids[number] = id
            }
            try await body(registry, db, ids)
        }
    }

    @Test func theDueListHasExactlyTheFollowedPatientsLastSeenAYearAgoOrMore() async throws {
        try await withCohort { registry, _, ids in
            let list = try await registry.followUpDue(asOf: Self.asOf, includeNames: false, by: actor)
            let byNumber = Dictionary(uniqueKeysWithValues: list.entries.map { ($0.patientIdNumber, $0) })
            #expect(Set(byNumber.keys) == ["00000001", "00000002", "00000003", "00000006", "00000015", "00000016"])
            #expect(byNumber["00000001"]?.status == .due && byNumber["00000001"]?.monthsSinceContact == 14)
            #expect(byNumber["00000002"]?.status == .delinquent && byNumber["00000002"]?.monthsSinceContact == 15)
            #expect(byNumber["00000003"]?.status == .lost && byNumber["00000003"]?.monthsSinceContact == 24)
            #expect(byNumber["00000006"]?.status == .lost)
            #expect(byNumber["00000001"]?.methodDueNext == "physician letter")
            #expect(byNumber["00000016"]?.methodDueNext.hasPrefix("not followed") == true)
            // Oldest contact first.
            #expect(list.entries.first.map { ["00000006", "00000015"].contains($0.patientIdNumber) } == true)
            #expect(list.exclusions == ["age 100 or older": 1, "non-analytic": 1, "in situ or localized basal or squamous cell skin": 1,
                                        "carcinoma in situ of the cervix": 1, "benign or borderline": 1, "foreign resident": 1])
            // A letter sent: the list shows it and the next method is the letter to the patient.
            try await registry.recordFollowUpAttempt(patientId: ids["00000001"]!, method: .physicianLetter, on: Self.asOf, by: actor)
            let after = try await registry.followUpDue(asOf: Self.asOf, includeNames: false, by: actor)
            let first = try #require(after.entries.first { $0.patientIdNumber == "00000001" })
            #expect(first.attemptsSinceContact == 1 && first.methodDueNext == "contact letter" && first.lastAttempt == "2026-06-15")
        }
    }

    @Test func theWorksheetAndRatesAreTheHandCountedOnes() async throws {
        try await withCohort { registry, _, _ in
            let sheet = try await registry.followUpRates(asOf: Self.asOf, referenceDate: Self.reference, by: actor)
            let recent = sheet.cohorts[0], all = sheet.cohorts[1]
            #expect(recent.from == "20210615" && all.from == "20150101")
            // Five-year cohort: 15 cases; 6 excluded (one per reason); A = 9; B = 1 (no. 4); D = 4 (1, 7, 8, 11); E = 4 (2, 3, 6, 16).
            #expect(recent.total == 15 && recent.exclusions.map(\.cases) == [1, 1, 1, 1, 1, 1])
            #expect(recent.analytic == 9 && recent.dead == 1 && recent.living == 8 && recent.current == 4 && recent.notCurrent == 4)
            #expect(recent.rate == 5.0 / 9.0 && recent.meetsStandard == false)
            // Since the reference date: no. 15 too (diagnosed 2018, not current).
            #expect(all.total == 16 && all.analytic == 10 && all.dead == 1 && all.current == 4 && all.notCurrent == 5)
            #expect(all.rate == 0.5 && all.meetsStandard == false)
            let table = try #require(sheet.document().tables.first)
            #expect(table.rows.last?[1] == "55.6" && table.rows.last?[3] == "50.0")
        }
    }

    @Test func theCasesBehindEachWorksheetLineAreTheHandCountedOnes() async throws {
        try await withCohort { registry, _, _ in
            func numbers(_ line: FollowUpWorksheetLine, recent: Bool = true, limit: Int = 100, offset: Int = 0) async throws -> (Set<String>, Int) {
                let (cases, total) = try await registry.followUpCases(asOf: Self.asOf, referenceDate: Self.reference, recentCohort: recent, line: line,
                                                                      limit: limit, offset: offset, includeNames: false, by: actor)
                #expect(cases.allSatisfy { $0.name.isEmpty })
                return (Set(cases.map(\.patientIdNumber)), total)
            }
            #expect(try await numbers(.current) == (["00000001", "00000007", "00000008", "00000011"], 4))
            #expect(try await numbers(.notCurrent) == (["00000002", "00000003", "00000006", "00000016"], 4))
            #expect(try await numbers(.notCurrent, recent: false) == (["00000002", "00000003", "00000006", "00000015", "00000016"], 5))
            #expect(try await numbers(.dead) == (["00000004"], 1))
            #expect(try await numbers(.excluded("age 100 or older")) == (["00000005"], 1))
            #expect(try await numbers(.excluded("in situ or localized basal or squamous cell skin")) == (["00000010"], 1))
            let living = try await numbers(.living).1, analytic = try await numbers(.analytic).1, all = try await numbers(.total).1
            #expect(living == 8 && analytic == 9 && all == 15)
            // A page at a time, the total on every page.
            let (second, total) = try await numbers(.total, limit: 10, offset: 10)
            #expect(second.count == 5 && total == 15)
            #expect(FollowUpWorksheetLine("excluded:not a reason") == nil && FollowUpWorksheetLine("not-current") == .notCurrent)
            // The worksheet's counts link to these lists in HTML.
            let sheet = try await registry.followUpRates(asOf: Self.asOf, referenceDate: Self.reference, by: actor)
            let html = sheet.document(linkingCases: true).html()
            #expect(html.contains("/followup/rates/cases?asOf=2026%2D06%2D15&amp;referenceDate=2015%2D01%2D01&amp;cohort=recent&amp;line=current"))
        }
    }

    @Test func lettersGoToThePhysicianOrThePatientAndAreRecordedAsSent() async throws {
        try await withCohort { registry, db, ids in
            // Patient 2 has a following physician; the others none (their letters go to the patient).
            let tumor2 = try db.query("SELECT id, version FROM tumor WHERE patient_id = $1", [ids["00000002"]!])[0]
            _ = try AbstractRepository(connection: db).saveTumor(id: try tumor2.decode(Int.self, at: 0), baseVersion: try tumor2.decode(Int.self, at: 1),
                                                                 changes: ["physicianFollowUp": "MD000042"], userId: nil)
            _ = try AbstractRepository(connection: db).savePatient(id: ids["00000001"]!, baseVersion: 1, changes: [
                "nameLast": "Doe", "nameFirst": "Jane", "addrCurrentNoStreet": "1 MAIN ST", "addrCurrentCity": "TOPEKA", "addrCurrentState": "KS",
                "addrCurrentPostalCode": "66601"], userId: nil)
            // The physician directory, from a hospital's file (quoted fields with commas).
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("physicians-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            try "NPI,Name,Address,City,State,Zip\r\nMD000042,\"Osler, William MD\",\"100 Hospital Dr, Suite 4\",Baltimore,md,21287\r\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let loaded = try await registry.loadPhysicians(try Physician.read(path: file), source: "physicians.csv", by: actor)
            #expect(loaded == PhysicianLoadSummary(added: 1, updated: 0, unchanged: 0))
            let again = try await registry.loadPhysicians(try Physician.read(path: file), source: "physicians.csv", by: actor)
            #expect(again == PhysicianLoadSummary(added: 0, updated: 0, unchanged: 1))
            let letters = try await registry.followUpLetters(asOf: Self.asOf, status: nil, limit: 100, record: true, by: actor)
            // Patients 1, 2, 3, 6 and 15 are due a letter; 16 is not followed (1800 = 9).
            #expect(Set(letters.map(\.patientIdNumber)) == ["00000001", "00000002", "00000003", "00000006", "00000015"])
            let toDoctor = try #require(letters.first { $0.patientIdNumber == "00000002" })
            #expect(toDoctor.toPhysician && toDoctor.addressee == "Osler, William MD" && toDoctor.method == "physician letter")
            #expect(toDoctor.address == "100 Hospital Dr, Suite 4\nBaltimore MD 21287")
            let toPatient = try #require(letters.first { $0.patientIdNumber == "00000001" })
            #expect(!toPatient.toPhysician && toPatient.addressee == "Jane Doe" && toPatient.address.contains("TOPEKA KS 66601"))
            let html = FollowUpLetters.html(letters, registryName: "Test", date: "2026-06-15")
            #expect(html.components(separatedBy: "<section class=\"letter\">").count - 1 == letters.count)
            #expect(FollowUpLetters.csv(letters, date: "2026-06-15").split(separator: "\r\n").count == letters.count + 1)
            // Recorded: the control list shows the attempt and the next method.
            let list = try await registry.followUpDue(asOf: Self.asOf, includeNames: false, by: actor)
            let first = try #require(list.entries.first { $0.patientIdNumber == "00000002" })
            #expect(first.attemptsSinceContact == 1 && first.methodDueNext == "contact letter")
            #expect(try db.query("SELECT count(*)::int FROM audit_log WHERE entity = 'follow_up_letters' AND action = 'export'")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func aPhysicianFileWithABadLineIsRefusedNamingTheLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("physicians-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        func error(_ text: String) throws -> PhysicianFileError? {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            do { _ = try Physician.read(path: file); return nil } catch let e as PhysicianFileError { return e }
        }
        #expect(try error("code,name\n123,A\n123,B\n")?.line == 3)
        #expect(try error("code,name\n123,A\n12-3,B\n")?.message.contains("letters or digits") == true)
        #expect(try error("code,city\n123,A\n")?.line == 1)
        #expect(try error("code,name\n1,\"unclosed\n2,B\n")?.message == "a quoted field is not closed")
        #expect(try error("code,name\n1\n")?.message == "expected 2 fields, found 1")
        #expect(try error("code,name\n1,\n")?.message == "name is empty")
    }

    @Test func csvTextReadsQuotedFieldsAndLineBreaks() throws {
        let records = try CSVText.records("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,\"\"")
        #expect(records.map(\.line) == [1, 2, 4, 6])
        #expect(records.map(\.fields) == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"], ["last", ""]])
        #expect(throws: CSVText.UnterminatedQuote(line: 2)) { try CSVText.records("a\n\"open\nstill") }
    }

    @Test func deathCertificateMatchesAreHeldForReviewAndAcceptedAsDeaths() async throws {
        try await withCohort { registry, db, ids in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("deaths-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            // Line 2 by id, line 3 unknown id, line 4 by name/birth/sex (patient 7, a quoted name holding a comma, RFC 4180),
            // line 5 matches nobody by name.
            try """
                patientIdNumber,nameLast,nameFirst,dateOfBirth,sex,dateOfDeath,causeOfDeath,placeOfDeathState
                00000002,,,,,2026-05-20,C509,KS
                99999999,,,,,2026-05-20,I219,KS
                ,"Seven, Jr",Patient,19500101,2,20260301,I219,MO
                ,Nobody,Here,19010101,1,20260301,I219,KS
                """.write(toFile: file, atomically: true, encoding: .utf8)
            try AbstractRepository(connection: db).savePatient(id: ids["00000007"]!, baseVersion: 1,
                                                               changes: ["nameLast": "Seven, Jr", "nameFirst": "Patient"], userId: nil).map { _ in () }
            let summary = try await registry.loadDeaths(path: file, by: actor)
            #expect(summary.matched == 2 && summary.unmatched == [3, 5] && summary.ambiguous.isEmpty)
            let pending = try await registry.pendingDeaths(by: actor)
            #expect(pending.map(\.patientIdNumber).sorted() == ["00000002", "00000007"])
            // Nothing changes before review.
            #expect(try db.query("SELECT vital_status FROM patient WHERE id = $1", [ids["00000002"]!])[0].text(at: 0) == "1")
            let accept = try #require(pending.first { $0.patientIdNumber == "00000002" }), reject = try #require(pending.first { $0.patientIdNumber == "00000007" })
            try await registry.reviewDeath(accept.id, accept: true, by: actor)
            try await registry.reviewDeath(reject.id, accept: false, by: actor)
            let dead = try db.query("SELECT vital_status, date_of_last_contact, items->>'1910', items->>'1942' FROM patient WHERE id = $1", [ids["00000002"]!])[0]
            #expect(dead.text(at: 0) == "0" && dead.text(at: 1) == "20260520" && dead.text(at: 2) == "C509" && dead.text(at: 3) == "KS")
            #expect(try db.query("SELECT DISTINCT items->>'1790' FROM tumor WHERE patient_id = $1", [ids["00000002"]!])[0].text(at: 0) == "7")
            #expect(try db.query("SELECT vital_status FROM patient WHERE id = $1", [ids["00000007"]!])[0].text(at: 0) == "1")
            #expect(try await registry.pendingDeaths(by: actor).isEmpty)
            await #expect(throws: FollowUpError.self) { try await registry.reviewDeath(accept.id, accept: true, by: actor) }
            // A bad date names the line and loads nothing.
            try "patientIdNumber,dateOfDeath\n00000003,2026-02-30\n".write(toFile: file, atomically: true, encoding: .utf8)
            await #expect(throws: DeathFileError(file: file, line: 2, message: "dateOfDeath is not a full date up to today")) {
                _ = try await registry.loadDeaths(path: file, by: actor)
            }
            // A quote left open names the line it opens on.
            try "patientIdNumber,dateOfDeath\n00000003,2026-02-01\n\"00000004,2026-02-01\n".write(toFile: file, atomically: true, encoding: .utf8)
            await #expect(throws: DeathFileError(file: file, line: 3, message: "a quoted field is not closed")) {
                _ = try await registry.loadDeaths(path: file, by: actor)
            }
        }
    }

    @Test func aNaaccrFileOfDeathsIsMatchedLikeTheCSV() async throws {
        try await withCohort { registry, db, ids in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("deaths-\(UUID().uuidString).xml").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            // Patient 3 by id; patient 8 by name, birth date and sex; an unknown id.
            try AbstractRepository(connection: db).savePatient(id: ids["00000008"]!, baseVersion: 1,
                                                               changes: ["nameLast": "Eight", "nameFirst": "Patient"], userId: nil).map { _ in () }
            func patient(_ items: [(String, String)]) -> String {
                "<Patient>" + items.map { "<Item naaccrId=\"\($0.0)\">\($0.1)</Item>" }.joined() + "</Patient>\n"
            }
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" recordType="A" specificationVersion="1.8" xmlns="http://naaccr.org/naaccrxml">

                """ + patient([("patientIdNumber", "00000003"), ("vitalStatus", "0"), ("dateOfLastContact", "20260410"), ("causeOfDeath", "C509"),
                               ("placeOfDeathState", "NE")])
                + patient([("nameLast", "EIGHT"), ("nameFirst", "PATIENT"), ("dateOfBirth", "19500101"), ("sexAssignedAtBirth", "2"),
                           ("vitalStatus", "0"), ("dateOfLastContact", "20260411"), ("causeOfDeath", "I219")])
                + patient([("patientIdNumber", "77777777"), ("vitalStatus", "0"), ("dateOfLastContact", "20260412")])
                + "</NaaccrData>\n"
            try xml.write(toFile: file, atomically: true, encoding: .utf8)
            let summary = try await registry.loadDeaths(path: file, by: actor)
            #expect(summary.matched == 2 && summary.unmatched.count == 1 && summary.ambiguous.isEmpty)
            let pending = try await registry.pendingDeaths(by: actor)
            #expect(pending.map(\.patientIdNumber).sorted() == ["00000003", "00000008"])
            let three = try #require(pending.first { $0.patientIdNumber == "00000003" })
            #expect(three.dateOfDeath == "20260410" && three.causeOfDeath == "C509" && three.placeOfDeath == "NE")
            // A living patient in a death file is refused, naming the record's line; nothing more is held.
            try xml.replacingOccurrences(of: "<Item naaccrId=\"vitalStatus\">0</Item><Item naaccrId=\"dateOfLastContact\">20260412",
                                         with: "<Item naaccrId=\"vitalStatus\">1</Item><Item naaccrId=\"dateOfLastContact\">20260412")
                .write(toFile: file, atomically: true, encoding: .utf8)
            await #expect(throws: DeathFileError(file: file, line: 5, message: "Vital Status (1760) is not 0 (dead)")) {
                _ = try await registry.loadDeaths(path: file, by: actor)
            }
            #expect(try await registry.pendingDeaths(by: actor).count == 2)
        }
    }

    @Test func recordingAContactUpdatesThePatientAndEveryTumorInOneAuditedTransaction() async throws {
        try await withCohort { registry, db, ids in
            let patient = ids["00000002"]!
            let tumorId = try db.query("SELECT id FROM tumor WHERE patient_id = $1", [patient])[0].decode(Int.self, at: 0)
            try await registry.recordFollowUp(patientId: patient, FollowUpContact(
                date: "20260601", source: "1", vitalStatus: "1", cancerStatus: [tumorId: "1"], nextFollowUpSource: "2"),
                today: Self.asOf, by: actor)
            let p = try db.query("SELECT date_of_last_contact, vital_status, items->>'1750' FROM patient WHERE id = $1", [patient])[0]
            #expect(p.text(at: 0) == "20260601" && p.text(at: 1) == "1" && p.text(at: 2) == "20260601")
            let t = try db.query("SELECT items->>'1770', items->>'1772', items->>'1790', items->>'1800' FROM tumor WHERE id = $1", [tumorId])[0]
            #expect(t.text(at: 0) == "1" && t.text(at: 1) == "20260601" && t.text(at: 2) == "1" && t.text(at: 3) == "2")
            #expect(try db.query("SELECT count(*)::int FROM abstract_revision WHERE patient_id = $1 AND version > 1", [patient])[0].decode(Int.self, at: 0) == 2)
            #expect(try db.query("SELECT count(*)::int FROM audit_log WHERE entity = 'follow_up' AND entity_id = $1", [patient])[0].decode(Int.self, at: 0) == 1)
            #expect(try db.query("SELECT count(*)::int FROM follow_up_contact WHERE patient_id = $1", [patient])[0].decode(Int.self, at: 0) == 1)
            // The patient is current now: the five-year rate gains one.
            let sheet = try await registry.followUpRates(asOf: Self.asOf, referenceDate: Self.reference, by: actor)
            #expect(sheet.cohorts[0].current == 5 && sheet.cohorts[0].notCurrent == 3)
            // A death with its cause.
            try await registry.recordFollowUp(patientId: ids["00000003"]!, FollowUpContact(
                date: "20260610", source: "3", vitalStatus: "0", cancerStatus: [:], causeOfDeath: "c509"), today: Self.asOf, by: actor)
            let dead = try db.query("SELECT vital_status, items->>'1910', items->>'1920' FROM patient WHERE id = $1", [ids["00000003"]!])[0]
            #expect(dead.text(at: 0) == "0" && dead.text(at: 1) == "C509" && dead.text(at: 2) == "1")
            // Refused, changing nothing: an older contact, a future date, a cause of death for the living, a stranger's tumor.
            let versions = try db.query("SELECT sum(version)::int FROM patient")[0].decode(Int.self, at: 0)
            let refusals: [(Int, FollowUpContact, String)] = [
                (patient, FollowUpContact(date: "20260101", source: "1", vitalStatus: "1", cancerStatus: [:]), "dateOfLastContact"),
                (patient, FollowUpContact(date: "20260616", source: "1", vitalStatus: "1", cancerStatus: [:]), "dateOfLastContact"),
                (patient, FollowUpContact(date: "20260614", source: "1", vitalStatus: "1", cancerStatus: [:], causeOfDeath: "C509"), "causeOfDeath"),
                (ids["00000001"]!, FollowUpContact(date: "20260614", source: "1", vitalStatus: "1", cancerStatus: [tumorId: "1"]), "cancerStatus"),
            ]
            for (id, contact, item) in refusals {
                await #expect(throws: FollowUpError.self) {
                    try await registry.recordFollowUp(patientId: id, contact, today: Self.asOf, by: actor)
                }
                do { try await registry.recordFollowUp(patientId: id, contact, today: Self.asOf, by: actor) } catch let e as FollowUpError {
                    #expect(e.item == item)
                }
            }
            #expect(try db.query("SELECT sum(version)::int FROM patient")[0].decode(Int.self, at: 0) == versions)
        }
    }
}
