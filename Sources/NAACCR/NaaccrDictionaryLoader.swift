extension NaaccrDictionary {
    /// Loads a dictionary in the standard's XML format (`<NaaccrDictionary>` with `<ItemDefs><ItemDef …/>`):
    /// a base dictionary of another version, or a user dictionary of registry-specific items.
    public static func load(path: String) throws -> NaaccrDictionary {
        try load(source: try openByteSource(path: path), name: path)
    }

    public static func load(source: ByteSource, name: String) throws -> NaaccrDictionary {
        let scanner = XMLScanner(source: source, name: name)
        var uri = "", version = ""
        var items: [NaaccrItem] = []
        var sawRoot = false
        while true {
            let token = try scanner.next()
            if token == .endOfInput { break }
            guard token == .startTag else { continue }
            var attributes: [String: String] = [:]
            for attribute in scanner.attributes { attributes[scanner.attributeName(attribute)] = try scanner.attributeValue(attribute) }
            if scanner.localNameEquals("NaaccrDictionary") {
                sawRoot = true
                guard let dictionaryUri = attributes["dictionaryUri"] else {
                    throw NaaccrDictionaryError.malformed(line: scanner.tokenLine, reason: "<NaaccrDictionary> lacks dictionaryUri")
                }
                uri = dictionaryUri
                version = attributes["naaccrVersion"] ?? ""
            } else if scanner.localNameEquals("ItemDef") {
                items.append(try itemDef(attributes, line: scanner.tokenLine))
            }
        }
        guard sawRoot else { throw NaaccrDictionaryError.malformed(line: 1, reason: "the root element must be <NaaccrDictionary>") }
        return try NaaccrDictionary(uri: uri, naaccrVersion: version, items: items)
    }

    private static func itemDef(_ a: [String: String], line: Int) throws -> NaaccrItem {
        guard let id = a["naaccrId"], !id.isEmpty else {
            throw NaaccrDictionaryError.malformed(line: line, reason: "<ItemDef> lacks naaccrId")
        }
        func fail(_ reason: String) -> NaaccrDictionaryError { .invalidItemDef(naaccrId: id, reason: "line \(line): \(reason)") }
        guard let number = a["naaccrNum"].flatMap({ Int($0) }) else { throw fail("naaccrNum missing or not a number") }
        guard let length = a["length"].flatMap({ Int($0) }), length > 0 else { throw fail("length missing or not a positive number") }
        guard let levelText = a["parentXmlElement"], let level = NaaccrLevel(rawValue: levelText) else {
            throw fail("parentXmlElement must be NaaccrData, Patient or Tumor")
        }
        guard let dataType = NaaccrDataType(rawValue: a["dataType"] ?? "text") else { throw fail("unknown dataType \(a["dataType"]!)") }
        // The specification (1.4 and later) also allows padding="none", the same as no padding attribute.
        let paddingText = a["padding"] == "none" ? "" : a["padding"] ?? ""
        guard let padding = NaaccrPadding(rawValue: paddingText) else { throw fail("unknown padding \(a["padding"]!.prefix(40))") }
        return NaaccrItem(naaccrId: id, naaccrNum: number, name: a["naaccrName"] ?? "", length: length, dataType: dataType,
                          level: level, recordTypes: NaaccrRecordTypes(letters: a["recordTypes"] ?? "A,M,C,I"),
                          padding: padding, allowUnlimitedText: a["allowUnlimitedText"] == "true",
                          startColumn: a["startColumn"].flatMap { Int($0) })
    }
}
