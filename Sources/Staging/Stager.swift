import Foundation

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

    public init(algorithm: StagingAlgorithm = .eod, currentYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())) {
        self.algorithm = algorithm
        self.currentYear = currentYear
    }

    /// The schemas whose selection table accepts these values (site, hist, and any of year_dx, behavior,
    /// discriminator_1, discriminator_2, sex_at_birth given); a selection column whose key is not given is not checked.
    public func lookupSchemas(_ lookup: [String: String]) -> [StagingAlgorithm.Schema] {
        let keys = Set(lookup.filter { !$0.value.isEmpty || ["discriminator_1", "discriminator_2"].contains($0.key) }.keys)
        return algorithm.schemas.filter { schema in
            guard let table = algorithm.tables[schema.selection] else { return false }
            let row = table.match(lookup, keys: keys.union(["site", "hist"]), currentYear: currentYear)
            return row.map { Self.endpoints(table, $0).allSatisfy { !$0.value.hasPrefix("ERROR") } } ?? false
        }
    }

    /// Stages one tumor from its NAACCR items (naaccrId → value; blank items left out).
    public func stage(_ items: [String: String]) -> StagingResult {
        var lookup: [String: String] = ["site": items["primarySite"] ?? "", "hist": items["histologicTypeIcdO3"] ?? ""]
        if let year = items["dateOfDiagnosis"]?.prefix(4), year.count == 4 { lookup["year_dx"] = String(year) }
        if let behavior = items["behaviorCodeIcdO3"] { lookup["behavior"] = behavior }
        if let sex = items["sexAssignedAtBirth"] { lookup["sex_at_birth"] = sex }
        lookup["discriminator_1"] = items["schemaDiscriminator1"] ?? ""
        lookup["discriminator_2"] = items["schemaDiscriminator2"] ?? ""
        guard !lookup["site"]!.isEmpty, !lookup["hist"]!.isEmpty else {
            return StagingResult(schema: nil, schemaName: nil, schemaId: nil, candidates: [], inputs: [], outputs: [:],
                                 errors: ["primary site and histology are needed to find the schema"])
        }
        // Blank discriminators select only rows that accept a blank: several schemas sharing a site then match none.
        let found = lookupSchemas(lookup)
        guard found.count == 1, let schema = found.first else {
            var lookupWithout = lookup
            lookupWithout["discriminator_1"] = nil
            lookupWithout["discriminator_2"] = nil
            let candidates = (found.isEmpty ? lookupSchemas(lookupWithout) : found).map(\.id)
            let message = candidates.count > 1
                ? "several schemas fit primary site \(lookup["site"]!) and histology \(lookup["hist"]!) (\(candidates.joined(separator: ", "))): "
                    + "Schema Discriminator 1 or 2 (items 3926, 3927) chooses"
                : "no staging schema for primary site \(lookup["site"]!) and histology \(lookup["hist"]!)"
                    + (lookup["year_dx"].map { " diagnosed in \($0)" } ?? "")
            return StagingResult(schema: nil, schemaName: nil, schemaId: nil, candidates: candidates, inputs: [], outputs: [:], errors: [message])
        }
        return stage(items, schema: schema, year: lookup["year_dx"])
    }

    func stage(_ items: [String: String], schema: StagingAlgorithm.Schema, year: String?) -> StagingResult {
        var context: [String: String] = [:]
        var checks: [StagingResult.InputCheck] = []
        var errors: [String] = []
        for input in schema.inputs {
            var value = input.item.flatMap { items[$0] } ?? ""
            if input.key == "year_dx" { value = year ?? "" }
            var defaulted = false
            if value.isEmpty, let fallback = input.default { value = fallback; defaulted = true }
            context[input.key] = value
            var valid = true, label: String?
            if let tableId = input.table, let table = algorithm.tables[tableId] {
                let row = table.match([input.key: value], keys: [input.key], currentYear: currentYear)
                valid = row != nil && !Self.endpoints(table, row!).contains { $0.value.hasPrefix("ERROR") }
                label = row.flatMap { Self.description(table, $0) }
                if !valid {
                    errors.append("\(input.item ?? input.key) \(value.isEmpty ? "(blank)" : "'\(value)'") is not valid for the \(schema.name) schema")
                }
            }
            checks.append(.init(key: input.key, item: input.item, value: value, valid: valid, label: label, defaulted: defaulted))
        }
        for output in schema.outputs {
            context[output.key] = (output.default ?? "").replacingOccurrences(of: "{{ctx_alg_version}}", with: algorithm.version)
        }
        context["ctx_year_current"] = String(currentYear)
        for mapping in schema.mappings {
            for path in mapping {
                run(path, tableId: path.table, context: &context, errors: &errors, depth: 0)
            }
        }
        var outputs: [String: String] = [:]
        for output in schema.outputs {
            let value = context[output.key] ?? ""
            if !value.isEmpty { outputs[output.item ?? output.key] = value }
        }
        return StagingResult(schema: schema.id, schemaName: schema.name, schemaId: schema.schemaId, candidates: [], inputs: checks,
                             outputs: outputs, errors: errors)
    }

    /// Runs one table of a mapping: the first matching row's endpoints set the path's outputs or jump.
    private func run(_ path: StagingAlgorithm.Schema.TablePath, tableId: String, context: inout [String: String], errors: inout [String], depth: Int) {
        guard depth < 20, let table = algorithm.tables[tableId] else { return }
        guard let row = table.match(context, currentYear: currentYear) else {
            errors.append("no row of table \(tableId) fits the inputs; \(path.outputs.joined(separator: ", ")) not derived")
            return
        }
        for (key, endpoint) in Self.endpoints(table, row) {
            if endpoint.hasPrefix("VALUE:") {
                let target = path.rename[key] ?? key
                guard path.outputs.contains(target) || path.outputs.contains(key) else { continue }
                var value = String(endpoint.dropFirst(6))
                while let open = value.range(of: "{{"), let close = value.range(of: "}}", range: open.upperBound..<value.endIndex) {
                    let name = String(value[open.upperBound..<close.lowerBound])
                    value.replaceSubrange(open.lowerBound..<close.upperBound, with: context[name] ?? "")
                }
                context[target] = value
            } else if endpoint.hasPrefix("JUMP:") {
                run(path, tableId: String(endpoint.dropFirst(5)), context: &context, errors: &errors, depth: depth + 1)
            } else if endpoint.hasPrefix("ERROR") {
                let message = endpoint.dropFirst(6)
                errors.append(message.isEmpty ? "the inputs are not valid together (table \(tableId))" : String(message))
            }
        }
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
