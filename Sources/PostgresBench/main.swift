// Benchmarks the libpq layer against a server named by REGISTRY_TEST_DATABASE_URL (scripts/bench starts one).
// Prints rows per second for COPY, pipelined inserts and single inserts, and compares COPY with psql's \copy
// on the same data in the same run. Each figure is the best of three runs.
import Foundation
import Postgres

let environment = ProcessInfo.processInfo.environment
guard let url = environment["REGISTRY_TEST_DATABASE_URL"] else {
    FileHandle.standardError.write(Data("set REGISTRY_TEST_DATABASE_URL (scripts/bench does)\n".utf8))
    exit(2)
}
let copyRows = Int(environment["BENCH_COPY_ROWS"] ?? "") ?? 1_000_000
let pipelineRows = Int(environment["BENCH_PIPELINE_ROWS"] ?? "") ?? 200_000
let singleRows = Int(environment["BENCH_SINGLE_ROWS"] ?? "") ?? 20_000
let psql = environment["PSQL"] ?? "psql"

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func bestOf3(_ prepare: () throws -> Void, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
        try prepare()
        let start = now()
        try body()
        best = min(best, now() - start)
    }
    return best
}

func report(_ label: String, rows: Int, seconds: Double) -> Double {
    let rate = Double(rows) / seconds
    print(label.padding(toLength: 44, withPad: " ", startingAt: 0)
          + String(format: "%10d rows %8.3f s %12.0f rows/s", rows, seconds, rate))
    return rate
}

let db = try PostgresConnection(url)
try db.execute("DROP TABLE IF EXISTS bench_rows")
try db.execute("CREATE TABLE bench_rows (id int, name text, v float8)")

// The same rows for both COPY paths: in memory for ours, as a file for psql.
let rows: [[String?]] = (0..<copyRows).map { i in [String(i), "patient name \(i % 9973)", String(Double(i) * 0.25)] }
let dataFile = FileManager.default.temporaryDirectory.appendingPathComponent("bench_rows_\(getpid()).tsv")
do {
    var text = ""
    text.reserveCapacity(copyRows * 32)
    for row in rows { text += row.map { $0 ?? "\\N" }.joined(separator: "\t") + "\n" }
    try text.write(to: dataFile, atomically: false, encoding: .utf8)
}
defer { try? FileManager.default.removeItem(at: dataFile) }
chmod(dataFile.path, 0o644)

print("PostgreSQL server \(db.serverVersion), connection: \(url.contains("host=/") ? "unix socket" : "TCP")")
let truncate = { _ = try db.execute("TRUNCATE bench_rows") }

let ours = try bestOf3(truncate) {
    _ = try db.copyIn("COPY bench_rows (id, name, v) FROM STDIN") { writer in
        for row in rows { try writer.appendRow(row) }
    }
}
let oursRate = report("COPY FROM STDIN (PostgresConnection.copyIn)", rows: copyRows, seconds: ours)

let theirs = try bestOf3(truncate) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", url,
                         "-c", "\\copy bench_rows (id, name, v) FROM '\(dataFile.path)'"]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw PostgresError(.unexpectedResponse, message: "psql failed") }
}
let psqlRate = report("psql \\copy (same rows, from a file)", rows: copyRows, seconds: theirs)
print(String(format: "  COPY ratio ours/psql: %.2fx (target >= 0.9x)", oursRate / psqlRate))

let insert = "INSERT INTO bench_rows (id, name, v) VALUES ($1, $2, $3)"
let pipelined = try bestOf3(truncate) {
    _ = try db.transaction { tx in
        try tx.executePipelined(insert, rows: (0..<pipelineRows).lazy.map { i -> PostgresBindings in
            [i, "patient name \(i % 9973)", Double(i) * 0.25]
        })
    }
}
let pipelinedRate = report("pipelined INSERT (prepared, one transaction)", rows: pipelineRows, seconds: pipelined)

let single = try bestOf3(truncate) {
    try db.transaction { tx in
        for i in 0..<singleRows { try tx.execute(insert, [i, "patient name \(i % 9973)", Double(i) * 0.25]) }
    }
}
let singleRate = report("single INSERT round trips, one transaction", rows: singleRows, seconds: single)
print(String(format: "  pipelined/single ratio: %.1fx (target >= 5x)", pipelinedRate / singleRate))
try db.execute("DROP TABLE bench_rows")
