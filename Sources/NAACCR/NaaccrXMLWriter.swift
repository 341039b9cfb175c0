import Foundation

/// Writes NAACCR XML data files: the declaration, `<NaaccrData>` with its namespace and required
/// attributes, then one patient at a time.
///
/// Only items allowed in the file's record type are written (an Incidence file leaves out names,
/// addresses, text and the other A/M/C-only items), in `naaccrNum` order, blank values left out.
public final class NaaccrXMLWriter {
    private let sink: ByteSink
    private let dictionary: NaaccrDictionary
    private let indent: Bool
    private var buffer: [UInt8] = []
    /// `<Item naaccrId="…" naaccrNum="…">` per level and index; nil when the record type excludes the item.
    private let openTags: [NaaccrLevel: [[UInt8]?]]
    public private(set) var patientCount = 0

    public init(sink: ByteSink, dictionary: NaaccrDictionary, header: NaaccrHeader, indent: Bool = true,
                timeGenerated: Date = Date()) throws {
        self.sink = sink
        self.dictionary = dictionary
        self.indent = indent
        let allowed = NaaccrRecordTypes(recordType: header.recordType) ?? .abstract
        var tags: [NaaccrLevel: [[UInt8]?]] = [:]
        for level in NaaccrLevel.allCases {
            tags[level] = dictionary.items[level]!.map { item in
                item.recordTypes.contains(allowed)
                    ? Array("<Item naaccrId=\"\(item.naaccrId)\" naaccrNum=\"\(item.naaccrNum)\">".utf8) : nil
            }
        }
        openTags = tags
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
        newline()
        writeItems(header.values, level: .naaccrData, depth: 1)
        try flush()
    }

    /// Appends one patient and its tumors.
    public func write(_ patient: NaaccrPatient) throws {
        patientCount += 1
        pad(1); buffer.append(contentsOf: "<Patient>".utf8); newline()
        writeItems(patient.values, level: .patient, depth: 2)
        for tumor in patient.tumors {
            pad(2); buffer.append(contentsOf: "<Tumor>".utf8); newline()
            writeItems(tumor.values, level: .tumor, depth: 3)
            pad(2); buffer.append(contentsOf: "</Tumor>".utf8); newline()
        }
        pad(1); buffer.append(contentsOf: "</Patient>".utf8); newline()
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Closes `</NaaccrData>` and finishes the sink.
    public func finish() throws {
        buffer.append(contentsOf: "</NaaccrData>\n".utf8)
        try flush()
        try sink.finish()
    }

    private func writeItems(_ values: NaaccrValues, level: NaaccrLevel, depth: Int) {
        let tags = openTags[level]!
        for entry in values.entries {
            guard entry.index < tags.count, let tag = tags[entry.index] else { continue }
            pad(depth)
            buffer.append(contentsOf: tag)
            appendEscaped(entry.value)
            buffer.append(contentsOf: "</Item>".utf8)
            newline()
        }
    }

    private func appendEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): buffer.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): buffer.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): buffer.append(contentsOf: "&gt;".utf8)
            case 9: buffer.append(contentsOf: "&#9;".utf8)
            case 10: buffer.append(contentsOf: "&#10;".utf8)
            case 13: buffer.append(contentsOf: "&#13;".utf8)
            case 0..<32: buffer.append(32)  // other control characters cannot appear in XML 1.0
            default: buffer.append(byte)
            }
        }
    }

    static func escapeAttribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    @inline(__always) private func pad(_ depth: Int) {
        if indent { for _ in 0..<depth { buffer.append(32); buffer.append(32) } }
    }

    @inline(__always) private func newline() { if indent { buffer.append(10) } }

    private func flush() throws {
        try buffer.withUnsafeBytes { try sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
