import Foundation
import Postgres

/// Gives each test a database of its own on the throwaway server that `scripts/test` starts.
public enum TestDatabase {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "REGISTRY_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL"
        }
    }

    /// The server's superuser connection string (unix socket, trust auth).
    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["REGISTRY_TEST_DATABASE_URL"], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// The loopback TCP port (password authentication) of the same server.
    public static func tcpPort() throws -> String {
        guard let port = ProcessInfo.processInfo.environment["REGISTRY_TEST_TCP_PORT"] else { throw NotConfigured() }
        return port
    }

    /// Creates an empty database, passes its connection string to `body`, then drops it.
    public static func withFreshDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let admin = try adminURL()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let adminConnection = try PostgresConnection(admin)
        // An identifier, generated here, never user input: DDL cannot take parameters.
        try adminConnection.execute("CREATE DATABASE \(name)")
        defer { _ = try? adminConnection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        return try await body(admin + " dbname=\(name)")
    }
}
