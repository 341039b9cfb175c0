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
            _ = try database.connectAsOwner()
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
            let owner = try database.connectAsOwner(migrate: false)
            let version = try migrator.currentVersion(owner)
            print("schema version:  \(version) (this build: \(migrator.latestVersion))\(version < migrator.latestVersion ? ", run 'registry db migrate'" : "")")
            let ownerRole = try DatabaseRoles.report(owner)
            print("owner role:      \(ownerRole.currentRole) (runs migrations; owns audit_log: \(ownerRole.auditTablesOwner == ownerRole.currentRole ? "yes" : "no"))")
            if version >= 6 {
                let app = try PostgresConnection(database.externalURL ?? database.embeddedCluster.applicationConnectionString)
                let appRole = try DatabaseRoles.report(app)
                print("application role: \(appRole.currentRole) (superuser: \(appRole.isSuperuser ? "yes" : "no"), "
                      + "owns audit tables: \(appRole.ownsAuditTables ? "yes" : "no"), in registry_application: \(appRole.isApplicationMember ? "yes" : "no"))")
                if let warning = appRole.warning { print("WARNING:         \(warning)") }
                let counts = try DatabaseRoles.counts(app)
                print("patients:        \(counts.patients)")
                print("tumors:          \(counts.tumors)")
            }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply any schema migrations this build has that the database lacks.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let db = try database.connectAsOwner(migrate: false)
            let applied = try Migrator().migrate(db)
            if database.externalURL == nil { try DatabaseRoles.ensureApplicationLogin(db, name: database.embeddedCluster.applicationRoleName) }
            print(applied.isEmpty ? "schema already up to date (version \(Migrator().latestVersion))"
                  : "applied \(applied.count) migration(s); schema at version \(Migrator().latestVersion)")
        }
    }
}
