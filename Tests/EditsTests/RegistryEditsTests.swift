import Edits
import Foundation
import NAACCR
import Testing

@Suite("A registry's own edits, from files")
struct RegistryEditsTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema/edits/examples").standardized.path

    func outcome(_ edits: RegistryEdits, _ id: String, _ changes: [String: String?]) -> EditOutcome? {
        EditEngine(set: edits.set(named: "state-submission")!, library: edits.library).outcome(of: id, for: EditFixture.patient(changes))
    }

    @Test func theShippedExamplesLoadAndRunEndToEnd() throws {
        let edits = try RegistryEdits.load(path: Self.examples)
        #expect(edits.edits.map(\.id).sorted() == ["KS01", "KS02", "KS03", "KS04"])
        let set = try #require(edits.set(named: "ks-submission"))
        #expect(set.severities["KS01"] == .error && set.severities["KS02"] == .warning && set.severities["IF25"] == .error)
        // KS01: a Kansas resident diagnosed from 2020 needs a county.
        #expect(outcome(edits, "KS01", [:]) == .pass)
        #expect(outcome(edits, "KS01", ["countyAtDx": nil]) == .fail("countyAtDx (item 90) is required for Kansas residents diagnosed from 2020"))
        #expect(outcome(edits, "KS01", ["countyAtDx": nil, "addrAtDxState": "MO"]) == .skip)
        #expect(outcome(edits, "KS01", ["countyAtDx": nil, "dateOfDiagnosis": "20190101"]) == .skip)
        // KS03: a table of the registry's own.
        #expect(outcome(edits, "KS03", ["countyAtDx": "173"]) == .pass)
        #expect(outcome(edits, "KS03", ["countyAtDx": "300"]) != .pass)
        // KS04: dates compared as dates.
        #expect(outcome(edits, "KS04", ["dateCaseReportReceived": "20200401"]) == .pass)
        #expect(outcome(edits, "KS04", ["dateCaseReportReceived": "20200301"]) == .fail("the report was received before the diagnosis date"))
        #expect(outcome(edits, "KS04", [:]) == .skip)
        // The engine reports them like the built-in edits, with their severity in the set.
        let failures = EditEngine(set: set, library: edits.library).check(EditFixture.patient(["countyAtDx": nil]))
        #expect(failures.contains { $0.editId == "KS01" && $0.severity == .error && $0.items.contains("countyAtDx") })
    }

    /// A registry's own severity levels: one that blocks counts and acts as an error (stored results count it as an
    /// error, `blocks` is what submissions and completeness check), one that informs as a warning; each keeps its name.
    @Test func aRegistrysOwnLevelsBlockOrInform() throws {
        let edits = try RegistryEdits.parse("""
            level critical blocks "must be corrected before the case leaves the registry"
            level review informs
            edit L1 "County required (TEST)"
              severity critical
              check countyAtDx is present
            edit L2 "Pathology text (TEST)"
              severity review
              check textDxProcPath is present
            set levels "Levels (TEST)"
              include state-submission
              add L2 critical
            """)
        #expect(edits.levels.map(\.severity) == [EditSeverity(name: "critical", blocks: true), EditSeverity(name: "review", blocks: false)])
        #expect(edits.levels[0].description == "must be corrected before the case leaves the registry")
        let state = try #require(edits.set(named: "state-submission"))
        #expect(state.severities["L1"]?.name == "critical" && state.severities["L2"]?.name == "review")
        #expect(edits.set(named: "levels")?.severities["L2"]?.blocks == true)
        let failures = EditEngine(set: state, library: edits.library).check(EditFixture.patient(["countyAtDx": nil]))
        let critical = try #require(failures.first { $0.editId == "L1" })
        let review = try #require(failures.first { $0.editId == "L2" })
        #expect(critical.severity.blocks && critical.severity.name == "critical" && !review.severity.blocks && review.severity.name == "review")
        // Blocking levels rank above informing ones.
        #expect(review.severity < critical.severity && EditSeverity.warning < critical.severity && review.severity < EditSeverity.error)
        // Encoded with what it does (the standard's two as plain names), and read back.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode([critical.severity, .error])
        #expect(String(decoding: encoded, as: UTF8.self) == #"[{"blocks":true,"name":"critical"},"error"]"#)
        #expect(try JSONDecoder().decode([EditSeverity].self, from: encoded) == [critical.severity, .error])
    }

    @Test func conditionsCombineWithAndOrNotAndParentheses() throws {
        let edits = try RegistryEdits.parse("""
            edit T1 "Combination (TEST)"
              when (sexAssignedAtBirth = 2 or sexAssignedAtBirth = 9) and not primarySite in C600-C639
              check behaviorCodeIcdO3 in 2,3 and ageAtDiagnosis between 000 and 120 and histologicTypeIcdO3 != 8000
              message "combination fails"
            edit T2 "Code list (TEST)"
              check race1 in codelist
            """)
        #expect(outcome(edits, "T1", [:]) == .pass)
        #expect(outcome(edits, "T1", ["behaviorCodeIcdO3": "1"]) == .fail("combination fails"))
        #expect(outcome(edits, "T1", ["sexAssignedAtBirth": "1"]) == .skip)
        #expect(outcome(edits, "T2", ["race1": "04"]) == .pass)
        #expect(outcome(edits, "T2", ["race1": "55"]) == .fail("Code list (TEST) fails"))
    }

    @Test(arguments: [
        ("edit X1 \"A (T)\"\n  check contyAtDx is present", "edits:2: edit X1: contyAtDx is not a NAACCR v26 item (write its naaccrId, e.g. primarySite)"),
        ("edit X1 \"A (T)\"\n  message \"m\"", "edits:1: edit X1: an edit needs a check"),
        ("edit IF25 \"A (T)\"\n  check primarySite is present", "edits:1: edit id IF25 is already used"),
        ("edit X1 \"A (T)\"\n  chek primarySite is present", "edits:2: edit X1: chek does not belong here (an edit has severity, when, check, message, note; a set include, add, remove)"),
        ("edit X1 \"A (T)\"\n  check primarySite in table nowhere", "edits:2: edit X1: no table by that name (define it with: table NAME CODES, above)"),
        ("edit X1 \"A (T)\"\n  check (primarySite is present", "edits:2: edit X1: a ( is not closed"),
        ("set s1 \"S\"\n  add NOPE", "edits:2: no edit NOPE (define it before the set)"),
        ("level critical stops", "edits:1: write: level NAME blocks|informs \"DESCRIPTION\" (a name of a-z, 0-9, - and _, at most 20)"),
        ("level error blocks", "edits:1: level error is already a severity"),
        ("edit X1 \"A (T)\"\n  severity critical\n  check primarySite is present", "edits:2: edit X1: severity is one of error, warning"),
        ("level review informs\nedit X1 \"A (T)\"\n  severity fatal\n  check primarySite is present",
         "edits:3: edit X1: severity is one of error, warning, review"),
    ])
    func mistakesNameTheLineAndTheEdit(_ text: String, _ expected: String) {
        #expect { _ = try RegistryEdits.parse(text) } throws: { "\($0)" == expected }
    }
}
