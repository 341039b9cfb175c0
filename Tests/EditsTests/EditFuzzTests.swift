import Edits
import NAACCR
import SyntheticRegistry
import Testing

@Suite("Garbage never crashes the edits")
struct EditFuzzTests {
    /// SplitMix64, so a failure can be reproduced.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet: [String] = "0123456789ABCZaz /-.:_#%é漢😀\u{0}\t".map(String.init) + ["99", "00", "C809", "8000", "9999", "20230231", "1"]

    @Test func oneHundredThousandMutatedTumorsRunThroughEveryEditSet() {
        var random = Random(state: 20261123)
        let d = NaaccrDictionary.v26
        let base = Array(SyntheticRegistryGenerator(patientCount: 500, seed: 3))
        let itemKeys = d.items[.tumor]!.prefix(400).map { d.key($0.naaccrId)! } + d.items[.patient]!.map { d.key($0.naaccrId)! }
        // The state set holds every edit; the incoming set adds the warning severity (the other sets are subsets).
        let engines = [EditSet.incomingAbstract, .stateSubmission].map { EditEngine(set: $0) }
        let known = Set(EditCatalog.all.map(\.id))
        var tumors = 0, failures = 0
        while tumors < 100_000 {
            var patient = base[Int.random(in: 0..<base.count, using: &random)]
            if Int.random(in: 0..<20, using: &random) == 0 { patient.tumors += patient.tumors }  // duplicated tumors
            if Int.random(in: 0..<50, using: &random) == 0 { patient.tumors = [] }
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let key = itemKeys[Int.random(in: 0..<itemKeys.count, using: &random)]
                let length = Int.random(in: 0...6, using: &random)
                let value = String((0..<length).map { _ in Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &random)] }.joined())
                if key.level == .patient {
                    patient[key] = value
                } else if !patient.tumors.isEmpty {
                    patient.tumors[Int.random(in: 0..<patient.tumors.count, using: &random)][key] = value
                }
            }
            let engine = engines[tumors % engines.count]
            for failure in engine.check(patient) {
                failures += 1
                #expect(known.contains(failure.editId) && !failure.message.isEmpty)
            }
            tumors += Swift.max(1, patient.tumors.count)
        }
        #expect(failures > 0)
    }

    @Test func aGarbageSiteFailsItsValidCodeEditAndDependentEditsSkip() {
        var patient = Array(SyntheticRegistryGenerator(patientCount: 1, seed: 1))[0]
        patient.tumors[0][NaaccrDictionary.v26.key("primarySite")!] = "C9Z#"
        let failures = EditEngine(set: .stateSubmission).check(patient).map(\.editId)
        #expect(failures == ["SF01"], "\(failures)")
        let engine = EditEngine(set: .stateSubmission)
        for id in ["IF25", "IF39", "IF24", "IF17", "IR09"] { #expect(engine.outcome(of: id, for: patient) == .skip, "\(id)") }
    }
}
