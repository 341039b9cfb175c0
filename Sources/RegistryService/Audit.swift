import Postgres

/// Writes audit rows (append-only table): who, when (the database clock), what, from where. Never values of PHI.
enum Audit {
    static func record(_ db: PostgresConnection, _ session: Session?, action: String, entity: String, id: Int?,
                       remoteAddress: String?, detail: [String: String] = [:]) throws {
        try db.execute("""
            INSERT INTO audit_log (user_id, username, action, entity, entity_id, remote_address, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [session?.user.id, session?.user.username ?? "anonymous", action, entity, id, remoteAddress, try PostgresJSON(encoding: detail)])
    }
}
