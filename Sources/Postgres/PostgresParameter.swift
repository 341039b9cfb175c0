import Foundation

/// How one parameter travels to the server.
public enum PostgresParameter: Sendable, Equatable {
    /// Text format (NUL-free UTF-8).
    case text(String)
    /// Binary format (used for `bytea`).
    case binary([UInt8])
}

/// A Swift value that can be bound to a `$n` placeholder.
///
/// Values are always sent as parameters (`PQexecParams`/`PQsendQueryPrepared`), never pasted into SQL.
public protocol PostgresEncodable: Sendable {
    /// The parameter's type OID; 0 lets the server infer it from context.
    static var postgresTypeOID: UInt32 { get }
    /// The value in text or binary form.
    var postgresParameter: PostgresParameter { get }
}

/// Well-known type OIDs (from `pg_type`).
public enum PostgresOID {
    public static let unspecified: UInt32 = 0
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let float8: UInt32 = 701
    public static let date: UInt32 = 1082
    public static let timestamptz: UInt32 = 1184
    public static let jsonb: UInt32 = 3802
}

extension String: PostgresEncodable {
    /// Sent untyped so that the server casts it to the target column's type (text, date, varchar…).
    public static var postgresTypeOID: UInt32 { PostgresOID.unspecified }
    public var postgresParameter: PostgresParameter { .text(self) }
}

extension Substring: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.unspecified }
    public var postgresParameter: PostgresParameter { .text(String(self)) }
}

extension Int: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.int8 }
    public var postgresParameter: PostgresParameter { .text(String(self)) }
}

extension Int32: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.int4 }
    public var postgresParameter: PostgresParameter { .text(String(self)) }
}

extension Int16: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.int2 }
    public var postgresParameter: PostgresParameter { .text(String(self)) }
}

extension Double: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.float8 }
    public var postgresParameter: PostgresParameter {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self < 0 ? "-Infinity" : "Infinity") }
        return .text(description)  // shortest representation that round-trips
    }
}

extension Bool: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.bool }
    public var postgresParameter: PostgresParameter { .text(self ? "t" : "f") }
}

extension Array: PostgresEncodable where Element == UInt8 {
    public static var postgresTypeOID: UInt32 { PostgresOID.bytea }
    public var postgresParameter: PostgresParameter { .binary(self) }
}

extension Data: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.bytea }
    public var postgresParameter: PostgresParameter { .binary([UInt8](self)) }
}

extension Date: PostgresEncodable {
    public static var postgresTypeOID: UInt32 { PostgresOID.timestamptz }
    public var postgresParameter: PostgresParameter { .text(PostgresTimestamp.format(self)) }
}

/// A `jsonb` parameter or column value, kept as its JSON text.
public struct PostgresJSON: PostgresEncodable, Hashable {
    public static var postgresTypeOID: UInt32 { PostgresOID.jsonb }
    /// The JSON document as text.
    public var text: String
    public init(text: String) { self.text = text }
    /// Encodes a value with `JSONEncoder` (keys sorted, so equal values give equal text).
    public init<T: Encodable>(encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    /// Decodes the JSON into a `Decodable` type.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
    public var postgresParameter: PostgresParameter { .text(text) }
}

/// A bound parameter list: `[value, nil, "text"]` (a Swift `nil` is SQL NULL).
public typealias PostgresBindings = [(any PostgresEncodable)?]

/// A `text[]` parameter, e.g. for `= ANY($1)`; elements are quoted, so any text is safe.
public struct PostgresTextArray: PostgresEncodable, Hashable {
    public static var postgresTypeOID: UInt32 { 1009 }  // text[]
    public var elements: [String]
    public init(_ elements: [String]) { self.elements = elements }
    public var postgresParameter: PostgresParameter {
        var literal = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { literal += "," }
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return .text(literal + "}")
    }
}
