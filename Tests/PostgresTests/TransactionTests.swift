import Postgres
import Testing
import TestSupport

@Suite("Transactions and savepoints")
struct TransactionTests {
    struct Abort: Error {}

    @Test func thrownSwiftErrorRollsBack() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (v int)")
            #expect(throws: Abort.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO t VALUES ($1)", [1])
                    throw Abort()
                }
            }
            #expect(try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, column: "n") == 0)
            #expect(!db.isInTransaction)
        }
    }

    @Test func commitKeepsRows() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (v int)")
            let inserted = try db.transaction { tx in try tx.execute("INSERT INTO t VALUES ($1), ($2)", [1, 2]) }
            #expect(inserted == 2)
            #expect(try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, column: "n") == 2)
        }
    }

    @Test func serverErrorInsideTransactionRollsBack() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (v int PRIMARY KEY)")
            #expect(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO t VALUES (1)")
                    try tx.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, column: "n") == 0)
        }
    }

    @Test func savepointRollbackKeepsOuterTransaction() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (v int PRIMARY KEY)")
            try db.transaction { tx in
                try tx.execute("INSERT INTO t VALUES (1)")
                #expect(throws: PostgresError.self) {
                    try tx.savepoint { sp in
                        try sp.execute("INSERT INTO t VALUES (2)")
                        try sp.execute("INSERT INTO t VALUES (1)")  // duplicate: fails
                    }
                }
                try tx.savepoint { sp in
                    try sp.savepoint { inner in try inner.execute("INSERT INTO t VALUES (3)") }
                }
                try tx.execute("INSERT INTO t VALUES (4)")
            }
            let values = try db.query("SELECT v FROM t ORDER BY v").map { try $0.decode(Int.self, column: "v") }
            #expect(values == [1, 3, 4])
        }
    }
}
