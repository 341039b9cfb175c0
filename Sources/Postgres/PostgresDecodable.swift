import Foundation

/// A Swift type that can be read from a column's text value.
public protocol PostgresDecodable {
    /// Builds the value from the server's text output; nil when the text does not fit the type.
    init?(postgresText text: String)
}

extension String: PostgresDecodable {
    public init?(postgresText text: String) { self = text }
}

extension Int: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Int32: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Int16: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Double: PostgresDecodable {
    public init?(postgresText text: String) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(text)
        }
    }
}

extension Bool: PostgresDecodable {
    public init?(postgresText text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Reads `bytea` in the server's hex output format (`\x0a0b…`).
    public init?(postgresText text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            return nil
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var i = 2
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        self = bytes
    }
}

extension Data: PostgresDecodable {
    public init?(postgresText text: String) {
        guard let bytes = [UInt8](postgresText: text) else { return nil }
        self.init(bytes)
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz`/`timestamp` output in ISO style (a missing zone is taken as UTC).
    public init?(postgresText text: String) {
        guard let date = PostgresTimestamp.parse(text) else { return nil }
        self = date
    }
}

extension CalendarDate: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension PostgresJSON: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text: text) }
}
