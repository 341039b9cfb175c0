import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The NAACCR XML namespace.
public let naaccrNamespace = "http://naaccr.org/naaccrxml"

/// What a NAACCR data file says about itself: the root element's attributes and NaaccrData-level items.
public struct NaaccrHeader: Sendable {
    public var baseDictionaryUri: String
    public var userDictionaryUris: [String] = []
    /// `A`, `M`, `C` or `I`.
    public var recordType: String
    public var specificationVersion: String
    public var timeGenerated: String?
    /// NaaccrData-level items (registryId, recordType, …).
    public var values = NaaccrValues()
    public var issues: [NaaccrIssue] = []

    public init(baseDictionaryUri: String, recordType: String, specificationVersion: String = "1.8") {
        self.baseDictionaryUri = baseDictionaryUri
        self.recordType = recordType
        self.specificationVersion = specificationVersion
    }
}

/// Reads a NAACCR XML data file one patient at a time, in bounded memory.
///
/// Value-level problems (unknown item, wrong level or number, bad length, characters or date) are
/// collected on each patient with their line, patient, tumor and item, and reading goes on. Malformed
/// XML, a wrong root element or a missing required root attribute stops reading with a `NaaccrReadError`.
public final class NaaccrXMLReader {
    public private(set) var header = NaaccrHeader(baseDictionaryUri: "", recordType: "")
    public private(set) var dictionary = NaaccrDictionary.v26
    /// Patients read so far.
    public private(set) var patientCount = 0
    /// Value counts of the last patient and tumor read, the capacity hint for the next.
    private var lastPatientValueCount = 0
    private var lastTumorValueCount = 0
    private let scanner: XMLScanner
    private var file: FileByteSource?
    /// naaccrId bytes → key and validation rule, for the current dictionary.
    private let lookup: ItemIdLookup
    private var naaccrPrefixes: Set<String> = []
    private var defaultIsNaaccr = false
    private var pendingPatient = false
    private var finished = false
    /// Namespace prefixes the root declares (extension elements must use one of these or declare their own).
    private var declaredPrefixes: Set<String> = []
    /// Whether each item (by level ordinal and index) belongs in files of this file's record type.
    private var itemAllowed: [[Bool]] = []
    /// The attributes NAACCR defines on <NaaccrData>.
    static let rootAttributes: Set<String> = ["baseDictionaryUri", "userDictionaryUri", "recordType", "specificationVersion", "timeGenerated"]

    /// Opens `path` (`.gz` or gzip content is inflated). Without `dictionary`, the file's `baseDictionaryUri` must
    /// name a built-in one; `userDictionaries` add registry-specific items.
    /// `observingBytes` sees the file's bytes as they are read (before gzip inflation), e.g. to compute its checksum.
    public convenience init(path: String, dictionary: NaaccrDictionary? = nil, userDictionaries: [NaaccrDictionary] = [],
                            relaxedNamespace: Bool = false, observingBytes: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        let (source, file) = try openByteSourceWithFile(path: path)
        file.onRead = observingBytes
        try self.init(source: source, name: path, dictionary: dictionary, userDictionaries: userDictionaries, relaxedNamespace: relaxedNamespace)
        self.file = file
    }

    /// The file underneath a source opened elsewhere (for `fractionRead`).
    func attach(_ file: FileByteSource?) { if let file { self.file = file } }

    /// How much of the file has been read (0...1), when reading a regular file; for a progress display with an ETA.
    public var fractionRead: Double? {
        guard let file, let size = file.size, size > 0 else { return nil }
        return Swift.min(1, Double(file.bytesRead) / Double(size))
    }

    /// `relaxedNamespace` reads files the way the reference reader's relaxed mode does (NAACCR XML specification 1.x
    /// lets readers choose): a root that declares no default namespace is taken to be in the NAACCR namespace, and
    /// non-standard root attributes without a declared namespace prefix are ignored instead of refused.
    public init(source: ByteSource, name: String, dictionary: NaaccrDictionary? = nil, userDictionaries: [NaaccrDictionary] = [],
                relaxedNamespace: Bool = false) throws {
        // The declared encoding decides how bytes become text (UTF-8 passes through; ISO-8859-1/windows-1252 are transcoded).
        let scanner = XMLScanner(source: try DeclaredEncoding.utf8Source(for: source, name: name), name: name)
        self.scanner = scanner
        // The root element.
        var token = try scanner.next()
        while token == .text, scanner.textIsWhitespace { token = try scanner.next() }
        guard token == .startTag, scanner.localNameEquals("NaaccrData") else {
            throw scanner.error("the root element must be <NaaccrData>")
        }
        var attributes: [String: String] = [:]
        for attribute in scanner.attributes {
            let name = scanner.attributeName(attribute)
            // XML 1.0 §3.1: an attribute may appear once per element (a repeated xmlns too).
            guard attributes.updateValue(try scanner.attributeValue(attribute), forKey: name) == nil else {
                throw scanner.error("attribute \(name.prefix(64)) is repeated on <NaaccrData> (not well-formed XML)")
            }
        }
        // The standard's attributes are unprefixed; a registry's own must be in a namespace the root declares.
        for name in attributes.keys.sorted() where !relaxedNamespace && !Self.rootAttributes.contains(name) && name != "xmlns" && !name.hasPrefix("xmlns:") {
            guard let colon = name.firstIndex(of: ":") else {
                throw scanner.error("attribute \(name.prefix(64)) of <NaaccrData> is not a NAACCR attribute: a registry's own attributes must use a namespace prefix")
            }
            guard attributes["xmlns:" + name[..<colon]] != nil else {
                throw scanner.error("attribute \(name.prefix(64)) uses the prefix \(name[..<colon].prefix(32)), which no xmlns declares")
            }
        }
        let prefix = scanner.tagName().prefix.map(String.init)
        declaredPrefixes = Set(attributes.keys.filter { $0.hasPrefix("xmlns:") }.map { String($0.dropFirst(6)) })
        for (name, value) in attributes where value == naaccrNamespace {
            if name == "xmlns" { defaultIsNaaccr = true }
            if name.hasPrefix("xmlns:") { naaccrPrefixes.insert(String(name.dropFirst(6))) }
        }
        if relaxedNamespace, attributes["xmlns"] == nil { defaultIsNaaccr = true }
        let rootIsNaaccr: Bool
        if let prefix { rootIsNaaccr = naaccrPrefixes.contains(prefix) } else { rootIsNaaccr = defaultIsNaaccr }
        guard rootIsNaaccr else {
            throw scanner.error("<NaaccrData> must be in the namespace \(naaccrNamespace) (xmlns=\"\(naaccrNamespace)\"); to read a file without it, use --relaxed-namespace")
        }
        guard let base = attributes["baseDictionaryUri"], !base.isEmpty else {
            throw scanner.error("<NaaccrData> lacks the required attribute baseDictionaryUri")
        }
        guard let recordType = attributes["recordType"], !recordType.isEmpty else {
            throw scanner.error("<NaaccrData> lacks the required attribute recordType")
        }
        guard NaaccrRecordTypes(recordType: recordType) != nil else {
            throw scanner.error("recordType must be A, M, C or I")
        }
        header = NaaccrHeader(baseDictionaryUri: base, recordType: recordType,
                                  specificationVersion: attributes["specificationVersion"] ?? "1.0")
        header.userDictionaryUris = (attributes["userDictionaryUri"] ?? "").split(separator: " ").map(String.init)
        header.timeGenerated = attributes["timeGenerated"]
        if let time = header.timeGenerated, time.range(of: #"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"#,
                                                        options: .regularExpression) == nil {
            throw scanner.error("timeGenerated \"\(Self.shortened(time))\" is not an xsd:dateTime such as 2026-01-31T12:00:00Z")
        }
        guard let baseDictionary = dictionary ?? NaaccrDictionary.builtIn(uri: base) else {
            throw NaaccrDictionaryError.unknownBaseDictionary(base)
        }
        // User dictionaries: those given (checked against the file's base dictionary), those the file names that are
        // built in, else (files of v14 to v21 that name none) the default user dictionary NAACCR published for the file's version.
        for user in userDictionaries { try user.checkUserDictionary(against: baseDictionary) }
        var users = userDictionaries
        for uri in header.userDictionaryUris where !users.contains(where: { $0.uri == uri }) {
            if let known = NaaccrDictionary.builtIn(uri: uri) { users.append(known) }
        }
        if header.userDictionaryUris.isEmpty, userDictionaries.isEmpty, let standard = NaaccrDictionary.defaultUserDictionary(forBase: baseDictionary) {
            users.append(standard)
        }
        let merged = try baseDictionary.merging(users)
        self.dictionary = merged
        lookup = merged.byteLookup
        let allowed = NaaccrRecordTypes(recordType: recordType) ?? .abstract
        itemAllowed = NaaccrLevel.allCases.map { level in merged.items[level]!.map { $0.recordTypes.contains(allowed) } }
        if scanner.selfClosing {
            finished = true
        } else {
            // NaaccrData-level items up to the first patient.
            while true {
                let token = try scanner.next()
                switch token {
                case .text:
                    guard scanner.textIsWhitespace else { throw scanner.error("unexpected text in <NaaccrData>") }
                case .startTag where try isNaaccr() && scanner.localNameEquals("Item"):
                    var values = header.values, issues = header.issues
                    try readItem(level: .naaccrData, into: &values, issues: &issues, patientIndex: 0, tumorIndex: nil)
                    header.values = values
                    header.issues = issues
                    continue
                case .startTag where try isNaaccr() && scanner.localNameEquals("Patient"):
                    pendingPatient = true
                case .startTag where try !isNaaccr():
                    try skipElement()
                    continue
                case .startTag:
                    throw scanner.error("unexpected element <\(scanner.tagName().local)> in <NaaccrData>")
                case .endTag:
                    finished = true
                case .endOfInput:
                    throw scanner.error("the file ends before </NaaccrData>")
                }
                if pendingPatient || finished { break }
            }
        }
    }

    /// The next patient with its tumors, or nil at the end of the file.
    public func next() throws -> NaaccrPatient? {
        while !pendingPatient {
            if finished { return nil }
            switch try scanner.next() {
            case .text:
                guard scanner.textIsWhitespace else { throw scanner.error("unexpected text in <NaaccrData>") }
            case .startTag where try isNaaccr() && scanner.localNameEquals("Patient"):
                pendingPatient = true
            case .startTag where try !isNaaccr():
                try skipElement()
            case .startTag:
                throw scanner.error("unexpected element <\(scanner.tagName().local)>: items of NaaccrData come before the first <Patient>")
            case .endTag:
                finished = true
                try expectEndOfInput()
            case .endOfInput:
                throw scanner.error("the file ends before </NaaccrData>")
            }
        }
        pendingPatient = false
        patientCount += 1
        try refuseAttributes("Patient")
        var patient = NaaccrPatient(dictionary: dictionary)
        patient.line = scanner.tokenLine
        if scanner.selfClosing { return patient }
        // Records of one file are alike in size: room for as many values as the last one saves regrowing the arrays.
        patient.values.reserveCapacity(lastPatientValueCount)
        defer { lastPatientValueCount = patient.values.entries.count }
        while true {
            switch try scanner.next() {
            case .text:
                guard scanner.textIsWhitespace else { throw scanner.error("unexpected text in <Patient>") }
            case .startTag where try isNaaccr() && scanner.localNameEquals("Item"):
                try readItem(level: .patient, into: &patient.values, issues: &patient.issues,
                             patientIndex: patientCount, tumorIndex: nil)
            case .startTag where try isNaaccr() && scanner.localNameEquals("Tumor"):
                try refuseAttributes("Tumor")
                var tumor = NaaccrTumor(dictionary: dictionary)
                tumor.line = scanner.tokenLine
                if !scanner.selfClosing {
                    tumor.values.reserveCapacity(lastTumorValueCount)
                    try readTumor(&tumor, issues: &patient.issues, tumorIndex: patient.tumors.count + 1)
                    lastTumorValueCount = tumor.values.entries.count
                }
                patient.tumors.append(tumor)
            case .startTag where try !isNaaccr():
                try skipElement()
            case .startTag:
                throw scanner.error("unexpected element <\(scanner.tagName().local)> in <Patient>")
            case .endTag:
                guard scanner.localNameEquals("Patient") else { throw scanner.error("mismatched end tag in <Patient>") }
                return patient
            case .endOfInput:
                throw scanner.error("the file ends inside <Patient> number \(patientCount)")
            }
        }
    }

    private func readTumor(_ tumor: inout NaaccrTumor, issues: inout [NaaccrIssue], tumorIndex: Int) throws {
        while true {
            switch try scanner.next() {
            case .text:
                guard scanner.textIsWhitespace else { throw scanner.error("unexpected text in <Tumor>") }
            case .startTag where try isNaaccr() && scanner.localNameEquals("Item"):
                try readItem(level: .tumor, into: &tumor.values, issues: &issues, patientIndex: patientCount, tumorIndex: tumorIndex)
            case .startTag where try !isNaaccr():
                try skipElement()
            case .startTag:
                throw scanner.error("unexpected element <\(scanner.tagName().local)> in <Tumor>")
            case .endTag:
                guard scanner.localNameEquals("Tumor") else { throw scanner.error("mismatched end tag in <Tumor>") }
                return
            case .endOfInput:
                throw scanner.error("the file ends inside a <Tumor>")
            }
        }
    }

    /// Reads one `<Item>` (the scanner is on its start tag) and stores or reports its value.
    private func readItem(level: NaaccrLevel, into values: inout NaaccrValues, issues: inout [NaaccrIssue],
                          patientIndex: Int, tumorIndex: Int?) throws {
        let line = scanner.tokenLine
        var idAttribute: XMLScanner.Attribute?
        var numberAttribute: XMLScanner.Attribute?
        for a in 0..<scanner.attributeCount {
            let attribute = scanner.attribute(at: a)
            let nameLength = attribute.nameEnd - attribute.nameStart
            if nameLength == 8, memcmp(scanner.buffer + attribute.nameStart, "naaccrId", 8) == 0 {
                idAttribute = attribute
            } else if nameLength == 9, memcmp(scanner.buffer + attribute.nameStart, "naaccrNum", 9) == 0 {
                numberAttribute = attribute
            }
        }
        guard let idAttribute else { throw scanner.error("<Item> lacks the required attribute naaccrId") }
        // An id written with entities (naaccrId="primary&#83;ite") is looked up decoded.
        let found = idAttribute.hasEntity
            ? try scanner.attributeValue(idAttribute).utf8.withContiguousStorageIfAvailable { lookup.lookup($0.baseAddress!, $0.count) } ?? nil
            : lookup.lookup(scanner.buffer + idAttribute.valueStart, idAttribute.valueEnd - idAttribute.valueStart)
        let key = found?.key
        // Built only when a message needs it.
        // Messages never repeat a huge value: an unknown id is cut to 64 characters.
        let unknownId = key == nil ? Self.shortened(try scanner.attributeValue(idAttribute)) : nil
        var naaccrId: String { key.map { dictionary.item($0).naaccrId } ?? unknownId! }
        let numberText: String? = try numberAttribute.flatMap { scanner.attributeInteger($0) == nil ? try scanner.attributeValue($0) : nil }
        let number = numberAttribute.flatMap { scanner.attributeInteger($0) }

        // The value: character data up to </Item>.
        var value = ""
        var edgeSpace = false
        // The value's problem, found in the scanner's buffer when the value is one plain run of text (the usual case).
        var problem: (kind: NaaccrIssue.Kind, detail: String)?
        var checked = false
        if !scanner.selfClosing {
            var pieces = 0
            loop: while true {
                switch try scanner.next() {
                case .text:
                    let piece: String
                    do { piece = try scanner.text() } catch let error as NaaccrReadError {
                        throw NaaccrReadError(line: error.line, message: "item \(naaccrId) (patient \(patientIndex)\(tumorIndex.map { ", tumor \($0)" } ?? "")): \(error.message)",
                                              file: error.file)
                    }
                    value = pieces == 0 ? piece : value + piece
                    if pieces == 0 && !scanner.textHasEntity && !scanner.textNeedsCheck, let rule = found?.rule {
                        edgeSpace = scanner.textEdgesAreSpace
                        problem = NaaccrValueValidator.check(utf8: scanner.textBytes, for: rule)
                        checked = true
                    } else {
                        edgeSpace = value.utf8.first == 32 || value.utf8.last == 32
                        checked = false
                    }
                    pieces += 1
                case .endTag:
                    guard scanner.localNameEquals("Item") else { throw scanner.error("mismatched end tag in <Item>") }
                    break loop
                case .startTag:
                    throw scanner.error("<Item> \(naaccrId) contains an element; items hold text only")
                case .endOfInput:
                    throw scanner.error("the file ends inside <Item> \(naaccrId)")
                }
            }
        }

        func report(_ kind: NaaccrIssue.Kind, _ detail: String) {
            issues.append(NaaccrIssue(kind: kind, line: line, patientIndex: patientIndex, tumorIndex: tumorIndex,
                                      naaccrId: naaccrId, detail: detail))
        }
        guard let key else {
            report(.unknownItem, "not in \(dictionary.uri)\(dictionary.userDictionaryUris.isEmpty ? "" : " or its user dictionaries"); value dropped")
            return
        }
        guard key.level == level else {
            report(.wrongLevel, "belongs to \(key.level.rawValue), found in \(level.rawValue); value dropped")
            return
        }
        // An item outside the file's record type (names in an incidence file) is not part of it (imsweb: unknown ID).
        guard itemAllowed[level.ordinal][key.index] else {
            report(.unknownItem, "not part of record type \(header.recordType) files; value dropped")
            return
        }
        let rule = found!.rule
        if numberAttribute != nil, number != rule.naaccrNum {
            report(.wrongNumber, "naaccrNum \(numberText ?? number.map(String.init) ?? ""), the dictionary says \(rule.naaccrNum)")
        }
        guard !value.isEmpty else { return }
        if edgeSpace { report(.surroundingSpaces, "kept as read") }
        // Kept even when invalid: nothing the registry sent is lost; edits flag it.
        guard values.insertIfAbsent(key.index, value) else {
            report(.duplicateItem, "the first value is kept")
            return
        }
        if !checked { problem = NaaccrValueValidator.check(value, for: rule) }
        if let problem { report(problem.kind, problem.detail) }
    }

    static func shortened(_ text: String) -> String { text.count <= 64 ? text : String(text.prefix(64)) + "…" }

    /// <Patient> and <Tumor> carry no attributes (a registry's own attributes belong on <NaaccrData>); namespace
    /// declarations aside.
    private func refuseAttributes(_ element: String) throws {
        for a in 0..<scanner.attributeCount {
            let name = scanner.attributeName(scanner.attribute(at: a))
            if name != "xmlns" && !name.hasPrefix("xmlns:") {
                throw scanner.error("unexpected attribute \(name.prefix(64)) on <\(element)>: user-defined attributes are allowed on <NaaccrData> only")
            }
        }
    }

    private func isNaaccr() throws -> Bool {
        guard scanner.tagPrefixEnd() != nil else { return defaultIsNaaccr }
        guard let prefix = scanner.tagName().prefix else { return defaultIsNaaccr }
        let name = String(prefix)
        if naaccrPrefixes.contains(name) { return true }
        // An element whose prefix no xmlns declares is not namespace-well-formed: an error, never silently skipped.
        if !declaredPrefixes.contains(name) && !scanner.attributes.contains(where: { scanner.attributeName($0) == "xmlns:" + name }) {
            throw scanner.error("element <\(name.prefix(32)):\(scanner.tagName().local.prefix(64))> uses the prefix \(name.prefix(32)), which no xmlns declares")
        }
        return false
    }

    /// Skips an extension element (another namespace) and everything inside it.
    private func skipElement() throws {
        if scanner.selfClosing { return }
        var depth = 1
        while depth > 0 {
            switch try scanner.next() {
            case .startTag: if !scanner.selfClosing { depth += 1 }
            case .endTag: depth -= 1
            case .text: break
            case .endOfInput: throw scanner.error("the file ends inside an extension element")
            }
        }
    }

    private func expectEndOfInput() throws {
        while true {
            switch try scanner.next() {
            case .text where scanner.textIsWhitespace: continue
            case .endOfInput: return
            default: throw scanner.error("content after </NaaccrData>")
            }
        }
    }
}
