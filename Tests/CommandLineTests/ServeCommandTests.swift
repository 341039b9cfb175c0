import FoundationNetworking
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("registry serve, end to end")
struct ServeCommandTests {
    /// The pool and the server run in one service group: SIGTERM stops the server, then the connections close.
    @Test func sigtermStopsTheServerThenClosesTheDatabaseConnections() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let env = ["DATABASE_URL": url]
            #expect(try RegistryExecutable.run(["demo", "--patients", "10"], environment: env).status == 0)
            let port = Int.random(in: 20_000..<60_000)
            let process = Process()
            process.executableURL = RegistryExecutable.url
            process.arguments = ["serve", "--port", String(port), "--connections", "3"]
            process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            var ready = false
            for _ in 0..<100 where !ready {
                try await Task.sleep(for: .milliseconds(100))
                if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/ready")!),
                   (response as? HTTPURLResponse)?.statusCode == 200 { ready = true }
            }
            #expect(ready)
            let db = try PostgresConnection(url)
            func serviceConnections() throws -> Int {
                try db.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")[0]
                    .decode(Int.self, at: 0)
            }
            #expect(try serviceConnections() >= 1)
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!process.isRunning)
            #expect(process.terminationStatus == 0)
            #expect(try serviceConnections() == 0)
        }
    }
}
