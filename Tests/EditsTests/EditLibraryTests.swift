import Coding
import Edits
import NAACCR
import Testing

@Suite("The edit library: every edit passes, fails, skips and honours its over-ride")
struct EditLibraryTests {
    let engine = EditEngine(set: .stateSubmission)

    func outcome(_ c: EditCase) -> Expected? {
        let patient = EditFixture.patient(c.changes, second: c.second)
        guard let result = engine.outcome(of: c.edit, for: patient, tumor: c.tumor) else { return nil }
        switch result {
        case .pass: return .pass
        case .skip: return .skip
        case .fail:
            let failure = engine.check(patient).first { $0.editId == c.edit && $0.tumorIndex == c.tumor }
            return failure?.overridden == true ? .overridden : .fail
        }
    }

    @Test func theLibraryHasAtLeastSixtyEditsWithUniqueIdsAndRealNames() {
        #expect(EditCatalog.all.count >= 60)
        #expect(Set(EditCatalog.all.map(\.id)).count == EditCatalog.all.count)
        for edit in EditCatalog.all { #expect(edit.name.contains("(") && !edit.items.isEmpty, "\(edit.id)") }
    }

    @Test func theFixtureIsClean() {
        let failures = engine.check(EditFixture.patient())
        #expect(failures.isEmpty, "\(failures.map { "\($0.editId): \($0.message)" })")
    }

    @Test(arguments: editCases)
    func interFieldDateAndInterRecordCases(_ c: EditCase) {
        #expect(outcome(c) == c.expected, "\(c)")
    }

    @Test func everyEditIsCoveredPassFailSkipAndOverride() {
        var covered: [String: Set<Expected>] = [:]
        for c in editCases { covered[c.edit, default: []].insert(c.expected) }
        for edit in EditCatalog.all where edit.kind != .singleField || edit.id.hasPrefix("DT") {
            // Single-field edits also run through the generic pass/fail/skip test below.
            let seen = covered[edit.id, default: []].union(edit.kind == .singleField ? [.pass, .fail, .skip] : [])
            #expect(seen.isSuperset(of: [.pass, .fail, .skip]), "\(edit.id) has cases \(seen)")
            if edit.overrideItem != nil { #expect(seen.contains(.overridden), "\(edit.id) has no over-ride case") }
        }
    }

    /// Single-field edits: the fixture's value (or a known good code) passes, garbage fails with the item named, blank skips.
    @Test func everySingleFieldEditPassesFailsAndSkips() {
        let goodValues: [String: String] = ["race3": "88", "race4": "88", "race5": "88", "placeOfDeathState": "KS",
                                            "rxDateRadiation": "20200601", "rxDateChemo": "20200601", "birthplaceCountry": "USA",
                                            "ihsLink": "0", "countyAtDxAnalysis": "173", "rxHospSurgPrimSite": "30", "rxHospRadiation": "0",
                                            "rxHospChemo": "00", "nextFollowUpSource": "0", "censusTract2010": "000100",
                                            "telephone": "9999999999", "socialSecurityNumber": "999999999", "npiReportingFacility": "1900001001",
                                            "reportingFacility": "0000001001", "addrAtDxPostalCode": "66012"]
        for edit in EditCatalog.all where edit.kind == .singleField {
            let item = edit.items[0].naaccrId
            // Else the first code of the item's NAACCR code list (a range's first code).
            let listed = NaaccrCodeLists.list(item)?.entries.first.map { String($0.code.split(separator: "-").first ?? "") }
            let good = EditFixture.patientItems[item] ?? EditFixture.tumorItems[item] ?? goodValues[item] ?? listed
            guard let good else { Issue.record("\(edit.id): no good value for \(item)"); continue }
            #expect(engine.outcome(of: edit.id, for: EditFixture.patient([item: good])) == .pass, "\(edit.id) pass")
            let bad = engine.outcome(of: edit.id, for: EditFixture.patient([item: "#!"]))
            if case .fail(let message) = bad { #expect(message.contains(item), "\(edit.id) message") } else { Issue.record("\(edit.id) did not fail: \(String(describing: bad))") }
            #expect(engine.outcome(of: edit.id, for: EditFixture.patient([item: nil])) == .skip, "\(edit.id) skip")
        }
    }

    @Test func failuresNameTheItemsAndTheSetDecidesSeverity() {
        let patient = EditFixture.patient(["histologicTypeIcdO3": "8170"])
        let incoming = EditEngine(set: .incomingAbstract).check(patient).first { $0.editId == "IF25" }
        let state = EditEngine(set: .stateSubmission).check(patient).first { $0.editId == "IF25" }
        #expect(incoming?.severity == .warning && state?.severity == .error)
        #expect(state?.items == ["primarySite", "histologicTypeIcdO3"])
        #expect(state?.message.contains("C504") == true && state?.message.contains("8170") == true)
        #expect(EditEngine(set: .ncdbSubmission).check(patient).contains { $0.editId == "IF25" } == false)
        #expect(EditEngine(set: .ncdbSubmission).check(patient).contains { $0.editId == "COC-ST" })
    }
}
