import Foundation
import Postgres

/// Why the schema could not be brought up to date.
public enum MigrationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The database was migrated by a newer build of the registry.
    case databaseIsNewer(databaseVersion: Int, binaryVersion: Int)
    /// An applied migration's SQL differs from the one this binary carries.
    case appliedMigrationChanged(version: Int, name: String)
    /// A migration's SQL failed; nothing of it was applied.
    case migrationFailed(version: Int, name: String, reason: String)

    public var description: String {
        switch self {
        case let .databaseIsNewer(database, binary):
            return "the database schema is at version \(database) but this registry build knows only up to \(binary); "
                + "upgrade the registry software before using this database"
        case let .appliedMigrationChanged(version, name):
            return "migration \(version) (\(name)) was changed after it was applied; add a new migration instead of editing an old one"
        case let .migrationFailed(version, name, reason):
            return "migration \(version) (\(name)) failed and was rolled back: \(reason)"
        }
    }
}

/// Applies the numbered migrations in order, each in its own transaction, recording them in `schema_migration`.
///
/// Safe to run again (applied versions are skipped) and from several processes at once (an advisory
/// lock serialises them). Refuses a database whose recorded version is newer than the binary's.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    /// Advisory lock key shared by every registry process ("TUMR").
    static let lockKey = 0x5455_4D52

    public init(migrations: [Migration] = Migration.bundled) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The newest version this binary knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Brings the schema up to date; returns the migrations applied now (empty when already current).
    @discardableResult
    public func migrate(_ db: PostgresConnection) throws -> [Migration] {
        // CREATE TABLE IF NOT EXISTS races with itself across sessions: create it under the same lock.
        try db.transaction { tx in
            try tx.execute("SELECT pg_advisory_xact_lock($1)", [Migrator.lockKey])
            try tx.execute("""
                CREATE TABLE IF NOT EXISTS schema_migration (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
        }
        try checkCompatible(db)
        var applied: [Migration] = []
        for migration in migrations {
            // Roles belong to the whole server: two databases of one cluster migrating at once (tests, several
            // registries) can collide on the group role of migration 0006, which the per-database lock does not
            // serialise. Such a collision rolls the migration back; it is tried again, a few times.
            var attempt = 0
            while true {
                do {
                    if try apply(migration, db) { applied.append(migration) }
                    break
                } catch is ConcurrentChange where attempt < 4 {
                    attempt += 1
                    usleep(UInt32(100_000 * attempt))
                } catch let conflict as ConcurrentChange {
                    throw MigrationError.migrationFailed(version: migration.version, name: migration.name, reason: conflict.error.description)
                }
            }
        }
        return applied
    }

    /// A server-wide change another session made at the same time (SQLSTATE 23505 on a shared catalog, XX000 "tuple
    /// concurrently updated", 40001, 40P01): the migration may succeed when tried again.
    struct ConcurrentChange: Error { let error: PostgresError }

    /// Applies one migration under the lock unless it already is; true when it was applied now.
    private func apply(_ migration: Migration, _ db: PostgresConnection) throws -> Bool {
        try db.transaction { tx -> Bool in
            try tx.execute("SELECT pg_advisory_xact_lock($1)", [Migrator.lockKey])
            let done = try tx.query("SELECT 1 FROM schema_migration WHERE version = $1", [migration.version])
            guard done.isEmpty else { return false }
            do {
                try tx.savepoint { sp in try sp.executeScript(migration.sql, name: "migration \(migration.version)") }
            } catch let error as PostgresError {
                if ["23505", "XX000", "40001", "40P01"].contains(error.sqlState ?? "") { throw ConcurrentChange(error: error) }
                throw MigrationError.migrationFailed(version: migration.version, name: migration.name, reason: error.description)
            }
            try tx.execute("INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)",
                           [migration.version, migration.name, migration.checksum])
            return true
        }
    }

    /// Throws unless the database's schema is one this binary can use (no newer or altered migration).
    /// A database with no migration table at all counts as version 0.
    public func checkCompatible(_ db: PostgresConnection) throws {
        let exists = try db.query("SELECT to_regclass('schema_migration') IS NOT NULL AS present")[0].decode(Bool.self, column: "present")
        guard exists else { return }
        let rows = try db.query("SELECT version, name, checksum FROM schema_migration ORDER BY version")
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for row in rows {
            let version = try row.decode(Int.self, column: "version")
            guard let migration = known[version] else {
                throw MigrationError.databaseIsNewer(databaseVersion: rows.map { (try? $0.decode(Int.self, column: "version")) ?? 0 }.max() ?? version,
                                                     binaryVersion: latestVersion)
            }
            if try row.decode(String.self, column: "checksum") != migration.checksum {
                throw MigrationError.appliedMigrationChanged(version: version, name: migration.name)
            }
        }
    }

    /// The highest applied version (0 for a new database).
    public func currentVersion(_ db: PostgresConnection) throws -> Int {
        let exists = try db.query("SELECT to_regclass('schema_migration') IS NOT NULL AS present")[0].decode(Bool.self, column: "present")
        guard exists else { return 0 }
        return try db.query("SELECT coalesce(max(version), 0) AS v FROM schema_migration")[0].decode(Int.self, column: "v")
    }
}
