import CLibPQ

/// Streams rows to a running `COPY … FROM STDIN` in PostgreSQL's text format.
///
/// Rows are escaped (`\\`, tab, newline, carriage return; NULL as `\N`) into a 64 KiB buffer that is
/// sent with `PQputCopyData` whenever it fills.
public struct CopyInWriter: ~Copyable {
    private let connection: PostgresConnection
    private var buffer: [UInt8] = []
    private let flushThreshold = 64 * 1024
    /// Rows appended so far.
    public private(set) var rowCount = 0
    private var fieldsInRow = 0

    init(connection: PostgresConnection) {
        self.connection = connection
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Appends one row; `nil` is SQL NULL.
    public mutating func appendRow(_ fields: [String?]) throws {
        for field in fields { appendField(field) }
        try endRow()
    }

    /// Appends one field of the current row; finish the row with `endRow()`.
    public mutating func appendField(_ field: String?) {
        guard var field else {
            if fieldsInRow > 0 { buffer.append(9) }
            fieldsInRow += 1
            buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "N"))
            return
        }
        field.withUTF8 { appendField(utf8: $0) }
    }

    /// Appends one field given as UTF-8 bytes (escaped for COPY here).
    public mutating func appendField(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if fieldsInRow > 0 { buffer.append(9) }
        fieldsInRow += 1
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 92 || byte == 9 || byte == 10 || byte == 13 {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            buffer.append(92)
            buffer.append(byte == 92 ? 92 : byte == 9 ? UInt8(ascii: "t") : byte == 10 ? UInt8(ascii: "n") : UInt8(ascii: "r"))
            start = i + 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    /// Ends the current row, sending the buffer when it is full.
    public mutating func endRow() throws {
        buffer.append(10)
        fieldsInRow = 0
        rowCount += 1
        if buffer.count >= flushThreshold { try flush() }
    }

    mutating func flush() throws {
        try connection.putCopyData(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

extension PostgresConnection {
    /// Runs `COPY table (columns) FROM STDIN` and lets `body` stream the rows; returns the row count
    /// the server reports. If `body` throws, the COPY is aborted (nothing is written) and the error rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (inout CopyInWriter) throws -> Void) throws -> Int {
        try runCopyIn(sql) { () throws -> Int in
            var writer = CopyInWriter(connection: self)
            try body(&writer)
            try writer.flush()
            return writer.rowCount
        }
    }

    /// Runs `COPY table (columns) FROM STDIN (FORMAT binary)` and lets `body` stream the rows in binary form;
    /// returns the row count the server reports. If `body` throws, the COPY is aborted and the error rethrown.
    @discardableResult
    public func copyInBinary(_ sql: String, _ body: (inout BinaryCopyInWriter) throws -> Void) throws -> Int {
        try runCopyIn(sql) { () throws -> Int in
            var writer = BinaryCopyInWriter(connection: self)
            try body(&writer)
            try writer.finish()
            return writer.rowCount
        }
    }

    /// Sends one chunk of COPY data (nothing when it is empty).
    func putCopyData(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let status = bytes.withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        guard status == 1 else { throw connectionError(statement: "COPY data") }
    }

    /// Starts a COPY FROM STDIN, runs `send` to stream the data, ends the COPY (aborting it when `send` threw)
    /// and collects the server's result.
    private func runCopyIn(_ sql: String, _ send: () throws -> Int) throws -> Int {
        let start = PQexec(handle, sql)
        guard let start else { throw connectionError(statement: sql) }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            defer { PQclear(start) }
            throw serverError(start, statement: sql)
        }
        PQclear(start)

        var failure: (any Error)?
        var sentRows = 0
        do {
            sentRows = try send()
        } catch {
            failure = error
        }
        let endStatus = PQputCopyEnd(handle, failure == nil ? nil : "aborted by the client")
        var serverFailure: PostgresError?
        var affected = 0
        if endStatus != 1 { serverFailure = connectionError(statement: sql) }
        while let result = PQgetResult(handle) {
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK:
                affected = Int(String(cString: PQcmdTuples(result))) ?? sentRows
            default:
                if serverFailure == nil { serverFailure = serverError(result, statement: sql) }
            }
            PQclear(result)
        }
        if let failure { throw failure }
        if let serverFailure { throw serverFailure }
        return affected
    }
}
