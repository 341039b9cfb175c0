/// Why the embedded PostgreSQL cluster could not be set up, started or stopped.
public enum EmbeddedClusterError: Error, Sendable, CustomStringConvertible {
    case serverBinariesMissing(searched: [String])
    case noUnprivilegedUser
    case directoryNotReachable(path: String, user: String)
    case commandFailed(command: String, status: Int32, output: String)
    case notInitialized(dataDirectory: String)

    public var description: String {
        switch self {
        case let .serverBinariesMissing(searched):
            return """
                PostgreSQL server programs (initdb, pg_ctl, postgres) were not found; looked in \(searched.joined(separator: ", ")) and PATH.
                Install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@15), \
                set PG_BIN to their directory, or set DATABASE_URL to use an existing server.
                """
        case .noUnprivilegedUser:
            return "PostgreSQL refuses to run as root and no 'postgres' user exists: create one (useradd -r -M postgres) or run the registry as an ordinary user"
        case let .directoryNotReachable(path, user):
            return "the user '\(user)' that runs PostgreSQL cannot reach \(path); set REGISTRY_HOME to a directory it can reach (for example /var/lib/tumor-registry)"
        case let .commandFailed(command, status, output):
            return "\(command) failed (exit \(status)):\n\(output)"
        case let .notInitialized(dataDirectory):
            return "no database cluster at \(dataDirectory); run 'registry db start' to create one"
        }
    }
}
