import Foundation
import Postgres

/// The two database roles the registry expects (migration 0006): the owner, which runs migrations, and the
/// application's login role, a member of `registry_application` that owns nothing and is no superuser.
public enum DatabaseRoles {
    /// The group role migration 0006 grants the application's rights to.
    public static let applicationGroup = "registry_application"

    /// What `registry db status` shows about the connected role.
    public struct Report: Sendable, Equatable {
        public let currentRole: String
        public let isSuperuser: Bool
        public let ownsAuditTables: Bool
        public let isApplicationMember: Bool
        public let auditTablesOwner: String?

        /// Why this role should not run the application, or nil when it is fit to.
        public var warning: String? {
            if isSuperuser {
                return "the application connects as \(currentRole), a superuser: it could disable the audit triggers "
                    + "(use a login role in registry_application; README: database roles)"
            }
            if ownsAuditTables {
                return "the application connects as \(currentRole), which owns audit_log: it could drop its triggers "
                    + "(use a login role in registry_application; README: database roles)"
            }
            if !isApplicationMember { return "\(currentRole) is not a member of registry_application: grant it (README: database roles)" }
            return nil
        }
    }

    /// The connected role's standing.
    public static func report(_ db: PostgresConnection) throws -> Report {
        let row = try db.query("""
            SELECT current_user::text, r.rolsuper,
                   coalesce((SELECT tableowner = current_user FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log'), false),
                   pg_has_role(current_user, $1, 'MEMBER') AND EXISTS (SELECT FROM pg_roles WHERE rolname = $1),
                   (SELECT tableowner::text FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log')
            FROM pg_roles r WHERE r.rolname = current_user
            """, [applicationGroup])[0]
        return Report(currentRole: try row.decode(String.self, at: 0), isSuperuser: try row.decode(Bool.self, at: 1),
                      ownsAuditTables: try row.decode(Bool.self, at: 2), isApplicationMember: try row.decode(Bool?.self, at: 3) ?? false,
                      auditTablesOwner: try row.decode(String?.self, at: 4))
    }

    /// Creates the application's login role `name` in `registry_application` when it does not exist (embedded
    /// cluster: local connections are trusted, so it needs no password). Run as a role that may create roles.
    public static func ensureApplicationLogin(_ db: PostgresConnection, name: String) throws {
        guard name.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw PostgresError(.decoding, message: "'\(name)' is not a plain role name", statement: "ensureApplicationLogin")
        }
        guard try db.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [name]).isEmpty else { return }
        // DDL takes no parameters: the name is checked above and is the registry's own constant.
        try db.execute("CREATE ROLE \(name) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE \(applicationGroup)")
    }

    /// Patients and tumors stored.
    public static func counts(_ db: PostgresConnection) throws -> (patients: Int, tumors: Int) {
        let row = try db.query("SELECT (SELECT count(*) FROM patient), (SELECT count(*) FROM tumor)")[0]
        return (try row.decode(Int.self, at: 0), try row.decode(Int.self, at: 1))
    }
}
