/// A NAACCR data file read one patient at a time: NAACCR XML (any version v14 to v26) or a fixed-width ("flat")
/// file of versions 12 to 18.
public protocol NaaccrPatientReader: AnyObject {
    /// What the file says about itself (record type, NaaccrData-level items) and the problems found there.
    var header: NaaccrHeader { get }
    /// The dictionary the file is read with (its version's base dictionary and user dictionaries).
    var dictionary: NaaccrDictionary { get }
    /// Patients read so far.
    var patientCount: Int { get }
    /// How much of the file has been read (0...1), when reading a regular file.
    var fractionRead: Double? { get }
    /// The next patient with its tumors, or nil at the end of the file.
    func next() throws -> NaaccrPatient?
}

extension NaaccrXMLReader: NaaccrPatientReader {}

/// How to read a NAACCR data file.
public struct NaaccrReadOptions: Sendable {
    /// A base dictionary (e.g. `--dictionary FILE.xml`) for a version that is not built in; nil to pick the file's own.
    public var dictionary: NaaccrDictionary?
    /// A registry's own items (user dictionaries).
    public var userDictionaries: [NaaccrDictionary]
    /// XML only: read files without the NAACCR namespace (`NaaccrXMLReader`'s relaxed mode).
    public var relaxedNamespace: Bool

    public init(dictionary: NaaccrDictionary? = nil, userDictionaries: [NaaccrDictionary] = [], relaxedNamespace: Bool = false) {
        self.dictionary = dictionary
        self.userDictionaries = userDictionaries
        self.relaxedNamespace = relaxedNamespace
    }
}

/// Opens NAACCR data files whatever their form: XML or flat, plain or gzip (by content, not by name).
public enum NaaccrFile {
    /// The two forms NAACCR has exchanged data in.
    public enum Format: String, Sendable { case xml, flat }

    /// Opens `path` (`-` for standard input). `observingBytes` sees the file's bytes as they are read (before gzip
    /// inflation), e.g. to compute its checksum.
    public static func open(path: String, options: NaaccrReadOptions = NaaccrReadOptions(),
                            observingBytes: ((UnsafeRawBufferPointer) -> Void)? = nil) throws -> any NaaccrPatientReader {
        let (source, file) = try openByteSourceWithFile(path: path)
        file.onRead = observingBytes
        return try open(source: source, name: path, options: options, file: file)
    }

    /// Opens a byte source (already inflated) named `name` in messages.
    public static func open(source: ByteSource, name: String, options: NaaccrReadOptions = NaaccrReadOptions()) throws -> any NaaccrPatientReader {
        try open(source: source, name: name, options: options, file: nil)
    }

    static func open(source: ByteSource, name: String, options: NaaccrReadOptions, file: FileByteSource?) throws -> any NaaccrPatientReader {
        let (format, replay) = try sniff(source)
        switch format {
        case .xml:
            let reader = try NaaccrXMLReader(source: replay, name: name, dictionary: options.dictionary,
                                             userDictionaries: options.userDictionaries, relaxedNamespace: options.relaxedNamespace)
            reader.attach(file)
            return reader
        case .flat:
            return try NaaccrFlatReader(source: replay, name: name, dictionary: options.dictionary,
                                        userDictionaries: options.userDictionaries, file: file)
        }
    }

    /// XML when the first character after an optional byte-order mark and white space is `<`; flat otherwise.
    /// Returns a source that replays the bytes looked at.
    static func sniff(_ source: ByteSource) throws -> (Format, ByteSource) {
        var head = [UInt8](repeating: 0, count: 4096)
        var count = 0
        var format: Format?
        while format == nil, count < head.count {
            let n = try head.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            if n == 0 { break }
            count += n
            var i = head[..<count].starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while i < count, [0x20, 0x09, 0x0A, 0x0D].contains(head[i]) { i += 1 }
            if i < count { format = head[i] == UInt8(ascii: "<") ? .xml : .flat }
            // UTF-16 XML (refused with its own message by the XML reader) starts with a byte-order mark or a zero byte.
            if count >= 2, head[0] == 0xFF || head[0] == 0xFE || head[0] == 0 || head[1] == 0 { format = .xml }
        }
        head.removeSubrange(count...)
        return (format ?? .xml, PrefixedByteSource(prefix: head, rest: source))
    }
}
