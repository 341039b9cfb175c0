import Foundation
import Postgres

/// One failing (or overridden) edit of one tumor, as `edit_result.failures` stores it: the one shape every writer
/// and reader of stored edit results uses.
public struct EditFailureRecord: Sendable, Codable, Equatable {
    /// The edit's id (`IF25`), its name with agency tag, and the severity it has in the set that ran.
    public let edit: String
    public let name: String
    public let severity: String
    public let message: String
    /// naaccrIds of the items the edit reads.
    public let items: [String]
    /// The over-ride item is set for this edit: reported, not counted.
    public let overridden: Bool
    /// For a registry's own severity level: whether it blocks (counts as an error). Absent for the standard's two,
    /// whose names say it.
    public let blocks: Bool?

    public init(edit: String, name: String, severity: String, message: String, items: [String], overridden: Bool, blocks: Bool? = nil) {
        self.edit = edit
        self.name = name
        self.severity = severity
        self.message = message
        self.items = items
        self.overridden = overridden
        self.blocks = severity == "error" || severity == "warning" ? nil : blocks
    }

    /// An error, or a registry level that blocks as one.
    public var isBlocking: Bool { blocks ?? (severity == "error") }
}

/// One tumor's outcome of an edit run, ready to store.
public struct StoredEditResult: Sendable, Equatable {
    public var tumorId: Int
    public var failures: [EditFailureRecord]

    public init(tumorId: Int, failures: [EditFailureRecord]) {
        self.tumorId = tumorId
        self.failures = failures
    }

    /// Errors (and a registry's blocking levels) and warnings (and its informing levels), over-ridden ones left out.
    public var errors: Int { failures.filter { !$0.overridden && $0.isBlocking }.count }
    public var warnings: Int { failures.filter { !$0.overridden && !$0.isBlocking }.count }
    public var overridden: Int { failures.filter(\.overridden).count }

    /// `failures` as stored (a JSON array).
    public var failuresJSON: String {
        (try? Self.encoder.encode(failures)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// Saves edit results per tumor and edit set (the latest run replaces the previous one) in one transaction.
public struct EditResultStore {
    let db: PostgresConnection

    public init(connection: PostgresConnection) { db = connection }

    /// Replaces one tumor's result (after a save in the workbench), so work lists stay current between runs.
    public func saveOne(editSet: String, result r: StoredEditResult) throws {
        try db.execute("""
            INSERT INTO edit_result (tumor_id, edit_set, errors, warnings, overridden, failures) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (tumor_id, edit_set) DO UPDATE SET run_id = NULL, checked_at = now(), errors = EXCLUDED.errors,
                warnings = EXCLUDED.warnings, overridden = EXCLUDED.overridden, failures = EXCLUDED.failures
            """, [r.tumorId, editSet, r.errors, r.warnings, r.overridden, PostgresJSON(text: r.failuresJSON)])
    }

    /// Records a run and its results; returns the run id.
    @discardableResult
    public func save(editSet: String, runBy: String, results: [StoredEditResult]) throws -> Int {
        try db.transaction { tx in
            let run = try tx.query("INSERT INTO edit_run (edit_set, run_by) VALUES ($1, $2) RETURNING id", [editSet, runBy])[0]
                .decode(Int.self, at: 0)
            try tx.execute("CREATE TEMP TABLE edit_result_in (tumor_id bigint, errors int, warnings int, overridden int, failures jsonb) ON COMMIT DROP")
            try tx.copyIn("COPY edit_result_in FROM STDIN") { writer in
                for r in results {
                    for field in [String(r.tumorId), String(r.errors), String(r.warnings), String(r.overridden), r.failuresJSON] {
                        writer.appendField(field)
                    }
                    try writer.endRow()
                }
            }
            try tx.execute("""
                INSERT INTO edit_result (tumor_id, edit_set, run_id, errors, warnings, overridden, failures)
                SELECT tumor_id, $1, $2, errors, warnings, overridden, failures FROM edit_result_in
                ON CONFLICT (tumor_id, edit_set) DO UPDATE SET run_id = EXCLUDED.run_id, checked_at = now(),
                    errors = EXCLUDED.errors, warnings = EXCLUDED.warnings, overridden = EXCLUDED.overridden,
                    failures = EXCLUDED.failures
                """, [editSet, run])
            try tx.execute("""
                UPDATE edit_run SET finished_at = now(), tumors_checked = $2,
                    tumors_failing = (SELECT count(*) FROM edit_result_in WHERE errors > 0) WHERE id = $1
                """, [run, results.count])
            return run
        }
    }

    /// The stored result of one tumor in one set, nil when the set has not run on it.
    public func result(tumorId: Int, editSet: String) throws -> StoredEditResult? {
        guard let row = try db.query("SELECT failures::text FROM edit_result WHERE tumor_id = $1 AND edit_set = $2", [tumorId, editSet]).first
        else { return nil }
        let failures = try JSONDecoder().decode([EditFailureRecord].self, from: Data((row.text(at: 0) ?? "[]").utf8))
        return StoredEditResult(tumorId: tumorId, failures: failures)
    }
}
