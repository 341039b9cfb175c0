import Coding
import Staging

/// Edits over the staging schema (SEER EOD 2018, the `Staging` module's algorithm data) for tumors diagnosed 2018 and
/// later: the schema can be chosen, each schema input holds a code its schema's table lists (EOD, grade, Summary Stage
/// 2018, the site-specific data items), the derived stage agrees with the EOD it is derived from, behavior agrees with
/// in situ stage, and the SSDIs a standard setter requires for the schema are present.
extension EditCatalog {
    static var stager: Stager { .eod }

    /// Every item a schema reads, as an edit item (slots among the built-in ones: `Item.used` lists them).
    static let stagingItems: [String: Item] = {
        var items: [String: Item] = [:]
        for id in stagingItemIds { items[id] = Item(id) }
        return items
    }()

    /// The naaccrIds of the schemas' inputs and of the staging items the edits read, in a stable order.
    static let stagingItemIds: [String] = {
        var seen = Set<String>(), ids: [String] = []
        for id in StagingAlgorithm.eod.schemas.flatMap({ $0.inputs.compactMap(\.item) }) + ["schemaId", "schemaDiscriminator1", "schemaDiscriminator2"]
            where seen.insert(id).inserted { ids.append(id) }
        return ids
    }()

    /// A schema with what the edits read of it resolved once: each input's item slot and compiled code check, and the
    /// inputs each standard setter requires (items with a required-item edit of their own and inputs whose table takes a
    /// blank left out).
    final class CompiledSchema: Sendable {
        /// A class: edits walk lists of inputs per tumor, and a reference is one count to keep, a struct of strings
        /// and tables several.
        final class Input: Sendable {
            let key: String
            let item: Item
            let check: CodeCheck
            let input: StagingAlgorithm.Schema.Input
            init(key: String, item: Item, check: CodeCheck, input: StagingAlgorithm.Schema.Input) {
                self.key = key
                self.item = item
                self.check = check
                self.input = input
            }
        }
        let schema: StagingAlgorithm.Schema
        let inputs: [Input]
        let byKey: [String: Input]
        /// The site-specific data items (inputs other than `notSSDIKeys`).
        let ssdis: [Input]
        /// An input a standard setter requires, with the diagnosis years it requires it for.
        struct RequiredInput: Sendable {
            let item: Item
            let years: [ClosedRange<Int>]
        }
        /// By setter, in `requiredSetters` order.
        let required: [[RequiredInput]]
        /// The inputs deriving Summary Stage 2018 reads (empty when the schema does not derive it), with their items.
        let stageReads: [(input: StagingAlgorithm.Schema.Input, item: Item?)]
        /// The inputs mapping EOD Primary Tumor to its Summary Stage 2018 category (`ss2018_t`) reads, with their items.
        let extensionReads: [(input: StagingAlgorithm.Schema.Input, item: Item?)]

        init(schema: StagingAlgorithm.Schema, inputs: [Input], byKey: [String: Input], ssdis: [Input], required: [[RequiredInput]]) {
            self.schema = schema
            self.inputs = inputs
            self.byKey = byKey
            self.ssdis = ssdis
            self.required = required
            stageReads = schema.outputs.contains(where: { $0.key == "ss2018_derived" })
                ? stager.inputsRead(deriving: ["ss2018_derived"], schema: schema).map { ($0, $0.item.flatMap { stagingItems[$0] }) } : []
            extensionReads = stager.inputsRead(deriving: ["ss2018_t"], schema: schema).map { ($0, $0.item.flatMap { stagingItems[$0] }) }
        }
    }

    static let compiledSchemas: [String: CompiledSchema] = Dictionary(uniqueKeysWithValues: StagingAlgorithm.eod.schemas.map { schema in
        let inputs = schema.inputs.compactMap { input in
            input.item.flatMap { stagingItems[$0] }.map { CompiledSchema.Input(key: input.key, item: $0, check: stager.codeCheck(for: input), input: input) }
        }
        let required = requiredSetters.map { setter in
            let covered = Set(requirements.filter { $0.setters.contains(setter) }.map(\.naaccrId))
            return inputs.filter { input in
                (!notSSDIKeys.contains(input.key) || gradeKeys.contains(input.key)) && !covered.contains(input.item.naaccrId)
                    && (input.input.default != nil || !input.check.isValid(""))
            }.map { CompiledSchema.RequiredInput(item: $0.item, years: $0.input.requiredYears(by: setter + "_REQUIRED")) }
        }
        return (schema.id, CompiledSchema(schema: schema, inputs: inputs, byKey: Dictionary(inputs.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }),
                                          ssdis: inputs.filter { !notSSDIKeys.contains($0.key) }, required: required))
    })

    /// The schema of a tumor diagnosed 2018 or later with a valid site and histology; nil (the edit skips) otherwise.
    /// Selected once per tumor (the record's memo) for all the staging edits.
    static func schema(_ r: EditRecord) -> CompiledSchema? {
        guard let year = r.diagnosisYear, year >= 2018 else { return nil }
        return staged(r).compiled
    }

    /// The tumor's schema selection, made once per tumor (the record's memo) for all the staging edits.
    static func selection(_ r: EditRecord) -> Stager.Selection { staged(r).selection }

    static func staged(_ r: EditRecord) -> (selection: Stager.Selection, compiled: CompiledSchema?) {
        r.memo.staging(for: r.tumorIndex) {
            // A site or histology that is not an ICD-O-3 code selects nothing (checked once per tumor here).
            guard let site = r[.site], ICDO3.topography.contains(site), let h = r[.histology], ICDO3.isHistology(h) else { return (.none, nil) }
            let year = r[.diagnosisDate].map { String($0.prefix(4)) }.flatMap { $0.count == 4 ? $0 : nil } ?? ""
            let selection = stager.selectSchema(site: site, histology: h, year: year, behavior: r[.behavior] ?? "",
                                                sex: r[.sex] ?? "", discriminator1: r[discriminator1] ?? "", discriminator2: r[discriminator2] ?? "")
            if case .schema(let schema) = selection { return (selection, compiledSchemas[schema.id]) }
            return (selection, nil)
        }
    }

    /// Summary Stage 2018 as the tumor's schema derives it from EOD Primary Tumor, Regional Nodes and Mets (2018 and
    /// later; nil without EOD or a schema that derives it). Derived once per tumor for the edits that read it.
    static func stageFromEOD(_ r: EditRecord) -> String? {
        r.memo.derivedStage(for: r.tumorIndex) {
            guard r[.eodPrimary] != nil, let compiled = schema(r), !compiled.stageReads.isEmpty else { return nil }
            let key = Stager.derivationKey(schema: compiled.schema, outputs: ["ss2018_derived"],
                                           values: compiled.stageReads.lazy.map { Stager.value(of: $0.input, item: $0.item.flatMap { r[$0] }).value })
            return stager.derive({ stagingValue(r, $0) }, schema: compiled.schema, only: ["ss2018_derived"], rememberedAs: key).outputs["derivedSummaryStage2018"]
        }
    }

    /// The Summary Stage 2018 category the tumor's schema maps its EOD Primary Tumor (item 772) to, the extension alone
    /// (nodes and metastases not read): IS in situ, L localized, RE regional by direct extension, D distant, U unknown,
    /// B benign/borderline (the `ss2018_t` the EOD 2018 algorithm computes on its way to Derived Summary Stage 2018; for
    /// prostate it combines the clinical extension with EOD Prostate Pathologic Extension). nil when EOD Primary Tumor is
    /// blank or the schema does not map it.
    static func extensionCategory(_ r: EditRecord) -> String? {
        guard r[.eodPrimary] != nil, let compiled = schema(r), !compiled.extensionReads.isEmpty else { return nil }
        let key = Stager.derivationKey(schema: compiled.schema, outputs: ["ss2018_t"],
                                       values: compiled.extensionReads.lazy.map { Stager.value(of: $0.input, item: $0.item.flatMap { r[$0] }).value })
        return stager.derive({ stagingValue(r, $0) }, schema: compiled.schema, only: ["ss2018_t"], rememberedAs: key).outputs["ss2018_t"]
    }

    static let discriminator1 = stagingItems["schemaDiscriminator1"]!, discriminator2 = stagingItems["schemaDiscriminator2"]!

    @inline(__always) static func stagingValue(_ r: EditRecord, _ naaccrId: String) -> String? {
        stagingItems[naaccrId].flatMap { r[$0] }
    }

    /// The inputs of the schema an edit checks, the present ones failing their table, as "item 'code'" phrases.
    static func invalidInputs(_ r: EditRecord, _ inputs: some Sequence<CompiledSchema.Input>) -> [String] {
        var invalid: [String] = []
        for input in inputs {
            guard let value = r[input.item] else { continue }
            if !input.check.isValid(value) { invalid.append("\(input.item.naaccrId) '\(value)'") }
        }
        return invalid
    }

    static let gradeKeys: Set<String> = ["grade_clin", "grade_path", "grade_post_therapy_clin", "grade_post_therapy_path"]
    /// Inputs that are not site-specific data items: the selection items, the EOD, grade and stage items edited apart,
    /// and items with edits of their own (tumor size, nodes, reporting source: single-field edits).
    static let notSSDIKeys: Set<String> = gradeKeys.union(["year_dx", "site", "hist", "behavior", "eod_primary_tumor", "eod_regional_nodes", "eod_mets", "ss2018",
                                                          "discriminator_1", "discriminator_2", "sex_at_birth", "age_dx"])

    static func schemaInputEdit(_ id: String, _ name: String, _ items: [Item], keys: [String], what: String) -> Edit {
        Edit(id: id, name: name, kind: .interField, items: [.site, .histology] + items,
             note: "EOD 2018 schemas (SEER EOD Public \(StagingAlgorithm.eod.version)): for diagnoses 2018 and later the \(what) must be a code "
                + "the schema's table lists for it (a blank item is left to the required-item edits).") { r in
            guard items.contains(where: { r[$0] != nil }), let compiled = schema(r) else { return .skip }
            let invalid = invalidInputs(r, keys.compactMap { compiled.byKey[$0] })
            return invalid.isEmpty ? .pass : .fail("\(invalid.joined(separator: ", ")) not valid for schema \(compiled.schema.name) (\(compiled.schema.schemaId ?? compiled.schema.id))")
        }
    }

    /// The standard setters whose required status the schemas carry (as SEER_REQUIRED, COC_REQUIRED, NPCR_REQUIRED).
    static let requiredSetters = ["SEER", "COC", "NPCR"]

    /// The required-status edit of one standard setter: the SSDIs and grade items its schema marks required for the year.
    static func requiredSSDIEdit(_ id: String, setter: String, label: String) -> Edit {
        let index = requiredSetters.firstIndex(of: String(setter.prefix { $0 != "_" }))!
        return Edit(id: id, name: "SSDI Required, Schema ID (\(label))", kind: .interField, items: [.site, .histology, .diagnosisDate], runsWhenBlank: true,
             note: "The staging algorithm marks each schema input \(setter) with the diagnosis years it is required for (NAACCR "
                + "Standards Volume II, SSDI manual); a required item left blank fails (items with their own required-item edit are "
                + "left to it; an input whose table takes a blank, as Grade Post Therapy without neoadjuvant therapy, is not required).") { r in
            guard let compiled = schema(r), let year = r.diagnosisYear else { return .skip }
            var missing: [String] = []
            for input in compiled.required[index] where r[input.item] == nil && input.years.contains(where: { $0.contains(year) }) {
                missing.append(input.item.naaccrId)
            }
            return missing.isEmpty ? .pass
                : .fail("\(missing.joined(separator: ", ")) required by \(label) for schema \(compiled.schema.name) in \(year) and blank")
        }
    }

    static func makeStaging() -> [Edit] { [
        Edit(id: "STG01", name: "Schema ID, Primary Site, Histology, Schema Discriminators (NAACCR)", kind: .interField,
             items: [.site, .histology, stagingItems["schemaDiscriminator1"]!, stagingItems["schemaDiscriminator2"]!, stagingItems["schemaId"]!],
             note: "For diagnoses 2018 and later site, histology and, where schemas share them, Schema Discriminator 1/2 (items 3926, 3927) "
                + "select one EOD 2018 schema; a coded Schema ID (item 3800) must be that schema's.") { r in
            guard let year = r.diagnosisYear, year >= 2018, let site = r[.site], ICDO3.topography.contains(site),
                  let h = r[.histology], ICDO3.isHistology(h) else { return .skip }
            switch selection(r) {
            case .needsDiscriminator(let candidates):
                return .fail("primarySite \(site) with histologicTypeIcdO3 \(h) fits schemas \(candidates.joined(separator: ", ")): "
                             + "schemaDiscriminator1/schemaDiscriminator2 (items 3926, 3927) must choose one")
            case .none:
                return .fail("no EOD 2018 schema takes primarySite \(site), histologicTypeIcdO3 \(h) with the schema discriminators coded")
            case .schema(let schema):
                if let coded = stagingValue(r, "schemaId"), let expected = schema.schemaId, coded != expected {
                    return .fail("schemaId \(coded) but site and histology select schema \(schema.name) (\(expected))")
                }
                return .pass
            }
        },
        schemaInputEdit("STG02", "EOD Primary Tumor, Schema ID (SEER)", [.eodPrimary], keys: ["eod_primary_tumor"], what: "EOD Primary Tumor (item 772)"),
        schemaInputEdit("STG03", "EOD Regional Nodes, Schema ID (SEER)", [.eodNodes], keys: ["eod_regional_nodes"], what: "EOD Regional Nodes (item 774)"),
        schemaInputEdit("STG04", "EOD Mets, Schema ID (SEER)", [.eodMets], keys: ["eod_mets"], what: "EOD Mets (item 776)"),
        schemaInputEdit("STG05", "Grade Clinical, Pathological, Post Therapy, Schema ID (NAACCR)",
                        [.gradeClinical, .gradePathological, stagingItems["gradePostTherapyClin"]!, stagingItems["gradePostTherapy"]!],
                        keys: gradeKeys.sorted(), what: "Grade Clinical, Pathological and Post Therapy Clin/Path (items 3843, 3844, 1068, 3845)"),
        Edit(id: "STG06", name: "Site-Specific Data Items, Schema ID (NAACCR)", kind: .interField, items: [.site, .histology],
             note: "For diagnoses 2018 and later every site-specific data item the schema reads must hold a code its table lists "
                + "(SSDI manual); items the schema does not read are not checked here.") { r in
            guard let compiled = schema(r) else { return .skip }
            let invalid = invalidInputs(r, compiled.ssdis)
            return invalid.isEmpty ? .pass : .fail("\(invalid.joined(separator: ", ")) not valid for schema \(compiled.schema.name) (\(compiled.schema.schemaId ?? compiled.schema.id))")
        },
        schemaInputEdit("STG07", "Summary Stage 2018, Schema ID (SEER)", [.stage2018], keys: ["ss2018"], what: "Summary Stage 2018 (item 764)"),
        Edit(id: "STG08", name: "Derived SS2018, EOD, Schema ID (SEER)", kind: .interField,
             items: [.derivedStage2018, .eodPrimary, .eodNodes, .eodMets],
             note: "Derived Summary Stage 2018 (item 762), when coded, must be what the schema's algorithm derives from EOD Primary "
                + "Tumor, Regional Nodes and Mets (items 772, 774, 776).") { r in
            guard let coded = r[.derivedStage2018], r[.eodPrimary] != nil, let schema = schema(r)?.schema,
                  schema.outputs.contains(where: { $0.key == "ss2018_derived" }) else { return .skip }
            guard let derived = stageFromEOD(r) else { return .skip }
            return derived == coded ? .pass
                : .fail("derivedSummaryStage2018 \(coded) but EOD \(r[.eodPrimary] ?? "-")/\(r[.eodNodes] ?? "-")/\(r[.eodMets] ?? "-") derives \(derived) for schema \(schema.name)")
        },
        Edit(id: "STG09", name: "Summary Stage 2018, Behavior Code ICDO3 (NAACCR)", kind: .interField, items: [.stage2018, .behavior],
             note: "For diagnoses 2018 and later an in situ tumor (behavior 2) is Summary Stage 2018 in situ (0), and stage 0 is for "
                + "in situ tumors only (Summary Stage 2018 manual, general rules).") { r in
            guard let year = r.diagnosisYear, year >= 2018, let stage = r[.stage2018], let behavior = r[.behavior] else { return .skip }
            if behavior == "2", stage != "0" { return .fail("behaviorCodeIcdO3 2 (in situ) but summaryStage2018 \(stage); in situ is stage 0") }
            if stage == "0", behavior != "2" { return .fail("summaryStage2018 0 (in situ) but behaviorCodeIcdO3 \(behavior)") }
            return .pass
        },
        requiredSSDIEdit("STG10", setter: "SEER_REQUIRED", label: "SEER"),
        requiredSSDIEdit("STG11", setter: "COC_REQUIRED", label: "CoC"),
        requiredSSDIEdit("STG12", setter: "NPCR_REQUIRED", label: "NPCR"),
    ] }
}
