import Foundation

/// A SEER staging algorithm (EOD Public, for cases diagnosed 2018 and later) as data: its schemas and decision
/// tables, read at start-up from `Data/<algorithm>-<version>.json` (`scripts/gen-staging` derives it from the
/// algorithm SEER publishes). A new algorithm version is a new data file, not new code.
public struct StagingAlgorithm: Sendable {
    public let algorithm: String
    public let version: String
    public let schemas: [Schema]
    let tables: [String: Table]

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
struct Table: Sendable {
    struct Column: Sendable { let key: String; let kind: Character }
    let columns: [Column]
    /// Cells of input columns parsed once; endpoint and description cells as written.
    let rows: [[Cell]]

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
                case .range(let low, var high):
                    if high.contains("{{") { high = String(currentYear) }
                    return value.count == low.count && value.count == high.count && low <= value && value <= high
                }
            }
        }
    }

    /// The first row whose input cells accept the context (only the `keys` given, when given), nil when none does.
    func match(_ context: [String: String], keys: Set<String>? = nil, currentYear: Int) -> [Cell]? {
        rows.first { row in
            for (index, column) in columns.enumerated() where column.kind == "I" {
                if let keys, !keys.contains(column.key) { continue }
                let cell = index < row.count ? row[index] : .blank
                if !Self.matches(cell, context[column.key] ?? "", currentYear: currentYear) { return false }
            }
            return true
        }
    }
}
