import Foundation
import NAACCR
import Postgres

/// One submission as the ledger keeps it (migration 0007).
public struct SubmissionRecord: Sendable, Equatable, Codable {
    public let id: Int
    public let destination: String
    public let createdAt: Date
    public let createdBy: String
    public let fileName: String
    public let sha256: String
    public let recordType: String
    public let naaccrVersion: String
    public let editSet: String
    public let patients: Int
    public let tumorsNew: Int
    public let tumorsChanged: Int
    public let tumorsUnchanged: Int
    public let tumorsHeld: Int
    /// Tumors held back, by the id of an edit that failed.
    public let heldByEdit: [String: Int]
    public let status: String
    public let statusChangedAt: Date?
    public let statusReason: String?
    public let resentFrom: Int?
    /// For a file of changed records (record type M): the submission it was generated with (marked with it).
    public let companionOf: Int?
}

/// A tumor a submission carried or held, by its identity in the file (no patient data).
public struct SubmissionTumorRow: Sendable, Equatable {
    public let tumorId: Int
    public let patientIdNumber: String
    public let tumorKey: String
    /// For a sent tumor: SHA-256 of its content and "new", "changed" or "resent"; for a held tumor: the failing edits.
    public let contentHash: String
    public let change: String
    public let failures: String

    public init(tumorId: Int, patientIdNumber: String, tumorKey: String, contentHash: String = "", change: String = "", failures: String = "") {
        self.tumorId = tumorId
        self.patientIdNumber = patientIdNumber
        self.tumorKey = tumorKey
        self.contentHash = contentHash
        self.change = change
        self.failures = failures
    }
}

/// A tumor read for a submission: its row id, key, and the content hash the destination last accepted (nil: never).
public struct SubmissionCandidate: Sendable {
    public let tumorId: Int
    public let tumorKey: String
    public let acceptedHash: String?
    /// The abstract's status: an abstract still in progress (incomplete) is not sent.
    public var status: String = "complete"
}

/// A patient as a submission reads it: the stored items (JSON, read into a `NaaccrPatient` by `patient(dictionary:)`,
/// which any thread may call) and each tumor's ledger facts.
public struct SubmissionPatientRows: Sendable {
    public let id: Int
    public let patientIdNumber: String
    let items: String
    var tumorItems: [String] = []
    public internal(set) var candidates: [SubmissionCandidate] = []

    init(id: Int, patientIdNumber: String, items: String) {
        self.id = id
        self.patientIdNumber = patientIdNumber
        self.items = items
    }

    /// The patient and its tumors in the candidates' order; items the dictionary does not know are left out.
    public func patient(dictionary: NaaccrDictionary) throws -> NaaccrPatient {
        var unknown: [String: Int] = [:]
        var patient = NaaccrPatient(dictionary: dictionary)
        try NaaccrExporter.fill(&patient.values, level: .patient, json: items, dictionary: dictionary, patientId: id, unknown: &unknown)
        patient.tumors.reserveCapacity(tumorItems.count)
        for json in tumorItems {
            var tumor = NaaccrTumor(dictionary: dictionary)
            try NaaccrExporter.fill(&tumor.values, level: .tumor, json: json, dictionary: dictionary, patientId: id, unknown: &unknown)
            patient.tumors.append(tumor)
        }
        return patient
    }
}

/// The submission ledger's SQL: the rows of a submission, the tumors it carried and held, its file in chunks, and
/// the patients read for it with what each destination last accepted. Callers run it inside their transaction.
public struct SubmissionLedger {
    let db: PostgresConnection
    public var batchSize = 2_000

    public init(connection: PostgresConnection) { db = connection }

    /// The newest diagnosis year in the store (for destinations that take it in full).
    public func newestDiagnosisYear() throws -> Int? {
        try db.query("SELECT max(diagnosis_year)::int FROM tumor").first.flatMap { try $0.decode(Int?.self, at: 0) }
    }

    /// Reads every patient of a registry with its tumors from the transaction's snapshot, with the content hash each
    /// tumor had in the destination's latest accepted submission; patients come in the order they were stored, their
    /// items still as the stored JSON (`SubmissionPatientRows.patient(dictionary:)` reads them, on any thread).
    ///
    /// With `changedSince`, only patients changed (the patient or one of its tumors) at or after that time are read,
    /// and those with a tumor of `year` (found through the `updated_at` and diagnosis-year indexes).
    public func forEachPatient(registryId: String, destination: String, changedSince: Date? = nil, year: Int? = nil,
                               body: (SubmissionPatientRows) throws -> Void) throws {
        let since: PostgresEncodable? = changedSince
        try db.execute("""
            DECLARE submission_rows NO SCROLL CURSOR FOR
            SELECT p.id, p.patient_id_number, p.items::text, t.id, t.tumor_key, t.items::text,
                   (SELECT st.content_hash FROM submission_tumor st JOIN submission s ON s.id = st.submission_id
                    WHERE st.tumor_id = t.id AND s.destination = $2 AND s.status = 'accepted'
                    ORDER BY st.submission_id DESC LIMIT 1), t.status
            FROM patient p LEFT JOIN tumor t ON t.patient_id = p.id
            WHERE p.registry_id = $1
              AND ($3::timestamptz IS NULL OR p.id IN (
                    SELECT id FROM patient WHERE updated_at >= $3
                    UNION SELECT patient_id FROM tumor WHERE updated_at >= $3
                    UNION SELECT patient_id FROM tumor WHERE diagnosis_year = $4))
            ORDER BY p.id, t.tumor_key, t.id
            """, [registryId, destination, since, year])
        var current: SubmissionPatientRows?
        while true {
            let rows = try db.query("FETCH \(batchSize) FROM submission_rows")
            if rows.isEmpty { break }
            for row in rows {
                let id = try row.decode(Int.self, at: 0)
                if current?.id != id {
                    if let done = current { try body(done) }
                    current = SubmissionPatientRows(id: id, patientIdNumber: try row.decode(String.self, at: 1), items: row.text(at: 2) ?? "{}")
                }
                if let tumorJSON = row.text(at: 5) {
                    current!.tumorItems.append(tumorJSON)
                    current!.candidates.append(SubmissionCandidate(tumorId: try row.decode(Int.self, at: 3), tumorKey: try row.decode(String.self, at: 4),
                                                                   acceptedHash: row.text(at: 6), status: row.text(at: 7) ?? "complete"))
                }
            }
        }
        if let done = current { try body(done) }
        try db.execute("CLOSE submission_rows")
    }

    /// When the destination's latest accepted submission was generated (its transaction's start), nil when none was.
    public func lastAcceptedAt(destination: String) throws -> Date? {
        try db.query("SELECT max(snapshot_at) FROM submission WHERE destination = $1 AND status = 'accepted'", [destination])
            .first.flatMap { try $0.decode(Date?.self, at: 0) }
    }

    /// Starts a submission's row (counts and checksum come with `finish`); returns its id. Its `snapshot_at` is the
    /// earliest start of the transactions open now, this one included: a change this submission cannot see was made by
    /// a transaction that started no earlier, and rows carry their transaction's start in `updated_at`, so the next
    /// submission finds every such change by `updated_at >= snapshot_at`.
    /// A file of changed records generated with submission `companionOf` shares its snapshot.
    public func begin(destination: String, recordType: String, naaccrVersion: String, editSet: String, actor: ActingUser,
                      resentFrom: Int? = nil, companionOf: Int? = nil) throws -> Int {
        try db.query("""
            INSERT INTO submission (destination, created_by, created_by_name, file_name, record_type, naaccr_version, edit_set, resent_from,
                                    companion_of, snapshot_at)
            VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8,
                    coalesce((SELECT snapshot_at FROM submission WHERE id = $8),
                             (SELECT least(now(), min(xact_start)) FROM pg_stat_activity WHERE xact_start IS NOT NULL AND datname = current_database())))
            RETURNING id
            """, [destination, actor.userId, actor.username, recordType, naaccrVersion, editSet, resentFrom, companionOf])[0].decode(Int.self, at: 0)
    }

    /// Records tumors a submission carried (`sent`) or held back (`held`), one COPY per batch.
    public func record(sent rows: [SubmissionTumorRow], submission: Int) throws {
        guard !rows.isEmpty else { return }
        let id = String(submission)
        try db.copyIn("COPY submission_tumor (submission_id, tumor_id, patient_id_number, tumor_key, content_hash, change) FROM STDIN") { writer in
            for row in rows {
                writer.appendField(id); writer.appendField(String(row.tumorId)); writer.appendField(row.patientIdNumber)
                writer.appendField(row.tumorKey); writer.appendField(row.contentHash); writer.appendField(row.change)
                try writer.endRow()
            }
        }
    }

    public func record(held rows: [SubmissionTumorRow], submission: Int) throws {
        guard !rows.isEmpty else { return }
        let id = String(submission)
        try db.copyIn("COPY submission_held (submission_id, tumor_id, patient_id_number, tumor_key, failures) FROM STDIN") { writer in
            for row in rows {
                writer.appendField(id); writer.appendField(String(row.tumorId)); writer.appendField(row.patientIdNumber)
                writer.appendField(row.tumorKey); writer.appendField(row.failures)
                try writer.endRow()
            }
        }
    }

    /// Appends a chunk of the submission's file (bytes as written, compressed when the file is).
    public func appendFileChunk(submission: Int, chunk: Int, bytes: [UInt8]) throws {
        try db.execute("INSERT INTO submission_file (submission_id, chunk, bytes) VALUES ($1, $2, $3)", [submission, chunk, Data(bytes)])
    }

    /// Completes a submission's row: file name, checksum, counts and the held tumors by edit.
    public func finish(submission: Int, fileName: String, sha256: String, patients: Int, new: Int, changed: Int, unchanged: Int,
                       held: Int, heldByEdit: [String: Int]) throws {
        try db.execute("""
            UPDATE submission SET file_name = $2, sha256 = $3, patients = $4, tumors_new = $5, tumors_changed = $6,
                   tumors_unchanged = $7, tumors_held = $8, edit_summary = $9 WHERE id = $1
            """, [submission, fileName, sha256, patients, new, changed, unchanged, held, try PostgresJSON(encoding: heldByEdit)])
    }

    /// The submissions, newest first (one destination's, when given).
    public func list(destination: String? = nil, limit: Int = 200) throws -> [SubmissionRecord] {
        try db.query("""
            SELECT \(Self.columns) FROM submission WHERE ($1::text IS NULL OR destination = $1) ORDER BY id DESC LIMIT $2
            """, [destination, limit]).map(Self.decode)
    }

    public func submission(id: Int) throws -> SubmissionRecord? {
        try db.query("SELECT \(Self.columns) FROM submission WHERE id = $1", [id]).first.map(Self.decode)
    }

    /// The tumors a submission carried, or held back with their failures.
    public func tumors(of submission: Int, held: Bool) throws -> [SubmissionTumorRow] {
        let sql = held
            ? "SELECT tumor_id, patient_id_number, tumor_key, '', '', failures::text FROM submission_held WHERE submission_id = $1 ORDER BY tumor_id"
            : "SELECT tumor_id, patient_id_number, tumor_key, content_hash, change, '' FROM submission_tumor WHERE submission_id = $1 ORDER BY tumor_id"
        return try db.query(sql, [submission]).map { row in
            SubmissionTumorRow(tumorId: try row.decode(Int.self, at: 0), patientIdNumber: try row.decode(String.self, at: 1),
                               tumorKey: try row.decode(String.self, at: 2), contentHash: row.text(at: 3) ?? "",
                               change: row.text(at: 4) ?? "", failures: row.text(at: 5) ?? "")
        }
    }

    /// Passes a submission's file to `body`, chunk by chunk, in order.
    public func forEachFileChunk(submission: Int, body: ([UInt8]) throws -> Void) throws {
        let count = try db.query("SELECT count(*)::int FROM submission_file WHERE submission_id = $1", [submission])[0].decode(Int.self, at: 0)
        for chunk in 0..<count {
            guard let text = try db.query("SELECT encode(bytes, 'base64') FROM submission_file WHERE submission_id = $1 AND chunk = $2",
                                          [submission, chunk]).first?.text(at: 0),
                  let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { throw SubmissionLedgerError.missingChunk(submission, chunk) }
            try body([UInt8](data))
        }
    }

    /// Sets a submission's status (sent, accepted, rejected), with the reason given, and its companion's (the file of
    /// changed records generated with it, or the one it was generated with): the destination takes or refuses the pair.
    /// Returns the ids marked (empty when there is no such submission).
    public func mark(submission: Int, status: String, reason: String?) throws -> [Int] {
        try db.query("""
            UPDATE submission SET status = $2, status_changed_at = clock_timestamp(), status_reason = $3
            WHERE id = $1 OR companion_of = $1 OR id = (SELECT companion_of FROM submission WHERE id = $1)
            RETURNING id
            """, [submission, status, reason]).map { try $0.decode(Int.self, at: 0) }.sorted()
    }

    /// Tumors a destination was sent (in a submission not rejected) that are no longer in the store: the deletion report.
    public func deletions(destination: String) throws -> [SubmissionTumorRow] {
        try db.query("""
            SELECT DISTINCT ON (st.tumor_id) st.tumor_id, st.patient_id_number, st.tumor_key, st.submission_id::text
            FROM submission_tumor st JOIN submission s ON s.id = st.submission_id
            WHERE s.destination = $1 AND s.status <> 'rejected' AND NOT EXISTS (SELECT 1 FROM tumor t WHERE t.id = st.tumor_id)
            ORDER BY st.tumor_id, st.submission_id DESC
            """, [destination]).map { row in
            SubmissionTumorRow(tumorId: try row.decode(Int.self, at: 0), patientIdNumber: try row.decode(String.self, at: 1),
                               tumorKey: try row.decode(String.self, at: 2), change: "last sent in submission \(row.text(at: 3) ?? "")")
        }
    }

    static let columns = """
        id, destination, created_at, created_by_name, file_name, sha256, record_type, naaccr_version, edit_set, patients,
        tumors_new, tumors_changed, tumors_unchanged, tumors_held, edit_summary::text, status, status_changed_at, status_reason, resent_from,
        companion_of
        """

    static func decode(_ row: PostgresRow) throws -> SubmissionRecord {
        let heldByEdit = (try? JSONDecoder().decode([String: Int].self, from: Data((row.text(at: 14) ?? "{}").utf8))) ?? [:]
        return SubmissionRecord(
            id: try row.decode(Int.self, at: 0), destination: try row.decode(String.self, at: 1), createdAt: try row.decode(Date.self, at: 2),
            createdBy: try row.decode(String.self, at: 3), fileName: try row.decode(String.self, at: 4), sha256: try row.decode(String.self, at: 5),
            recordType: try row.decode(String.self, at: 6), naaccrVersion: try row.decode(String.self, at: 7), editSet: try row.decode(String.self, at: 8),
            patients: try row.decode(Int.self, at: 9), tumorsNew: try row.decode(Int.self, at: 10), tumorsChanged: try row.decode(Int.self, at: 11),
            tumorsUnchanged: try row.decode(Int.self, at: 12), tumorsHeld: try row.decode(Int.self, at: 13), heldByEdit: heldByEdit,
            status: try row.decode(String.self, at: 15), statusChangedAt: try row.decode(Date?.self, at: 16),
            statusReason: try row.decode(String?.self, at: 17), resentFrom: try row.decode(Int?.self, at: 18),
            companionOf: try row.decode(Int?.self, at: 19))
    }

    /// A PostgreSQL array literal of text elements (each quoted, `"` and `\` escaped), passed as one parameter.
    static func array(_ values: [String]) -> String {
        var out = "{"
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for ch in v.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }
}

public enum SubmissionLedgerError: Error, CustomStringConvertible {
    case missingChunk(Int, Int)
    public var description: String {
        switch self {
        case let .missingChunk(id, chunk): return "submission \(id): chunk \(chunk) of its file is missing"
        }
    }
}
