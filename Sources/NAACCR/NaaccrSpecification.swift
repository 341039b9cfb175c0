import Foundation

/// What each version of the NAACCR XML specification allows in a dictionary, from its dictionary XSD
/// (`naaccr_dictionary_1.0.xsd` … `naaccr_dictionary_1.8.xsd`; `NAACCRTests` checks this table against the files),
/// and the rules the specification states for user dictionaries.
public enum NaaccrSpecification {
    /// The specification versions, oldest first.
    public static let versions = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"]

    /// Attributes of `<NaaccrDictionary>` by specification version (namespace declarations aside).
    public static func rootAttributes(_ version: String) -> Set<String> {
        var names: Set<String> = ["dictionaryUri", "naaccrVersion", "description"]
        if version >= "1.1" { names.insert("specificationVersion") }
        if version >= "1.5" { names.insert("dateLastModified") }
        return names
    }

    /// Whether `<NaaccrDictionary>` may carry attributes of other namespaces (`xsd:anyAttribute namespace="##other"`).
    public static func rootAllowsForeignAttributes(_ version: String) -> Bool { version == "1.0" }

    /// Attributes of `<ItemDef>` by specification version.
    public static func itemDefAttributes(_ version: String) -> Set<String> {
        var names: Set<String> = ["naaccrId", "naaccrNum", "naaccrName", "parentXmlElement", "dataType", "padding", "startColumn",
                                  "length", "sourceOfStandard", "recordTypes"]
        if version < "1.7" { names.insert("trim") }
        if version < "1.2" { names.insert("regexValidation") }
        if version >= "1.1" && version < "1.6" { names.insert("allowUnlimitedText") }
        return names
    }

    /// Values of `padding` by specification version.
    public static func paddings(_ version: String) -> Set<String> {
        if version >= "1.7" { return ["none", "leftZero"] }
        return version == "1.6" ? ["none", "rightBlank", "leftBlank", "rightZero", "leftZero"] : ["rightBlank", "leftBlank", "rightZero", "leftZero"]
    }

    /// Data types (every version; dateTime from 1.4 on, as its XSDs list).
    static let dataTypes: Set<String> = ["digits", "mixed", "alpha", "numeric", "date", "dateTime", "text"]

    static func checkRoot(_ attributes: [String: String], inNamespace: Bool, line: Int) throws {
        func fail(_ reason: String) -> NaaccrDictionaryError { .malformed(line: line, reason: reason) }
        guard inNamespace else { throw fail("<NaaccrDictionary> must be in the namespace \(naaccrNamespace) (xmlns=\"\(naaccrNamespace)\")") }
        let version = attributes["specificationVersion"] ?? "1.0"
        guard versions.contains(version) else {
            throw fail("specificationVersion \"\(version.prefix(16))\" is not a NAACCR XML specification version (1.0 to 1.8)")
        }
        let allowed = rootAttributes(version)
        for name in attributes.keys.sorted() where !allowed.contains(name) && name != "xmlns" && !name.hasPrefix("xmlns:") {
            if name.contains(":") && rootAllowsForeignAttributes(version) { continue }
            throw fail("<NaaccrDictionary> may not have the attribute \(name.prefix(64)) (specification \(version))")
        }
        guard let uri = attributes["dictionaryUri"], !uri.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail("<NaaccrDictionary> lacks the required attribute dictionaryUri")
        }
    }

    static func checkItemDef(_ attributes: [String: String], specification: String, fail: (String) -> NaaccrDictionaryError) throws {
        let allowed = itemDefAttributes(specification)
        for name in attributes.keys.sorted() where !allowed.contains(name) && name != "xmlns" && !name.hasPrefix("xmlns:") {
            throw fail("the attribute \(name.prefix(64)) is not allowed on <ItemDef> in specification \(specification)")
        }
        let id = attributes["naaccrId"] ?? ""
        // naaccrId: a lower-case letter, then letters and digits (the specification's naming rule).
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.count >= 2,
              id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else {
            throw fail("naaccrId must start with a lower-case letter followed by letters and digits")
        }
        if let padding = attributes["padding"], !paddings(specification).contains(padding) {
            throw fail("padding \"\(padding.prefix(40))\" is not allowed in specification \(specification) (\(paddings(specification).sorted().joined(separator: ", ")))")
        }
        if let trim = attributes["trim"], trim != "all" && trim != "none" { throw fail("trim must be all or none") }
        if let type = attributes["dataType"], !dataTypes.contains(type) { throw fail("unknown dataType \(type.prefix(40))") }
    }
}

extension NaaccrDictionary {
    /// The rules of a user dictionary (NAACCR XML specification, user-defined dictionaries), checked against the base
    /// dictionary of the files it is used with (`base`; its own `naaccrVersion` must be the base's when it states one):
    /// - it may not reuse an id or a number of the base dictionary;
    /// - an item of the version's default user dictionary (state requestor, NPCR, reserved items of v14-v21) may be
    ///   redefined only as it is there (number, name, length, record types, level, data type, start column);
    /// - any other item needs a number of its own; before specification 1.3 in the range 9500-99999;
    /// - its flat-file columns (startColumn) must lie inside one of the default user dictionary's items (the state
    ///   requestor, NPCR and reserved areas), so it never overlays a standard item;
    /// - before specification 1.1 every item needs a startColumn.
    public func checkUserDictionary(against base: NaaccrDictionary) throws {
        func fail(_ id: String, _ reason: String) -> NaaccrDictionaryError {
            .invalidItemDef(naaccrId: String(id.prefix(64)), reason: "user dictionary \(uri.prefix(200)): \(reason)")
        }
        if !naaccrVersion.isEmpty && naaccrVersion != base.naaccrVersion {
            throw NaaccrDictionaryError.malformed(line: 1, reason: "the user dictionary \(uri.prefix(200)) is for NAACCR version \(naaccrVersion.prefix(8)), "
                                                  + "the file's base dictionary for \(base.naaccrVersion)")
        }
        let defaults = NaaccrDictionary.defaultUserDictionary(forBase: base)
        let areas = defaults?.allItems.compactMap { item in item.startColumn.map { $0..<($0 + item.length) } } ?? []
        for item in allItems {
            if base.key(item.naaccrId) != nil { throw fail(item.naaccrId, "the id is a standard item of the base dictionary") }
            if let standard = defaults?.item(item.naaccrId) {
                var differences: [String] = []
                if standard.naaccrNum != item.naaccrNum { differences.append("naaccrNum \(standard.naaccrNum)") }
                if standard.name != item.name { differences.append("naaccrName \"\(standard.name)\"") }
                if standard.length != item.length { differences.append("length \(standard.length)") }
                if standard.recordTypes != item.recordTypes { differences.append("recordTypes \(standard.recordTypes.letters)") }
                if standard.level != item.level { differences.append("parentXmlElement \(standard.level.rawValue)") }
                if standard.dataType != item.dataType { differences.append("dataType \(standard.dataType.rawValue)") }
                if let column = item.startColumn, column != standard.startColumn { differences.append("startColumn \(standard.startColumn.map(String.init) ?? "none")") }
                if !differences.isEmpty {
                    throw fail(item.naaccrId, "an item of the default user dictionary must be defined as it is there: " + differences.joined(separator: ", "))
                }
                continue
            }
            if base.key(naaccrNum: item.naaccrNum) != nil || defaults?.key(naaccrNum: item.naaccrNum) != nil {
                throw fail(item.naaccrId, "naaccrNum \(item.naaccrNum) is a standard item's number")
            }
            if specificationVersion < "1.3" && !(9500...99999).contains(item.naaccrNum) {
                throw fail(item.naaccrId, "naaccrNum \(item.naaccrNum): before specification 1.3 user items are numbered 9500-99999")
            }
            if let column = item.startColumn {
                let columns = column..<(column + item.length)
                guard areas.contains(where: { $0.lowerBound <= columns.lowerBound && columns.upperBound <= $0.upperBound }) else {
                    throw fail(item.naaccrId, "columns \(column)-\(column + item.length - 1) are not inside the state requestor, NPCR or reserved "
                                + "areas of the default user dictionary (a user item may not overlay a standard item)")
                }
            } else if specificationVersion < "1.1" {
                throw fail(item.naaccrId, "before specification 1.1 every item needs a startColumn")
            }
            if item.allowUnlimitedText { throw fail(item.naaccrId, "allowUnlimitedText is for base dictionaries only") }
        }
    }
}
