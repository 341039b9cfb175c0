import Foundation

/// A SEER staging algorithm (EOD Public, for cases diagnosed 2018 and later) as data: its schemas and decision
/// tables, read at start-up from `Data/<algorithm>-<version>.json` (`scripts/gen-staging` derives it from the
/// algorithm SEER publishes). A new algorithm version is a new data file, not new code.
public struct StagingAlgorithm: Sendable {
    public let algorithm: String
    public let version: String
    public let schemas: [Schema]
    let tables: [String: Table]
    /// The schemas (positions in `schemas`) whose selection table lists each primary site: selection tries only these.
    let schemasBySite: [String: [Int]]
    /// Each schema's selection table (by position in `schemas`).
    let selectionTables: [Table]

    init(algorithm: String, version: String, schemas: [Schema], tables: [String: Table]) {
        self.algorithm = algorithm
        self.version = version
        self.schemas = schemas
        self.tables = tables
        var bySite: [String: [Int]] = [:]
        let sites = (0...999).map { "C" + String(repeating: "0", count: $0 < 10 ? 2 : $0 < 100 ? 1 : 0) + String($0) }
        for (s, schema) in schemas.enumerated() {
            guard let table = tables[schema.selection], let column = table.columns.firstIndex(where: { $0.key == "site" }) else { continue }
            for site in sites where table.rows.contains(where: { column < $0.count && Table.matches($0[column], site, currentYear: 9999) }) {
                bySite[site, default: []].append(s)
            }
        }
        schemasBySite = bySite
        selectionTables = schemas.map { tables[$0.selection] ?? Table(StagingAlgorithm.RawTable(columns: [], rows: [])) }
    }

    /// The algorithm shipped with the registry (the newest data file in the module's `Data` folder).
    public static let eod: StagingAlgorithm = {
        do {
            guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Data"),
                  let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
                  let name = names.filter({ $0.hasSuffix(".json") }).sorted().last else {
                preconditionFailure("no staging algorithm data in the Staging module")
            }
            let url = folder.appendingPathComponent(name)
            return try load(from: url)
        } catch {
            preconditionFailure("the staging algorithm data cannot be read: \(error)")
        }
    }()

    /// Reads an algorithm data file in the project's format.
    public static func load(from url: URL) throws -> StagingAlgorithm {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        return StagingAlgorithm(algorithm: file.algorithm, version: file.version, schemas: file.schemas,
                                tables: file.tables.mapValues { Table($0) })
    }

    public func schema(id: String) -> Schema? { schemas.first { $0.id == id } }

    // MARK: Data

    struct File: Decodable {
        let algorithm: String, version: String
        let schemas: [Schema]
        let tables: [String: RawTable]
    }

    struct RawTable: Decodable {
        let columns: [[String]]
        let rows: [[String]]
    }

    /// One schema: which tumors it stages, what it reads and what it derives.
    public struct Schema: Decodable, Sendable {
        public let id: String
        public let name: String
        /// NAACCR Schema ID (item 3800), e.g. "00480" for breast.
        public let schemaId: String?
        let selection: String
        /// Inputs besides site and histology that pick the schema (year_dx, discriminator_1, …).
        public let discriminators: [String]
        public let inputs: [Input]
        public let outputs: [Output]
        let mappings: [[TablePath]]

        public struct Input: Decodable, Sendable {
            public let key: String
            /// The NAACCR item (naaccrId) the input is read from.
            public let item: String?
            public let `default`: String?
            let table: String?
            /// Whether the input decides the derived stage (the others are collected and validated).
            public let staging: Bool
            /// Standard setters requiring the item, with the diagnosis years ([name, first, last]; nil: open).
            let required: [[Requirement]]
        }

        public struct Output: Decodable, Sendable {
            public let key: String
            public let item: String?
            public let `default`: String?
            let table: String?
        }

        struct TablePath: Decodable, Sendable {
            let table: String
            let inputs: [String]
            let outputs: [String]
            let rename: [String: String]
        }
    }

    /// One element of a requirement triple: a standard setter's name or a year.
    enum Requirement: Decodable, Sendable {
        case text(String), year(Int), open
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .open } else if let year = try? c.decode(Int.self) { self = .year(year) } else { self = .text(try c.decode(String.self)) }
        }
    }
}

extension StagingAlgorithm.Schema.Input {
    /// The diagnosis years `setter` (SEER_REQUIRED, COC_REQUIRED, NPCR_REQUIRED, …) requires this item for (open ends
    /// as `Int.min` / `Int.max`).
    public func requiredYears(by setter: String) -> [ClosedRange<Int>] {
        required.compactMap { triple in
            guard triple.count == 3, case .text(let name) = triple[0], name == setter else { return nil }
            var first = Int.min, last = Int.max
            if case .year(let y) = triple[1] { first = y }
            if case .year(let y) = triple[2] { last = y }
            return first <= last ? first...last : nil
        }
    }

    /// Whether `setter` (SEER_REQUIRED, COC_REQUIRED, NPCR_REQUIRED, …) requires this item for a diagnosis year.
    public func isRequired(by setter: String, year: Int) -> Bool {
        requiredYears(by: setter).contains { $0.contains(year) }
    }

    /// The standard setters that require this item for a diagnosis year (SEER_REQUIRED, COC_REQUIRED, NPCR_REQUIRED,
    /// CCCR_REQUIRED, SEER_REQUIRED_WHEN_COC_ANALYTIC; SSDI marks a site-specific data item).
    public func requiredBy(year: Int) -> [String] {
        required.compactMap { triple in
            guard triple.count == 3, case .text(let name) = triple[0] else { return nil }
            if case .year(let first) = triple[1], year < first { return nil }
            if case .year(let last) = triple[2], year > last { return nil }
            return name
        }
    }
}

/// A decision table: input columns matched against values, endpoint columns that say what a matching row means.
///
/// Rows are found through an index on one input column (the one with the most distinct listed values): the rows that
/// list the value, merged in table order with the rows whose cell is `*` or a range, are the only ones tried, so a
/// look-up costs a hash probe and a few comparisons instead of a scan of the table.
struct Table: Sendable {
    struct Column: Sendable { let key: String; let kind: Character }
    let columns: [Column]
    /// Cells of input columns parsed once; endpoint and description cells as written.
    let rows: [[Cell]]
    /// The input columns (position, key).
    let inputColumns: [(index: Int, key: String)]
    /// The indexed input column, the rows listing each value (ascending) and the rows any value may match (ascending).
    let keyColumn: Int?
    let rowsByValue: [String: [Int32]]
    let rowsForAnyValue: [Int32]

    enum Cell: Sendable {
        case any
        case blank
        case values([Matcher])
        case text(String)
    }

    enum Matcher: Sendable {
        case value(String)
        case range(String, String)
    }

    init(_ raw: StagingAlgorithm.RawTable) {
        columns = raw.columns.map { Column(key: $0[0], kind: $0[1].first ?? "D") }
        let kinds = columns.map(\.kind)
        rows = raw.rows.map { row in
            row.enumerated().map { index, cell in
                guard index < kinds.count, kinds[index] == "I" else { return .text(cell) }
                return Self.parse(cell)
            }
        }
        inputColumns = columns.enumerated().filter { $0.element.kind == "I" }.map { ($0.offset, $0.element.key) }
        // Index the input column with the most distinct listed values.
        var best: (column: Int, distinct: Int)?
        for (column, _) in inputColumns {
            var distinct = Set<String>()
            for row in rows where column < row.count {
                if case .values(let matchers) = row[column] {
                    for case .value(let v) in matchers { distinct.insert(v) }
                }
            }
            if distinct.count > (best?.distinct ?? 0) { best = (column, distinct.count) }
        }
        keyColumn = best?.column
        var byValue: [String: [Int32]] = [:], anyValue: [Int32] = []
        if let column = best?.column {
            for (r, row) in rows.enumerated() {
                let cell = column < row.count ? row[column] : .blank
                switch cell {
                case .any: anyValue.append(Int32(r))
                case .blank: byValue["", default: []].append(Int32(r))
                case .text: continue
                case .values(let matchers):
                    if matchers.contains(where: { if case .range = $0 { return true } else { return false } }) {
                        anyValue.append(Int32(r))
                    } else {
                        for case .value(let v) in matchers where byValue[v]?.last != Int32(r) { byValue[v, default: []].append(Int32(r)) }
                    }
                }
            }
        }
        rowsByValue = byValue
        rowsForAnyValue = anyValue
    }

    static func parse(_ cell: String) -> Cell {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return .any }
        if trimmed.isEmpty { return .blank }
        return .values(trimmed.split(separator: ",").map { part in
            let p = part.trimmingCharacters(in: .whitespaces)
            if let dash = p.firstIndex(of: "-"), dash != p.startIndex {
                return .range(String(p[..<dash]).trimmingCharacters(in: .whitespaces), String(p[p.index(after: dash)...]).trimmingCharacters(in: .whitespaces))
            }
            return .value(p)
        })
    }

    /// Whether a cell accepts `value` ("" = blank). Ranges compare values of the bounds' width (C500-C509, 2018-2024);
    /// `{{ctx_year_current}}` in a bound is the current year.
    static func matches(_ cell: Cell, _ value: String, currentYear: Int) -> Bool {
        switch cell {
        case .any: return true
        case .blank: return value.isEmpty
        case .text: return false
        case .values(let matchers):
            return matchers.contains { matcher in
                switch matcher {
                case .value(let v): return v == value
                case .range(let low, let high):
                    return inRange(value, low, high, currentYear: currentYear)
                }
            }
        }
    }

    /// Whether `value` lies in a range of same-width bounds, compared byte by byte (no character counting).
    @inline(__always) static func inRange(_ value: String, _ low: String, _ high: String, currentYear: Int) -> Bool {
        let v = value.utf8, l = low.utf8
        guard v.count == l.count else { return false }
        if high.utf8.first == UInt8(ascii: "{") {  // {{ctx_year_current}}
            let year = String(currentYear).utf8
            return v.count == year.count && !v.lexicographicallyPrecedes(l) && !year.lexicographicallyPrecedes(v)
        }
        let h = high.utf8
        return v.count == h.count && !v.lexicographicallyPrecedes(l) && !h.lexicographicallyPrecedes(v)
    }

    /// The index of the first row whose input cells accept the values `value(key)` gives, a column whose value is nil
    /// not being checked.
    func firstRow(currentYear: Int, checking value: (String) -> String?) -> Int? {
        func accepts(_ r: Int) -> Bool {
            let row = rows[r]
            for (index, key) in inputColumns {
                guard let v = value(key) else { continue }
                let cell = index < row.count ? row[index] : .blank
                if !Self.matches(cell, v, currentYear: currentYear) { return false }
            }
            return true
        }
        guard let column = keyColumn, let keyValue = value(columns[column].key) else { return rows.indices.first(where: accepts) }
        let listed = rowsByValue[keyValue] ?? []
        var i = 0, j = 0
        while i < listed.count || j < rowsForAnyValue.count {
            let r: Int32
            if j == rowsForAnyValue.count || (i < listed.count && listed[i] < rowsForAnyValue[j]) { r = listed[i]; i += 1 } else { r = rowsForAnyValue[j]; j += 1 }
            if accepts(Int(r)) { return Int(r) }
        }
        return nil
    }

}
