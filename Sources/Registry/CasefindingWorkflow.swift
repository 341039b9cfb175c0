import CivilCalendar
import Coding
import Foundation
import Postgres
import RegistryStore

/// A registrar's decision on a casefinding report.
public enum CasefindingDecision: Sendable, Equatable {
    /// A new abstract pre-filled from the report, for this stored patient or (nil) a new patient made from the report.
    case reportable(patientId: Int?)
    case notReportable(reason: String)
    /// The report is of a tumor already abstracted.
    case duplicate(tumorId: Int)
}

/// A casefinding file that cannot be read: file, line and what is wrong (never the values: they are PHI).
public typealias CasefindingFileError = InputFileError

extension Registry {
    /// Checks a report's fields; the error names the field (never its value).
    static func validate(_ e: CasefindingEntry) throws {
        func bad(_ field: String, _ message: String) -> WorkflowError { .invalid("\(field): \(message)", items: [field]) }
        guard CasefindingEntry.sources.contains(e.source) else { throw bad("source", "one of " + CasefindingEntry.sources.joined(separator: ", ")) }
        guard let reported = CalendarDate(e.reportedOn), reported.daysSinceEpoch <= CalendarDate.today.daysSinceEpoch else {
            throw bad("reportedOn", "a date (YYYY-MM-DD) up to today")
        }
        if let v = e.nameLast, v.count > 40 { throw bad("nameLast", "at most 40 characters") }
        if let v = e.nameFirst, v.count > 40 { throw bad("nameFirst", "at most 40 characters") }
        if let v = e.dateOfBirth, !(v.count == 8 && CalendarDate(v) != nil) { throw bad("dateOfBirth", "a full date (CCYYMMDD)") }
        if let v = e.sex, !(v.count == 1 && v.allSatisfy(\.isNumber)) { throw bad("sex", "a code of Sex Assigned at Birth (225)") }
        if let v = e.medicalRecordNumber, v.count > 15 { throw bad("medicalRecordNumber", "at most 15 characters") }
        if let v = e.suspectedSite, ICDO3.topography.label(v) == nil { throw bad("suspectedSite", "an ICD-O-3 topography code (C000-C809)") }
        if let v = e.suspectedHistology {
            let parts = v.split(separator: "/")
            guard parts.count <= 2, parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), parts.count == 1 || parts[1].count == 1 else {
                throw bad("suspectedHistology", "an ICD-O-3 histology code, with or without its behavior (8500 or 8500/3)")
            }
        }
        if let v = e.diagnosis, v.count > 200 { throw bad("diagnosis", "at most 200 characters") }
    }

    /// Puts a report on the casefinding list (audited).
    public func addCasefinding(_ entry: CasefindingEntry, by actor: ActingUser) async throws -> Int {
        try Self.validate(entry)
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let id = try CasefindingStore(connection: tx).insert(entry, sourceFile: nil, userId: actor.userId)
                try AuditTrail.record(tx, actor, .create, entity: "casefinding", id: id, detail: ["source": entry.source])
                return id
            }
        }
    }

    /// Reads a casefinding file: CSV (quoted fields allowed) with a header naming any of nameLast, nameFirst,
    /// dateOfBirth (CCYYMMDD or YYYY-MM-DD), sex, medicalRecordNumber, reportedOn, source, suspectedSite,
    /// suspectedHistology, diagnosis (e.g. a disease index's ICD-10-CM hits or a pathology report's lines).
    /// `source` fills rows without one; reportedOn defaults to today. A bad line stops the file, naming the line.
    public static func readCasefinding(path: String, source: String) throws -> [CasefindingEntry] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CasefindingFileError(file: path, line: 0, message: "cannot be read as UTF-8 text")
        }
        let records: [(line: Int, fields: [String])]
        do { records = try CSVText.records(text) } catch { throw CasefindingFileError(file: path, line: error.line, message: "a quoted field is not closed") }
        guard let header = records.first else { throw CasefindingFileError(file: path, line: 0, message: "the file is empty") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let known = ["nameLast", "nameFirst", "dateOfBirth", "sex", "medicalRecordNumber", "reportedOn", "source", "suspectedSite",
                     "suspectedHistology", "diagnosis"]
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw CasefindingFileError(file: path, line: header.line, message: "unknown column \(unknown.prefix(40)); columns: " + known.joined(separator: ","))
        }
        guard records.count <= 100_001 else { throw CasefindingFileError(file: path, line: 0, message: "more than 100,000 reports in one file") }
        var out: [CasefindingEntry] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                throw CasefindingFileError(file: path, line: record.line, message: "expected \(names.count) fields, found \(record.fields.count)")
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, record.fields) {
                let v = value.trimmingCharacters(in: .whitespaces)
                if !v.isEmpty { values[name] = v }
            }
            let born = values["dateOfBirth"]?.replacingOccurrences(of: "-", with: "")
            let entry = CasefindingEntry(source: values["source"] ?? source, reportedOn: values["reportedOn"] ?? CalendarDate.today.description,
                                         nameLast: values["nameLast"], nameFirst: values["nameFirst"], dateOfBirth: born, sex: values["sex"],
                                         medicalRecordNumber: values["medicalRecordNumber"], suspectedSite: values["suspectedSite"]?.uppercased(),
                                         suspectedHistology: values["suspectedHistology"], diagnosis: values["diagnosis"])
            do { try validate(entry) } catch let WorkflowError.invalid(message, _) {
                throw CasefindingFileError(file: path, line: record.line, message: message)
            }
            out.append(entry)
        }
        return out
    }

    /// Loads reports read from a file in one transaction with its audit row.
    public func importCasefinding(_ entries: [CasefindingEntry], sourceFile: String, by actor: ActingUser) async throws -> Int {
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let store = CasefindingStore(connection: tx)
                for entry in entries { _ = try store.insert(entry, sourceFile: String(sourceFile.prefix(200)), userId: actor.userId) }
                try AuditTrail.record(tx, actor, .import, entity: "casefinding", detail: ["file": String(sourceFile.prefix(200)), "reports": String(entries.count)])
                return entries.count
            }
        }
    }

    /// The list, oldest report first (pending: what is left to work). Audited as a read of identifiers. (Who may work
    /// the list is the caller's to check: the service's routes allow registrars and administrators.)
    public func casefinding(status: String, limit: Int, offset: Int, by actor: ActingUser) async throws
        -> (entries: [CasefindingEntry], total: Int) {
        guard ["pending", "reportable", "not reportable", "duplicate"].contains(status) else {
            throw WorkflowError.invalid("status is pending, reportable, not reportable or duplicate", items: ["status"])
        }
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let result = try CasefindingStore(connection: tx).list(status: status, limit: limit, offset: offset)
                try AuditTrail.record(tx, actor, .read, entity: "casefinding", detail: ["status": status, "rows": String(result.entries.count)])
                return result
            }
        }
    }

    /// Decides a pending report, in one transaction with its audit row. Reportable: the report becomes a new abstract
    /// (for the given patient, else a new patient made from the report's name, birth date and sex), pre-filled with
    /// the suspected site and histology, Date of 1st Contact = the report's date and the medical record number, and
    /// numbered as any new primary; the new tumor's id is returned. Duplicate: the tumor must exist.
    @discardableResult
    public func decideCasefinding(_ id: Int, _ decision: CasefindingDecision, by actor: ActingUser) async throws -> Int? {
        let today = CalendarDate.today
        return try await pool.withConnection { db in
            try db.transaction { tx -> Int? in
                let store = CasefindingStore(connection: tx)
                guard let entry = try store.lockedEntry(id) else { throw WorkflowError.notFound("casefinding report \(id)") }
                guard entry.status == "pending" else {
                    throw WorkflowError.conflict(code: "already_decided", message: "this report was decided already (\(entry.status))", detail: [:])
                }
                switch decision {
                case .notReportable(let reason):
                    let reason = reason.trimmingCharacters(in: .whitespaces)
                    guard !reason.isEmpty, reason.count <= 200 else { throw WorkflowError.invalid("reason: say why (at most 200 characters)", items: ["reason"]) }
                    try store.decide(id, status: "not reportable", reason: reason, patientId: nil, tumorId: nil, userId: actor.userId)
                    try AuditTrail.record(tx, actor, .update, entity: "casefinding", id: id, detail: ["status": "not reportable"])
                    return nil
                case .duplicate(let tumorId):
                    guard try store.tumorExists(tumorId) else { throw WorkflowError.invalid("tumorId: no such tumor", items: ["tumorId"]) }
                    try store.decide(id, status: "duplicate", reason: nil, patientId: nil, tumorId: tumorId, userId: actor.userId)
                    try AuditTrail.record(tx, actor, .update, entity: "casefinding", id: id, detail: ["status": "duplicate", "tumorId": String(tumorId)])
                    return nil
                case .reportable(let chosen):
                    let repository = AbstractRepository(connection: tx)
                    let patientId: Int
                    if let chosen {
                        guard try repository.patientExists(chosen) else { throw WorkflowError.invalid("patientId: no such patient", items: ["patientId"]) }
                        patientId = chosen
                    } else {
                        var items: [String: String] = ["patientIdNumber": try repository.nextPatientIdNumber()]
                        items["nameLast"] = entry.nameLast
                        items["nameFirst"] = entry.nameFirst
                        items["dateOfBirth"] = entry.dateOfBirth
                        items["sexAssignedAtBirth"] = entry.sex
                        patientId = try repository.createPatient(items: items, registryId: try repository.registryIdForNewPatients(), userId: actor.userId)
                        try AuditTrail.record(tx, actor, .create, entity: "patient", id: patientId, detail: ["casefinding": String(id)])
                    }
                    var items: [String: String] = ["dateOf1stContact": entry.reportedOn.replacingOccurrences(of: "-", with: "")]
                    items["primarySite"] = entry.suspectedSite
                    items["medicalRecordNumber"] = entry.medicalRecordNumber
                    if let histology = entry.suspectedHistology {
                        let parts = histology.split(separator: "/").map(String.init)
                        items["histologicTypeIcdO3"] = parts[0]
                        if parts.count == 2 { items["behaviorCodeIcdO3"] = parts[1] }
                    }
                    let (numbered, _) = try Self.numberNewPrimary(repository, patientId: patientId, items: items, today: today)
                    let tumorId = try repository.createTumor(patientId: patientId, items: numbered, userId: actor.userId)
                    try AuditTrail.record(tx, actor, .create, entity: "tumor", id: tumorId, detail: ["patientId": String(patientId), "casefinding": String(id)])
                    try store.decide(id, status: "reportable", reason: nil, patientId: patientId, tumorId: tumorId, userId: actor.userId)
                    try AuditTrail.record(tx, actor, .update, entity: "casefinding", id: id, detail: ["status": "reportable", "tumorId": String(tumorId)])
                    return tumorId
                }
            }
        }
    }
}
