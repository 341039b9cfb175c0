import ArgumentParser
import Edits
import EmbeddedPostgres
import Foundation
import Postgres
import Registry
import RegistryStore

/// Where the registry's data lives (an existing server, `--database-url` / `DATABASE_URL`, or the embedded cluster)
/// and who is acting (the operating-system account, or `--as USER`).
///
/// Two database roles: the owner runs migrations (the embedded cluster's `registry`, or `REGISTRY_OWNER_URL` for an
/// external server, else `DATABASE_URL` itself), and the application connects as a login role of
/// `registry_application` that cannot alter the audit tables (the embedded cluster's `registry_app`).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("PostgreSQL connection string or postgresql:// URL the application connects with "
                               + "(default: $DATABASE_URL, else the embedded database).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("home"),
            help: ArgumentHelp("Directory of the embedded database (default: $REGISTRY_HOME, else ./.registry).", valueName: "dir"))
    var home: String?

    @Option(name: .customLong("as"),
            help: ArgumentHelp("Act as this registry user (audit rows name them; default: your operating-system account).", valueName: "user"))
    var actAs: String?

    /// The explicit server, if one was named.
    var externalURL: String? {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return url }
        return nil
    }

    /// The owner's connection string for an external server: `REGISTRY_OWNER_URL`, else the application's.
    var externalOwnerURL: String? {
        guard let externalURL else { return nil }
        if let owner = ProcessInfo.processInfo.environment["REGISTRY_OWNER_URL"], !owner.isEmpty { return owner }
        return externalURL
    }

    var embeddedCluster: EmbeddedCluster {
        EmbeddedCluster(home: home.map { URL(fileURLWithPath: $0) } ?? EmbeddedCluster.defaultHome())
    }

    /// Connects as the owner, starting the embedded server and migrating the schema as needed.
    func connectAsOwner(migrate: Bool = true) throws -> PostgresConnection {
        let connectionString: String
        if let owner = externalOwnerURL {
            connectionString = owner
        } else {
            let cluster = embeddedCluster
            if try cluster.start() { printErr("started the embedded database in \(cluster.home.path)") }
            connectionString = cluster.connectionString
        }
        let db = try PostgresConnection(connectionString)
        let migrator = Migrator()
        if migrate {
            let applied = try migrator.migrate(db)
            for migration in applied { printErr("applied migration \(migration.version) (\(migration.name))") }
            if externalURL == nil { try DatabaseRoles.ensureApplicationLogin(db, name: embeddedCluster.applicationRoleName) }
        } else {
            try migrator.checkCompatible(db)
        }
        return db
    }

    /// The application's connection string, after bringing the database up to date.
    func applicationConnectionString() throws -> String {
        _ = try connectAsOwner()
        return externalURL ?? embeddedCluster.applicationConnectionString
    }

    /// The registry's workflows over a pool of `connections` application connections.
    func registry(connections: Int = 2, bcryptCost: UInt8 = 12, edits: RegistryEdits? = nil) throws -> Registry {
        Registry(pool: try PostgresPool(connectionString: try applicationConnectionString(), maxConnections: connections,
                                        sessionSettings: Registry.sessionSettings), bcryptCost: bcryptCost,
                 editSet: edits?.set(named: EditSet.incomingAbstract.name) ?? .incomingAbstract, editLibrary: edits?.library,
                 editSets: edits?.allSets ?? EditSet.builtIn)
    }

    /// Who is acting: `--as USER` (an enabled registry user), else the operating-system account.
    func actor(_ registry: Registry) async throws -> ActingUser {
        guard let actAs else { return .operatingSystemAccount() }
        guard let account = try await registry.accounts.account(named: actAs), !account.disabled else {
            throw ValidationError("--as \(actAs): there is no enabled registry user of that name")
        }
        return ActingUser(userId: account.id, username: account.username)
    }
}

/// Writes a line to standard error (progress and notes; standard output is for results).
func printErr(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A value handed to a workflow's closure that runs on the database connection's queue while the command waits for
/// it: used from one thread at a time, never concurrently.
final class CommandLocal<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
