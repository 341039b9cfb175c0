import Crypto
import Edits
import Foundation
import NAACCR
import Postgres
import RegistryStore

/// How a central registry receives a facility's file.
public struct IntakeRequest: Sendable {
    /// The reporting facility (its NPI or the registry's own code for it).
    public let facility: String
    /// Receive a file whose checksum was received before.
    public let force: Bool
    /// The central registry's incoming edit set.
    public let editSet: EditSet

    public init(facility: String, force: Bool = false, editSet: EditSet = .stateSubmission) {
        self.facility = facility
        self.force = force
        self.editSet = editSet
    }
}

public enum IntakeError: Error, CustomStringConvertible {
    case alreadyReceived(IntakeRecord)
    case badFacility
    case noSuchIntake(Int)
    case unreadable(String)

    public var description: String {
        switch self {
        case .alreadyReceived(let r):
            return "this file (SHA-256 \(r.sha256)) was received from \(r.facility) as intake \(r.id) on "
                + "\(ISO8601DateFormatter().string(from: r.receivedAt)) (\(r.fileName)); nothing was imported. --force receives it again"
        case .badFacility: return "the facility is 1-40 letters, digits, '.', '_' or '-'"
        case .noSuchIntake(let id): return "no intake \(id)"
        case .unreadable(let path): return "\(path): cannot be opened for reading"
        }
    }
}

/// Collects the central edits' results as records pass by during an import (one import thread).
final class IntakeEditCollector: @unchecked Sendable {
    let engine: EditEngine
    let keys: (tumorRecordNumber: NaaccrItemKey?, sequenceCentral: NaaccrItemKey?, sequenceHospital: NaaccrItemKey?, patientId: NaaccrItemKey?)
    var failing = 0
    var byEdit: [String: Int] = [:]
    var rejections: [IntakeRejection] = []
    /// At most this many failing records are kept for the rejection report (all are counted).
    static let kept = 100_000

    init(engine: EditEngine) {
        self.engine = engine
        let d = engine.dictionary
        keys = (d.key("tumorRecordNumber"), d.key("sequenceNumberCentral"), d.key("sequenceNumberHospital"), d.key("patientIdNumber"))
    }

    func inspect(_ patient: NaaccrPatient) {
        let failures = engine.check(patient).filter { $0.severity.blocks && !$0.overridden }
        guard !failures.isEmpty else { return }
        for (index, tumor) in patient.tumors.enumerated() {
            let mine = failures.filter { $0.tumorIndex == index }
            guard !mine.isEmpty else { continue }
            failing += 1
            for id in Set(mine.map(\.editId)) { byEdit[id, default: 0] += 1 }
            guard rejections.count < Self.kept else { continue }
            // The tumor's key as imports key tumors: record number, else central or hospital sequence, else position.
            let key = [keys.tumorRecordNumber, keys.sequenceCentral, keys.sequenceHospital].compactMap { $0.flatMap { tumor[$0] } }
                .first { !$0.isEmpty } ?? "#\(index + 1)"
            let detail = mine.map { ["edit": $0.editId, "message": $0.message] }
            rejections.append(IntakeRejection(patientIdNumber: keys.patientId.flatMap { patient[$0] } ?? "", tumorKey: key,
                                              failures: String(decoding: (try? JSONEncoder().encode(detail)) ?? Data("[]".utf8), as: UTF8.self)))
        }
    }
}

/// The receiving side of submissions: a central registry's intake of facility files (issue #14).
extension Registry {
    /// Receives a facility's NAACCR file: refuses it when a file with the same SHA-256 was received before (unless
    /// forced), imports it (as `importFile`), runs the central registry's incoming edit set on every record as it is
    /// read, and records the intake (facility, file, checksum, record type, version, counts new/changed/unchanged, the
    /// records failing the edits) in the import's own transaction.
    public func receiveFile(path: String, name: String? = nil, options: NaaccrReadOptions = NaaccrReadOptions(), from request: IntakeRequest,
                            by actor: ActingUser, mayChangeStoredAbstracts: Bool = true, progress: @escaping @Sendable (Int, Double?) -> Void = { _, _ in }) async throws -> (FileImport, IntakeRecord) {
        guard request.facility.range(of: "^[A-Za-z0-9._-]{1,40}$", options: .regularExpression) != nil else { throw IntakeError.badFacility }
        let sha256 = try Self.sha256(ofFile: path)
        if !request.force, let earlier = try await pool.withConnection({ db in try IntakeLedger(connection: db).received(sha256: sha256) }) {
            throw IntakeError.alreadyReceived(earlier)
        }
        let collector = IntakeEditCollector(engine: EditEngine(set: request.editSet, library: editLibrary))
        let displayName = name ?? URL(fileURLWithPath: path).lastPathComponent
        let recorded = IntakeBox()
        let file = try await importFile(path: path, name: displayName, options: options, by: actor,
                                        mayChangeStoredAbstracts: mayChangeStoredAbstracts, progress: progress,
                                        inspect: { collector.inspect($0) },
                                        finish: { tx, summary, context in
            let registryId = NaaccrDictionary.v26.key("registryId").flatMap { context.header.values[$0.index] } ?? ""
            let accepted = summary.tumorsRead - summary.rejectedPatients.count
            let record = IntakeRecord(facility: request.facility, registryId: registryId, receivedBy: actor.username, fileName: String(displayName.prefix(255)),
                                      sha256: sha256, recordType: context.header.recordType, naaccrVersion: context.version,
                                      patientsRead: summary.patientsRead, tumorsRead: summary.tumorsRead, tumorsNew: summary.tumorsInserted,
                                      tumorsChanged: summary.tumorsUpdated, tumorsUnchanged: max(0, accepted - summary.tumorsInserted - summary.tumorsUpdated),
                                      patientsRejected: summary.rejectedPatients.count, editSet: request.editSet.name,
                                      tumorsFailing: collector.failing, failingByEdit: collector.byEdit)
            let id = try IntakeLedger(connection: tx).record(record, rejections: collector.rejections, actor: actor)
            recorded.value = try IntakeLedger(connection: tx).intake(id: id)
        })
        return (file, recorded.value!)
    }

    /// One received file and the records of it that fail the central edits (identities and edits, no patient items).
    public func intake(_ id: Int) async throws -> (IntakeRecord, [IntakeRejection]) {
        try await pool.withConnection { db in
            let ledger = IntakeLedger(connection: db)
            guard let record = try ledger.intake(id: id) else { throw IntakeError.noSuchIntake(id) }
            return (record, try ledger.rejections(of: id))
        }
    }

    /// Received files, newest first (one facility's when given).
    public func intakes(from facility: String? = nil) async throws -> [IntakeRecord] {
        try await pool.withConnection { db in try IntakeLedger(connection: db).list(facility: facility) }
    }

    /// An intake's rejection report: the failing records' identities and edits, and the records themselves as the
    /// store holds them (each patient with its failing tumors) passed to `write` for the file sent back. Audited.
    public func rejectionReport(intake id: Int, by actor: ActingUser, write: @escaping @Sendable (NaaccrPatient) throws -> Void) async throws -> (IntakeRecord, [IntakeRejection]) {
        try await pool.withConnection { db in
            try db.transaction { tx in
                let ledger = IntakeLedger(connection: tx)
                guard let record = try ledger.intake(id: id) else { throw IntakeError.noSuchIntake(id) }
                let rejections = try ledger.rejections(of: id)
                try ledger.forEachRejectedPatient(intake: id, dictionary: .v26, body: write)
                try AuditTrail.record(tx, actor, .export, entity: "intake_rejection", id: id, detail: ["facility": record.facility, "records": String(rejections.count)])
                return (record, rejections)
            }
        }
    }

    /// The same with the failing records written as NAACCR XML v26, record type A (`.gz` compresses), to send back to
    /// the facility when `xmlPath` is given.
    public func rejectionReport(intake id: Int, xmlPath: String?, by actor: ActingUser) async throws -> (IntakeRecord, [IntakeRejection]) {
        let dictionary = NaaccrDictionary.v26
        var header = NaaccrHeader(baseDictionaryUri: dictionary.uri, recordType: "A")
        header.values[dictionary.key("recordType")!.index] = "A"
        let writer = try xmlPath.map { RejectionWriter(try NaaccrXMLWriter(sink: try openByteSink(path: $0), dictionary: dictionary, header: header)) }
        let report = try await rejectionReport(intake: id, by: actor) { patient in try writer?.write(patient) }
        try writer?.finish()
        return report
    }

    /// The rejection list for people: CSV (RFC 4180, CRLF) of patient id, tumor key, edit and message, one line per failing edit.
    public static func rejectionCSV(_ rejections: [IntakeRejection]) -> String {
        var lines = ["patientIdNumber,tumorKey,edit,message"]
        for r in rejections {
            for f in r.failureList { lines.append([r.patientIdNumber, r.tumorKey, f["edit"] ?? "", f["message"] ?? ""].map(CSVText.field).joined(separator: ",")) }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw IntakeError.unreadable(path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }
}

final class IntakeBox: @unchecked Sendable { var value: IntakeRecord? }

/// The rejection report's XML writer, handed patients by the ledger's read (one transaction, one thread at a time).
final class RejectionWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let writer: NaaccrXMLWriter
    init(_ writer: NaaccrXMLWriter) { self.writer = writer }
    func write(_ patient: NaaccrPatient) throws { try lock.withLock { try writer.write(patient) } }
    func finish() throws { try lock.withLock { try writer.finish() } }
}
