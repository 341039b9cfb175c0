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

    @Test func binaryCopyStoresEveryFieldKindExactly() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, n int, s smallint, name text, doc json)")
            let awkward = "tab\there, newline\n, backslash \\N, quote \", é ü 漢字"
            let count = try db.copyInBinary("COPY t (id, n, s, name, doc) FROM STDIN (FORMAT binary)") { writer in
                for i in 0..<20_000 {
                    try writer.beginRow(fieldCount: 5)
                    writer.appendInt64(Int64(i) * 1_000_000_007)
                    writer.appendInt32(Int32(-i))
                    writer.appendInt16(i % 7 == 0 ? nil : Int16(i % 30_000))
                    writer.appendText(i % 5 == 0 ? nil : "\(awkward) \(i)")
                    writer.appendText { $0.append(contentsOf: Array("{\"i\":\(i)}".utf8)) }
                }
            }
            #expect(count == 20_000)
            let row = try db.query("SELECT id, n, s, name, doc->>'i' FROM t WHERE id = $1", [Int(3 * 1_000_000_007)])[0]
            #expect(try row.decode(Int.self, at: 1) == -3)
            #expect(try row.decode(Int.self, at: 2) == 3)
            #expect(try row.decode(String.self, at: 3) == "\(awkward) 3")
            #expect(try row.decode(String.self, at: 4) == "3")
            let summary = try db.query("SELECT count(s), count(name), sum(n) FROM t")[0]
            #expect(try summary.decode(Int.self, at: 0) == 20_000 - 2_858)  // multiples of 7 below 20,000 are NULL
            #expect(try summary.decode(Int.self, at: 1) == 16_000)
            #expect(try summary.decode(Int.self, at: 2) == -(19_999 * 20_000 / 2))
        }
    }

    @Test func binaryCopyWithAFieldTheColumnRefusesWritesNothing() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id bigint, doc json)")
            let error = try #require(throws: PostgresError.self) {
                try db.copyInBinary("COPY t (id, doc) FROM STDIN (FORMAT binary)") { writer in
                    for i in 0..<3 {
                        try writer.beginRow(fieldCount: 2)
                        writer.appendInt64(Int64(i))
                        writer.appendText(i == 2 ? "{not json" : "{}")
                    }
                }
            }
            #expect(error.sqlState == "22P02")
            #expect(try db.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
            #expect(db.isHealthy)
        }
    }

    @Test func textArrayParametersKeepEveryElementIntact() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let elements = ["plain", "with,comma", "{braces}", "quote\"in", "back\\slash", "", "NULL", " spaced "]
            let rows = try db.query("SELECT e FROM unnest($1::text[]) WITH ORDINALITY AS u(e, n) ORDER BY n", [PostgresTextArray(elements)])
            #expect(try rows.map { try $0.decode(String.self, at: 0) } == elements)
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
