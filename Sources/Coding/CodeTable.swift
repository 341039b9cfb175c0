import Foundation

/// A list of codes with labels, in the published order, with look-up and word search for code pickers.
public struct CodeTable: Sendable {
    public struct Entry: Sendable, Hashable {
        public let code: String
        public let label: String
    }

    public let name: String
    public let entries: [Entry]
    private let labelsByCode: [String: String]
    /// Lower-cased words of each label, for search.
    private let words: [[Substring]]

    public init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries
        labelsByCode = Dictionary(entries.map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first })
        words = entries.map { $0.label.lowercased().split { !$0.isLetter && !$0.isNumber } }
    }

    /// Parses `code|label` lines.
    init(name: String, text: String) {
        self.init(name: name, entries: text.split(separator: "\n").map { line in
            let bar = line.firstIndex(of: "|")!
            return Entry(code: line[..<bar].trimmingCharacters(in: .whitespaces), label: String(line[line.index(after: bar)...]))
        })
    }

    public func label(_ code: String) -> String? { labelsByCode[code] }
    public func contains(_ code: String) -> Bool { labelsByCode[code] != nil }
    public var count: Int { entries.count }

    /// Entries whose code starts with the query, or whose label has a word starting with every word of the query
    /// ("duct carc" finds "Infiltrating duct carcinoma, NOS"); codes first, then labels, at most `limit`.
    public func search(_ query: String, limit: Int = 20) -> [Entry] {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return Array(entries.prefix(limit)) }
        let upper = trimmed.uppercased().replacingOccurrences(of: ".", with: "")
        var results = entries.filter { $0.code.hasPrefix(upper) }
        let terms = trimmed.lowercased().split { !$0.isLetter && !$0.isNumber }
        if !terms.isEmpty {
            for (i, entry) in entries.enumerated() where results.count < limit && !entry.code.hasPrefix(upper) {
                if terms.allSatisfy({ term in words[i].contains { $0.hasPrefix(term) } }) { results.append(entry) }
            }
        }
        return Array(results.prefix(limit))
    }
}
