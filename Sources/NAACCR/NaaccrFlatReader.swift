#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads NAACCR fixed-width ("flat") files of versions 12 to 18, one patient at a time in bounded memory.
///
/// The flat record (NAACCR Standards Volume II, up to v18; XML replaced it from v21): one tumor per line, each item
/// at fixed columns given by the version's record layout (the v14-v18 dictionaries carry them as `startColumn`; v12
/// and v13 come from the published layouts, `scripts/gen-dictionary`).
/// - The version is NAACCR Record Version (item 50, columns 17-19); every line must have the first line's.
/// - A line's length is fixed by Record Type (item 10, column 1): A and M records hold the whole layout, C records
///   end with the last confidential item, I records with the last incidence item (v18: 24194 / 6154 / 4048
///   characters; v12-v16: 22824 / 5564 / 3339), computed from the items' record types.
/// - Consecutive lines with the same Patient ID Number (item 20) are one patient, as the reference reader groups
///   them. Patient-level items come from the patient's first line; another line that differs is reported
///   (`tumorsDisagree`, "Patient value not consistent among tumors" in the reference reader). NaaccrData-level
///   items come from the first line of the file; a line that differs is reported the same way.
/// - Values are trimmed of the blanks that pad them to their width; a value invalid for its item (length, data
///   type, date) is kept and reported with its line, columns and item.
/// - A line of the wrong length, a version this reader has no layout for, or a control character stops reading
///   with the line (and the columns and item where there is one): the file is refused whole, nothing half-read.
/// Lines are UTF-8, or ISO-8859-1/windows-1252 when they are not valid UTF-8; columns count characters.
public final class NaaccrFlatReader {
    public private(set) var header: NaaccrHeader
    public let dictionary: NaaccrDictionary
    public private(set) var patientCount = 0
    /// The record length (characters) of this file's record type.
    public let recordLength: Int

    private let lines: LineSource
    private let name: String
    private var file: FileByteSource?
    private let fields: [Field]
    private let versionText: String
    private let patientIdIndex: Int?
    private var pending: ParsedLine?
    private var lastPatientValueCount = 0
    private var lastTumorValueCount = 0

    /// One item's place in the record.
    struct Field {
        let level: NaaccrLevel
        let index: Int
        /// 0-based first column and width, in characters.
        let start: Int
        let width: Int
        let rule: NaaccrValueRule
        let naaccrId: String
        var columns: String { "columns \(start + 1)-\(start + width)" }
    }

    /// A line split into its levels' values.
    struct ParsedLine {
        var line: Int
        var data = NaaccrValues()
        var patient = NaaccrValues()
        var tumor = NaaccrValues()
        var issues: [NaaccrIssue] = []
    }

    /// The longest line read (bytes): the longest record (24194 characters) in UTF-8 with room to spare.
    static let maximumLineBytes = 128 * 1024

    /// Reads from `source` (already inflated). Without `dictionary` the version's own is used (the base dictionary
    /// with its default user dictionary); `userDictionaries` add a registry's own items with their `startColumn`.
    public init(source: ByteSource, name: String, dictionary: NaaccrDictionary? = nil, userDictionaries: [NaaccrDictionary] = [],
                file: FileByteSource? = nil) throws {
        self.name = name
        self.file = file
        lines = LineSource(source: source, name: name, maximum: Self.maximumLineBytes)
        guard let first = try lines.nextNonBlank() else {
            throw NaaccrReadError(line: 1, message: "the file is empty: neither NAACCR XML nor a flat NAACCR record", file: name)
        }
        let text = Array(first.bytes)
        let version = text.count >= 19 ? String(decoding: text[16..<19], as: UTF8.self) : ""
        let recordType = text.first.map { String(UnicodeScalar($0)) } ?? ""
        let base: NaaccrDictionary
        if let dictionary {
            base = dictionary
        } else if let known = NaaccrDictionary.flatVersions.first(where: { $0.naaccrVersion == version })
                    ?? NaaccrDictionary.flatVersions.first(where: { $0.naaccrVersion.prefix(2) == version.prefix(2) && version.count == 3 }) {
            base = known
        } else {
            let shown = version.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } ? version : "?"
            throw NaaccrReadError(line: first.number, message: "columns 17-19 (NAACCR Record Version, item 50) hold \"\(shown)\": "
                + "flat files of versions 12 to 18 (120-180) are read; from version 21 on NAACCR data is exchanged as XML"
                + (text.first == UInt8(ascii: "<") ? "" : " (a file that is not NAACCR data at all gets this message too)"), file: name)
        }
        guard let types = NaaccrRecordTypes(recordType: recordType) else {
            throw NaaccrReadError(line: first.number, message: "column 1 (Record Type, item 10) must be A, M, C or I", file: name)
        }
        for user in userDictionaries { try user.checkUserDictionary(against: base) }
        let merged = try base.merging(userDictionaries)
        self.dictionary = merged
        versionText = version
        var fields: [Field] = []
        for level in NaaccrLevel.allCases {
            for (index, item) in merged.items[level]!.enumerated() {
                guard let start = item.startColumn, item.recordTypes.contains(types) else { continue }
                fields.append(Field(level: level, index: index, start: start - 1, width: item.length,
                                    rule: merged.rule(NaaccrItemKey(level: level, index: index)), naaccrId: item.naaccrId))
            }
        }
        guard !fields.isEmpty else {
            throw NaaccrReadError(line: first.number, message: "the dictionary \(merged.uri) has no flat-file columns (startColumn)", file: name)
        }
        recordLength = fields.map { $0.start + $0.width }.max()!
        self.fields = fields.sorted { $0.start < $1.start }
        patientIdIndex = merged.key(naaccrNum: 20).flatMap { $0.level == .patient ? $0.index : nil }
        header = NaaccrHeader(baseDictionaryUri: base.uri, recordType: recordType, specificationVersion: "flat")
        let parsed = try parse(first)
        header.values = parsed.data
        pending = parsed
    }

    /// How much of the file has been read (0...1), when reading a regular file.
    public var fractionRead: Double? {
        guard let file, let size = file.size, size > 0 else { return nil }
        return Swift.min(1, Double(file.bytesRead) / Double(size))
    }

    /// The next patient: consecutive lines with the same Patient ID Number.
    public func next() throws -> NaaccrPatient? {
        guard let first = try pending ?? nextParsed() else { return nil }
        pending = nil
        patientCount += 1
        var patient = NaaccrPatient(dictionary: dictionary)
        patient.line = first.line
        patient.values = first.patient
        patient.issues = first.issues.map { renumbered($0, tumor: 1) }
        patient.tumors.reserveCapacity(2)
        func add(_ parsed: ParsedLine) {
            var tumor = NaaccrTumor(dictionary: dictionary)
            tumor.line = parsed.line
            tumor.values = parsed.tumor
            lastTumorValueCount = parsed.tumor.entries.count
            patient.tumors.append(tumor)
        }
        checkFileLevel(first, into: &patient)
        add(first)
        let id = patientIdIndex.flatMap { first.patient[$0] }
        while let parsed = try nextParsed() {
            guard let id, let other = patientIdIndex.flatMap({ parsed.patient[$0] }), other == id else {
                pending = parsed
                break
            }
            patient.issues += parsed.issues.map { renumbered($0, tumor: patient.tumors.count + 1) }
            checkFileLevel(parsed, into: &patient)
            if parsed.patient != first.patient {
                for entry in union(first.patient, parsed.patient) where first.patient[entry] != parsed.patient[entry] {
                    patient.issues.append(NaaccrIssue(kind: .tumorsDisagree, line: parsed.line, patientIndex: patientCount,
                                                      tumorIndex: patient.tumors.count + 1,
                                                      naaccrId: dictionary.item(NaaccrItemKey(level: .patient, index: entry)).naaccrId,
                                                      detail: "a patient item differs from the patient's first line; the first line's value is kept"))
                }
            }
            add(parsed)
        }
        lastPatientValueCount = patient.values.entries.count
        return patient
    }

    /// NaaccrData-level items must be the same on every line (one file, one registry, one record type).
    private func checkFileLevel(_ parsed: ParsedLine, into patient: inout NaaccrPatient) {
        guard parsed.data != header.values else { return }
        for entry in union(header.values, parsed.data) where header.values[entry] != parsed.data[entry] {
            patient.issues.append(NaaccrIssue(kind: .tumorsDisagree, line: parsed.line, patientIndex: patientCount, tumorIndex: nil,
                                              naaccrId: dictionary.item(NaaccrItemKey(level: .naaccrData, index: entry)).naaccrId,
                                              detail: "a file-level item differs from the first line's; the first line's value is kept"))
        }
    }

    private func union(_ a: NaaccrValues, _ b: NaaccrValues) -> [Int] {
        Array(Set(a.entries.map(\.index)).union(b.entries.map(\.index))).sorted()
    }

    private func renumbered(_ issue: NaaccrIssue, tumor: Int) -> NaaccrIssue {
        var issue = issue
        issue.patientIndex = patientCount
        if issue.tumorIndex != nil { issue.tumorIndex = tumor }
        return issue
    }

    private func nextParsed() throws -> ParsedLine? {
        guard let line = try lines.nextNonBlank() else { return nil }
        return try parse(line)
    }

    /// Splits one line into its items.
    private func parse(_ line: LineSource.Line) throws -> ParsedLine {
        var parsed = ParsedLine(line: line.number)
        parsed.patient.reserveCapacity(lastPatientValueCount)
        parsed.tumor.reserveCapacity(lastTumorValueCount)
        let bytes = line.bytes
        // One pass, eight bytes at a time: plain ASCII (the usual case: a column is a byte) and no control characters.
        let ascii = Self.isPlainASCII(bytes)
        if ascii {
            guard bytes.count == recordLength else { throw lengthError(line.number, bytes.count) }
            try read(bytes, starts: nil, into: &parsed)
        } else {
            // Characters: UTF-8 when the line is valid UTF-8, else ISO-8859-1 / windows-1252 transcoded to UTF-8.
            var utf8: [UInt8]
            if String(validating: bytes, as: UTF8.self) != nil {
                utf8 = Array(bytes)
            } else {
                let text = String(bytes.map { byte -> Character in
                    if byte >= 0x80 && byte < 0xA0, let mapped = UnicodeScalar(DeclaredEncoding.windows1252High[Int(byte) - 0x80]), mapped.value != 0 {
                        return Character(mapped)
                    }
                    return Character(UnicodeScalar(byte))
                })
                utf8 = Array(text.utf8)
            }
            var starts: [Int] = []
            starts.reserveCapacity(utf8.count + 1)
            for (i, byte) in utf8.enumerated() where byte & 0xC0 != 0x80 { starts.append(i) }
            let characters = starts.count
            starts.append(utf8.count)
            if let at = utf8.firstIndex(where: { $0 < 0x20 || $0 == 0x7F }) {
                let column = starts.firstIndex(where: { $0 >= at }) ?? 0
                let field = fields.first { $0.start <= column && column < $0.start + $0.width }
                throw NaaccrReadError(line: line.number, message: "column \(column + 1)\(field.map { " (item \($0.naaccrId), \($0.columns))" } ?? ""): "
                                      + "a control character, which NAACCR data may not hold", file: name)
            }
            guard characters == recordLength else { throw lengthError(line.number, characters) }
            try utf8.withUnsafeBufferPointer { try read($0, starts: starts, into: &parsed) }
        }
        if let version = dictionary.key(naaccrNum: 50), let value = parsed.data[version.index], value != versionText {
            throw NaaccrReadError(line: line.number, message: "NAACCR Record Version (item 50, columns 17-19) differs from the first line's: "
                                  + "one file holds records of one version", file: name)
        }
        return parsed
    }

    private func lengthError(_ line: Int, _ length: Int) -> NaaccrReadError {
        NaaccrReadError(line: line, message: "the line is \(length) characters; a NAACCR v\(dictionary.naaccrVersion) record of type "
                        + "\(header.recordType.isEmpty ? "?" : header.recordType) is \(recordLength) (Invalid line length)", file: name)
    }

    /// Whether every byte is printable ASCII (0x20-0x7E), tested a word at a time (SWAR: a byte is below 0x20 when
    /// subtracting 0x20 borrows into its high bit; 0x7F is found as a zero byte of `word ^ 0x7F…`).
    static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let below20 = (word &- 0x2020_2020_2020_2020) & ~word & high
            let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
            let isDel = (del &- ones) & ~del & high
            if (word & high) | below20 | isDel != 0 { return false }
            i += 8
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0x20 || byte >= 0x7F { return false }
            i += 1
        }
        return true
    }

    /// Reads every field of a line (bytes, with character start offsets when not ASCII).
    private func read(_ bytes: UnsafeBufferPointer<UInt8>, starts: [Int]?, into parsed: inout ParsedLine) throws {
        for field in fields {
            var low: Int, high: Int
            if let starts {
                low = starts[field.start]
                high = starts[field.start + field.width]
            } else {
                low = field.start
                high = field.start + field.width
            }
            // Blank fields (most of a record) are skipped eight columns at a time.
            if let base = bytes.baseAddress {
                while low + 8 <= high, UnsafeRawPointer(base + low).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 { low += 8 }
            }
            while low < high, bytes[low] == 0x20 { low += 1 }
            if low == high { continue }
            while bytes[high - 1] == 0x20 { high -= 1 }
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[low..<high]), as: UTF8.self)
            switch field.level {
            case .naaccrData: parsed.data[field.index] = value
            case .patient: _ = parsed.patient.insertIfAbsent(field.index, value)
            case .tumor: _ = parsed.tumor.insertIfAbsent(field.index, value)
            }
            if let problem = NaaccrValueValidator.check(value, for: field.rule) {
                parsed.issues.append(NaaccrIssue(kind: problem.kind, line: parsed.line, patientIndex: 0,
                                                 tumorIndex: field.level == .tumor ? 1 : nil, naaccrId: field.naaccrId,
                                                 detail: "\(field.columns): \(problem.detail)"))
            }
        }
    }
}

extension NaaccrFlatReader: NaaccrPatientReader {}

/// Lines of a byte source, without their CR LF or LF, each at most `maximum` bytes.
final class LineSource {
    struct Line {
        let number: Int
        let bytes: UnsafeBufferPointer<UInt8>
    }

    private let source: ByteSource
    private let name: String
    private let maximum: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var start = 0, end = 0
    private var eof = false
    private var number = 0

    init(source: ByteSource, name: String, maximum: Int) {
        self.source = source
        self.name = name
        self.maximum = maximum
        capacity = max(4 * maximum, 1 << 20)
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The next line that is not empty or all blanks (valid until the next call).
    func nextNonBlank() throws -> Line? {
        while let line = try next() {
            if line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) { return line }
        }
        return nil
    }

    func next() throws -> Line? {
        while true {
            if let newline = memchr(buffer + start, 0x0A, end - start) {
                let at = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                number += 1
                var stop = at
                if stop > start, buffer[stop - 1] == 0x0D { stop -= 1 }
                guard stop - start <= maximum else { throw tooLong() }
                let line = Line(number: number, bytes: UnsafeBufferPointer(start: buffer + start, count: stop - start))
                start = at + 1
                return line
            }
            if eof {
                guard end > start else { return nil }
                number += 1
                var stop = end
                if buffer[stop - 1] == 0x0D { stop -= 1 }
                guard stop - start <= maximum else { throw tooLong() }
                let line = Line(number: number, bytes: UnsafeBufferPointer(start: buffer + start, count: stop - start))
                start = end
                return line
            }
            guard end - start <= maximum else { number += 1; throw tooLong() }
            if start > 0 {
                memmove(buffer, buffer + start, end - start)
                end -= start
                start = 0
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
            if n == 0 { eof = true } else { end += n }
        }
    }

    private func tooLong() -> NaaccrReadError {
        NaaccrReadError(line: number, message: "the line is longer than any NAACCR record (more than \(maximum) bytes)", file: name)
    }
}
