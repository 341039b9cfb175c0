import Foundation

/// Writes NAACCR XML data files: the declaration, `<NaaccrData>` with its namespace and required
/// attributes, then one patient at a time.
///
/// Only items allowed in the file's record type are written (an Incidence file leaves out names,
/// addresses, text and the other A/M/C-only items), in `naaccrNum` order, blank values left out.
public final class NaaccrXMLWriter {
    private let sink: ByteSink
    private let encoder: NaaccrXMLPatientEncoder
    private var buffer: [UInt8] = []
    public private(set) var patientCount = 0

    public init(sink: ByteSink, dictionary: NaaccrDictionary, header: NaaccrHeader, indent: Bool = true,
                timeGenerated: Date = Date()) throws {
        self.sink = sink
        encoder = NaaccrXMLPatientEncoder(dictionary: dictionary, recordType: header.recordType, indent: indent)
        let time = ISO8601DateFormatter().string(from: timeGenerated)
        var root = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NaaccrData"
        root += " baseDictionaryUri=\"\(NaaccrXMLWriter.escapeAttribute(header.baseDictionaryUri))\""
        if !header.userDictionaryUris.isEmpty {
            root += " userDictionaryUri=\"\(NaaccrXMLWriter.escapeAttribute(header.userDictionaryUris.joined(separator: " ")))\""
        }
        root += " recordType=\"\(NaaccrXMLWriter.escapeAttribute(header.recordType))\""
        root += " specificationVersion=\"\(NaaccrXMLWriter.escapeAttribute(header.specificationVersion))\""
        root += " timeGenerated=\"\(time)\""
        root += " xmlns=\"\(naaccrNamespace)\">"
        buffer.append(contentsOf: root.utf8)
        if indent { buffer.append(10) }
        encoder.appendItems(header.values, level: .naaccrData, depth: 1, to: &buffer)
        try flush()
    }

    /// Appends one patient and its tumors.
    public func write(_ patient: NaaccrPatient) throws {
        patientCount += 1
        encoder.append(patient, to: &buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends patients already encoded (by a `NaaccrXMLPatientEncoder` of this file's dictionary, record type and
    /// indentation, possibly on another thread).
    public func write(encoded bytes: [UInt8], patients: Int) throws {
        patientCount += patients
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Closes `</NaaccrData>` and finishes the sink.
    public func finish() throws {
        buffer.append(contentsOf: "</NaaccrData>\n".utf8)
        try flush()
        try sink.finish()
    }

    static func escapeAttribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { try sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The `<Patient>` elements of a NAACCR XML file as bytes: only items allowed in the record type, in `naaccrNum`
/// order, blank values left out, text escaped. A value (no shared state), so threads can encode patients side by side
/// for one `NaaccrXMLWriter` to write in order.
public struct NaaccrXMLPatientEncoder: Sendable {
    public let indent: Bool
    /// `<Item naaccrId="…" naaccrNum="…">` for every item, back to back; `tagRanges[level ordinal][index]` locates
    /// one (empty when the record type excludes the item). Flat bytes keep the inner loop free of reference counting.
    private let tagBytes: [UInt8]
    private let tagRanges: [[Range<Int>]]

    public init(dictionary: NaaccrDictionary, recordType: String, indent: Bool = true) {
        self.indent = indent
        let allowed = NaaccrRecordTypes(recordType: recordType) ?? .abstract
        var bytes: [UInt8] = []
        tagRanges = NaaccrLevel.allCases.map { level in
            dictionary.items[level]!.map { item in
                guard item.recordTypes.contains(allowed) else { return 0..<0 }
                let start = bytes.count
                bytes.append(contentsOf: "<Item naaccrId=\"\(item.naaccrId)\" naaccrNum=\"\(item.naaccrNum)\">".utf8)
                return start..<bytes.count
            }
        }
        tagBytes = bytes
    }

    /// Appends one `<Patient>` element with its tumors.
    public func append(_ patient: NaaccrPatient, to buffer: inout [UInt8]) {
        pad(1, &buffer); buffer.append(contentsOf: "<Patient>".utf8); newline(&buffer)
        appendItems(patient.values, level: .patient, depth: 2, to: &buffer)
        for tumor in patient.tumors {
            pad(2, &buffer); buffer.append(contentsOf: "<Tumor>".utf8); newline(&buffer)
            appendItems(tumor.values, level: .tumor, depth: 3, to: &buffer)
            pad(2, &buffer); buffer.append(contentsOf: "</Tumor>".utf8); newline(&buffer)
        }
        pad(1, &buffer); buffer.append(contentsOf: "</Patient>".utf8); newline(&buffer)
    }

    func appendItems(_ values: NaaccrValues, level: NaaccrLevel, depth: Int, to buffer: inout [UInt8]) {
        let ranges = tagRanges[level.ordinal]
        tagBytes.withUnsafeBufferPointer { tags in
            for entry in values.entries {
                guard entry.index < ranges.count else { continue }
                let range = ranges[entry.index]
                if range.isEmpty { continue }
                pad(depth, &buffer)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: tags[range]))
                Self.appendEscaped(entry.value, to: &buffer)
                buffer.append(contentsOf: "</Item>".utf8)
                newline(&buffer)
            }
        }
    }

    private static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() where byte < 32 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: ">") {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch byte {
                case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): buffer.append(contentsOf: "&gt;".utf8)
                case 9: buffer.append(contentsOf: "&#9;".utf8)
                case 10: buffer.append(contentsOf: "&#10;".utf8)
                case 13: buffer.append(contentsOf: "&#13;".utf8)
                default: buffer.append(32)  // other control characters cannot appear in XML 1.0
                }
                start = i + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    private static let spaces = [UInt8](repeating: 32, count: 16)

    @inline(__always) private func pad(_ depth: Int, _ buffer: inout [UInt8]) {
        if indent { buffer.append(contentsOf: Self.spaces[..<(2 * depth)]) }
    }

    @inline(__always) private func newline(_ buffer: inout [UInt8]) { if indent { buffer.append(10) } }
}
