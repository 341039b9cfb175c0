import Postgres
import Testing
import TestSupport

@Suite("COPY, pipeline mode and prepared statements")
struct BulkTests {
    @Test func copyOneHundredThousandRows() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id int PRIMARY KEY, name text, v float8)")
            let count = try db.copyIn("COPY t (id, name, v) FROM STDIN") { writer in
                for i in 0..<100_000 {
                    try writer.appendRow([String(i), i % 1000 == 0 ? nil : "name \(i)\twith tab\\", String(Double(i) / 4)])
                }
            }
            #expect(count == 100_000)
            let summary = try db.query("SELECT count(*) AS n, sum(id) AS s, count(name) AS named, sum(v) AS v FROM t")[0]
            #expect(try summary.decode(Int.self, column: "n") == 100_000)
            #expect(try summary.decode(Int.self, column: "s") == 99_999 * 100_000 / 2)
            #expect(try summary.decode(Int.self, column: "named") == 99_900)
            #expect(try summary.decode(Double.self, column: "v") == Double(99_999 * 100_000 / 2) / 4)
            let escaped = try db.query("SELECT name FROM t WHERE id = $1", [7])[0].decode(String.self, column: "name")
            #expect(escaped == "name 7\twith tab\\")
        }
    }

    @Test func copyAbortedByASwiftErrorWritesNothing() async throws {
        struct Stop: Error {}
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id int)")
            #expect(throws: Stop.self) {
                try db.copyIn("COPY t (id) FROM STDIN") { writer in
                    for i in 0..<50_000 { try writer.appendRow([String(i)]) }
                    throw Stop()
                }
            }
            #expect(try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, column: "n") == 0)
            #expect(db.isHealthy)
        }
    }

    @Test func copyWithBadDataReportsTheServerError() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id int)")
            let error = try #require(throws: PostgresError.self) {
                try db.copyIn("COPY t (id) FROM STDIN") { writer in
                    try writer.appendRow(["1"])
                    try writer.appendRow(["not a number"])
                }
            }
            #expect(error.sqlState == "22P02")
            #expect(try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, column: "n") == 0)
        }
    }

    @Test func pipelineOfTenThousandInserts() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id int PRIMARY KEY, name text)")
            let rows = (0..<10_000).lazy.map { i -> PostgresBindings in [i, "row \(i)"] }
            let inserted = try db.transaction { tx in try tx.executePipelined("INSERT INTO t VALUES ($1, $2)", rows: rows) }
            #expect(inserted == 10_000)
            let summary = try db.query("SELECT count(*) AS n, count(DISTINCT id) AS d, max(name) AS m FROM t")[0]
            #expect(try summary.decode(Int.self, column: "n") == 10_000)
            #expect(try summary.decode(Int.self, column: "d") == 10_000)
        }
    }

    @Test func pipelineStopsAtTheFirstFailingRowAndRollsBackInATransaction() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id int PRIMARY KEY)")
            let rows: [PostgresBindings] = (0..<3000).map { [$0 == 2500 ? 10 : $0] }
            let error = try #require(throws: PostgresError.self) {
                try db.transaction { tx in try tx.executePipelined("INSERT INTO t VALUES ($1)", rows: rows) }
            }
            #expect(error.sqlState == "23505")
            #expect(try db.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, column: "n") == 0)
            // The connection left pipeline mode and still works.
            #expect(try db.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
        }
    }

    @Test func preparedStatements() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.prepare(name: "add", sql: "SELECT $1::int8 + $2::int8 AS sum")
            for i in 0..<10 {
                #expect(try db.queryPrepared(name: "add", [i, 100])[0].decode(Int.self, column: "sum") == i + 100)
            }
        }
    }
}
