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
        // The server log keeps no statement, parameter or key value.
        let logging = try db.query("SELECT current_setting('log_error_verbosity'), current_setting('log_min_error_statement'), "
                                   + "current_setting('log_min_messages'), current_setting('log_parameter_max_length_on_error')")[0]
        #expect((0..<4).map { logging.text(at: $0) } == ["terse", "panic", "log", "0"])
        _ = try? db.execute("SELECT 1 / 0 WHERE $1 = 'patient-secret-value'", ["patient-secret-value"])
        _ = try? db.execute("CREATE TABLE t (k text UNIQUE)")
        _ = try? db.execute("INSERT INTO t VALUES ('smith-key'), ('smith-key')")

        try cluster.stop()
        let log = try String(contentsOf: cluster.logFile, encoding: .utf8)
        #expect(!log.contains("patient-secret-value") && !log.contains("smith-key") && !log.contains("ERROR"))
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
