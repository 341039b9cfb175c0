/// The rows a statement returned, copied out of libpq (the `PGresult` is already cleared).
public struct PostgresResult: Sendable, RandomAccessCollection {
    /// Column names in select order.
    public let columnNames: [String]
    /// Column type OIDs in select order.
    public let columnTypes: [UInt32]
    /// Rows affected, for INSERT/UPDATE/DELETE/COPY (0 when not reported).
    public let affectedRows: Int
    /// The statement (for error messages).
    let statement: String
    /// Cell values, row-major; nil is SQL NULL.
    let cells: [String?]
    let indexByName: [String: Int]

    init(columnNames: [String], columnTypes: [UInt32], cells: [String?], affectedRows: Int, statement: String) {
        self.columnNames = columnNames
        self.columnTypes = columnTypes
        self.cells = cells
        self.affectedRows = affectedRows
        self.statement = statement
        var index: [String: Int] = [:]
        for (i, name) in columnNames.enumerated() where index[name] == nil { index[name] = i }
        indexByName = index
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columnNames.isEmpty ? 0 : cells.count / columnNames.count }
    public subscript(position: Int) -> PostgresRow { PostgresRow(result: self, row: position) }
}

/// One row of a `PostgresResult`, with typed access by column name or index.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let row: Int

    /// The raw text of a column (nil for NULL).
    public func text(at column: Int) -> String? {
        result.cells[row * result.columnNames.count + column]
    }

    /// Decodes column `column` (0-based); throws for NULL or text that does not fit `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        guard let value = try decode(T?.self, at: column) else {
            throw PostgresError(.decoding, message: "NULL where \(T.self) was expected",
                                statement: result.statement, column: columnLabel(column))
        }
        return value
    }

    /// Decodes column `column` (0-based), nil for NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, at column: Int) throws -> T? {
        guard column >= 0, column < result.columnNames.count else {
            throw PostgresError(.decoding, message: "no column at index \(column); the result has \(result.columnNames.count)",
                                statement: result.statement)
        }
        guard let text = text(at: column) else { return nil }
        guard let value = T(postgresText: text) else {
            // The value itself is not quoted: it may be patient data.
            throw PostgresError(.decoding, message: "value of type OID \(result.columnTypes[column]) cannot be read as \(T.self)",
                                statement: result.statement, column: columnLabel(column))
        }
        return value
    }

    /// Decodes the column named `column`; throws for a missing column, NULL, or text that does not fit `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column: String) throws -> T {
        try decode(type, at: try index(of: column))
    }

    /// Decodes the column named `column`, nil for NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, column: String) throws -> T? {
        try decode(type, at: try index(of: column))
    }

    private func index(of column: String) throws -> Int {
        guard let index = result.indexByName[column] else {
            throw PostgresError(.decoding, message: "no column named \(column); columns are \(result.columnNames.joined(separator: ", "))",
                                statement: result.statement, column: column)
        }
        return index
    }

    private func columnLabel(_ index: Int) -> String { "\(result.columnNames[index]) (#\(index))" }
}
