import Postgres
import Testing
import TestSupport

@Suite("Connection pool")
struct PoolTests {
    @Test func fiftyConcurrentTasksLoseAndDuplicateNothing() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let pool = try PostgresPool(connectionString: url, maxConnections: 6)
            try await pool.withConnection { db in try db.execute("CREATE TABLE t (task int, n int, PRIMARY KEY (task, n))") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<50 {
                    group.addTask {
                        for n in 0..<20 {
                            try await pool.withConnection { db in
                                try db.transaction { tx in try tx.execute("INSERT INTO t VALUES ($1, $2)", [task, n]) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (count, distinct) = try await pool.withConnection { db in
                let row = try db.query("SELECT count(*) AS n, count(DISTINCT (task, n)) AS d FROM t")[0]
                return (try row.decode(Int.self, column: "n"), try row.decode(Int.self, column: "d"))
            }
            #expect(count == 1000)
            #expect(distinct == 1000)
            #expect(pool.createdConnections <= 6)
            pool.close()
        }
    }

    @Test func everyNewConnectionMakesTheSessionSettings() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let pool = try PostgresPool(connectionString: url, maxConnections: 2, sessionSettings: [("jit", "off"), ("work_mem", "12MB")])
            let seen = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await pool.withConnection { db in
                            let row = try db.query("SELECT current_setting('jit'), current_setting('work_mem'), pg_sleep(0.05)::text")[0]
                            return [row.text(at: 0) ?? "", row.text(at: 1) ?? ""]
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(seen.count == 4 && seen.allSatisfy { $0 == ["off", "12MB"] })
            pool.close()
        }
    }

    @Test func aTransactionLeftOpenIsRolledBackBeforeReuse() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let pool = try PostgresPool(connectionString: url, maxConnections: 1)
            try await pool.withConnection { db in try db.execute("CREATE TABLE t (v int)") }
            try await pool.withConnection { db in
                try db.execute("BEGIN")
                try db.execute("INSERT INTO t VALUES (1)")
            }
            let (open, count) = try await pool.withConnection { db in
                (db.isInTransaction, try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, column: "n"))
            }
            #expect(open == false)
            #expect(count == 0)
        }
    }

    @Test func errorsFromTheBodyReachTheCallerAndFreeTheConnection() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let pool = try PostgresPool(connectionString: url, maxConnections: 1)
            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { db in try db.query("SELECT * FROM no_such_table") }
            }
            let one = try await pool.withConnection { db in try db.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") }
            #expect(one == 1)
        }
    }

    @Test func closedPoolRefusesWork() async throws {
        let pool = try PostgresPool(connectionString: try TestDatabase.adminURL(), maxConnections: 1)
        pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
        #expect(error?.kind == .poolClosed)
    }

    @Test func unreachableServerFailsEachCallClearly() async throws {
        let pool = try PostgresPool(connectionString: "host=127.0.0.1 port=1 connect_timeout=2", maxConnections: 2)
        let error = await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
        #expect(error?.kind == .connectionFailed)
    }
}
