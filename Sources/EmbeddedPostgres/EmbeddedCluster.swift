import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The registry's own PostgreSQL cluster, used when no `DATABASE_URL` is given.
///
/// It lives under one home directory: `data/` (the cluster, mode 700), `run/` (the unix socket; the
/// server listens on no TCP port) and `server.log`. Local connections are trusted, so access is
/// controlled by the permissions of `run/`. When the registry runs as root, the server runs as the
/// unprivileged `postgres` user, since PostgreSQL refuses to run as root.
public struct EmbeddedCluster: Sendable {
    /// The directory holding the cluster.
    public let home: URL
    /// The database the registry uses inside the cluster.
    public let databaseName = "registry"
    /// The PostgreSQL role that owns the registry's tables and runs migrations (the cluster's bootstrap superuser).
    public let roleName = "registry"
    /// The login role the registry's programs connect as: a member of `registry_application` (migration 0006),
    /// neither superuser nor owner of any table, so it cannot alter the append-only audit tables or their triggers.
    public let applicationRoleName = "registry_app"
    /// Port number; with no TCP listener it only names the socket file.
    public let port = 5432

    public init(home: URL) {
        self.home = home.standardizedFileURL
    }

    /// `REGISTRY_HOME`, or `.registry` in the current directory.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["REGISTRY_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".registry")
    }

    public var dataDirectory: URL { home.appendingPathComponent("data") }
    public var logFile: URL { home.appendingPathComponent("server.log") }

    /// The socket directory; unix socket paths are limited to about 100 bytes, so a deep home uses /tmp.
    public var socketDirectory: URL {
        let preferred = home.appendingPathComponent("run")
        if preferred.path.utf8.count + 20 < 100 { return preferred }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in home.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return URL(fileURLWithPath: "/tmp/registry-\(String(hash, radix: 16))")
    }

    /// The libpq connection string for the registry database as the owner role (migrations, administration).
    public var connectionString: String {
        "host=\(socketDirectory.path) port=\(port) user=\(roleName) dbname=\(databaseName)"
    }

    /// The libpq connection string for the registry database as the application role.
    public var applicationConnectionString: String {
        "host=\(socketDirectory.path) port=\(port) user=\(applicationRoleName) dbname=\(databaseName)"
    }

    /// True when `data/` holds an initialized cluster.
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    /// Whether the server is running, from `pg_ctl status`.
    public func isRunning() throws -> Bool {
        guard isInitialized else { return false }
        let tools = try ServerTools.locate()
        let result = try run(tools.pgCtl, ["status", "-D", dataDirectory.path], allowFailure: true)
        return result.status == 0
    }

    /// Creates the cluster if needed and starts the server if it is not running. Returns true if it started it.
    @discardableResult
    public func start() throws -> Bool {
        let tools = try ServerTools.locate()
        try prepareDirectories()
        if !isInitialized {
            try initialize(tools)  // leaves the server running
            return true
        }
        let settingsAdded = try addLoggingSettingsIfMissing()
        if try isRunning() {
            if settingsAdded { try run(tools.pgCtl, ["reload", "-D", dataDirectory.path]) }
            return false
        }
        try run(tools.pgCtl, ["start", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60"])
        return true
    }

    /// Stops the server (fast shutdown: open transactions roll back, committed data is safe).
    public func stop() throws {
        guard isInitialized else { throw EmbeddedClusterError.notInitialized(dataDirectory: dataDirectory.path) }
        guard try isRunning() else { return }
        let tools = try ServerTools.locate()
        try run(tools.pgCtl, ["stop", "-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60"])
    }

    // MARK: Set-up

    private var serverUser: ServerUser? {
        get throws { geteuid() == 0 ? try ServerUser.unprivileged() : nil }
    }

    private func prepareDirectories() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for directory in [dataDirectory, socketDirectory] where !fm.fileExists(atPath: directory.path) {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if !fm.fileExists(atPath: logFile.path) {
            _ = fm.createFile(atPath: logFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        if let user = try serverUser {
            for path in [dataDirectory.path, socketDirectory.path, logFile.path] {
                guard chown(path, user.uid, user.gid) == 0 else {
                    throw EmbeddedClusterError.commandFailed(command: "chown \(path)", status: errno, output: String(cString: strerror(errno)))
                }
            }
            let probe = try run("/usr/bin/test", ["-w", dataDirectory.path], allowFailure: true)
            if probe.status != 0 { throw EmbeddedClusterError.directoryNotReachable(path: home.path, user: user.name) }
        }
    }

    private func initialize(_ tools: ServerTools) throws {
        try run(tools.initdb, ["-D", dataDirectory.path, "-U", roleName, "-E", "UTF8", "--no-locale",
                               "--auth-local=trust", "--auth-host=reject"])
        // Settings for a private, socket-only server.
        let settings = """

            # Added by the tumor registry: a private server reachable only through its socket directory.
            listen_addresses = ''
            port = \(port)
            unix_socket_directories = '\(socketDirectory.path.replacingOccurrences(of: "'", with: "''"))'
            unix_socket_permissions = 0700
            logging_collector = off
            # Sized for bulk imports of whole registry files: fewer checkpoints and dirty-page evictions.
            shared_buffers = 512MB
            wal_buffers = 64MB
            max_wal_size = 8GB
            checkpoint_timeout = 30min
            wal_init_zero = off

            """
        try appendToConfiguration(settings)
        _ = try addLoggingSettingsIfMissing()
        try run(tools.pgCtl, ["start", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60"])
        try run(tools.createdb, ["-h", socketDirectory.path, "-p", String(port), "-U", roleName, databaseName])
    }

    /// The server log keeps no patient data: no statements, no parameters, no error details (which can quote key
    /// values), and no per-statement errors at all (clients get those; the registry logs its own PHI-free account).
    static let loggingSettings = """

        # Added by the tumor registry (logging v1): the server log holds no statement, parameter or key value.
        log_min_messages = log
        log_min_error_statement = panic
        log_error_verbosity = terse
        log_statement = 'none'
        log_min_duration_statement = -1
        log_parameter_max_length = 0
        log_parameter_max_length_on_error = 0

        """

    /// Adds `loggingSettings` to a cluster made before they existed; true when it changed the configuration.
    func addLoggingSettingsIfMissing() throws -> Bool {
        let conf = dataDirectory.appendingPathComponent("postgresql.conf")
        let text = (try? String(contentsOf: conf, encoding: .utf8)) ?? ""
        guard !text.contains("(logging v1)") else { return false }
        try appendToConfiguration(Self.loggingSettings)
        return true
    }

    private func appendToConfiguration(_ settings: String) throws {
        let conf = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: conf)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
    }

    // MARK: Running server programs

    struct CommandResult { var status: Int32; var output: String }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String], allowFailure: Bool = false) throws -> CommandResult {
        var command = ["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\"", executable] + arguments
        if let user = try serverUser { command = ["/sbin/runuser", "-u", user.name, "--"] + command }
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("registry-cmd-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: capture) }
        let status = try ChildProcess.run(command[0], Array(command.dropFirst()), outputFile: capture.path)
        let output = (try? String(contentsOf: capture, encoding: .utf8)) ?? ""
        let result = CommandResult(status: status, output: output)
        if !allowFailure && result.status != 0 {
            var text = output
            if let log = try? String(contentsOf: logFile, encoding: .utf8), !log.isEmpty {
                text += "\nserver log (\(logFile.path)):\n" + log.split(separator: "\n").suffix(15).joined(separator: "\n")
            }
            throw EmbeddedClusterError.commandFailed(
                command: ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " "),
                status: result.status, output: text)
        }
        return result
    }
}

/// Where the PostgreSQL server programs are.
struct ServerTools {
    var initdb: String
    var pgCtl: String
    var createdb: String

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerTools {
        let fm = FileManager.default
        var candidates: [String] = []
        if let bin = environment["PG_BIN"], !bin.isEmpty { candidates.append(bin) }
        let versions = (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        candidates += ["/opt/homebrew/bin", "/usr/local/bin", "/usr/bin"]
        candidates += (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in candidates where fm.isExecutableFile(atPath: directory + "/initdb") {
            return ServerTools(initdb: directory + "/initdb", pgCtl: directory + "/pg_ctl", createdb: directory + "/createdb")
        }
        throw EmbeddedClusterError.serverBinariesMissing(searched: ["$PG_BIN", "/usr/lib/postgresql/*/bin", "/usr/local/bin"])
    }
}

/// The unprivileged account that runs the server when the registry runs as root.
struct ServerUser {
    var name: String
    var uid: uid_t
    var gid: gid_t

    static func unprivileged() throws -> ServerUser {
        for name in ["postgres", "pgtest"] {
            if let entry = getpwnam(name) {
                return ServerUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
            }
        }
        throw EmbeddedClusterError.noUnprivilegedUser
    }
}
