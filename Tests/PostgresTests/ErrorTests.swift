import Postgres
import Testing
import TestSupport

@Suite("Errors say what went wrong")
struct ErrorTests {
    @Test func uniqueViolationCarriesSQLStateAndDetail() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE p (patient_id text PRIMARY KEY)")
            try db.execute("INSERT INTO p VALUES ($1)", ["00000001"])
            let error = try #require(throws: PostgresError.self) {
                try db.execute("INSERT INTO p VALUES ($1)", ["00000001"])
            }
            #expect(error.kind == .server)
            #expect(error.sqlState == "23505")
            #expect(error.isUniqueViolation)
            #expect(error.detail?.contains("already exists") == true)
            #expect(error.statement == "INSERT INTO p VALUES ($1)")
            // The log line names the statement but not the bound value.
            #expect(!error.description.contains("00000001"))
        }
    }

    @Test func syntaxError() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let error = try #require(throws: PostgresError.self) { try db.query("SELEC 1") }
            #expect(error.sqlState == "42601")
            #expect(error.message.contains("syntax error"))
            // The connection is still usable afterwards.
            #expect(try db.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
        }
    }

    @Test func connectionRefused() throws {
        // Port 1 on loopback: nothing listens there.
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection("host=127.0.0.1 port=1 dbname=x connect_timeout=3")
        }
        #expect(error.kind == .connectionFailed)
        #expect(error.message.lowercased().contains("refused"))
    }

    @Test func badConnectionString() throws {
        let error = try #require(throws: PostgresError.self) { try PostgresConnection("host=localhost nonsense_option=1") }
        #expect(error.kind == .invalidConnectionString)
        #expect(error.message.contains("nonsense_option"))
        let badURL = try #require(throws: PostgresError.self) { try PostgresConnection("postgresql://host:notaport:/db?x") }
        #expect(badURL.kind == .invalidConnectionString)
    }

    @Test func badCredentials() throws {
        let admin = try PostgresConnection(try TestDatabase.adminURL())
        _ = try admin.execute("DROP ROLE IF EXISTS registrar_pw_test")
        // Role DDL cannot take parameters; the password is a fixed test literal.
        try admin.execute("CREATE ROLE registrar_pw_test LOGIN PASSWORD 'right-password'")
        defer { _ = try? admin.execute("DROP ROLE IF EXISTS registrar_pw_test") }
        let port = try TestDatabase.tcpPort()
        let good = try PostgresConnection("postgresql://registrar_pw_test:right-password@127.0.0.1:\(port)/postgres")
        #expect(good.isHealthy)
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection("postgresql://registrar_pw_test:wrong@127.0.0.1:\(port)/postgres")
        }
        #expect(error.kind == .authenticationFailed)
        #expect(!error.description.contains("wrong@"))
    }

    @Test func decodingErrorsNameTheColumn() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let row = try db.query("SELECT $1::text AS site, NULL::int AS age", ["abc"])[0]
            let wrongType = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "site") }
            #expect(wrongType.kind == .decoding)
            #expect(wrongType.column?.contains("site") == true)
            #expect(!wrongType.description.contains("abc"))
            let null = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "age") }
            #expect(null.message.contains("NULL"))
            let missing = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "nope") }
            #expect(missing.message.contains("no column named nope"))
            #expect(try row.decode(Int?.self, column: "age") == nil)
            #expect(try row.decode(String.self, at: 0) == "abc")
        }
    }
}
