import ArgumentParser
import Foundation
import Postgres
import RegistryStore

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop, inspect and migrate the registry database.",
        subcommands: [Start.self, Stop.self, Status.self, Migrate.self]
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (first time) and start the embedded database, then bring its schema up to date.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard database.externalURL == nil else {
                throw ValidationError("DATABASE_URL names an external server; 'db start' manages only the embedded database")
            }
            _ = try database.connect()
            print("embedded database running in \(database.embeddedCluster.home.path)")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded database server.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let cluster = database.embeddedCluster
            try cluster.stop()
            print("embedded database stopped (\(cluster.home.path))")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where the data lives, whether the server runs, and the schema version.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let migrator = Migrator()
            if database.externalURL != nil {
                print("database:        external server (DATABASE_URL)")
            } else {
                let cluster = database.embeddedCluster
                print("database:        embedded, in \(cluster.home.path)")
                guard cluster.isInitialized else {
                    print("server:          not created yet (run 'registry db start' or 'registry demo')")
                    return
                }
                guard try cluster.isRunning() else {
                    print("server:          stopped (run 'registry db start')")
                    return
                }
                print("server:          running, socket in \(cluster.socketDirectory.path)")
            }
            let db = try database.connect(migrate: false)
            let version = try migrator.currentVersion(db)
            print("schema version:  \(version) (this build: \(migrator.latestVersion))\(version < migrator.latestVersion ? ", run 'registry db migrate'" : "")")
            if version > 0 {
                let counts = try db.query("SELECT (SELECT count(*) FROM patient) AS patients, (SELECT count(*) FROM tumor) AS tumors")[0]
                print("patients:        \(try counts.decode(Int.self, column: "patients"))")
                print("tumors:          \(try counts.decode(Int.self, column: "tumors"))")
            }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply any schema migrations this build has that the database lacks.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let db = try database.connect(migrate: false)
            let applied = try Migrator().migrate(db)
            print(applied.isEmpty ? "schema already up to date (version \(Migrator().latestVersion))"
                  : "applied \(applied.count) migration(s); schema at version \(Migrator().latestVersion)")
        }
    }
}
