import CLibPQ

/// One libpq connection (`PGconn`).
///
/// All methods block the calling thread, so call them from a thread that may block: the pool
/// (`PostgresPool.withConnection`) runs them on a dedicated thread, and command-line code may call
/// them directly. A connection must be used by one thread at a time; it is `@unchecked Sendable`
/// only so that the pool can hand it from one thread to another.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer

    /// Connects with a libpq connection string (`host=/run/pg dbname=registry`) or a
    /// `postgresql://` URL; TLS options such as `sslmode=verify-full` pass through to libpq.
    public init(_ connectionString: String) throws {
        try PostgresConnection.validate(connectionString)
        guard let handle = PQconnectdb(connectionString) else {
            throw PostgresError(.connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = PostgresConnection.trimmed(PQerrorMessage(handle))
            PQfinish(handle)
            let rejected = message.contains("authentication failed") || message.contains("no pg_hba.conf entry")
                || message.contains("password is required")
            throw PostgresError(rejected ? .authenticationFailed : .connectionFailed, message: message)
        }
        self.handle = handle
        PQsetNoticeProcessor(handle, { _, _ in }, nil)  // NOTICEs are not errors; keep them off stderr
        PQsetClientEncoding(handle, "UTF8")
    }

    deinit { PQfinish(handle) }

    /// Checks a connection string without connecting.
    public static func validate(_ connectionString: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            let message = errorMessage.map { trimmed($0) } ?? "cannot parse the connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(.invalidConnectionString, message: message)
        }
        PQconninfoFree(options)
    }

    /// True while the connection is usable.
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// True while a transaction block is open (or failed and not yet rolled back).
    public var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    // MARK: Statements

    /// Runs one statement with `$1…$n` parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ bindings: PostgresBindings = []) throws -> PostgresResult {
        let parameters = try BoundParameters(bindings, statement: sql)
        let result = parameters.withLibPQArrays { values, lengths, formats in
            PQexecParams(handle, sql, Int32(parameters.count), parameters.types, values, lengths, formats, 0)
        }
        return try consume(result, statement: sql)
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ bindings: PostgresBindings = []) throws -> Int {
        try query(sql, bindings).affectedRows
    }

    /// Prepares a named statement for `queryPrepared` (on this connection only).
    public func prepare(name: String, sql: String, parameterTypes: [UInt32] = []) throws {
        let result = PQprepare(handle, name, sql, Int32(parameterTypes.count), parameterTypes.map { Oid($0) })
        _ = try consume(result, statement: name)
    }

    /// Runs a statement prepared with `prepare(name:sql:)`.
    @discardableResult
    public func queryPrepared(name: String, _ bindings: PostgresBindings = []) throws -> PostgresResult {
        let parameters = try BoundParameters(bindings, statement: name)
        let result = parameters.withLibPQArrays { values, lengths, formats in
            PQexecPrepared(handle, name, Int32(parameters.count), values, lengths, formats, 0)
        }
        return try consume(result, statement: name)
    }

    /// Runs SQL text with no parameters, possibly several statements (for migrations).
    public func executeScript(_ sql: String, name: String) throws {
        let result = PQexec(handle, sql)
        _ = try consume(result, statement: name)
    }

    // MARK: Transactions

    /// Runs `body` inside `BEGIN … COMMIT`; any error thrown rolls the transaction back and is rethrown.
    ///
    /// Called inside a transaction, it runs `body` in a savepoint of it instead, so a repository's transaction
    /// composes with the workflow's (a change and its audit row commit together, or neither does).
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        return value
    }

    private var savepointDepth = 0

    /// Runs `body` inside a savepoint of the current transaction: an error rolls back to the
    /// savepoint (the outer transaction stays usable) and is rethrown.
    public func savepoint<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "sp_\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let value = try body(self)
            try execute("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            _ = try? execute("ROLLBACK TO SAVEPOINT \(name)")
            _ = try? execute("RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    // MARK: Results

    /// Turns a `PGresult` into a `PostgresResult` or an error, clearing it exactly once.
    func consume(_ result: OpaquePointer?, statement: String) throws -> PostgresResult {
        guard let result else { throw connectionError(statement: statement) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return PostgresConnection.copyRows(result, statement: statement)
        default:
            throw serverError(result, statement: statement)
        }
    }

    static func copyRows(_ result: OpaquePointer, statement: String) -> PostgresResult {
        let rowCount = Int(PQntuples(result)), columnCount = Int(PQnfields(result))
        var names: [String] = [], types: [UInt32] = []
        for c in 0..<columnCount {
            names.append(String(cString: PQfname(result, Int32(c))))
            types.append(UInt32(PQftype(result, Int32(c))))
        }
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for r in 0..<Int32(rowCount) {
            for c in 0..<Int32(columnCount) {
                cells.append(PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c)))
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresResult(columnNames: names, columnTypes: types, cells: cells, affectedRows: affected, statement: statement)
    }

    func serverError(_ result: OpaquePointer, statement: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        if PQstatus(handle) != CONNECTION_OK {
            return connectionError(statement: statement)
        }
        return PostgresError(
            .server,
            message: field("M") ?? PostgresConnection.trimmed(PQresultErrorMessage(result)),
            sqlState: field("C"), detail: field("D"), hint: field("H"), statement: statement)
    }

    func connectionError(statement: String?) -> PostgresError {
        let message = PostgresConnection.trimmed(PQerrorMessage(handle))
        let kind: PostgresError.Kind = PQstatus(handle) == CONNECTION_OK ? .unexpectedResponse : .connectionLost
        return PostgresError(kind, message: message.isEmpty ? "no result from libpq" : message, statement: statement)
    }

    static func trimmed(_ cString: UnsafePointer<CChar>?) -> String {
        guard let cString else { return "" }
        var text = String(cString: cString)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
