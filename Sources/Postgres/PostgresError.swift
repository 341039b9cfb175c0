/// An error from the database layer.
///
/// It carries what PostgreSQL said (SQLSTATE, message, detail, hint) and which statement
/// failed, but never the parameter values bound to it: those may be patient data.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable, Equatable {
        /// The connection string or URL could not be parsed.
        case invalidConnectionString
        /// The server could not be reached (refused, no such socket, timeout, TLS failure).
        case connectionFailed
        /// The server rejected the credentials.
        case authenticationFailed
        /// The server reported an error while running a statement (see `sqlState`).
        case server
        /// The connection broke while in use.
        case connectionLost
        /// A column's value could not be turned into the requested Swift type.
        case decoding
        /// A parameter could not be sent (for example text containing a NUL byte).
        case encoding
        /// libpq returned something this layer did not expect.
        case unexpectedResponse
        /// The pool was shut down.
        case poolClosed
    }

    public var kind: Kind
    /// The five-character SQLSTATE code, e.g. `23505` for a unique violation.
    public var sqlState: String?
    /// The primary message.
    public var message: String
    /// The server's detail line (it may quote key values; keep it out of shared logs).
    public var detail: String?
    /// The server's hint, if any.
    public var hint: String?
    /// The SQL text or prepared-statement name that failed (values are never part of it).
    public var statement: String?
    /// For decoding errors: the column involved.
    public var column: String?

    public init(
        _ kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, statement: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.statement = statement
        self.column = column
    }

    /// A one-line description safe for logs: kind, SQLSTATE, message and statement, without the detail line.
    public var description: String {
        var text = "PostgreSQL \(kind.rawValue) error"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let column { text += " (column \(column))" }
        if let statement { text += " in statement: \(statement.prefix(200))" }
        return text
    }

    /// SQLSTATE 23505.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// SQLSTATE 40001 or 40P01: the transaction may be retried.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
}
