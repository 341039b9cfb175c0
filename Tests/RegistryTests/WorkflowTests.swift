import Edits
import Foundation
import NAACCR
import Postgres
import Registry
import RegistryStore
import SyntheticRegistry
import TestSupport
import Testing

@Suite("Workflows: one transaction with its audit row; the application role cannot touch the audit trail", .serialized)
struct WorkflowTests {
    /// A migrated database with a small demo registry and the workflows over it.
    static func withRegistry(_ body: @Sendable (Registry, String) async throws -> Void) async throws {
        try await withSyntheticRegistry(patients: 40, seed: 9) { registry, _, url in try await body(registry, url) }
    }

    /// A migrated database holding a synthetic registry of `patients` imported through the workflow: the registry, a
    /// connection of the test's own, and the database's URL.
    static func withSyntheticRegistry(patients: Int, seed: UInt64,
                                      _ body: @Sendable (Registry, PostgresConnection, String) async throws -> Void) async throws {
        try await withEmptyRegistry { registry, db, url in
            let generator = SyntheticRegistryGenerator(patientCount: patients, seed: seed)
            let iterator = Box(generator.makeIterator())
            _ = try await registry.importPatients(header: generator.header(), dictionary: generator.dictionary, source: "test",
                                                  by: .operatingSystemAccount(), patients: { iterator.value.next() })
            try await body(registry, db, url)
        }
    }

    /// A migrated, empty database and the workflows over it: the registry, a connection of the test's own, the URL.
    static func withEmptyRegistry(_ body: @Sendable (Registry, PostgresConnection, String) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            let pool = try PostgresPool(connectionString: url, maxConnections: 2)
            defer { pool.close() }
            try await body(Registry(pool: pool, bcryptCost: 4), db, url)
        }
    }

    final class Box<T>: @unchecked Sendable { var value: T; init(_ value: T) { self.value = value } }

    @Test func theApplicationRoleCannotAlterOrUnlockTheAuditTables() async throws {
        try await Self.withRegistry { _, url in
            let role = "app_" + UUID().uuidString.prefix(8).lowercased()
            try DatabaseRoles.ensureApplicationLogin(try PostgresConnection(url), name: role)
            let app = try PostgresConnection(url + " user=\(role)")
            let report = try DatabaseRoles.report(app)
            #expect(report.currentRole == role && !report.isSuperuser && !report.ownsAuditTables && report.isApplicationMember)
            #expect(report.warning == nil)
            // It does its work ...
            #expect(try app.query("SELECT count(*) FROM patient")[0].decode(Int.self, at: 0) == 40)
            try AuditTrail.record(app, ActingUser(userId: nil, username: "os:test"), .read, entity: "patient", id: 1)
            // ... but cannot change the trail or switch its triggers off.
            for statement in ["UPDATE audit_log SET username = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                              "DELETE FROM abstract_revision", "ALTER TABLE audit_log DISABLE TRIGGER audit_log_is_append_only",
                              "DROP TRIGGER audit_log_is_append_only ON audit_log", "SET session_replication_role = replica",
                              "DELETE FROM schema_migration"] {
                #expect(throws: PostgresError.self, "\(statement)") { try app.execute(statement) }
            }
            // The owner (the test's superuser) is flagged if it runs the application.
            #expect(try DatabaseRoles.report(try PostgresConnection(url)).warning?.contains("superuser") == true)
        }
    }

    @Test func runningEditsOverTheStoreStoresOneShapeAndItsAuditRowTogether() async throws {
        try await Self.withRegistry { registry, url in
            let db = try PostgresConnection(url)
            try db.execute("UPDATE tumor SET items = jsonb_set(items::jsonb, '{400}', '\"C99X\"') WHERE id = (SELECT min(id) FROM tumor)")
            let tumorId = try db.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            let actor = ActingUser(userId: nil, username: "os:registrar-on-duty")
            let run = try await registry.runEdits(.stateSubmission, by: actor)
            #expect(run.tumorsChecked == (try db.query("SELECT count(*) FROM tumor")[0].decode(Int.self, at: 0)))
            let stored = try await registry.pool.withConnection { db in try EditResultStore(connection: db).result(tumorId: tumorId, editSet: "state-submission") }
            let failure = try #require(stored?.failures.first { $0.edit == "SF01" })
            #expect(failure.items == ["primarySite"] && failure.severity == "error" && !failure.overridden)
            let audit = try db.query("SELECT username, entity_id, detail->>'set' FROM audit_log WHERE action = 'run'")
            #expect(audit.count == 1)
            #expect(audit.first?.text(at: 0) == "os:registrar-on-duty")
            #expect(try audit.first?.decode(Int.self, at: 1) == run.runId)
        }
    }

    @Test func savesWriteTheVersionRevisionEditResultAndAuditRowTogether() async throws {
        try await Self.withRegistry { registry, url in
            let user = try await registry.accounts.create(username: "reg", displayName: "", role: .registrar, password: "correct horse battery",
                                                          by: .operatingSystemAccount())
            // A tumor whose Grade Clinical is not yet 9 (unknown): the save changes it to 9.
            let tumorId = try PostgresConnection(url).query("SELECT min(id) FROM tumor WHERE naaccr_value(items, 'gradeClinical') IS DISTINCT FROM '9'")[0].decode(Int.self, at: 0)
            let saved = try await registry.saveTumor(id: tumorId, baseVersion: 1, changes: ["gradeClinical": "9"], by: user, from: "192.0.2.1")
            #expect(saved.outcome == .saved(version: 2, changedItems: ["gradeClinical"]))
            let db = try PostgresConnection(url)
            let row = try db.query("""
                SELECT (SELECT count(*) FROM abstract_revision WHERE tumor_id = $1 AND changed_by = $2),
                       (SELECT count(*) FROM edit_result WHERE tumor_id = $1),
                       (SELECT remote_address FROM audit_log WHERE action = 'update' AND entity = 'tumor' AND entity_id = $1 AND user_id = $2)
                """, [tumorId, user.id])[0]
            #expect(try row.decode(Int.self, at: 0) == 1 && row.decode(Int.self, at: 1) == 1)
            #expect(row.text(at: 2) == "192.0.2.1")
            // Invalid values change nothing and name the item.
            do {
                _ = try await registry.saveTumor(id: tumorId, baseVersion: 2, changes: ["dateOfDiagnosis": "20231399"], by: user, from: nil)
                Issue.record("an impossible date was saved")
            } catch WorkflowError.invalid(_, let items) {
                #expect(items == ["dateOfDiagnosis"])
            }
            #expect(try db.query("SELECT version FROM tumor WHERE id = $1", [tumorId])[0].decode(Int.self, at: 0) == 2)
        }
    }

    /// A registry's own edits (`registry serve --edits DIR`) run in the workflow's inline check like the built-in ones.
    @Test func aRegistrysOwnEditsRunInTheInlineCheck() async throws {
        let edits = try RegistryEdits.parse("""
            level critical blocks
            level review informs
            edit KS09 "Addr at DX--City, Required (KS)"
              check addrAtDxCity is present
              message "the city at diagnosis is required"
            edit KS10 "Addr at DX--Postal Code, Required (KS)"
              severity critical
              check addrAtDxPostalCode is present
            edit KS11 "Telephone, Required (KS)"
              severity review
              check telephone is present
            """)
        try await TestDatabase.withFreshDatabase { url in
            try Migrator().migrate(try PostgresConnection(url))
            let pool = try PostgresPool(connectionString: url, maxConnections: 2)
            defer { pool.close() }
            let registry = Registry(pool: pool, bcryptCost: 4, editSet: edits.set(named: EditSet.incomingAbstract.name)!, editLibrary: edits.library)
            let generator = SyntheticRegistryGenerator(patientCount: 3, seed: 9)
            let iterator = Box(generator.makeIterator())
            _ = try await registry.importPatients(header: generator.header(), dictionary: generator.dictionary, source: "test",
                                                  by: .operatingSystemAccount(), patients: { iterator.value.next() })
            let tumorId = try PostgresConnection(url).query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            let report = try await registry.checkDraft(tumorId: tumorId, items: ["addrAtDxCity": ""], patientItems: nil)
            #expect(report.failures.contains { $0.edit == "KS09" && $0.message == "the city at diagnosis is required" && $0.severity == "error" })
            // The registry's own levels keep their names; the blocking one counts as an error, the informing one as a warning.
            let levels = try await registry.checkDraft(tumorId: tumorId, items: ["addrAtDxCity": "Topeka", "addrAtDxPostalCode": ""],
                                                       patientItems: ["telephone": ""])
            let critical = try #require(levels.failures.first { $0.edit == "KS10" })
            let review = try #require(levels.failures.first { $0.edit == "KS11" })
            #expect(critical.severity == "critical" && critical.isBlocking && review.severity == "review" && !review.isBlocking)
            let others = levels.failures.filter { !["KS10", "KS11"].contains($0.edit) && !$0.overridden }
            #expect(levels.errors == others.filter(\.isBlocking).count + 1 && levels.warnings == others.filter { !$0.isBlocking }.count + 1)

        }
    }

    @Test func pagingIsRangeChecked() throws {
        #expect(throws: WorkflowError.self) { try Paging(page: 0, pageSize: 10, maxPageSize: 100) }
        #expect(throws: WorkflowError.self) { try Paging(page: Int.max, pageSize: 10, maxPageSize: 100) }
        #expect(throws: WorkflowError.self) { try Paging(page: 1, pageSize: 101, maxPageSize: 100) }
        #expect(try Paging(page: Paging.maxPage, pageSize: 100, maxPageSize: 100).offset == 99_999_900)
    }
}

@Suite("Edits in batches and over time")
struct EditRunTests {
    @Test func theParallelRunnerGivesWhatOneThreadGives() {
        let patients = Array(SyntheticRegistryGenerator(patientCount: 3_000, seed: 21)).enumerated().map { index, patient -> NaaccrPatient in
            var p = patient
            // Break every fifth record so there are failures to compare.
            if index % 5 == 0 { p.tumors[0][NaaccrDictionary.v26.key("primarySite")!] = "C99X" }
            return p
        }
        let engine = EditEngine(set: .stateSubmission)
        let parallel = BatchEditRunner(engine: engine, threads: 4).check(patients)
        #expect(parallel == patients.map(engine.check))
    }

    @Test func todayIsTheRunsNotTheProcesss() {
        var patient = Array(SyntheticRegistryGenerator(patientCount: 1, seed: 3))[0]
        patient.tumors[0][NaaccrDictionary.v26.key("dateOfDiagnosis")!] = "20261125"
        let before = EditEngine(set: .stateSubmission, today: EditDate("20261124")!)
        let after = EditEngine(set: .stateSubmission, today: EditDate("20261125")!)
        #expect(before.outcome(of: "DT01", for: patient) == .fail("dateOfDiagnosis '20261125' is in the future"))
        #expect(after.outcome(of: "DT01", for: patient) == .pass)
    }
}
