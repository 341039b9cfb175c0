import Postgres

/// One tumor's outcome of an edit run, ready to store.
public struct StoredEditResult: Sendable {
    public var tumorId: Int
    public var errors: Int
    public var warnings: Int
    public var overridden: Int
    /// The failures as a JSON array (edit id, severity, message, items, overridden).
    public var failuresJSON: String

    public init(tumorId: Int, errors: Int, warnings: Int, overridden: Int, failuresJSON: String) {
        self.tumorId = tumorId
        self.errors = errors
        self.warnings = warnings
        self.overridden = overridden
        self.failuresJSON = failuresJSON
    }
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
}
