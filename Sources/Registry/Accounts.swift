import Foundation
import HummingbirdBcrypt
import Postgres
import RegistryStore

/// A registry user as the service sees them (never the password hash).
public struct UserAccount: Sendable, Codable, Equatable {
    public let id: Int
    public let username: String
    public let displayName: String
    public let role: Role
    public let disabled: Bool

    /// This user acting from `address`, as audit rows name them.
    public func acting(from address: String?) -> ActingUser {
        ActingUser(userId: id, username: username, remoteAddress: address)
    }
}

public enum AccountError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidUsername(String)
    case weakPassword
    case unknownUser(String)
    case duplicateUser(String)

    public var description: String {
        switch self {
        case .invalidUsername(let u): return "'\(u.prefix(80))' is not a valid user name: 2-64 of a-z, 0-9, '.', '_' and '-'"
        case .weakPassword: return "the password must have at least 12 characters (and at most 72 bytes, bcrypt's limit)"
        case .unknownUser(let u): return "there is no user \(u.prefix(80))"
        case .duplicateUser(let u): return "user \(u) exists already"
        }
    }
}

/// Users and their passwords (bcrypt; the cost is lower only in tests). Every change writes its audit row in the
/// same transaction.
public struct Accounts: Sendable {
    public let pool: PostgresPool
    public let bcryptCost: UInt8

    public init(pool: PostgresPool, bcryptCost: UInt8 = 12) {
        self.pool = pool
        self.bcryptCost = bcryptCost
    }

    static func isValid(username: String) -> Bool {
        username.utf8.count <= 64 && username.range(of: "^[a-z0-9._-]{2,64}$", options: .regularExpression) != nil
    }

    static func validate(username: String, password: String?) throws {
        guard isValid(username: username) else { throw AccountError.invalidUsername(username) }
        if let password, password.count < 12 || password.utf8.count > 72 { throw AccountError.weakPassword }
    }

    public func create(username: String, displayName: String, role: Role, password: String, by actor: ActingUser) async throws -> UserAccount {
        try Self.validate(username: username, password: password)
        let hash = try await PasswordHashing.shared.hash(password, cost: bcryptCost)
        return try await pool.withConnection { db in
            do {
                return try db.transaction { tx in
                    let row = try tx.query("""
                        INSERT INTO app_user (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4)
                        RETURNING id, username, display_name, role, disabled
                        """, [username, displayName, hash, role.rawValue])[0]
                    let account = try Self.account(row)
                    try AuditTrail.record(tx, actor, .create, entity: "app_user", id: account.id, detail: ["role": role.rawValue])
                    return account
                }
            } catch let error as PostgresError where error.sqlState == "23505" {
                throw AccountError.duplicateUser(username)
            }
        }
    }

    /// Sets a password and ends the user's sessions.
    public func setPassword(username: String, password: String, by actor: ActingUser) async throws {
        try Self.validate(username: username, password: password)
        let hash = try await PasswordHashing.shared.hash(password, cost: bcryptCost)
        try await change(username, by: actor, detail: ["change": "password"]) { tx, id in
            try tx.execute("UPDATE app_user SET password_hash = $2, password_changed_at = now() WHERE id = $1", [id, hash])
            try tx.execute("UPDATE user_session SET revoked = true WHERE user_id = $1", [id])
        }
    }

    /// Disables (ending the user's sessions) or enables an account.
    public func setDisabled(username: String, _ disabled: Bool, by actor: ActingUser) async throws {
        try await change(username, by: actor, detail: ["change": disabled ? "disabled" : "enabled"]) { tx, id in
            try tx.execute("UPDATE app_user SET disabled = $2 WHERE id = $1", [id, disabled])
            if disabled { try tx.execute("UPDATE user_session SET revoked = true WHERE user_id = $1", [id]) }
        }
    }

    private func change(_ username: String, by actor: ActingUser, detail: [String: String],
                        _ body: @escaping @Sendable (PostgresConnection, Int) throws -> Void) async throws {
        try await pool.withConnection { db in
            try db.transaction { tx in
                guard let id = try tx.query("SELECT id FROM app_user WHERE username = $1 FOR UPDATE", [username]).first?.decode(Int.self, at: 0)
                else { throw AccountError.unknownUser(username) }
                try body(tx, id)
                try AuditTrail.record(tx, actor, .update, entity: "app_user", id: id, detail: detail)
            }
        }
    }

    /// The account of a user name, for `--as USER` at the command line; nil when there is none.
    public func account(named username: String) async throws -> UserAccount? {
        try await pool.withConnection { db in
            try db.query("SELECT id, username, display_name, role, disabled FROM app_user WHERE username = $1", [username])
                .first.map(Self.account)
        }
    }

    /// The account when the password is right and the account enabled; nil otherwise (same answer for unknown users,
    /// after spending the same time, so sign-in does not reveal which user names exist).
    public func verify(username: String, password: String) async throws -> UserAccount? {
        // No account can have such a name or password: answer at once without hashing (nothing is revealed).
        guard Self.isValid(username: username), password.utf8.count <= 1024 else { return nil }
        let found = try await pool.withConnection { db -> (UserAccount, String)? in
            guard let row = try db.query("SELECT id, username, display_name, role, disabled, password_hash FROM app_user WHERE username = $1",
                                         [username]).first else { return nil }
            return (try Self.account(row), try row.decode(String.self, at: 5))
        }
        guard let (account, hash) = found else {
            _ = try await PasswordHashing.shared.verify(password, hash: Self.dummyHash)
            return nil
        }
        guard try await PasswordHashing.shared.verify(password, hash: hash), !account.disabled else { return nil }
        return account
    }

    static let dummyHash = Bcrypt.hash("not a real password", cost: 12)

    static func account(_ row: PostgresRow) throws -> UserAccount {
        UserAccount(id: try row.decode(Int.self, at: 0), username: try row.decode(String.self, at: 1),
                    displayName: try row.decode(String.self, at: 2), role: Role(rawValue: try row.decode(String.self, at: 3)) ?? .reviewer,
                    disabled: try row.decode(Bool.self, at: 4))
    }
}
