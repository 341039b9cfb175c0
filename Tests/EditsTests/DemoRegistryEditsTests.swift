import Edits
import NAACCR
import SyntheticRegistry
import Testing

@Suite("The demo registry against the edits")
struct DemoRegistryEditsTests {
    @Test func syntheticAbstractsPassEveryEditOfTheStrictestSet() {
        let engine = EditEngine(set: .stateSubmission)
        var counts: [String: Int] = [:], example: [String: String] = [:]
        for patient in SyntheticRegistryGenerator(patientCount: 3000, seed: 11) {
            for failure in engine.check(patient) where !failure.overridden {
                counts[failure.editId, default: 0] += 1
                example[failure.editId] = failure.message
            }
        }
        #expect(counts.isEmpty, "\(counts) e.g. \(example)")
    }
}
