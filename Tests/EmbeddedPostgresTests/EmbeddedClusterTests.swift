import EmbeddedPostgres
import Foundation
import Postgres
import Testing

@Suite("The embedded database cluster")
struct EmbeddedClusterTests {
    @Test func createsStartsConnectsAndStops() throws {
        let home = URL(fileURLWithPath: "/tmp/registry-embedded-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: home) }
        let cluster = EmbeddedCluster(home: home)
        #expect(!cluster.isInitialized)
        #expect(try cluster.start() == true)
        defer { try? cluster.stop() }
        #expect(cluster.isInitialized)
        #expect(try cluster.isRunning())
        #expect(try cluster.start() == false, "a running server is left alone")

        let db = try PostgresConnection(cluster.connectionString)
        let row = try db.query("SELECT current_database() AS d, current_setting('listen_addresses') AS l")[0]
        #expect(try row.decode(String.self, column: "d") == "registry")
        #expect(try row.decode(String.self, column: "l") == "", "no TCP listener")

        try cluster.stop()
        #expect(try cluster.isRunning() == false)
        #expect(throws: PostgresError.self) { try PostgresConnection(cluster.connectionString) }
        // Data survives a restart.
        #expect(try cluster.start() == true)
        #expect(try PostgresConnection(cluster.connectionString).isHealthy)
    }

    @Test func aLongHomePathMovesTheSocketToTmp() {
        let deep = URL(fileURLWithPath: "/tmp/" + String(repeating: "d", count: 120))
        let cluster = EmbeddedCluster(home: deep)
        #expect(cluster.socketDirectory.path.hasPrefix("/tmp/registry-"))
        #expect(cluster.socketDirectory.path.utf8.count < 100)
    }

    @Test func stoppingAClusterThatWasNeverCreatedSaysSo() {
        let cluster = EmbeddedCluster(home: URL(fileURLWithPath: "/tmp/registry-never-\(UUID().uuidString)"))
        #expect(throws: EmbeddedClusterError.self) { try cluster.stop() }
    }
}
