import Foundation
import Postgres

/// Who does something to the registry: a signed-in user (id, name, the client's address), or at the command line the
/// operating-system account, or the registry user it acts as (`--as USER`). Every audit row names one.
public struct ActingUser: Sendable, Equatable {
    /// The `app_user` row, when the actor is a registry user.
    public let userId: Int?
    /// The registry user name, or `os:NAME` for an operating-system account at the command line.
    public let username: String
    /// The client's address (the real client behind a trusted proxy), when the request came over the network.
    public let remoteAddress: String?

    public init(userId: Int?, username: String, remoteAddress: String? = nil) {
        self.userId = userId
        self.username = username
        self.remoteAddress = remoteAddress
    }

    /// Someone not signed in (failed sign-ins); named by the address they came from.
    public static func anonymous(from address: String?) -> ActingUser {
        ActingUser(userId: nil, username: "anonymous", remoteAddress: address)
    }

    /// The operating-system account running a command (`os:` + `$USER`, else the uid).
    public static func operatingSystemAccount(environment: [String: String] = ProcessInfo.processInfo.environment) -> ActingUser {
        let name = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"]
            ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid\(getuid())"
        return ActingUser(userId: nil, username: "os:\(name)")
    }
}

/// What an audit row records being done (the `audit_log.action` column's values).
public enum AuditAction: String, Sendable, CaseIterable {
    case read, search, create, update, delete, `import`, export, run, submit
    case signIn = "sign_in", signInFailed = "sign_in_failed", signOut = "sign_out"
}

/// The one writer of `audit_log` (append-only: triggers refuse UPDATE, DELETE and TRUNCATE, and the application's
/// database role may only insert and read). Callers write the row on the same connection and inside the same
/// transaction as the change or read it records, so both commit together or neither does.
///
/// `detail` holds what was done (counts, item names, what was searched for, the ids that came back), never values
/// of patient data.
public enum AuditTrail {
    public static func record(_ db: PostgresConnection, _ actor: ActingUser, _ action: AuditAction, entity: String, id: Int? = nil,
                              detail: [String: String] = [:]) throws {
        try db.execute("""
            INSERT INTO audit_log (user_id, username, action, entity, entity_id, remote_address, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [actor.userId, actor.username, action.rawValue, entity, id, actor.remoteAddress, try PostgresJSON(encoding: detail)])
    }
}
