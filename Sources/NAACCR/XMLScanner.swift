#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pull tokenizer for the XML that NAACCR files use, reading a `ByteSource` through a bounded buffer.
///
/// It yields start tags (with attributes), end tags and character data; it skips the XML declaration,
/// processing instructions and comments, passes CDATA through, and refuses DOCTYPE declarations (no
/// entity expansion attacks). Token positions index the internal buffer and are valid until the next call.
final class XMLScanner {
    enum Token { case startTag, endTag, text, endOfInput }

    struct Attribute {
        var nameStart: Int, nameEnd: Int, valueStart: Int, valueEnd: Int
        var hasEntity: Bool
    }

    private let source: ByteSource
    let sourceName: String
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var pos = 0
    private var end = 0
    private var eof = false
    /// Line of the next unread byte.
    private var line = 1
    /// Line where the current token starts.
    private(set) var tokenLine = 1

    // The current token.
    private(set) var nameStart = 0, nameEnd = 0
    private(set) var selfClosing = false
    private(set) var attributes: [Attribute] = []
    private(set) var textStart = 0, textEnd = 0
    private(set) var textHasEntity = false
    private(set) var textIsCDATA = false

    init(source: ByteSource, name: String, bufferSize: Int = 256 * 1024) {
        self.source = source
        self.sourceName = name
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
        attributes.reserveCapacity(8)
    }

    deinit { buffer.deallocate() }

    func error(_ message: String, line: Int? = nil) -> NaaccrReadError {
        NaaccrReadError(line: line ?? tokenLine, message: message, file: sourceName)
    }

    /// The next token.
    func next() throws -> Token {
        while true {
            if pos == end {
                if eof { tokenLine = line; return .endOfInput }
                try refill()
                continue
            }
            if buffer[pos] != UInt8(ascii: "<") {
                guard let lt = find(UInt8(ascii: "<"), from: pos) else {
                    if !eof { try refill(); continue }
                    return finishText(start: pos, end: end, cdata: false, next: end)
                }
                return finishText(start: pos, end: lt, cdata: false, next: lt)
            }
            if let token = try markup(at: pos) {
                if let token { return token }
                continue  // a comment or processing instruction was skipped
            }
            if eof { throw error("the file ends inside a tag", line: line) }
            try refill()
        }
    }

    private func finishText(start: Int, end textEndPosition: Int, cdata: Bool, next: Int) -> Token {
        tokenLine = line
        textStart = start
        textEnd = textEndPosition
        textIsCDATA = cdata
        textHasEntity = !cdata && memchr(buffer + start, Int32(UInt8(ascii: "&")), textEndPosition - start) != nil
        advance(to: next)
        return .text
    }

    /// Parses markup at `p` (a `<`). Returns nil when the buffer ends first, `.some(nil)` for skipped markup.
    private func markup(at p: Int) throws -> Token?? {
        guard p + 1 < end else { return nil }
        let c = buffer[p + 1]
        if c == UInt8(ascii: "?") {
            guard let close = find2(UInt8(ascii: "?"), UInt8(ascii: ">"), from: p + 2) else { return nil }
            tokenLine = line
            advance(to: close + 2)
            return .some(nil)
        }
        if c == UInt8(ascii: "!") {
            if startsWith("<!--", at: p) {
                guard let close = find3(UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: ">"), from: p + 4) else { return nil }
                tokenLine = line
                advance(to: close + 3)
                return .some(nil)
            }
            if startsWith("<![CDATA[", at: p) {
                guard let close = find3(UInt8(ascii: "]"), UInt8(ascii: "]"), UInt8(ascii: ">"), from: p + 9) else { return nil }
                return .some(finishText(start: p + 9, end: close, cdata: true, next: close + 3))
            }
            if end - p < 9 && !eof { return nil }
            if startsWith("<!DOCTYPE", at: p) {
                throw error("DOCTYPE declarations are not allowed in NAACCR XML", line: line)
            }
            throw error("unexpected markup after '<!'", line: line)
        }
        if c == UInt8(ascii: "/") {
            var i = p + 2
            let start = i
            while i < end, !isNameEnd(buffer[i]) { i += 1 }
            let nameEndPosition = i
            while i < end, isSpace(buffer[i]) { i += 1 }
            guard i < end else { return nil }
            guard buffer[i] == UInt8(ascii: ">"), nameEndPosition > start else { throw error("malformed end tag", line: line) }
            tokenLine = line
            nameStart = start
            nameEnd = nameEndPosition
            advance(to: i + 1)
            return .some(.endTag)
        }
        // Start tag.
        var i = p + 1
        let start = i
        while i < end, !isNameEnd(buffer[i]) { i += 1 }
        guard i < end else { return nil }
        guard i > start else { throw error("malformed tag: a name must follow '<'", line: line) }
        let nameEndPosition = i
        attributes.removeAll(keepingCapacity: true)
        var closing = false
        while true {
            while i < end, isSpace(buffer[i]) { i += 1 }
            guard i < end else { return nil }
            let b = buffer[i]
            if b == UInt8(ascii: ">") { i += 1; break }
            if b == UInt8(ascii: "/") {
                guard i + 1 < end else { return nil }
                guard buffer[i + 1] == UInt8(ascii: ">") else { throw error("malformed tag: '/' must be followed by '>'", line: line) }
                closing = true
                i += 2
                break
            }
            let attributeNameStart = i
            while i < end, !isNameEnd(buffer[i]), buffer[i] != UInt8(ascii: "=") { i += 1 }
            let attributeNameEnd = i
            while i < end, isSpace(buffer[i]) { i += 1 }
            guard i < end else { return nil }
            guard attributeNameEnd > attributeNameStart, buffer[i] == UInt8(ascii: "=") else {
                throw error("malformed attribute in tag <\(string(start, nameEndPosition))>", line: line)
            }
            i += 1
            while i < end, isSpace(buffer[i]) { i += 1 }
            guard i < end else { return nil }
            let quote = buffer[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw error("attribute value must be quoted in tag <\(string(start, nameEndPosition))>", line: line)
            }
            guard let close = find(quote, from: i + 1) else { return nil }
            let hasEntity = memchr(buffer + i + 1, Int32(UInt8(ascii: "&")), close - i - 1) != nil
            attributes.append(Attribute(nameStart: attributeNameStart, nameEnd: attributeNameEnd, valueStart: i + 1,
                                        valueEnd: close, hasEntity: hasEntity))
            i = close + 1
        }
        tokenLine = line
        nameStart = start
        nameEnd = nameEndPosition
        selfClosing = closing
        advance(to: i)
        return .some(.startTag)
    }

    // MARK: Helpers for the reader

    /// The current tag's local name (after any `prefix:`) and its prefix.
    func tagName() -> (prefix: Substring?, local: String) {
        let full = string(nameStart, nameEnd)
        if let colon = full.firstIndex(of: ":") { return (full[..<colon], String(full[full.index(after: colon)...])) }
        return (nil, full)
    }

    func localNameEquals(_ literal: StaticString) -> Bool {
        var s = nameStart
        if let colon = memchr(buffer + nameStart, Int32(UInt8(ascii: ":")), nameEnd - nameStart) {
            s = buffer.distance(to: colon.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return nameEnd - s == literal.utf8CodeUnitCount && memcmp(buffer + s, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

    func attributeName(_ a: Attribute) -> String { string(a.nameStart, a.nameEnd) }

    func attributeValue(_ a: Attribute) throws -> String {
        a.hasEntity ? try decode(a.valueStart, a.valueEnd) : string(a.valueStart, a.valueEnd)
    }

    func text() throws -> String {
        textHasEntity ? try decode(textStart, textEnd) : string(textStart, textEnd)
    }

    var textIsWhitespace: Bool {
        (textStart..<textEnd).allSatisfy { isSpace(buffer[$0]) }
    }

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: buffer + start, count: end - start), as: UTF8.self)
    }

    /// Replaces the five predefined entities and character references.
    private func decode(_ start: Int, _ end: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            let b = buffer[i]
            guard b == UInt8(ascii: "&") else { out.append(b); i += 1; continue }
            guard let semi = find(UInt8(ascii: ";"), from: i + 1), semi < end, semi - i <= 12 else {
                throw error("unterminated entity reference")
            }
            let name = string(i + 1, semi)
            switch name {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var scalar: Unicode.Scalar?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
                }
                guard let scalar else { throw error("unknown entity &\(name);") }
                out.append(contentsOf: String(Character(scalar)).utf8)
            }
            i = semi + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Buffer management

    private func refill() throws {
        if pos > 0 {
            if end > pos { memmove(buffer, buffer + pos, end - pos) }
            end -= pos
            pos = 0
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { eof = true }
        end += n
    }

    private func advance(to next: Int) {
        var p = pos
        while p < next, let nl = memchr(buffer + p, 10, next - p) {
            line += 1
            p = buffer.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
        }
        pos = next
    }

    @inline(__always) private func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 9 || b == 13 }
    @inline(__always) private func isNameEnd(_ b: UInt8) -> Bool {
        b == 32 || b == 10 || b == 9 || b == 13 || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
    }

    private func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < end, let hit = memchr(buffer + from, Int32(byte), end - from) else { return nil }
        return buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private func find2(_ a: UInt8, _ b: UInt8, from: Int) -> Int? {
        var i = from
        while let hit = find(a, from: i) {
            if hit + 1 >= end { return nil }
            if buffer[hit + 1] == b { return hit }
            i = hit + 1
        }
        return nil
    }

    private func find3(_ a: UInt8, _ b: UInt8, _ c: UInt8, from: Int) -> Int? {
        var i = from
        while let hit = find(a, from: i) {
            if hit + 2 >= end { return nil }
            if buffer[hit + 1] == b && buffer[hit + 2] == c { return hit }
            i = hit + 1
        }
        return nil
    }

    private func startsWith(_ literal: StaticString, at p: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        return end - p >= n && memcmp(buffer + p, literal.utf8Start, n) == 0
    }
}
