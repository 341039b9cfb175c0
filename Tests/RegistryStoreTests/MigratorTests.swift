import Foundation
import NAACCR
import Postgres
import RegistryStore
import Testing
import TestSupport

@Suite("Schema migrations")
struct MigratorTests {
    @Test func appliesEverythingOnAnEmptyDatabase() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let applied = try Migrator().migrate(db)
            #expect(applied.map(\.version) == Migration.bundled.map(\.version))
            #expect(try Migrator().currentVersion(db) == Migrator().latestVersion)
            for table in ["patient", "tumor", "abstract_revision", "audit_log", "app_user"] {
                let present = try db.query("SELECT to_regclass($1) IS NOT NULL AS p", [table])[0].decode(Bool.self, column: "p")
                #expect(present, "table \(table) exists")
            }
        }
    }

    @Test func rerunningIsANoOp() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            let again = try Migrator().migrate(db)
            #expect(again.isEmpty)
            let rows = try db.query("SELECT count(*) AS n FROM schema_migration")[0].decode(Int.self, column: "n")
            #expect(rows == Migration.bundled.count)
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        try await TestDatabase.withFreshDatabase { url in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try Migrator().migrate(try PostgresConnection(url)).count }
                }
                var total = 0
                for try await count in group { total += count }
                #expect(total == Migration.bundled.count)
            }
        }
    }

    @Test func aNewerDatabaseIsRefused() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            try db.execute("INSERT INTO schema_migration (version, name, checksum) VALUES ($1, 'from_the_future', 'x')",
                           [Migrator().latestVersion + 1])
            let error = try #require(throws: MigrationError.self) { try Migrator().migrate(db) }
            #expect(error == .databaseIsNewer(databaseVersion: Migrator().latestVersion + 1, binaryVersion: Migrator().latestVersion))
            #expect(throws: MigrationError.self) { try Migrator().checkCompatible(db) }
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let original = Migration(version: 1, name: "one", sql: "CREATE TABLE a (x int);")
            try Migrator(migrations: [original]).migrate(db)
            let edited = Migration(version: 1, name: "one", sql: "CREATE TABLE a (x bigint);")
            #expect(throws: MigrationError.appliedMigrationChanged(version: 1, name: "one")) {
                try Migrator(migrations: [edited]).migrate(db)
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let good = Migration(version: 1, name: "good", sql: "CREATE TABLE a (x int);")
            let bad = Migration(version: 2, name: "bad", sql: "CREATE TABLE b (x int); CREATE TABLE broken (;")
            let error = try #require(throws: MigrationError.self) { try Migrator(migrations: [good, bad]).migrate(db) }
            guard case .migrationFailed(2, "bad", _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(try Migrator(migrations: [good, bad]).currentVersion(db) == 1)
            let b = try db.query("SELECT to_regclass('b') IS NOT NULL AS p")[0].decode(Bool.self, column: "p")
            #expect(b == false)
        }
    }

    @Test func bundledMigrationsMatchTheSchemaDirectory() throws {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: schema.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.count == Migration.bundled.count, "run scripts/gen-schema after editing schema/")
        for (file, migration) in zip(files, Migration.bundled) {
            let text = try String(contentsOf: schema.appendingPathComponent(file), encoding: .utf8)
            #expect(file.hasPrefix(String(format: "%04d_", migration.version)) && file.hasSuffix("\(migration.name).sql"))
            #expect(text.trimmingCharacters(in: .newlines) == migration.sql, "schema/\(file) differs from the embedded copy: run scripts/gen-schema")
        }
    }
}

@Suite("Append-only tables")
struct AppendOnlyTests {
    @Test func auditLogRefusesUpdateDeleteAndTruncate() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            try db.execute("INSERT INTO audit_log (username, action, entity, entity_id) VALUES ($1, 'read', 'tumor', $2)", ["alice", 7])
            for statement in ["UPDATE audit_log SET username = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
                let error = try #require(throws: PostgresError.self) { try db.execute(statement) }
                #expect(error.sqlState == "42501", "\(statement) refused")
            }
            #expect(try db.query("SELECT username FROM audit_log")[0].decode(String.self, column: "username") == "alice")
        }
    }

    @Test func revisionsRefuseUpdateAndDelete() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            let patient = try db.query("INSERT INTO patient (patient_id_number) VALUES ($1) RETURNING id", ["00000001"])[0]
                .decode(Int.self, column: "id")
            try db.execute("INSERT INTO abstract_revision (patient_id, version, source, changes) VALUES ($1, 1, 'import', $2)",
                           [patient, PostgresJSON(text: "{}")])
            #expect(throws: PostgresError.self) { try db.execute("UPDATE abstract_revision SET version = 2") }
            #expect(throws: PostgresError.self) { try db.execute("DELETE FROM abstract_revision") }
        }
    }

    @Test func theItemTableIsTheBuiltInDictionary() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            let rows = try db.query("SELECT naaccr_num, naaccr_id, level FROM naaccr_item ORDER BY naaccr_num")
            let stored = try rows.map { "\(try $0.decode(Int.self, at: 0))|\(try $0.decode(String.self, at: 1))|\(try $0.decode(String.self, at: 2))" }
            let dictionary = NaaccrDictionary.v26.allItems.sorted { $0.naaccrNum < $1.naaccrNum }.map { "\($0.naaccrNum)|\($0.naaccrId)|\($0.level.rawValue)" }
            #expect(stored == dictionary)
        }
    }

    @Test func itemsStoredBeforeVersion5AreRekeyedByItemNumber() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator(migrations: Migration.bundled.filter { $0.version <= 4 }).migrate(db)
            let patient = try db.query("""
                INSERT INTO patient (patient_id_number, items) VALUES ('7', '{"patientIdNumber": "7", "nameLast": "Quote\\"d", "myLocalItem": "x"}')
                RETURNING id
                """)[0].decode(Int.self, at: 0)
            try db.execute("INSERT INTO tumor (patient_id, tumor_key, items) VALUES ($1, '01', '{\"primarySite\": \"C509\"}')", [patient])
            try Migrator().migrate(db)
            let row = try db.query("""
                SELECT p.items::jsonb = '{"20": "7", "2230": "Quote\\"d", "myLocalItem": "x"}'::jsonb, naaccr_value(p.items, 'nameLast'),
                       t.items::jsonb = '{"400": "C509"}'::jsonb, naaccr_value(t.items, 'primarySite')
                FROM patient p JOIN tumor t ON t.patient_id = p.id
                """)[0]
            #expect(try row.decode(Bool.self, at: 0))
            #expect(row.text(at: 1) == "Quote\"d")
            #expect(try row.decode(Bool.self, at: 2))
            #expect(row.text(at: 3) == "C509")
        }
    }
}
