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
    /// Position of the `:` in the current tag's name, -1 when it has no prefix.
    private var nameColon = -1
    private(set) var selfClosing = false
    /// The current start tag's attributes (fixed storage, grown when a tag has more).
    private var attributeStorage = UnsafeMutablePointer<Attribute>.allocate(capacity: 16)
    private var attributeCapacity = 16
    private(set) var attributeCount = 0
    private(set) var textStart = 0, textEnd = 0
    private(set) var textHasEntity = false
    private(set) var textIsCDATA = false
    /// Whether the current character data is only spaces, tabs and line ends (CDATA never counts as whitespace).
    private(set) var textIsWhitespace = false

    /// What each byte value is to the scanner (bit flags below), looked up once per byte in the hot loops.
    private let byteClass: UnsafeMutablePointer<UInt8>
    private static let lessThan: UInt8 = 1, ampersand: UInt8 = 2, whitespace: UInt8 = 4
    /// A byte `text()` must look at: a control character (CR included, tab and LF not), DEL, or a non-ASCII byte.
    private static let needsCheck: UInt8 = 8
    /// Ends a tag or attribute name: whitespace, `>`, `/`.
    private static let nameEnd: UInt8 = 16
    /// Whether the current character data holds a byte `text()` must look at.
    private(set) var textNeedsCheck = false

    init(source: ByteSource, name: String, bufferSize: Int = 256 * 1024) {
        self.source = source
        self.sourceName = name
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
        byteClass = .allocate(capacity: 256)
        for b in 0..<256 {
            var c: UInt8 = 0
            if b == 0x3C { c |= Self.lessThan }
            if b == 0x26 { c |= Self.ampersand }
            if b == 32 || b == 9 || b == 10 || b == 13 { c |= Self.whitespace | Self.nameEnd }
            if (b < 32 && b != 9 && b != 10) || b >= 127 { c |= Self.needsCheck }
            if b == 0x3E || b == 0x2F { c |= Self.nameEnd }
            byteClass[b] = c
        }
    }

    deinit {
        buffer.deallocate()
        attributeStorage.deallocate()
        byteClass.deallocate()
    }

    /// The current start tag's attributes, as an array (for cold paths; hot paths use `attribute(at:)`).
    var attributes: [Attribute] { Array(UnsafeBufferPointer(start: attributeStorage, count: attributeCount)) }

    @inline(__always) func attribute(at index: Int) -> Attribute { attributeStorage[index] }

    @inline(__always) private func appendAttribute(_ attribute: Attribute) {
        if attributeCount == attributeCapacity {
            attributeStorage = Self.grow(attributeStorage, count: attributeCount, capacity: &attributeCapacity)
        }
        (attributeStorage + attributeCount).initialize(to: attribute)
        attributeCount += 1
    }

    func error(_ message: String, line: Int? = nil) -> NaaccrReadError {
        NaaccrReadError(line: line ?? tokenLine, message: message, file: sourceName)
    }

    /// The largest token the scanner holds in memory (text fields are at most 4,000 characters in v26; items that
    /// allow unlimited text stay far below this).
    static let maximumToken = 64 << 20

    /// Whether the byte-order mark check at the start of the input is still to do.
    private var atStart = true

    /// The next token.
    func next() throws -> Token {
        if atStart {
            // A UTF-8 byte-order mark (EF BB BF) may open the file (XML 1.0 §4.3.3): it is not content.
            while end - pos < 3 && !eof { try refill() }
            if end - pos >= 3, buffer[pos] == 0xEF, buffer[pos + 1] == 0xBB, buffer[pos + 2] == 0xBF { pos += 3 }
            atStart = false
        }
        while true {
            if pos == end {
                if eof { tokenLine = line; return .endOfInput }
                try refill()
                continue
            }
            if buffer[pos] != UInt8(ascii: "<") {
                // Character data: short runs (item values, indentation) are scanned inline, one table lookup per
                // byte, noting '&', all-whitespace and bytes that need a closer look on the way.
                var i = pos, any: UInt8 = 0, all: UInt8 = 0xFF
                while i < end {
                    let c = byteClass[Int(buffer[i])]
                    if c & Self.lessThan != 0 { break }
                    any |= c
                    all &= c
                    i += 1
                }
                let entity = any & Self.ampersand != 0, space = all & Self.whitespace != 0
                textNeedsCheck = any & Self.needsCheck != 0
                guard i < end else {
                    if !eof { try refill(); continue }
                    return finishText(start: pos, end: end, cdata: false, next: end, entity: entity, space: space)
                }
                return finishText(start: pos, end: i, cdata: false, next: i, entity: entity, space: space)
            }
            if let token = try markup(at: pos) {
                if let token { return token }
                continue  // a comment or processing instruction was skipped
            }
            if eof { throw error("the file ends inside a tag", line: line) }
            try refill()
        }
    }

    private func finishText(start: Int, end textEndPosition: Int, cdata: Bool, next: Int, entity: Bool = false,
                            space: Bool = false) -> Token {
        tokenLine = line
        textIsWhitespace = space
        textStart = start
        textEnd = textEndPosition
        textIsCDATA = cdata
        textHasEntity = entity
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
                textNeedsCheck = true
                return .some(finishText(start: p + 9, end: close, cdata: true, next: close + 3))
            }
            if end - p < 9 && !eof { return nil }
            if startsWith("<!DOCTYPE", at: p) {
                throw error("DOCTYPE declarations are not allowed in NAACCR XML", line: line)
            }
            throw error("unexpected markup after '<!'", line: line)
        }
        if c == UInt8(ascii: "/") {
            // The end tag of nearly every element in a NAACCR file.
            if end - p >= 7, memcmp(buffer + p, "</Item>", 7) == 0 {
                tokenLine = line
                nameStart = p + 2
                nameEnd = p + 6
                nameColon = -1
                pos = p + 7  // no line end inside
                return .some(.endTag)
            }
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
            nameColon = colon(start, nameEndPosition)
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
        attributeCount = 0
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
            let attributeNameEnd: Int
            // The two attributes of nearly every tag in a NAACCR file, matched whole: naaccrId=" and naaccrNum=".
            if end - i >= 11, memcmp(buffer + i, "naaccrId=\"", 10) == 0 {
                attributeNameEnd = i + 8
                i += 9
            } else if end - i >= 12, memcmp(buffer + i, "naaccrNum=\"", 11) == 0 {
                attributeNameEnd = i + 9
                i += 10
            } else {
                while i < end, !isNameEnd(buffer[i]), buffer[i] != UInt8(ascii: "=") { i += 1 }
                attributeNameEnd = i
                while i < end, isSpace(buffer[i]) { i += 1 }
                guard i < end else { return nil }
                guard attributeNameEnd > attributeNameStart, buffer[i] == UInt8(ascii: "=") else {
                    throw error("malformed attribute in tag <\(string(start, nameEndPosition))>", line: line)
                }
                i += 1
                while i < end, isSpace(buffer[i]) { i += 1 }
                guard i < end else { return nil }
            }
            let quote = buffer[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw error("attribute value must be quoted in tag <\(string(start, nameEndPosition))>", line: line)
            }
            var close = i + 1, hasEntity = false
            // Eight bytes at a time to the closing quote (SWAR: a zero byte of word ^ quote…), noting '&' on the way.
            let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
            let quotes = UInt64(quote) &* ones, amps = UInt64(UInt8(ascii: "&")) &* ones
            while close + 8 <= end {
                let word = UnsafeRawPointer(buffer + close).loadUnaligned(as: UInt64.self)
                let q = word ^ quotes, a = word ^ amps
                if ((q &- ones) & ~q & high) | ((a &- ones) & ~a & high) != 0 { break }
                close += 8
            }
            while close < end, buffer[close] != quote {
                if buffer[close] == UInt8(ascii: "&") { hasEntity = true }
                close += 1
            }
            guard close < end else { return nil }
            appendAttribute(Attribute(nameStart: attributeNameStart, nameEnd: attributeNameEnd, valueStart: i + 1,
                                        valueEnd: close, hasEntity: hasEntity))
            i = close + 1
        }
        tokenLine = line
        nameStart = start
        nameEnd = nameEndPosition
        nameColon = colon(start, nameEndPosition)
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

    /// The current tag's prefix as bytes (nil when the name has no `prefix:`), without building a String.
    @inline(__always) func tagPrefixEnd() -> Int? { nameColon < 0 ? nil : nameColon }

    private func colon(_ start: Int, _ end: Int) -> Int {
        var i = start
        while i < end { if buffer[i] == UInt8(ascii: ":") { return i }; i += 1 }
        return -1
    }

    /// The decimal value of an attribute made of digits only (nil otherwise), without building a String.
    func attributeInteger(_ a: Attribute) -> Int? {
        guard a.valueEnd > a.valueStart, a.valueEnd - a.valueStart <= 18, !a.hasEntity else { return nil }
        var value = 0
        for i in a.valueStart..<a.valueEnd {
            let digit = Int(buffer[i]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    func localNameEquals(_ literal: StaticString) -> Bool {
        let s = tagPrefixEnd().map { $0 + 1 } ?? nameStart
        return nameEnd - s == literal.utf8CodeUnitCount && memcmp(buffer + s, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

    /// The current text's raw bytes (valid until the next token).
    var textBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffer + textStart, count: textEnd - textStart) }

    /// Whether the current text starts or ends with a space (read from the bytes, before any entity is decoded).
    var textEdgesAreSpace: Bool { textEnd > textStart && (buffer[textStart] == 32 || buffer[textEnd - 1] == 32) }

    func attributeName(_ a: Attribute) -> String { string(a.nameStart, a.nameEnd) }

    func attributeValue(_ a: Attribute) throws -> String {
        a.hasEntity ? try decode(a.valueStart, a.valueEnd) : string(a.valueStart, a.valueEnd)
    }

    /// The current text, with line ends normalised to LF (XML 1.0 §2.11: CR LF and a lone CR become LF).
    ///
    /// Throws (with the line) for bytes that are not UTF-8 and for control characters other than tab and line ends,
    /// which XML 1.0 §2.2 does not allow (also when written as character references): never a silent substitution.
    func text() throws -> String {
        var control = false, nonASCII = false, carriageReturn = false
        for i in textStart..<textEnd where textNeedsCheck {
            let b = buffer[i]
            if b < 32 {
                if b == 13 { carriageReturn = true } else if b != 9 && b != 10 { control = true }
            } else if b >= 128 {
                nonASCII = true
            } else if b == 127 {
                control = true
            }
        }
        if control { throw error("a control character (not allowed in XML) in the value") }
        if nonASCII, String(validating: UnsafeBufferPointer(start: buffer + textStart, count: textEnd - textStart), as: UTF8.self) == nil {
            throw error("bytes that are not UTF-8 in the value (declare the file's encoding, or save it as UTF-8)")
        }
        var value = textHasEntity ? try decode(textStart, textEnd) : string(textStart, textEnd)
        if textHasEntity, value.unicodeScalars.contains(where: { ($0.value < 32 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 127 }) {
            throw error("a character reference to a control character (not allowed in XML) in the value")
        }
        if carriageReturn { value = value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
        return value
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

    /// Moves `count` elements into new storage of twice the capacity and frees the old.
    private static func grow<T>(_ storage: UnsafeMutablePointer<T>, count: Int, capacity: inout Int) -> UnsafeMutablePointer<T> {
        let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        capacity *= 2
        return bigger
    }

    private func refill() throws {
        if pos > 0 {
            if end > pos { memmove(buffer, buffer + pos, end - pos) }
            end -= pos
            pos = 0
        }
        if end == capacity {
            // One token (a value, a run of spaces, a tag) larger than this is no NAACCR data: refuse it rather than
            // let a small compressed file inflate into gigabytes of memory.
            guard capacity < Self.maximumToken else {
                throw error("a single value, tag or run of text longer than \(Self.maximumToken >> 20) MB (from line \(line)): "
                            + "the file is damaged or not a NAACCR file", line: line)
            }
            buffer = Self.grow(buffer, count: end, capacity: &capacity)
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 { eof = true }
        end += n
    }

    /// Moves past a token, counting its newlines eight bytes at a time.
    @inline(__always) private func advance(to next: Int) {
        var newlines = 0, i = pos
        let ones: UInt64 = 0x0101_0101_0101_0101, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i + 8 <= next {
            // Zero bytes where there was a newline.
            let x = UnsafeRawPointer(buffer + i).loadUnaligned(as: UInt64.self) ^ (ones &* 10)
            let zeroBytes = ~(((x & low7) &+ low7) | x | low7)  // exactly the high bit of each zero byte
            newlines += zeroBytes.nonzeroBitCount
            i += 8
        }
        while i < next { if buffer[i] == 10 { newlines += 1 }; i += 1 }
        line += newlines
        pos = next
    }

    @inline(__always) private func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 9 || b == 13 }
    @inline(__always) private func isNameEnd(_ b: UInt8) -> Bool { byteClass[Int(b)] & Self.nameEnd != 0 }

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
