import ArgumentParser
import EmbeddedPostgres
import Foundation
import Postgres
import RegistryStore

/// Where the registry's data lives: an existing server (`--database-url` / `DATABASE_URL`) or the embedded cluster.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("PostgreSQL connection string or postgresql:// URL (default: $DATABASE_URL, else the embedded database).",
                               valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("home"),
            help: ArgumentHelp("Directory of the embedded database (default: $REGISTRY_HOME, else ./.registry).", valueName: "dir"))
    var home: String?

    /// The explicit server, if one was named.
    var externalURL: String? {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return url }
        return nil
    }

    var embeddedCluster: EmbeddedCluster {
        EmbeddedCluster(home: home.map { URL(fileURLWithPath: $0) } ?? EmbeddedCluster.defaultHome())
    }

    /// Connects to the registry database, starting the embedded server and migrating the schema as needed.
    func connect(migrate: Bool = true) throws -> PostgresConnection {
        try connectWithString(migrate: migrate).connection
    }

    /// The same, also giving the connection string (for a pool of further connections).
    func connectWithString(migrate: Bool = true) throws -> (connection: PostgresConnection, connectionString: String) {
        let connectionString: String
        if let externalURL {
            connectionString = externalURL
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
        } else {
            try migrator.checkCompatible(db)
        }
        return (db, connectionString)
    }
}

/// Writes a line to standard error (progress and notes; standard output is for results).
func printErr(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
