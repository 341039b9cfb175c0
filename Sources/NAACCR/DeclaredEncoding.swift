import Foundation

/// The character encoding a NAACCR XML file declares (`<?xml version="1.0" encoding="…"?>`), and a source that
/// turns its bytes into UTF-8 for the scanner. UTF-8 (the default) passes through; ISO-8859-1 and windows-1252, which
/// hospital systems still write, are transcoded; any other encoding (UTF-16 included) is refused with a clear message
/// rather than read as something it is not.
enum DeclaredEncoding {
    case utf8, latin1, windows1252

    /// Reads the start of `source`, decides its encoding, and returns a source that yields UTF-8 from the first byte.
    static func utf8Source(for source: ByteSource, name: String) throws -> ByteSource {
        var head = [UInt8](repeating: 0, count: 512)
        var count = 0
        while count < head.count {
            let n = try head.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            if n == 0 { break }
            count += n
        }
        head.removeSubrange(count...)
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0x00, 0x3C]) || head.starts(with: [0x3C, 0x00]) {
            throw NaaccrReadError(line: 1, message: "the file is UTF-16; save it as UTF-8 (the encoding NAACCR XML files use)", file: name)
        }
        let prefixed = PrefixedByteSource(prefix: head, rest: source)
        switch try declared(in: head, name: name) {
        case .utf8: return prefixed
        case .latin1: return TranscodingByteSource(prefixed, table: nil)
        case .windows1252: return TranscodingByteSource(prefixed, table: windows1252High)
        }
    }

    static func declared(in head: [UInt8], name: String) throws -> DeclaredEncoding {
        var start = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard head.count >= start + 5, Array(head[start..<start + 5]) == Array("<?xml".utf8),
              let close = head[start...].firstIndex(of: UInt8(ascii: ">")) else { return .utf8 }
        let declaration = String(decoding: head[start...close], as: UTF8.self)
        guard let range = declaration.range(of: #"encoding\s*=\s*["']([A-Za-z0-9._-]+)["']"#, options: .regularExpression) else { return .utf8 }
        let label = declaration[range].split(whereSeparator: { $0 == "\"" || $0 == "'" }).dropFirst().first.map { $0.lowercased() } ?? "utf-8"
        switch label {
        case "utf-8", "utf8", "us-ascii", "ascii": return .utf8
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1": return .latin1
        case "windows-1252", "cp1252", "x-cp1252": return .windows1252
        default:
            throw NaaccrReadError(line: 1, message: "the file declares the encoding \(label.prefix(40)), which this reader does not read; "
                                  + "save it as UTF-8 (or ISO-8859-1 / windows-1252)", file: name)
        }
    }

    /// windows-1252 bytes 0x80-0x9F (where it differs from ISO-8859-1); 0 marks the five undefined ones.
    static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]
}

/// Single-byte text (ISO-8859-1, or windows-1252 with `table` for 0x80-0x9F) re-encoded as UTF-8.
final class TranscodingByteSource: ByteSource {
    private let upstream: ByteSource
    private let table: [UInt32]?
    private var input = [UInt8](repeating: 0, count: 64 * 1024)
    private var pending: [UInt8] = []

    init(_ upstream: ByteSource, table: [UInt32]?) {
        self.upstream = upstream
        self.table = table
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if pending.isEmpty {
            let n = try input.withUnsafeMutableBytes { try upstream.read(into: $0) }
            if n == 0 { return 0 }
            pending.reserveCapacity(n * 2)
            for byte in input[..<n] {
                if byte < 0x80 { pending.append(byte); continue }
                var scalar = UInt32(byte)
                if let table, byte < 0xA0 {
                    scalar = table[Int(byte - 0x80)]
                    // Undefined in windows-1252: U+FFFD would hide it, so the scanner is given a control character it refuses.
                    if scalar == 0 { scalar = 0x1A }
                }
                pending.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            }
        }
        let n = min(buffer.count, pending.count)
        pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
        pending.removeFirst(n)
        return n
    }
}
