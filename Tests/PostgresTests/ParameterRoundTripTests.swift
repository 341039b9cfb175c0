import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Parameters travel to the server and back unchanged")
struct ParameterRoundTripTests {
    /// Sends `value` as $1 cast to `type` and decodes it back.
    func roundTrip<T: PostgresEncodable & PostgresDecodable>(_ value: T, as type: String, on db: PostgresConnection) throws -> T {
        try db.query("SELECT $1::\(type) AS v", [value])[0].decode(T.self, column: "v")
    }

    @Test func integersAtTheirLimits() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            for value in [0, 1, -1, Int.max, Int.min, 42] {
                #expect(try roundTrip(value, as: "int8", on: db) == value)
            }
            #expect(try roundTrip(Int32.max, as: "int4", on: db) == Int32.max)
            #expect(try roundTrip(Int16.min, as: "int2", on: db) == Int16.min)
        }
    }

    @Test func doublesIncludingSpecialValues() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            for value in [0.0, -0.5, 1.0 / 3.0, 1e-300, 1.7976931348623157e308, .infinity, -.infinity] {
                #expect(try roundTrip(value, as: "float8", on: db) == value)
            }
            #expect(try roundTrip(Double.nan, as: "float8", on: db).isNaN)
        }
    }

    @Test func booleans() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            #expect(try roundTrip(true, as: "bool", on: db) == true)
            #expect(try roundTrip(false, as: "bool", on: db) == false)
        }
    }

    @Test func unicodeTextWithAccentsAndCJK() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            for name in ["Zoë Ñúñez-O'Brien", "王秀英", "Nguyễn Văn Ánh", "emoji 🎗️", "tab\tand\nnewline\\backslash", ""] {
                #expect(try roundTrip(name, as: "text", on: db) == name)
            }
        }
    }

    @Test func emptyStringIsNotNull() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE t (id int, v text)")
            try db.execute("INSERT INTO t VALUES (1, $1), (2, $2)", ["", nil])
            let rows = try db.query("SELECT id, v, v IS NULL AS isnull FROM t ORDER BY id")
            #expect(try rows[0].decode(String?.self, column: "v") == "")
            #expect(try rows[0].decode(Bool.self, column: "isnull") == false)
            #expect(try rows[1].decode(String?.self, column: "v") == nil)
            #expect(try rows[1].decode(Bool.self, column: "isnull") == true)
        }
    }

    @Test func nullForEveryType() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let row = try db.query(
                "SELECT $1::int8 a, $2::float8 b, $3::bool c, $4::text d, $5::date e, $6::timestamptz f, $7::bytea g, $8::jsonb h",
                [nil, nil, nil, nil, nil, nil, nil, nil])[0]
            #expect(try row.decode(Int?.self, column: "a") == nil)
            #expect(try row.decode(Double?.self, column: "b") == nil)
            #expect(try row.decode(Bool?.self, column: "c") == nil)
            #expect(try row.decode(String?.self, column: "d") == nil)
            #expect(try row.decode(CalendarDate?.self, column: "e") == nil)
            #expect(try row.decode(Date?.self, column: "f") == nil)
            #expect(try row.decode([UInt8]?.self, column: "g") == nil)
            #expect(try row.decode(PostgresJSON?.self, column: "h") == nil)
        }
    }

    @Test func datesAtTheEdges() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let dates = [
                CalendarDate(year: 1, month: 1, day: 1)!, CalendarDate(year: 1900, month: 2, day: 28)!,
                CalendarDate(year: 2000, month: 2, day: 29)!, CalendarDate(year: 1969, month: 12, day: 31)!,
                CalendarDate(year: 1970, month: 1, day: 1)!, CalendarDate(year: 9999, month: 12, day: 31)!,
            ]
            for date in dates {
                #expect(try roundTrip(date, as: "date", on: db) == date)
            }
            // The server agrees with our day arithmetic.
            let days = try db.query("SELECT ($1::date - DATE '1970-01-01') AS d", [dates[1]])[0].decode(Int.self, column: "d")
            #expect(days == dates[1].daysSinceEpoch)
            #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
            #expect(CalendarDate(year: 2023, month: 13, day: 1) == nil)
        }
    }

    @Test func timestampsKeepMicroseconds() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            for seconds in [0.0, 1_700_000_000.123456, -86_400.5, 4_102_444_800.000001] {
                let date = Date(timeIntervalSince1970: seconds)
                let back = try roundTrip(date, as: "timestamptz", on: db)
                #expect(abs(back.timeIntervalSince1970 - seconds) < 1e-6)
            }
            // A session in another zone still reads back the same instant.
            try db.execute("SET TIME ZONE 'America/Chicago'")
            let date = Date(timeIntervalSince1970: 1_700_000_000.25)
            #expect(try roundTrip(date, as: "timestamptz", on: db) == date)
        }
    }

    @Test func bytesAsArrayAndData() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let bytes: [UInt8] = [0, 1, 2, 0x7f, 0x80, 0xff, 0]
            #expect(try roundTrip(bytes, as: "bytea", on: db) == bytes)
            #expect(try roundTrip(Data(bytes), as: "bytea", on: db) == Data(bytes))
            #expect(try roundTrip([UInt8](), as: "bytea", on: db) == [])
            let length = try db.query("SELECT length($1::bytea) AS n", [bytes])[0].decode(Int.self, column: "n")
            #expect(length == bytes.count)
        }
    }

    @Test func jsonbFromEncodableValues() async throws {
        struct Items: Codable, Equatable { var primarySite: String; var histologicTypeIcdO3: String }
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            let items = Items(primarySite: "C504", histologicTypeIcdO3: "8500")
            let json = try PostgresJSON(encoding: items)
            let row = try db.query("SELECT $1::jsonb AS j, ($1::jsonb)->>'primarySite' AS site", [json])[0]
            #expect(try row.decode(PostgresJSON.self, column: "j").decode(Items.self) == items)
            #expect(try row.decode(String.self, column: "site") == "C504")
        }
    }

    @Test func textWithNulByteIsRefusedNotTruncated() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            #expect(throws: PostgresError.self) { try db.query("SELECT $1::text", ["a\u{0}b"]) }
        }
    }

    @Test func sqlInjectionThroughAParameterIsStoredAsText() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try db.execute("CREATE TABLE patients (id serial PRIMARY KEY, name_last text)")
            try db.execute("INSERT INTO patients (name_last) VALUES ('Smith')")
            let attack = "'); DROP TABLE patients; --"
            try db.execute("INSERT INTO patients (name_last) VALUES ($1)", [attack])
            let rows = try db.query("SELECT name_last FROM patients ORDER BY id")
            #expect(rows.count == 2)
            #expect(try rows[1].decode(String.self, column: "name_last") == attack)
            let matched = try db.query("SELECT count(*) AS n FROM patients WHERE name_last = $1", [attack])
            #expect(try matched[0].decode(Int.self, column: "n") == 1)
        }
    }
}
