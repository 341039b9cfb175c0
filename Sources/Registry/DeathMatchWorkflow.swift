import CivilCalendar
import Edits
import Foundation
import NAACCR
import Postgres
import RegistryStore

/// A death from the state's death-certificate file, matched to a patient and waiting for a registrar's review.
public struct DeathMatch: Sendable, Codable, Equatable {
    public var id: Int
    public var patientId: Int
    public var patientIdNumber: String
    public var dateOfDeath: String
    public var causeOfDeath: String
    public var placeOfDeath: String
    public var matchedOn: String
    public var status: String
    /// What the registry holds now, for the review.
    public var vitalStatus: String
    public var lastContact: String
}

/// What loading a death file did: matches held for review, and the lines that matched nobody or several patients.
public struct DeathFileSummary: Sendable, Equatable {
    public var matched: Int
    public var alreadyDead: Int
    public var unmatched: [Int]
    public var ambiguous: [Int]
}

/// One death of the state's file, before matching.
struct DeathRow: Sendable {
    let line: Int
    let id: String?
    let name: [String]
    let death: String
    let cause: String
    let place: String
}

/// A death file that cannot be read: the file, the line, what is wrong (never the values: they are PHI).
public typealias DeathFileError = InputFileError

extension Registry {
    /// Reads the state's deaths (CSV with a header: `patientIdNumber` or `nameLast,nameFirst,dateOfBirth,sex`, and
    /// `dateOfDeath` (CCYYMMDD or YYYY-MM-DD), `causeOfDeath` (ICD-10), optional `placeOfDeathState`; or a NAACCR file of
    /// dead patients, `readDeathNaaccr`), matches each line
    /// to one patient — by Patient ID Number, else by last and first name, date of birth and sex, all exact — and
    /// holds the matches for review. One transaction with its audit row; a bad line changes nothing and is named.
    public func loadDeaths(path: String, by actor: ActingUser) async throws -> DeathFileSummary {
        let rows: [DeathRow]
        if Self.isDeathCSV(path: path) {
            rows = try Self.readDeathCSV(path: path)
        } else {
            do { rows = try Self.readDeathNaaccr(path: path) } catch let error as DeathFileError { throw error } catch {
                throw DeathFileError(file: path, line: 0, message: "neither a death CSV (a header with dateOfDeath) nor a NAACCR file: \(error)")
            }
        }
        return try await pool.withConnection { db in
            try db.transaction { tx -> DeathFileSummary in
                var summary = DeathFileSummary(matched: 0, alreadyDead: 0, unmatched: [], ambiguous: [])
                for row in rows {
                    let found: PostgresResult
                    if let id = row.id, !id.isEmpty {
                        found = try tx.query("SELECT id, vital_status FROM patient WHERE patient_id_number = $1", [id])
                    } else {
                        found = try tx.query("""
                            SELECT id, vital_status FROM patient
                            WHERE lower(name_last) = lower($1) AND lower(name_first) = lower($2) AND date_of_birth = $3 AND sex_assigned_at_birth = $4
                            """, [row.name[0], row.name[1], row.name[2].replacingOccurrences(of: "-", with: ""), row.name[3]])
                    }
                    guard found.count == 1 else {
                        if found.isEmpty { summary.unmatched.append(row.line) } else { summary.ambiguous.append(row.line) }
                        continue
                    }
                    if found[0].text(at: 1) == "0" { summary.alreadyDead += 1 }
                    try tx.execute("""
                        INSERT INTO death_match (patient_id, source, line, date_of_death, cause_of_death, place_of_death, matched_on)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        """, [try found[0].decode(Int.self, at: 0), String((path as NSString).lastPathComponent.prefix(200)), row.line, row.death,
                              row.cause, row.place, row.id.map { $0.isEmpty ? "name, birth date and sex" : "patient id number" } ?? "name, birth date and sex"])
                    summary.matched += 1
                }
                try AuditTrail.record(tx, actor, .import, entity: "death_match", detail: [
                    "source": String((path as NSString).lastPathComponent.prefix(200)), "lines": String(rows.count), "matched": String(summary.matched),
                    "unmatched": String(summary.unmatched.count), "ambiguous": String(summary.ambiguous.count)])
                return summary
            }
        }
    }

    /// The deaths of a CSV file (the header as `loadDeaths` says).
    static func readDeathCSV(path: String) throws -> [DeathRow] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DeathFileError(file: path, line: 0, message: "cannot be read as UTF-8 text")
        }
        // RFC 4180: a quoted field may hold commas ("O'Brien, Jr") and quotes.
        let records: [(line: Int, fields: [String])]
        do { records = try CSVText.records(text) } catch { throw DeathFileError(file: path, line: error.line, message: "a quoted field is not closed") }
        guard let headerRecord = records.first else { throw DeathFileError(file: path, line: 0, message: "the file is empty") }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        let byId = column("patientIdNumber")
        let byName = [column("nameLast"), column("nameFirst"), column("dateOfBirth"), column("sex")]
        guard let deathColumn = column("dateOfDeath"), byId != nil || byName.allSatisfy({ $0 != nil }) else {
            throw DeathFileError(file: path, line: headerRecord.line, message: "the header needs dateOfDeath and patientIdNumber (or nameLast,nameFirst,dateOfBirth,sex)")
        }
        let causeColumn = column("causeOfDeath"), placeColumn = column("placeOfDeathState")
        var parsed: [DeathRow] = []
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let line = record.line
            let f = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else { throw DeathFileError(file: path, line: line, message: "expected \(header.count) fields, found \(f.count)") }
            let death = f[deathColumn].replacingOccurrences(of: "-", with: "")
            guard death.count == 8, let date = CalendarDate(death), date.daysSinceEpoch <= CalendarDate.today.daysSinceEpoch else {
                throw DeathFileError(file: path, line: line, message: "dateOfDeath is not a full date up to today")
            }
            let cause = causeColumn.map { f[$0].uppercased() } ?? ""
            guard cause.isEmpty || (cause.count == 4 && cause.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw DeathFileError(file: path, line: line, message: "causeOfDeath is an ICD-10 code of 4 characters")
            }
            parsed.append(DeathRow(line: line, id: byId.map { f[$0] }, name: byName.compactMap { $0.map { f[$0] } }, death: death, cause: cause,
                            place: placeColumn.map { f[$0].uppercased() } ?? ""))
        }
        return parsed
    }

    /// The deaths of a NAACCR file (XML or flat, any version the importer reads): one per patient with Vital Status
    /// (1760) 0, the Date of Last Contact (1750) as the date of death, Cause of Death (1910) and Place of Death--State
    /// (1942); matched by Patient ID Number (20), else by name, date of birth and sex (2230, 2240, 240, 220/225).
    static func readDeathNaaccr(path: String) throws -> [DeathRow] {
        let reader = try NaaccrFile.open(path: path)
        var rows: [DeathRow] = []
        while let patient = try reader.next() {
            func fail(_ m: String) -> DeathFileError { DeathFileError(file: path, line: patient.line, message: m) }
            func value(_ ids: String...) -> String { ids.lazy.compactMap { patient[$0] }.first ?? "" }
            guard value("vitalStatus") == "0" else { throw fail("Vital Status (1760) is not 0 (dead)") }
            let death = value("dateOfLastContact")
            guard death.count == 8, let date = CalendarDate(death), date.daysSinceEpoch <= CalendarDate.today.daysSinceEpoch else {
                throw fail("Date of Last Contact (1750), the date of death, is not a full date up to today")
            }
            let id = value("patientIdNumber")
            let name = [value("nameLast"), value("nameFirst"), value("dateOfBirth"), value("sexAssignedAtBirth", "sex")]
            guard !id.isEmpty || name.allSatisfy({ !$0.isEmpty }) else {
                throw fail("neither Patient ID Number (20) nor name, date of birth and sex to match on")
            }
            rows.append(DeathRow(line: patient.line, id: id.isEmpty ? nil : id, name: name, death: death,
                                 cause: value("causeOfDeath").uppercased(), place: value("placeOfDeathState").uppercased()))
            guard rows.count <= 1_000_000 else { throw fail("more than 1,000,000 deaths in one file") }
        }
        return rows
    }

    /// Whether the file is comma-separated text with a header (else it is read as a NAACCR file).
    static func isDeathCSV(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        guard let first = head.first, first != 0x1f, first != UInt8(ascii: "<") else { return false }
        let line = String(decoding: head.prefix { $0 != 0x0a }, as: UTF8.self)
        return line.contains("dateOfDeath")
    }

    /// The matches waiting for review, oldest first, with what the registry holds now.
    public func pendingDeaths(by actor: ActingUser) async throws -> [DeathMatch] {
        try await pool.withConnection { db in
            try db.transaction { tx in
                let rows = try tx.query("""
                    SELECT m.id, m.patient_id, p.patient_id_number, m.date_of_death, m.cause_of_death, m.place_of_death, m.matched_on, m.status,
                           coalesce(p.vital_status, ''), coalesce(p.date_of_last_contact, '')
                    FROM death_match m JOIN patient p ON p.id = m.patient_id WHERE m.status = 'pending' ORDER BY m.id LIMIT 10000
                    """)
                try AuditTrail.record(tx, actor, .search, entity: "death_match", detail: ["pending": String(rows.count)])
                return try rows.map { r in
                    DeathMatch(id: try r.decode(Int.self, at: 0), patientId: try r.decode(Int.self, at: 1), patientIdNumber: r.text(at: 2) ?? "",
                               dateOfDeath: r.text(at: 3) ?? "", causeOfDeath: r.text(at: 4) ?? "", placeOfDeath: r.text(at: 5) ?? "",
                               matchedOn: r.text(at: 6) ?? "", status: r.text(at: 7) ?? "", vitalStatus: r.text(at: 8) ?? "", lastContact: r.text(at: 9) ?? "")
                }
            }
        }
    }

    /// Accepts a reviewed match: the death is recorded as a follow-up contact from a death certificate (Follow-Up
    /// Source 1790 = 7; vital status 0, date of last contact = date of death, cause of death with ICD revision 1,
    /// place of death) on the patient and every tumor, then the match is marked accepted. Rejecting only marks it.
    public func reviewDeath(_ id: Int, accept: Bool, by actor: ActingUser) async throws {
        let engine = EditEngine(set: editSet, library: editLibrary)
        try await pool.withConnection { db in
            try db.transaction { tx in
                guard let row = try tx.query("""
                    SELECT patient_id, date_of_death, cause_of_death, place_of_death, status FROM death_match WHERE id = $1 FOR UPDATE
                    """, [id]).first else { throw WorkflowError.notFound("death match \(id)") }
                let patientId = try row.decode(Int.self, at: 0), status = row.text(at: 4) ?? ""
                guard status == "pending" else { throw FollowUpError(item: "deathMatch", message: "match \(id) was already \(status)") }
                if accept {
                    let death = row.text(at: 1) ?? "", cause = row.text(at: 2) ?? "", place = row.text(at: 3) ?? ""
                    guard let date = CalendarDate(death) else { throw FollowUpError(item: "dateOfDeath", message: "match \(id) has no full date") }
                    let contact = FollowUpContact(date: death, source: "7", vitalStatus: "0", cancerStatus: [:], causeOfDeath: cause.isEmpty ? nil : cause)
                    guard try applyFollowUp(tx, patientId: patientId, contact, date: date, engine: engine, by: actor) else {
                        throw WorkflowError.notFound("patient \(patientId)")
                    }
                    if !place.isEmpty, let patient = try AbstractRepository(connection: tx).patientWithVersion(patientId) {
                        _ = try AbstractRepository(connection: tx).savePatient(id: patientId, baseVersion: patient.version,
                                                                               changes: ["placeOfDeathState": place], userId: actor.userId)
                    }
                }
                try tx.execute("UPDATE death_match SET status = $2, reviewed_by = $3, reviewed_at = now() WHERE id = $1",
                               [id, accept ? "accepted" : "rejected", actor.username])
                try AuditTrail.record(tx, actor, .update, entity: "death_match", id: id, detail: ["status": accept ? "accepted" : "rejected"])
            }
        }
    }
}
