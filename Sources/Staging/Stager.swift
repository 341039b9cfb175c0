import Coding
import Foundation
import Synchronization

/// What staging one tumor found: its schema, each input's validity, the derived outputs and any errors.
public struct StagingResult: Sendable, Equatable {
    public struct InputCheck: Sendable, Equatable {
        public let key: String
        /// The NAACCR item read.
        public let item: String?
        /// The value staged ("" when blank and the schema has no default).
        public let value: String
        public let valid: Bool
        /// The code's label in the schema's table, when it has one.
        public let label: String?
        /// Whether the value came from the schema's default (the item was blank).
        public let defaulted: Bool
    }

    /// The schema's id ("breast"), nil when none was found.
    public let schema: String?
    public let schemaName: String?
    /// NAACCR Schema ID (item 3800).
    public let schemaId: String?
    /// Schemas the site and histology could select when a discriminator is needed to choose.
    public let candidates: [String]
    public let inputs: [InputCheck]
    /// Derived values by NAACCR item (derivedSummaryStage2018, derivedSummaryGrade2018, …) and by key for the others.
    public let outputs: [String: String]
    public let errors: [String]
}

/// Stages tumors with a `StagingAlgorithm`: schema selection from site, histology and discriminators; validation of
/// every schema input against its table; the schema's mappings run table by table to the derived outputs.
///
/// The decision-table semantics are SEER's (as the staging clients evaluate them): a row matches when each of its
/// input cells accepts the context value (`*` anything, blank only blank, lists and same-width ranges); its endpoint
/// says `VALUE:x` (set the column's key, `{{key}}` substituted), `JUMP:table` (continue in that table), `MATCH`, or
/// `ERROR:message`. Inputs left blank take the schema's default before matching.
public struct Stager: Sendable {
    public let algorithm: StagingAlgorithm
    /// The year `{{ctx_year_current}}` stands for.
    public let currentYear: Int

    /// Each input table's codes, compiled for validity look-ups (by table id and input key).
    let inputCodes: [String: InputCodes]
    /// Each schema's outputs' starting values (`{{ctx_alg_version}}` filled in), by schema id.
    let outputDefaults: [String: [(key: String, value: String)]]
    /// Each schema's inputs by key (by schema id).
    let inputsByKey: [String: [String: StagingAlgorithm.Schema.Input]]
    /// The schema inputs a derivation of one output reads, by schema id and output key: every input column of the
    /// tables its plan's paths reach (through JUMP endpoints) and every `{{key}}` their values name, sorted.
    let planReads: [String: [String: [String]]]
    /// Selections and derivations already made, by the values they read (shared by every thread, bounded).
    let selections = BoundedMemo<Selection>()
    let derivations = BoundedMemo<(outputs: [String: String], errors: [String])>()

    public init(algorithm: StagingAlgorithm = .eod, currentYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())) {
        self.algorithm = algorithm
        self.currentYear = currentYear
        var codes: [String: InputCodes] = [:]
        for schema in algorithm.schemas {
            for input in schema.inputs {
                guard let id = input.table, codes[id + "|" + input.key] == nil, let table = algorithm.tables[id] else { continue }
                codes[id + "|" + input.key] = InputCodes(table, key: input.key, currentYear: currentYear)
            }
        }
        inputCodes = codes
        outputDefaults = Dictionary(uniqueKeysWithValues: algorithm.schemas.map { schema in
            (schema.id, schema.outputs.map { ($0.key, ($0.default ?? "").replacingOccurrences(of: "{{ctx_alg_version}}", with: algorithm.version)) })
        })
        // A plan per output and per value a mapping computes on the way (e.g. ss2018_t, the category EOD Primary Tumor
        // maps to, which the SEER IF40/IF41 edits read).
        plans = Dictionary(uniqueKeysWithValues: algorithm.schemas.map { schema in
            let keys = schema.outputs.map(\.key) + schema.mappings.flatMap { $0.flatMap(\.outputs) }
            return (schema.id, Dictionary(keys.map { key in
                var wanted: Set<String> = [key]
                for mapping in schema.mappings {
                    for path in mapping.reversed() where !wanted.isDisjoint(with: path.outputs) { wanted.formUnion(path.inputs) }
                }
                return (key, schema.mappings.flatMap { $0.filter { !wanted.isDisjoint(with: $0.outputs) } })
            }, uniquingKeysWith: { first, _ in first }))
        })
        inputsByKey = Dictionary(uniqueKeysWithValues: algorithm.schemas.map { schema in
            (schema.id, Dictionary(schema.inputs.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }))
        })
        let plans = self.plans, inputsByKey = self.inputsByKey
        planReads = Dictionary(uniqueKeysWithValues: algorithm.schemas.map { schema in
            let inputs = inputsByKey[schema.id] ?? [:]
            return (schema.id, (plans[schema.id] ?? [:]).mapValues { paths in
                var keys = Set<String>(), seen = Set<String>()
                var queue = paths.map(\.table)
                while let id = queue.popLast() {
                    guard seen.insert(id).inserted, let table = algorithm.tables[id] else { continue }
                    keys.formUnion(table.inputColumns.map(\.key))
                    for row in table.rows {
                        for (_, endpoint) in Self.endpoints(table, row) {
                            if endpoint.hasPrefix("JUMP:") { queue.append(String(endpoint.dropFirst(5))) }
                            var rest = Substring(endpoint)
                            while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
                                keys.insert(String(rest[open.upperBound..<close.lowerBound]))
                                rest = rest[close.upperBound...]
                            }
                        }
                    }
                }
                return keys.filter { inputs[$0] != nil }.sorted()
            })
        })
    }

    /// The compiled validity check of one schema input, to keep and call per record.
    public func codeCheck(for input: StagingAlgorithm.Schema.Input) -> CodeCheck {
        CodeCheck(codes: input.table.flatMap { inputCodes[$0 + "|" + input.key] }, hasTable: input.table != nil, currentYear: currentYear)
    }

    /// The table paths that derive one output of a schema, in mapping order: the one deriving it and those deriving
    /// that path's inputs (computed once per schema and output in `init`).
    let plans: [String: [String: [StagingAlgorithm.Schema.TablePath]]]

    /// The schemas of the site whose selection table accepts the values (`value(key)` nil: the column is not checked).
    private func candidates(site: String, _ value: (String) -> String?) -> [Int] {
        (algorithm.schemasBySite[site] ?? []).filter { s in
            let table = algorithm.selectionTables[s]
            guard let row = table.firstRow(currentYear: currentYear, checking: value) else { return false }
            return !Self.endpoints(table, table.rows[row]).contains { $0.value.hasPrefix("ERROR") }
        }
    }

    /// What schema selection found for a tumor.
    public enum Selection: Sendable {
        case schema(StagingAlgorithm.Schema)
        /// Several schemas share the site and histology: Schema Discriminator 1 or 2 (items 3926, 3927) chooses.
        case needsDiscriminator([String])
        case none
    }

    /// Selects the schema of a tumor from its NAACCR items (`value(naaccrId)`, nil or "" when blank): primary site,
    /// histology, and the year of diagnosis, behavior, sex and Schema Discriminators 1 and 2 where a schema's selection
    /// uses them. A blank discriminator selects only rows that accept a blank, so schemas sharing a site match none.
    public func selectSchema(_ value: (String) -> String?) -> Selection {
        let site = value("primarySite") ?? "", hist = value("histologicTypeIcdO3") ?? ""
        let year = (value("dateOfDiagnosis")?.prefix(4)).map(String.init).flatMap { $0.count == 4 ? $0 : nil } ?? ""
        let behavior = value("behaviorCodeIcdO3") ?? "", sex = value("sexAssignedAtBirth") ?? ""
        let d1 = value("schemaDiscriminator1") ?? "", d2 = value("schemaDiscriminator2") ?? ""
        return selectSchema(site: site, histology: hist, year: year, behavior: behavior, sex: sex, discriminator1: d1, discriminator2: d2)
    }

    /// Selects a schema from the selection values themselves ("" when blank; `year` the 4-digit year of diagnosis),
    /// remembered by those values.
    public func selectSchema(site: String, histology: String, year: String, behavior: String, sex: String,
                             discriminator1 d1: String, discriminator2 d2: String) -> Selection {
        guard !site.isEmpty, !histology.isEmpty else { return .none }
        var key = site
        for part in [histology, year, behavior, sex, d1, d2] { key.append("\u{1f}"); key.append(part) }
        return selections.value(key) { select(site: site, hist: histology, year: year, behavior: behavior, sex: sex, d1: d1, d2: d2) }
    }

    private func select(site: String, hist: String, year: String, behavior: String, sex: String, d1: String, d2: String) -> Selection {
        // A blank year, behavior or sex is not checked; blank discriminators are (only rows accepting a blank match).
        func lookup(_ key: String, discriminators: Bool) -> String? {
            switch key {
            case "site": return site
            case "hist": return hist
            case "year_dx": return year.isEmpty ? nil : year
            case "behavior": return behavior.isEmpty ? nil : behavior
            case "sex_at_birth": return sex.isEmpty ? nil : sex
            case "discriminator_1": return discriminators ? d1 : nil
            case "discriminator_2": return discriminators ? d2 : nil
            default: return ""
            }
        }
        let found = candidates(site: site) { lookup($0, discriminators: true) }
        if found.count == 1 { return .schema(algorithm.schemas[found[0]]) }
        let open = found.isEmpty ? candidates(site: site) { lookup($0, discriminators: false) } : found
        return open.count > 1 ? .needsDiscriminator(open.map { algorithm.schemas[$0].id }) : .none
    }

    /// Stages one tumor from its NAACCR items (naaccrId → value; blank items left out).
    public func stage(_ items: [String: String]) -> StagingResult {
        let site = items["primarySite"] ?? "", hist = items["histologicTypeIcdO3"] ?? ""
        guard !site.isEmpty, !hist.isEmpty else {
            return StagingResult(schema: nil, schemaName: nil, schemaId: nil, candidates: [], inputs: [], outputs: [:],
                                 errors: ["primary site and histology are needed to find the schema"])
        }
        let year = items["dateOfDiagnosis"].map { String($0.prefix(4)) }.flatMap { $0.count == 4 ? $0 : nil }
        switch selectSchema({ items[$0] }) {
        case .schema(let schema):
            return stage({ items[$0] }, schema: schema)
        case .needsDiscriminator(let candidates):
            return StagingResult(schema: nil, schemaName: nil, schemaId: nil, candidates: candidates, inputs: [], outputs: [:], errors: [
                "several schemas fit primary site \(site) and histology \(hist) (\(candidates.joined(separator: ", "))): "
                    + "Schema Discriminator 1 or 2 (items 3926, 3927) chooses"])
        case .none:
            return StagingResult(schema: nil, schemaName: nil, schemaId: nil, candidates: [], inputs: [], outputs: [:], errors: [
                "no staging schema for primary site \(site) and histology \(hist)" + (year.map { " diagnosed in \($0)" } ?? "")])
        }
    }

    /// The value an input stages with: the item's value, or the schema's default when the item is blank.
    public func value(of input: StagingAlgorithm.Schema.Input, _ value: (String) -> String?) -> (value: String, defaulted: Bool) {
        Self.value(of: input, item: input.item.flatMap(value))
    }

    /// The value an input stages with, from its item's value (nil when blank).
    public static func value(of input: StagingAlgorithm.Schema.Input, item: String?) -> (value: String, defaulted: Bool) {
        var v = item ?? ""
        if input.key == "year_dx" { v = String(v.prefix(4)) }
        if v.isEmpty, let fallback = input.default { return (fallback, true) }
        return (v, false)
    }

    /// The inputs of a schema that a derivation of `outputs` reads (`planReads`), in key order: the values a
    /// derivation is remembered by (`derivationKey`).
    public func inputsRead(deriving outputs: Set<String>, schema: StagingAlgorithm.Schema) -> [StagingAlgorithm.Schema.Input] {
        let reads = planReads[schema.id] ?? [:], inputs = inputsByKey[schema.id] ?? [:]
        return Set(outputs.flatMap { reads[$0] ?? [] }).sorted().compactMap { inputs[$0] }
    }

    /// The key a derivation of `outputs` is remembered by: the schema, the outputs, and the values (as
    /// `value(of:item:)` gives them) of the inputs `inputsRead(deriving:schema:)` lists, in that order.
    public static func derivationKey(schema: StagingAlgorithm.Schema, outputs: Set<String>, values: some Sequence<String>) -> String {
        var key = schema.id + "\u{1e}" + outputs.sorted().joined(separator: ",")
        for value in values {
            key.append("\u{1e}")
            key.append(value)
        }
        return key
    }

    /// Whether a value is valid for a schema input (its table lists it and does not call it an error), with its label.
    public func check(_ input: StagingAlgorithm.Schema.Input, value: String) -> (valid: Bool, label: String?) {
        guard let tableId = input.table, let table = algorithm.tables[tableId] else { return (true, nil) }
        guard let r = table.firstRow(currentYear: currentYear, checking: { $0 == input.key ? value : "" }) else { return (false, nil) }
        let row = table.rows[r]
        return (!Self.endpoints(table, row).contains { $0.value.hasPrefix("ERROR") }, Self.description(table, row))
    }

    /// The codes a schema input's table lists one by one (ranges left out), in table order, error rows left out.
    public func codes(of input: StagingAlgorithm.Schema.Input) -> [String] {
        guard let tableId = input.table, let table = algorithm.tables[tableId],
              let column = table.columns.firstIndex(where: { $0.key == input.key }) else { return [] }
        var out: [String] = []
        for row in table.rows where column < row.count && !Self.endpoints(table, row).contains(where: { $0.value.hasPrefix("ERROR") }) {
            if case .values(let matchers) = row[column] { for case .value(let v) in matchers { out.append(v) } }
        }
        return out
    }

    /// The code a schema input takes when nothing is known: the schema's default for it, else the listed code its
    /// table describes as unknown or not documented, else nil.
    public func unknownCode(of input: StagingAlgorithm.Schema.Input) -> String? {
        if let fallback = input.default, !fallback.isEmpty { return fallback }
        guard let tableId = input.table, let table = algorithm.tables[tableId],
              let column = table.columns.firstIndex(where: { $0.key == input.key }) else { return nil }
        for row in table.rows.reversed() where column < row.count {
            guard case .values(let matchers) = row[column], matchers.count == 1, case .value(let v) = matchers[0],
                  let label = Self.description(table, row)?.lowercased() else { continue }
            if label.contains("unknown") || label.contains("not documented") { return v }
        }
        return nil
    }

    /// Stages a tumor with its schema: every input checked, the mappings run to the derived outputs.
    public func stage(_ value: (String) -> String?, schema: StagingAlgorithm.Schema) -> StagingResult {
        var checks: [StagingResult.InputCheck] = []
        var errors: [String] = []
        for input in schema.inputs {
            let (v, defaulted) = self.value(of: input, value)
            let (valid, label) = check(input, value: v)
            if !valid { errors.append("\(input.item ?? input.key) \(v.isEmpty ? "(blank)" : "'\(v)'") is not valid for the \(schema.name) schema") }
            checks.append(.init(key: input.key, item: input.item, value: v, valid: valid, label: label, defaulted: defaulted))
        }
        let (outputs, mappingErrors) = derive(value, schema: schema)
        return StagingResult(schema: schema.id, schemaName: schema.name, schemaId: schema.schemaId, candidates: [], inputs: checks,
                             outputs: outputs, errors: errors + mappingErrors)
    }

    /// Runs the schema's mappings (only the table paths that derive one of `only`'s output keys, and those they depend
    /// on, when given) and returns the derived outputs by NAACCR item (or key), with the mapping errors. Inputs are read
    /// when a table asks for them.
    ///
    /// A derivation of some outputs (`only`) is remembered by the values of the inputs its tables read (`planReads`).
    public func derive(_ value: (String) -> String?, schema: StagingAlgorithm.Schema, only: Set<String>? = nil) -> (outputs: [String: String], errors: [String]) {
        guard let only else { return derive(value, schema: schema, limitedTo: nil) }
        let values = inputsRead(deriving: only, schema: schema).map { self.value(of: $0, value).value }
        return derive(value, schema: schema, only: only, rememberedAs: Self.derivationKey(schema: schema, outputs: only, values: values))
    }

    /// Derives `only` remembered under `key`, which the caller made with `derivationKey` (from item values it reads
    /// faster than through `value`).
    public func derive(_ value: (String) -> String?, schema: StagingAlgorithm.Schema, only: Set<String>,
                       rememberedAs key: String) -> (outputs: [String: String], errors: [String]) {
        derivations.value(key) { derive(value, schema: schema, limitedTo: only) }
    }

    private func derive(_ value: (String) -> String?, schema: StagingAlgorithm.Schema, limitedTo only: Set<String>?) -> (outputs: [String: String], errors: [String]) {
        var context: [String: String] = ["ctx_year_current": String(currentYear)]
        for (key, value) in outputDefaults[schema.id] ?? [] { context[key] = value }
        let inputs = inputsByKey[schema.id] ?? [:]
        func lookup(_ key: String) -> String {
            if let v = context[key] { return v }
            if let input = inputs[key] { return self.value(of: input, value).value }
            return ""
        }
        var errors: [String] = []
        // One table of a mapping: the first matching row's endpoints set the path's outputs or jump.
        func run(_ path: StagingAlgorithm.Schema.TablePath, tableId: String, depth: Int) {
            guard depth < 20, let table = algorithm.tables[tableId] else { return }
            guard let r = table.firstRow(currentYear: currentYear, checking: lookup) else {
                errors.append("no row of table \(tableId) fits the inputs; \(path.outputs.joined(separator: ", ")) not derived")
                return
            }
            for (key, endpoint) in Self.endpoints(table, table.rows[r]) {
                if endpoint.hasPrefix("VALUE:") {
                    let target = path.rename[key] ?? key
                    guard path.outputs.contains(target) || path.outputs.contains(key) else { continue }
                    var v = String(endpoint.dropFirst(6))
                    while let open = v.range(of: "{{"), let close = v.range(of: "}}", range: open.upperBound..<v.endIndex) {
                        let name = String(v[open.upperBound..<close.lowerBound])
                        v.replaceSubrange(open.lowerBound..<close.upperBound, with: lookup(name))
                    }
                    context[target] = v
                } else if endpoint.hasPrefix("JUMP:") {
                    run(path, tableId: String(endpoint.dropFirst(5)), depth: depth + 1)
                } else if endpoint.hasPrefix("ERROR") {
                    let message = endpoint.dropFirst(6)
                    errors.append(message.isEmpty ? "the inputs are not valid together (table \(tableId))" : String(message))
                }
            }
        }
        if let only {
            // Each output's plan in turn (a path two plans share runs once).
            var ran = Set<String>()
            for key in only.sorted() {
                for path in plans[schema.id]?[key] ?? [] where only.count == 1 || ran.insert(path.table + ">" + path.outputs.joined(separator: ",")).inserted {
                    run(path, tableId: path.table, depth: 0)
                }
            }
        } else {
            for mapping in schema.mappings { for path in mapping { run(path, tableId: path.table, depth: 0) } }
        }
        var outputs: [String: String] = [:]
        for output in schema.outputs where only?.contains(output.key) ?? true {
            let v = context[output.key] ?? ""
            if !v.isEmpty { outputs[output.item ?? output.key] = v }
        }
        // A value computed on the way that was asked for by its key (not an output of the schema).
        for key in only ?? [] where !schema.outputs.contains(where: { $0.key == key }) {
            if let v = context[key], !v.isEmpty { outputs[key] = v }
        }
        return (outputs, errors)
    }

    static func endpoints(_ table: Table, _ row: [Table.Cell]) -> [(key: String, value: String)] {
        table.columns.enumerated().compactMap { index, column in
            guard column.kind == "E", index < row.count, case .text(let text) = row[index] else { return nil }
            return (column.key, text)
        }
    }

    static func description(_ table: Table, _ row: [Table.Cell]) -> String? {
        for (index, column) in table.columns.enumerated() where column.kind == "D" {
            if index < row.count, case .text(let text) = row[index], !text.isEmpty { return text }
        }
        return nil
    }
}

/// A schema input's validity check, compiled: a hash probe and a comparison per range row.
public struct CodeCheck: Sendable {
    let codes: InputCodes?
    let hasTable: Bool
    let currentYear: Int

    /// Whether the value (blank: "") is one the input's table takes.
    public func isValid(_ value: String) -> Bool {
        guard hasTable else { return true }
        return codes?.isValid(value, currentYear: currentYear) ?? false
    }
}

/// A single-input table compiled for validity: the first row listing each value, and the range and `*` rows in order.
/// A class: a `CodeCheck` copied per check then holds one reference, not three.
final class InputCodes: Sendable {
    let key: String
    /// The listed values, found without hashing (a schema's inputs are checked for every tumor), and the first row
    /// listing each with whether it is valid there.
    let exact: PackedCodeIndex
    let exactRows: [(row: Int32, valid: Bool)]
    let open: [(row: Int32, low: String, high: String, any: Bool, valid: Bool)]

    init(_ table: Table, key: String, currentYear: Int) {
        self.key = key
        var exact: [String: (row: Int32, valid: Bool)] = [:]
        var open: [(row: Int32, low: String, high: String, any: Bool, valid: Bool)] = []
        let column = table.columns.firstIndex { $0.key == key && $0.kind == "I" }
        for (r, row) in table.rows.enumerated() {
            guard let column, column < row.count else { continue }
            let valid = !Stager.endpoints(table, row).contains { $0.value.hasPrefix("ERROR") }
            switch row[column] {
            case .any: open.append((Int32(r), "", "", true, valid))
            case .blank: if exact[""] == nil { exact[""] = (Int32(r), valid) }
            case .text: continue
            case .values(let matchers):
                for matcher in matchers {
                    switch matcher {
                    case .value(let v): if exact[v] == nil { exact[v] = (Int32(r), valid) }
                    case .range(let low, let high): open.append((Int32(r), low, high, false, valid))
                    }
                }
            }
        }
        let listed = Array(exact)
        self.exact = PackedCodeIndex(listed.map(\.key))
        exactRows = listed.map(\.value)
        self.open = open
    }

    func isValid(_ value: String, currentYear: Int) -> Bool {
        let listed = exact.position(of: value).map { exactRows[$0] }
        for entry in open {
            if let listed, listed.row < entry.row { break }
            if entry.any || Table.inRange(value, entry.low, entry.high, currentYear: currentYear) { return entry.valid }
        }
        return listed?.valid ?? false
    }
}

extension Stager {
    /// The SEER EOD 2018 stager for this year (UTC), loaded once per process and shared by the edits, the workbench and
    /// the demo generator (the data are 3.3 MB of JSON: parsing them once is enough).
    public static let eod = Stager(algorithm: .eod, currentYear: {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.component(.year, from: Date())
    }())
}

/// Values by key, computed once and shared by threads; bounded: a table that reaches `capacity` entries is emptied
/// and fills again.
final class BoundedMemo<Value: Sendable>: Sendable {
    static var capacity: Int { 50_000 }
    private let table = Mutex<[String: Value]>([:])

    func value(_ key: String, _ compute: () -> Value) -> Value {
        if let hit = table.withLock({ $0[key] }) { return hit }
        let made = compute()
        table.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[key] = made
        }
        return made
    }
}
