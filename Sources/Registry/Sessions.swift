import Foundation
import Postgres
import RegistryStore

/// A signed-in session: who, with which role, and the CSRF token its forms and unsafe requests must carry.
public struct Session: Sendable {
    public let id: Int
    public let user: UserAccount
    public let csrfToken: String
}

/// Sessions in the database: the cookie carries a random token, the table only its SHA-256. A session ends after
/// `idleTimeout` without requests or `lifetime` in all, when revoked (sign-out, signing in again, password change,
/// user disabled). Sign-in and sign-out write their audit rows in the same transaction as the session row.
public struct Sessions: Sendable {
    public let pool: PostgresPool
    public var idleTimeout: TimeInterval = 30 * 60
    public var lifetime: TimeInterval = 12 * 3600

    public init(pool: PostgresPool) { self.pool = pool }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Starts a session for `user` signing in from `address`, ending the session `previousToken` names (signing in
    /// again in the same browser); returns the cookie token (shown once) and the session.
    public func create(for user: UserAccount, from address: String?, replacing previousToken: String? = nil) async throws -> (token: String, session: Session) {
        let token = Self.randomToken(), csrf = Self.randomToken()
        let lifetime = self.lifetime
        let id = try await pool.withConnection { db in
            try db.transaction { tx in
                if let previousToken, Self.isWellFormed(previousToken) {
                    try tx.execute("UPDATE user_session SET revoked = true WHERE token_hash = sha256(convert_to($1, 'UTF8'))", [previousToken])
                }
                let id = try tx.query("""
                    INSERT INTO user_session (token_hash, user_id, csrf_token, expires_at, remote_address)
                    VALUES (sha256(convert_to($1, 'UTF8')), $2, $3, now() + make_interval(secs => $4), $5) RETURNING id
                    """, [token, user.id, csrf, lifetime, address])[0].decode(Int.self, at: 0)
                try AuditTrail.record(tx, user.acting(from: address), .signIn, entity: "app_user", id: user.id)
                return id
            }
        }
        return (token, Session(id: id, user: user, csrfToken: csrf))
    }

    /// Records a failed sign-in (no user is named: the name typed may be a password typed in the wrong box).
    public func recordFailedSignIn(from address: String?) async throws {
        try await pool.withConnection { db in
            try AuditTrail.record(db, .anonymous(from: address), .signInFailed, entity: "app_user")
        }
    }

    static func isWellFormed(_ token: String) -> Bool { token.utf8.count == 64 && token.allSatisfy(\.isHexDigit) }

    /// The live session for a token (touching its idle timer), nil when unknown, expired, idle too long or revoked.
    public func find(token: String) async throws -> Session? {
        guard Self.isWellFormed(token) else { return nil }
        let idle = idleTimeout
        return try await pool.withConnection { db in
            guard let row = try db.query("""
                SELECT s.id, s.csrf_token, u.id, u.username, u.display_name, u.role, s.last_seen_at < now() - interval '60 seconds'
                FROM user_session s JOIN app_user u ON u.id = s.user_id
                WHERE s.token_hash = sha256(convert_to($1, 'UTF8')) AND NOT s.revoked AND NOT u.disabled
                  AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)
                """, [token, idle]).first else { return nil }
            let id = try row.decode(Int.self, at: 0)
            // The idle timer moves at most once a minute: most requests only read.
            if try row.decode(Bool.self, at: 6) || idle < 120 {
                try db.execute("UPDATE user_session SET last_seen_at = now() WHERE id = $1", [id])
            }
            let user = UserAccount(id: try row.decode(Int.self, at: 2), username: try row.decode(String.self, at: 3),
                                   displayName: try row.decode(String.self, at: 4),
                                   role: Role(rawValue: try row.decode(String.self, at: 5)) ?? .reviewer, disabled: false)
            return Session(id: id, user: user, csrfToken: try row.decode(String.self, at: 1))
        }
    }

    /// Ends a session (sign-out), with its audit row.
    public func revoke(_ session: Session, from address: String?) async throws {
        try await pool.withConnection { db in
            try db.transaction { tx in
                try tx.execute("UPDATE user_session SET revoked = true WHERE id = $1", [session.id])
                try AuditTrail.record(tx, session.user.acting(from: address), .signOut, entity: "app_user", id: session.user.id)
            }
        }
    }
}
