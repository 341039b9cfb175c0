import Foundation
import NAACCR
import Postgres

/// One file a central registry received from a facility (migration 0008).
public struct IntakeRecord: Sendable, Equatable, Codable {
    public let id: Int
    public let facility: String
    public let registryId: String
    public let receivedAt: Date
    public let receivedBy: String
    public let fileName: String
    public let sha256: String
    public let recordType: String
    public let naaccrVersion: String
    public let patientsRead: Int
    public let tumorsRead: Int
    public let tumorsNew: Int
    public let tumorsChanged: Int
    public let tumorsUnchanged: Int
    public let patientsRejected: Int
    public let editSet: String
    public let tumorsFailing: Int
    /// Tumors failing, by the id of an edit.
    public let failingByEdit: [String: Int]

    public init(id: Int = 0, facility: String, registryId: String, receivedAt: Date = Date(), receivedBy: String, fileName: String,
                sha256: String, recordType: String, naaccrVersion: String, patientsRead: Int, tumorsRead: Int, tumorsNew: Int,
                tumorsChanged: Int, tumorsUnchanged: Int, patientsRejected: Int, editSet: String, tumorsFailing: Int, failingByEdit: [String: Int]) {
        self.id = id
        self.facility = facility
        self.registryId = registryId
        self.receivedAt = receivedAt
        self.receivedBy = receivedBy
        self.fileName = fileName
        self.sha256 = sha256
        self.recordType = recordType
        self.naaccrVersion = naaccrVersion
        self.patientsRead = patientsRead
        self.tumorsRead = tumorsRead
        self.tumorsNew = tumorsNew
        self.tumorsChanged = tumorsChanged
        self.tumorsUnchanged = tumorsUnchanged
        self.patientsRejected = patientsRejected
        self.editSet = editSet
        self.tumorsFailing = tumorsFailing
        self.failingByEdit = failingByEdit
    }
}

/// A record of a received file that failed the central registry's edits: its identity and the failures (JSON).
public struct IntakeRejection: Sendable, Equatable {
    public let patientIdNumber: String
    public let tumorKey: String
    public let failures: String

    /// The failing edits as `{"edit", "message"}` pairs (decoded from `failures`).
    public var failureList: [[String: String]] {
        (try? JSONDecoder().decode([[String: String]].self, from: Data(failures.utf8))) ?? []
    }

    public init(patientIdNumber: String, tumorKey: String, failures: String) {
        self.patientIdNumber = patientIdNumber
        self.tumorKey = tumorKey
        self.failures = failures
    }
}

/// The intake ledger's SQL. Callers run it inside their transaction (the import's, for a new file).
public struct IntakeLedger {
    let db: PostgresConnection

    public init(connection: PostgresConnection) { db = connection }

    /// The intake that already received a file with this checksum, if any.
    public func received(sha256: String) throws -> IntakeRecord? {
        try db.query("SELECT \(Self.columns) FROM intake WHERE sha256 = $1 ORDER BY id LIMIT 1", [sha256]).first.map(Self.decode)
    }

    /// Records a received file and the records that failed; returns the intake id.
    public func record(_ r: IntakeRecord, rejections: [IntakeRejection], actor: ActingUser) throws -> Int {
        let id = try db.query("""
            INSERT INTO intake (facility, registry_id, received_by, received_by_name, file_name, sha256, record_type, naaccr_version,
                                patients_read, tumors_read, tumors_new, tumors_changed, tumors_unchanged, patients_rejected, edit_set,
                                tumors_failing, edit_summary)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id
            """, [r.facility, r.registryId, actor.userId, actor.username, r.fileName, r.sha256, r.recordType, r.naaccrVersion, r.patientsRead,
                  r.tumorsRead, r.tumorsNew, r.tumorsChanged, r.tumorsUnchanged, r.patientsRejected, r.editSet, r.tumorsFailing,
                  try PostgresJSON(encoding: r.failingByEdit)])[0].decode(Int.self, at: 0)
        for start in stride(from: 0, to: rejections.count, by: 2_000) {
            let batch = rejections[start..<min(start + 2_000, rejections.count)]
            try db.execute("""
                INSERT INTO intake_rejection (intake_id, patient_id_number, tumor_key, failures)
                SELECT $1, n, k, f::jsonb FROM unnest($2::text[], $3::text[], $4::text[]) AS x(n, k, f) ON CONFLICT DO NOTHING
                """, [id, SubmissionLedger.array(batch.map(\.patientIdNumber)), SubmissionLedger.array(batch.map(\.tumorKey)),
                      SubmissionLedger.array(batch.map(\.failures))])
        }
        return id
    }

    /// Received files, newest first (one facility's, when given).
    public func list(facility: String? = nil, limit: Int = 200) throws -> [IntakeRecord] {
        try db.query("SELECT \(Self.columns) FROM intake WHERE ($1::text IS NULL OR facility = $1) ORDER BY id DESC LIMIT $2",
                     [facility, limit]).map(Self.decode)
    }

    public func intake(id: Int) throws -> IntakeRecord? {
        try db.query("SELECT \(Self.columns) FROM intake WHERE id = $1", [id]).first.map(Self.decode)
    }

    public func rejections(of intake: Int) throws -> [IntakeRejection] {
        try db.query("SELECT patient_id_number, tumor_key, failures::text FROM intake_rejection WHERE intake_id = $1 ORDER BY 1, 2", [intake]).map {
            IntakeRejection(patientIdNumber: try $0.decode(String.self, at: 0), tumorKey: try $0.decode(String.self, at: 1),
                            failures: try $0.decode(String.self, at: 2))
        }
    }

    /// The stored records behind an intake's rejections, as the store holds them now: each patient with only its
    /// failing tumors, for the rejection file sent back to the facility.
    public func forEachRejectedPatient(intake: Int, dictionary: NaaccrDictionary, body: (NaaccrPatient) throws -> Void) throws {
        let rows = try db.query("""
            SELECT p.id, p.items::text, t.items::text
            FROM intake i JOIN intake_rejection r ON r.intake_id = i.id
            JOIN patient p ON p.registry_id = i.registry_id AND p.patient_id_number = r.patient_id_number
            JOIN tumor t ON t.patient_id = p.id AND t.tumor_key = r.tumor_key
            WHERE i.id = $1 ORDER BY p.id, t.tumor_key
            """, [intake])
        var unknown: [String: Int] = [:]
        var current: (id: Int, patient: NaaccrPatient)?
        for row in rows {
            let id = try row.decode(Int.self, at: 0)
            if current?.id != id {
                if let done = current { try body(done.patient) }
                var patient = NaaccrPatient(dictionary: dictionary)
                try NaaccrExporter.fill(&patient.values, level: .patient, json: row.text(at: 1) ?? "{}", dictionary: dictionary, patientId: id, unknown: &unknown)
                current = (id, patient)
            }
            var tumor = NaaccrTumor(dictionary: dictionary)
            try NaaccrExporter.fill(&tumor.values, level: .tumor, json: row.text(at: 2) ?? "{}", dictionary: dictionary, patientId: id, unknown: &unknown)
            current!.patient.tumors.append(tumor)
        }
        if let done = current { try body(done.patient) }
    }

    static let columns = """
        id, facility, registry_id, received_at, received_by_name, file_name, sha256, record_type, naaccr_version, patients_read, tumors_read,
        tumors_new, tumors_changed, tumors_unchanged, patients_rejected, edit_set, tumors_failing, edit_summary::text
        """

    static func decode(_ row: PostgresRow) throws -> IntakeRecord {
        IntakeRecord(id: try row.decode(Int.self, at: 0), facility: try row.decode(String.self, at: 1), registryId: try row.decode(String.self, at: 2),
                     receivedAt: try row.decode(Date.self, at: 3), receivedBy: try row.decode(String.self, at: 4), fileName: try row.decode(String.self, at: 5),
                     sha256: try row.decode(String.self, at: 6), recordType: try row.decode(String.self, at: 7), naaccrVersion: try row.decode(String.self, at: 8),
                     patientsRead: try row.decode(Int.self, at: 9), tumorsRead: try row.decode(Int.self, at: 10), tumorsNew: try row.decode(Int.self, at: 11),
                     tumorsChanged: try row.decode(Int.self, at: 12), tumorsUnchanged: try row.decode(Int.self, at: 13),
                     patientsRejected: try row.decode(Int.self, at: 14), editSet: try row.decode(String.self, at: 15),
                     tumorsFailing: try row.decode(Int.self, at: 16),
                     failingByEdit: (try? JSONDecoder().decode([String: Int].self, from: Data((row.text(at: 17) ?? "{}").utf8))) ?? [:])
    }
}
