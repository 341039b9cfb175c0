/// Reads the `items` column's JSON text: one flat object whose values are all strings, as the importer and
/// the abstract form write it (`{"400": "C509", ...}`, see `StoredItems`; drafts are keyed by naaccrId). Faster than a general JSON parser and strict:
/// anything else is an error naming the byte offset.
enum FlatJSONObject {
    struct FormatError: Error, CustomStringConvertible {
        let offset: Int
        let expected: String
        var description: String { "items JSON: expected \(expected) at byte \(offset)" }
    }

    /// Calls `body(key, value)` for each member in order.
    static func forEachMember(in text: String, _ body: (String, String) throws -> Void) throws {
        var text = text
        try text.withUTF8 { bytes in
            var i = 0
            func skipSpace() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 } }
            func expect(_ byte: UInt8, _ what: String) throws {
                skipSpace()
                guard i < bytes.count, bytes[i] == byte else { throw FormatError(offset: i, expected: what) }
                i += 1
            }
            func string() throws -> String {
                try expect(UInt8(ascii: "\""), "a string")
                let start = i
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
                guard i < bytes.count else { throw FormatError(offset: i, expected: "a closing quote") }
                if bytes[i] == UInt8(ascii: "\"") {
                    defer { i += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                }
                var out = Array(bytes[start..<i])
                while i < bytes.count {
                    let byte = bytes[i]
                    if byte == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                    guard byte == UInt8(ascii: "\\") else { out.append(byte); i += 1; continue }
                    guard i + 1 < bytes.count else { break }
                    let escaped = bytes[i + 1]
                    i += 2
                    switch escaped {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                           bytes[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            let low = try hex4()
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
                    default: out.append(escaped)  // \" \\ \/
                    }
                }
                throw FormatError(offset: i, expected: "a closing quote")
            }
            func hex4() throws -> UInt32 {
                guard i + 4 <= bytes.count,
                      let value = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<i + 4]), as: UTF8.self), radix: 16)
                else { throw FormatError(offset: i, expected: "four hex digits") }
                i += 4
                return value
            }
            try expect(UInt8(ascii: "{"), "{")
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { return }
            while true {
                let key = try string()
                try expect(UInt8(ascii: ":"), ":")
                let value = try string()
                try body(key, value)
                skipSpace()
                guard i < bytes.count else { throw FormatError(offset: i, expected: ", or }") }
                if bytes[i] == UInt8(ascii: "}") { return }
                try expect(UInt8(ascii: ","), ", or }")
            }
        }
    }
}
