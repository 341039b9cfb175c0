import Foundation
import NAACCR
import Postgres

/// What to export.
public struct ExportSelection: Sendable {
    /// Only patients changed (the patient or any of its tumors) at or after this time; nil for all.
    public var changedSince: Date?
    /// Only patients of this registry (item 40); nil when the store holds one registry.
    public var registryId: String?

    public init(changedSince: Date? = nil, registryId: String? = nil) {
        self.changedSince = changedSince
        self.registryId = registryId
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var patients = 0
    public var tumors = 0
    /// Stored items that the export dictionary does not know (left out), by naaccrId.
    public var unknownItems: [String: Int] = [:]
}

/// Problems that stop an export before anything is written.
public enum ExportError: Error, Sendable, CustomStringConvertible {
    case severalRegistries([String])
    case badItemsJSON(patientId: Int, detail: String)

    public var description: String {
        switch self {
        case .severalRegistries(let ids):
            return "the store holds patients of several registries (\(ids.joined(separator: ", "))); choose one with --registry-id"
        case let .badItemsJSON(patientId, detail):
            return "stored items of patient row \(patientId) cannot be read: \(detail)"
        }
    }
}

/// Writes patients and tumors from the store as NAACCR records, one patient at a time, from a consistent snapshot.
///
/// Rows are read through a server-side cursor in batches, so memory stays bounded whatever the size of the
/// registry. Tumors come in tumor-key order (sequence number or record number), patients in the order they
/// were first stored. One `audit_log` row records the export (counts and selection, no patient data).
public struct NaaccrExporter {
    let db: PostgresConnection
    public var batchSize = 2_000

    public init(connection: PostgresConnection) { db = connection }

    /// The registry id the export's header should carry: the one chosen, or the only one in the store.
    public func registryId(for selection: ExportSelection) throws -> String {
        if let id = selection.registryId { return id }
        let ids = try db.query("SELECT DISTINCT registry_id FROM patient ORDER BY 1 LIMIT 5").map { try $0.decode(String.self, at: 0) }
        guard ids.count <= 1 else { throw ExportError.severalRegistries(ids) }
        return ids.first ?? ""
    }

    /// Reads the selected patients and passes each, with its tumors, to `write`; the audit row (counts and
    /// selection, no patient data) is written in the export's own transaction.
    public func export(_ selection: ExportSelection, dictionary: NaaccrDictionary, actor: ActingUser, recordType: String,
                       write: (NaaccrPatient) throws -> Void) throws -> ExportSummary {
        let registryId = try registryId(for: selection)
        return try forEachPatient(selection, dictionary: dictionary, body: { patient, _, _ in try write(patient) }, finish: { tx, summary in
            try AuditTrail.record(tx, actor, .export, entity: "naaccr_file", detail: [
                "recordType": recordType, "registryId": registryId, "patients": String(summary.patients), "tumors": String(summary.tumors),
                "changedSince": selection.changedSince.map { ISO8601DateFormatter().string(from: $0) } ?? "",
            ])
        })
    }

    /// Reads the selected patients from one snapshot and passes each with its row id and its tumors' row ids.
    /// `finish` runs in the same transaction after the last patient (the caller's audit row).
    public func forEachPatient(_ selection: ExportSelection, dictionary: NaaccrDictionary,
                               body: (NaaccrPatient, _ patientId: Int, _ tumorIds: [Int]) throws -> Void,
                               finish: (PostgresConnection, ExportSummary) throws -> Void = { _, _ in }) throws -> ExportSummary {
        let registryId = try registryId(for: selection)
        return try db.transaction { tx in
            try tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            let since: PostgresEncodable? = selection.changedSince
            try tx.execute("""
                DECLARE export_rows NO SCROLL CURSOR FOR
                SELECT p.id, p.items::text, t.items::text, t.id
                FROM patient p LEFT JOIN tumor t ON t.patient_id = p.id
                WHERE p.registry_id = $1
                  AND ($2::timestamptz IS NULL OR p.updated_at >= $2
                       OR EXISTS (SELECT 1 FROM tumor c WHERE c.patient_id = p.id AND c.updated_at >= $2))
                ORDER BY p.id, t.tumor_key, t.id
                """, [registryId, since])
            var summary = ExportSummary()
            var current: (id: Int, patient: NaaccrPatient, tumorIds: [Int])?
            func finishCurrent() throws {
                guard let done = current else { return }
                try body(done.patient, done.id, done.tumorIds)
                summary.patients += 1
                summary.tumors += done.patient.tumors.count
                current = nil
            }
            while true {
                let rows = try tx.query("FETCH \(batchSize) FROM export_rows")
                if rows.isEmpty { break }
                for row in rows {
                    let id = try row.decode(Int.self, at: 0)
                    if current?.id != id {
                        try finishCurrent()
                        var patient = NaaccrPatient(dictionary: dictionary)
                        try Self.fill(&patient.values, level: .patient, json: row.text(at: 1) ?? "{}", dictionary: dictionary,
                                 patientId: id, unknown: &summary.unknownItems)
                        current = (id, patient, [])
                    }
                    if let tumorJSON = row.text(at: 2) {
                        var tumor = NaaccrTumor(dictionary: dictionary)
                        try Self.fill(&tumor.values, level: .tumor, json: tumorJSON, dictionary: dictionary, patientId: id,
                                 unknown: &summary.unknownItems)
                        current!.patient.tumors.append(tumor)
                        current!.tumorIds.append(try row.decode(Int.self, at: 3))
                    }
                }
            }
            try finishCurrent()
            try tx.execute("CLOSE export_rows")
            try finish(tx, summary)
            return summary
        }
    }

    static func fill(_ values: inout NaaccrValues, level: NaaccrLevel, json: String, dictionary: NaaccrDictionary,
                     patientId: Int, unknown: inout [String: Int]) throws {
        do {
            try FlatJSONObject.forEachMember(in: json) { storedKey, value in
                if let key = StoredItems.itemKey(forStoredKey: storedKey, dictionary: dictionary), key.level == level {
                    values[key.index] = value
                } else {
                    unknown[storedKey, default: 0] += 1
                }
            }
        } catch let error as FlatJSONObject.FormatError {
            throw ExportError.badItemsJSON(patientId: patientId, detail: error.description)
        }
    }
}
