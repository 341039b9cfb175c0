import Foundation
import Staging
import Testing

/// Cases from the published SEER documentation: the NAACCR Schema IDs of the EOD 2018 schemas (SSDI manual),
/// Schema Discriminator 1 for the nasopharynx and pharyngeal tonsil (1 = nasopharynx), and Summary Stage 2018
/// (in situ 0, localized 1, regional by lymph nodes only 3, distant 7) for breast extension, nodes and metastasis.
@Suite("Staging by schema (SEER EOD 2018)")
struct StagingTests {
    let stager = Stager(currentYear: 2026)

    func breast(_ extra: [String: String] = [:]) -> [String: String] {
        ["primarySite": "C504", "histologicTypeIcdO3": "8500", "behaviorCodeIcdO3": "3", "dateOfDiagnosis": "20220315",
         "eodPrimaryTumor": "100", "eodRegionalNodes": "000", "eodMets": "00"].merging(extra) { $1 }
    }

    @Test func theAlgorithmIsReadFromItsDataFile() {
        #expect(stager.algorithm.algorithm == "eod_public" && stager.algorithm.version == "3.3")
        #expect(stager.algorithm.schemas.count == 141)
    }

    @Test(arguments: [("C504", "8500", "breast", "00480"), ("C619", "8140", "prostate", "00580"), ("C349", "8140", "lung", "00360"),
                      ("C180", "8140", "colon_rectum", "00200")])
    func schemaSelectionBySiteAndHistology(_ site: String, _ histology: String, _ schema: String, _ schemaId: String) {
        let result = stager.stage(["primarySite": site, "histologicTypeIcdO3": histology, "behaviorCodeIcdO3": "3", "dateOfDiagnosis": "2022"])
        #expect(result.schema == schema && result.outputs["schemaId"] == schemaId, "\(result.errors)")
    }

    @Test func aDiscriminatorChoosesBetweenSchemasThatShareASite() {
        let without = stager.stage(["primarySite": "C111", "histologicTypeIcdO3": "8010", "behaviorCodeIcdO3": "3", "dateOfDiagnosis": "2022"])
        #expect(without.schema == nil && without.candidates.contains("nasopharynx") && without.candidates.count >= 2)
        #expect(without.errors.first?.contains("Schema Discriminator") == true)
        let with = stager.stage(["primarySite": "C111", "histologicTypeIcdO3": "8010", "behaviorCodeIcdO3": "3", "dateOfDiagnosis": "2022",
                                 "schemaDiscriminator1": "1"])
        #expect(with.schema == "nasopharynx" && with.outputs["schemaId"] == "00090")
    }

    @Test func summaryStage2018IsDerivedFromExtensionNodesAndMetastasis() {
        #expect(stager.stage(breast()).outputs["derivedSummaryStage2018"] == "1")
        #expect(stager.stage(breast(["eodRegionalNodes": "300"])).outputs["derivedSummaryStage2018"] == "3")
        #expect(stager.stage(breast(["eodMets": "10"])).outputs["derivedSummaryStage2018"] == "7")
        #expect(stager.stage(breast(["behaviorCodeIcdO3": "2", "eodPrimaryTumor": "000"])).outputs["derivedSummaryStage2018"] == "0")
    }

    /// Derivations are remembered by the inputs their tables read: over every schema that derives Summary Stage 2018,
    /// tumors with every input drawn at random from its table give, remembered or not, what the whole algorithm run
    /// afresh (no memo) derives.
    @Test func aRememberedDerivationIsWhatTheWholeAlgorithmDerives() {
        var state: UInt64 = 2018
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var compared = 0
        for schema in stager.algorithm.schemas where schema.outputs.contains(where: { $0.key == "ss2018_derived" }) {
            let codes = schema.inputs.map { stager.codes(of: $0) }
            for _ in 0..<40 {
                var items: [String: String] = ["dateOfDiagnosis": "2022"]
                for (input, list) in zip(schema.inputs, codes) where !list.isEmpty && input.key != "year_dx" {
                    // A third of the draws repeat the first code, so remembered derivations are looked up again.
                    if let item = input.item { items[item] = next(3) == 0 ? list[0] : list[next(list.count)] }
                }
                let remembered = stager.derive({ items[$0] }, schema: schema, only: ["ss2018_derived"]).outputs["derivedSummaryStage2018"]
                let whole = stager.derive({ items[$0] }, schema: schema).outputs["derivedSummaryStage2018"]
                #expect(remembered == whole, "\(schema.id) \(items)")
                compared += 1
            }
        }
        #expect(compared > 4_000)
    }

    @Test func theHigherOfClinicalAndPathologicalGradeIsTheSummaryGrade() {
        let result = stager.stage(breast(["gradeClinical": "2", "gradePathological": "3"]))
        #expect(result.outputs["derivedSummaryGrade2018"] == "3")
    }

    @Test func inputsAreCheckedAgainstTheSchemaAndBlanksTakeItsDefault() throws {
        let result = stager.stage(breast(["eodPrimaryTumor": "123", "dateOfDiagnosis": "20170101"]))
        let extension_ = try #require(result.inputs.first { $0.item == "eodPrimaryTumor" })
        #expect(!extension_.valid && result.errors.contains { $0.contains("eodPrimaryTumor '123'") })
        // EOD 2018 is for diagnoses from 2018 on.
        #expect(result.inputs.first { $0.key == "year_dx" }?.valid == false)
        let size = try #require(result.inputs.first { $0.item == "tumorSizeSummary" })
        #expect(size.value == "999" && size.defaulted && size.valid)
        let nodes = try #require(stager.stage(breast()).inputs.first { $0.item == "eodRegionalNodes" })
        #expect(nodes.valid && nodes.label != nil && !(nodes.label!.hasPrefix("**")))
    }

    @Test func requiredStatusComesWithTheSchemaInputs() throws {
        let schema = try #require(stager.algorithm.schema(id: "breast"))
        let er = try #require(schema.inputs.first { $0.item == "estrogenReceptorSummary" })
        #expect(er.requiredBy(year: 2022).contains("SEER_REQUIRED") && er.requiredBy(year: 2022).contains("SSDI"))
    }
}
