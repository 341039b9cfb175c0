extension NaaccrDictionary {
    /// Loads a dictionary in the standard's XML format (`<NaaccrDictionary>` with `<ItemDefs><ItemDef …/>`):
    /// a base dictionary of another version, or a user dictionary of registry-specific items. The rules every
    /// dictionary must meet (`NaaccrSpecification`: namespace, attributes of its specification version, ids and
    /// numbers) are checked here; the rules of user dictionaries need the base dictionary and are checked by
    /// `checkUserDictionary(against:)`.
    public static func load(path: String) throws -> NaaccrDictionary {
        try load(source: try openByteSource(path: path), name: path)
    }

    public static func load(source: ByteSource, name: String) throws -> NaaccrDictionary {
        let scanner = XMLScanner(source: source, name: name)
        var uri = "", version = "", specification = "1.0"
        var items: [NaaccrItem] = []
        var sawRoot = false
        var naaccrPrefixes: Set<String> = [], defaultIsNaaccr = false
        while true {
            let token = try scanner.next()
            if token == .endOfInput { break }
            guard token == .startTag else { continue }
            var attributes: [String: String] = [:]
            for attribute in scanner.attributes {
                let name = scanner.attributeName(attribute)
                guard attributes.updateValue(try scanner.attributeValue(attribute), forKey: name) == nil else {
                    throw NaaccrDictionaryError.malformed(line: scanner.tokenLine, reason: "attribute \(name.prefix(64)) is repeated (not well-formed XML)")
                }
            }
            let prefix = scanner.tagName().prefix.map(String.init)
            if !sawRoot {
                guard scanner.localNameEquals("NaaccrDictionary") else {
                    throw NaaccrDictionaryError.malformed(line: scanner.tokenLine, reason: "the root element must be <NaaccrDictionary>")
                }
                sawRoot = true
                for (name, value) in attributes where value == naaccrNamespace {
                    if name == "xmlns" { defaultIsNaaccr = true }
                    if name.hasPrefix("xmlns:") { naaccrPrefixes.insert(String(name.dropFirst(6))) }
                }
                specification = attributes["specificationVersion"] ?? "1.0"
                try NaaccrSpecification.checkRoot(attributes, inNamespace: prefix.map { naaccrPrefixes.contains($0) } ?? defaultIsNaaccr,
                                                  line: scanner.tokenLine)
                uri = attributes["dictionaryUri"] ?? ""
                version = attributes["naaccrVersion"] ?? ""
            } else if scanner.localNameEquals("ItemDef"), prefix.map({ naaccrPrefixes.contains($0) }) ?? defaultIsNaaccr {
                items.append(try itemDef(attributes, specification: specification, line: scanner.tokenLine))
            }
        }
        guard sawRoot else { throw NaaccrDictionaryError.malformed(line: 1, reason: "the root element must be <NaaccrDictionary>") }
        guard !items.isEmpty else { throw NaaccrDictionaryError.malformed(line: 1, reason: "a dictionary must define at least one ItemDef") }
        return try NaaccrDictionary(uri: uri, naaccrVersion: version, items: items, specificationVersion: specification)
    }

    private static func itemDef(_ a: [String: String], specification: String, line: Int) throws -> NaaccrItem {
        guard let id = a["naaccrId"], !id.isEmpty else {
            throw NaaccrDictionaryError.malformed(line: line, reason: "<ItemDef> lacks naaccrId")
        }
        func fail(_ reason: String) -> NaaccrDictionaryError { .invalidItemDef(naaccrId: String(id.prefix(64)), reason: "line \(line): \(reason)") }
        try NaaccrSpecification.checkItemDef(a, specification: specification, fail: fail)
        guard let number = a["naaccrNum"].flatMap({ Int($0) }) else { throw fail("naaccrNum missing or not a number") }
        guard let length = a["length"].flatMap({ Int($0) }), length > 0 else { throw fail("length missing or not a positive number") }
        guard let levelText = a["parentXmlElement"], let level = NaaccrLevel(rawValue: levelText) else {
            throw fail("parentXmlElement must be NaaccrData, Patient or Tumor")
        }
        guard let dataType = NaaccrDataType(rawValue: a["dataType"] ?? "text") else { throw fail("unknown dataType \(a["dataType"]!.prefix(40))") }
        // The specification (1.6 and later) also allows padding="none", the same as no padding attribute.
        let paddingText = a["padding"] == "none" ? "" : a["padding"] ?? ""
        guard let padding = NaaccrPadding(rawValue: paddingText) else { throw fail("unknown padding \(a["padding"]!.prefix(40))") }
        var startColumn: Int?
        if let text = a["startColumn"] {
            guard let column = Int(text), column > 0 else { throw fail("startColumn must be a positive number") }
            startColumn = column
        }
        return NaaccrItem(naaccrId: id, naaccrNum: number, name: a["naaccrName"] ?? "", length: length, dataType: dataType,
                          level: level, recordTypes: NaaccrRecordTypes(letters: a["recordTypes"] ?? "A,M,C,I"),
                          padding: padding, allowUnlimitedText: a["allowUnlimitedText"] == "true",
                          startColumn: startColumn)
    }
}
