import Foundation
import Postgres

/// A report of a possible case on the casefinding (suspense) list.
public struct CasefindingEntry: Sendable, Codable, Equatable {
    public var id: Int = 0
    public var source: String
    /// YYYY-MM-DD.
    public var reportedOn: String
    public var nameLast: String?
    public var nameFirst: String?
    /// CCYYMMDD.
    public var dateOfBirth: String?
    public var sex: String?
    public var medicalRecordNumber: String?
    public var suspectedSite: String?
    public var suspectedHistology: String?
    public var diagnosis: String?
    public var status: String = "pending"
    public var reason: String?
    public var patientId: Int?
    public var tumorId: Int?

    public init(source: String, reportedOn: String, nameLast: String? = nil, nameFirst: String? = nil, dateOfBirth: String? = nil, sex: String? = nil,
                medicalRecordNumber: String? = nil, suspectedSite: String? = nil, suspectedHistology: String? = nil, diagnosis: String? = nil) {
        self.source = source
        self.reportedOn = reportedOn
        self.nameLast = nameLast
        self.nameFirst = nameFirst
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.medicalRecordNumber = medicalRecordNumber
        self.suspectedSite = suspectedSite
        self.suspectedHistology = suspectedHistology
        self.diagnosis = diagnosis
    }

    /// The report sources the list takes.
    public static let sources = ["disease index", "pathology", "radiation oncology", "medical oncology", "admission", "physician office", "other"]
}

/// The casefinding list's SQL (the caller's transaction).
public struct CasefindingStore {
    let db: PostgresConnection
    public init(connection: PostgresConnection) { db = connection }

    public func insert(_ e: CasefindingEntry, sourceFile: String?, userId: Int?) throws -> Int {
        try db.query("""
            INSERT INTO casefinding (source, reported_on, name_last, name_first, date_of_birth, sex, medical_record_number, suspected_site,
                                     suspected_histology, diagnosis, source_file, created_by)
            VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
            """, [e.source, e.reportedOn, e.nameLast, e.nameFirst, e.dateOfBirth, e.sex, e.medicalRecordNumber, e.suspectedSite,
                  e.suspectedHistology, e.diagnosis, sourceFile, userId])[0].decode(Int.self, at: 0)
    }

    static let columns = """
        id, source, reported_on::text, name_last, name_first, date_of_birth, sex, medical_record_number, suspected_site, suspected_histology,
        diagnosis, status, reason, patient_id, tumor_id
        """

    func entry(_ r: PostgresRow) throws -> CasefindingEntry {
        var e = CasefindingEntry(source: r.text(at: 1) ?? "", reportedOn: r.text(at: 2) ?? "", nameLast: r.text(at: 3), nameFirst: r.text(at: 4),
                                 dateOfBirth: r.text(at: 5), sex: r.text(at: 6), medicalRecordNumber: r.text(at: 7), suspectedSite: r.text(at: 8),
                                 suspectedHistology: r.text(at: 9), diagnosis: r.text(at: 10))
        e.id = try r.decode(Int.self, at: 0)
        e.status = r.text(at: 11) ?? ""
        e.reason = r.text(at: 12)
        e.patientId = try r.decode(Int?.self, at: 13)
        e.tumorId = try r.decode(Int?.self, at: 14)
        return e
    }

    /// Entries with `status`, oldest report first, a page at a time, with the total.
    public func list(status: String, limit: Int, offset: Int) throws -> (entries: [CasefindingEntry], total: Int) {
        let rows = try db.query("""
            SELECT \(Self.columns), count(*) OVER ()::int FROM casefinding WHERE status = $1 ORDER BY reported_on, id LIMIT $2 OFFSET $3
            """, [status, limit, offset])
        return (try rows.map(entry), try rows.first?.decode(Int.self, at: 15) ?? 0)
    }

    /// One entry, locked for a decision; nil when there is none.
    public func lockedEntry(_ id: Int) throws -> CasefindingEntry? {
        try db.query("SELECT \(Self.columns) FROM casefinding WHERE id = $1 FOR UPDATE", [id]).first.map(entry)
    }

    public func decide(_ id: Int, status: String, reason: String?, patientId: Int?, tumorId: Int?, userId: Int?) throws {
        try db.execute("""
            UPDATE casefinding SET status = $2, reason = $3, patient_id = $4, tumor_id = $5, decided_by = $6, decided_at = now() WHERE id = $1
            """, [id, status, reason, patientId, tumorId, userId])
    }

    /// Whether a tumor exists.
    public func tumorExists(_ id: Int) throws -> Bool { try !db.query("SELECT 1 FROM tumor WHERE id = $1", [id]).isEmpty }
}
