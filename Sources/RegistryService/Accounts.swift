import Foundation
import HummingbirdBcrypt
import Postgres

/// A registry user as the service sees them (never the password hash).
public struct UserAccount: Sendable, Codable, Equatable {
    public let id: Int
    public let username: String
    public let displayName: String
    public let role: Role
    public let disabled: Bool
}

public enum AccountError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidUsername(String)
    case weakPassword
    case unknownUser(String)
    case duplicateUser(String)

    public var description: String {
        switch self {
        case .invalidUsername(let u): return "'\(u)' is not a valid user name: 2-64 of a-z, 0-9, '.', '_' and '-'"
        case .weakPassword: return "the password must have at least 12 characters"
        case .unknownUser(let u): return "there is no user \(u)"
        case .duplicateUser(let u): return "user \(u) exists already"
        }
    }
}

/// Runs bcrypt (deliberately slow: ~0.25 s at cost 12) one at a time on its own queue, never on Swift's cooperative
/// threads, so a burst of sign-ins cannot stall the other requests.
enum PasswordHashing {
    static let queue = DispatchQueue(label: "registry.bcrypt")

    static func hash(_ password: String, cost: UInt8) async -> String {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: Bcrypt.hash(password, cost: cost)) } }
    }

    static func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) } }
    }
}

/// Users and their passwords (bcrypt; the cost is lower only in tests).
public struct Accounts: Sendable {
    public let pool: PostgresPool
    public let bcryptCost: UInt8

    public init(pool: PostgresPool, bcryptCost: UInt8 = 12) {
        self.pool = pool
        self.bcryptCost = bcryptCost
    }

    static func validate(username: String, password: String?) throws {
        guard username.range(of: "^[a-z0-9._-]{2,64}$", options: .regularExpression) != nil else { throw AccountError.invalidUsername(username) }
        if let password, password.count < 12 { throw AccountError.weakPassword }
    }

    public func create(username: String, displayName: String, role: Role, password: String) async throws -> UserAccount {
        try Self.validate(username: username, password: password)
        let hash = await PasswordHashing.hash(password, cost: bcryptCost)
        return try await pool.withConnection { db in
            do {
                let row = try db.query("""
                    INSERT INTO app_user (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4)
                    RETURNING id, username, display_name, role, disabled
                    """, [username, displayName, hash, role.rawValue])[0]
                try db.execute("INSERT INTO audit_log (username, action, entity, entity_id, detail) VALUES ('cli', 'create', 'app_user', $1, $2)",
                               [try row.decode(Int.self, at: 0), try PostgresJSON(encoding: ["role": role.rawValue])])
                return try Self.account(row)
            } catch let error as PostgresError where error.sqlState == "23505" {
                throw AccountError.duplicateUser(username)
            }
        }
    }

    public func setPassword(username: String, password: String) async throws {
        try Self.validate(username: username, password: password)
        let hash = await PasswordHashing.hash(password, cost: bcryptCost)
        let changed = try await pool.withConnection { db in
            try db.execute("UPDATE app_user SET password_hash = $2, password_changed_at = now() WHERE username = $1", [username, hash])
        }
        guard changed == 1 else { throw AccountError.unknownUser(username) }
        try await revokeSessions(username: username)
    }

    public func setDisabled(username: String, _ disabled: Bool) async throws {
        let changed = try await pool.withConnection { db in
            try db.execute("UPDATE app_user SET disabled = $2 WHERE username = $1", [username, disabled])
        }
        guard changed == 1 else { throw AccountError.unknownUser(username) }
        if disabled { try await revokeSessions(username: username) }
    }

    func revokeSessions(username: String) async throws {
        _ = try await pool.withConnection { db in
            try db.execute("UPDATE user_session SET revoked = true WHERE user_id = (SELECT id FROM app_user WHERE username = $1)", [username])
        }
    }

    /// The account when the password is right and the account enabled; nil otherwise (same answer for unknown users,
    /// after spending the same time, so sign-in does not reveal which user names exist).
    public func verify(username: String, password: String) async throws -> UserAccount? {
        let found = try await pool.withConnection { db -> (UserAccount, String)? in
            guard let row = try db.query("SELECT id, username, display_name, role, disabled, password_hash FROM app_user WHERE username = $1",
                                         [username]).first else { return nil }
            return (try Self.account(row), try row.decode(String.self, at: 5))
        }
        guard let (account, hash) = found else {
            _ = await PasswordHashing.verify(password, hash: Self.dummyHash)
            return nil
        }
        guard await PasswordHashing.verify(password, hash: hash), !account.disabled else { return nil }
        return account
    }

    static let dummyHash = Bcrypt.hash("not a real password", cost: 12)

    static func account(_ row: PostgresRow) throws -> UserAccount {
        UserAccount(id: try row.decode(Int.self, at: 0), username: try row.decode(String.self, at: 1),
                    displayName: try row.decode(String.self, at: 2), role: Role(rawValue: try row.decode(String.self, at: 3)) ?? .reviewer,
                    disabled: try row.decode(Bool.self, at: 4))
    }
}
