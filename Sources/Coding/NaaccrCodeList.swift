/// The valid codes of one coded NAACCR item with their labels (the NAACCR code lists, `scripts/gen-coding`): what a
/// single-field edit accepts and what a picker or a report shows next to a code.
///
/// A code written `002-988` is a range of codes of that width (tumor size 2 to 988 mm; radiation dose in cGy).
public struct NaaccrCodeList: Sendable {
    public let naaccrId: String
    /// The codes and labels in the published order (ranges as written).
    public let table: CodeTable
    private let ranges: [(low: String, high: String, label: String)]
    private let codes: PackedCodeSet

    init(naaccrId: String, text: String) {
        self.naaccrId = naaccrId
        table = CodeTable(name: naaccrId, text: text)
        codes = PackedCodeSet(table.entries.map(\.code))
        ranges = table.entries.compactMap { entry in
            let parts = entry.code.split(separator: "-")
            guard parts.count == 2, parts[0].count == parts[1].count,
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
            return (String(parts[0]), String(parts[1]), entry.label)
        }
    }

    /// Whether `code` is valid: listed, or inside a listed range of its width.
    public func contains(_ code: String) -> Bool {
        if codes.contains(code) { return true }
        return ranges.contains { code.utf8.count == $0.low.utf8.count && code.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            && $0.low <= code && code <= $0.high }
    }

    /// The label of a code (a range's label for a code inside it), nil when the code is not valid.
    public func label(_ code: String) -> String? {
        if let label = table.label(code) { return label }
        return ranges.first { code.utf8.count == $0.low.utf8.count && $0.low <= code && code <= $0.high
            && code.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }?.label
    }

    public var entries: [CodeTable.Entry] { table.entries }

    /// Codes and labels matching what a registrar types (code prefix, or words of the label).
    public func search(_ query: String, limit: Int = 20) -> [CodeTable.Entry] { table.search(query, limit: limit) }
}

/// Every NAACCR code list of the current version, by `naaccrId`.
public enum NaaccrCodeLists {
    public static let all: [String: NaaccrCodeList] = Dictionary(uniqueKeysWithValues: NaaccrCodeListText.lists.map {
        ($0.0, NaaccrCodeList(naaccrId: $0.0, text: $0.1))
    })

    /// The code list of an item, nil for items that are not coded from a list (dates, numbers, text).
    public static func list(_ naaccrId: String) -> NaaccrCodeList? { all[naaccrId] }

    /// Items whose published list is not the whole set of valid codes, so no valid-code edit is built from it:
    /// county codes (the list holds one state's FIPS codes; counties are valid by state, edited with the state) and
    /// NAACCR Record Version (its list holds the versions of the flat era).
    public static let notExhaustive: Set<String> = [
        "countyAtDx", "countyAtDxAnalysis", "countyAtDxGeocode1990", "countyAtDxGeocode2000", "countyAtDxGeocode2010",
        "countyAtDxGeocode2020", "countyCurrent", "naaccrRecordVersion",
    ]
}
