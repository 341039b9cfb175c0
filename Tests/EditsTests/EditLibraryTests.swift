import Foundation
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
        for edit in EditCatalog.all where edit.kind == .singleField && !edit.runsWhenBlank {
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

    /// Required-item edits (schema/edits/required-items.tsv): the full fixture passes, a blank item fails, a diagnosis
    /// outside the row's years skips, an unmet condition skips; an empty abstract fails the core ones.
    @Test func everyRequiredItemEditPassesFailsAndSkips() {
        let required = EditCatalog.all.filter { $0.runsWhenBlank && $0.id.hasPrefix("RQ") }
        #expect(required.count >= 30)
        for edit in required {
            let item = edit.items[0].naaccrId
            if EditFixture.patientItems[item] != nil || EditFixture.tumorItems[item] != nil {
                // A conditional requirement (a second item) may not apply to the fixture: then it skips.
                let expected: [EditOutcome] = edit.items.count > 1 ? [.pass, .skip] : [.pass]
                #expect(engine.outcome(of: edit.id, for: EditFixture.patient()).map { expected.contains($0) } == true, "\(edit.id) pass")
            }
            // A dead patient, so that the cause of death is required too; then the item blanked.
            var changes: [String: String?] = ["vitalStatus": "0", "causeOfDeath": "C509", "icdRevisionNumber": "1"]
            changes[item] = .some(nil)
            let blank = engine.outcome(of: edit.id, for: EditFixture.patient(changes))
            if case .fail(let message) = blank { #expect(message.contains(item), "\(edit.id)") }
            else if item != "rxSummSurgPrimSite2023" && item != "rxDateSurgery" { Issue.record("\(edit.id) did not fail on a blank \(item): \(String(describing: blank))") }
        }
        #expect(engine.outcome(of: "RQ1291", for: EditFixture.patient(["dateOfDiagnosis": "20230315"])) != .pass)
        #expect(engine.outcome(of: "RQ1291", for: EditFixture.patient()) == .skip)  // 2020: item 1290's years
        #expect(engine.outcome(of: "RQ1290", for: EditFixture.patient(["rxSummSurgPrimSite": nil, "dateOfDiagnosis": "20230315"])) == .skip)
        #expect(engine.outcome(of: "RQ1200", for: EditFixture.patient(["rxDateSurgery": nil, "rxSummSurgPrimSite": "00"])) == .skip)
        if case .fail = engine.outcome(of: "RQ1200", for: EditFixture.patient(["rxDateSurgery": nil])) {} else { Issue.record("RQ1200 surgery without a date") }
        // An abstract with no date of diagnosis and no primary site no longer passes every edit.
        let empty = NaaccrPatient(dictionary: .v26)
        var withTumor = empty
        withTumor.tumors = [NaaccrTumor(dictionary: .v26)]
        let failed = Set(engine.check(withTumor).map(\.editId))
        #expect(failed.isSuperset(of: ["RQ390", "RQ400", "RQ522", "RQ523", "RQ240", "RQ225"]))
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

    /// The years `registry edits list` shows are the years the edit's logic edits: a year-bounded edit skips outside them.
    @Test func theYearsAnEditAppliesToAreTheYearsItEdits() {
        #expect(EditCatalog.years(of: "RQ3843") == "2018-" && EditCatalog.years(of: "RQ390") == "all")
        #expect(EditCatalog.years(of: "SURG90") == "-2022" && EditCatalog.years(of: "SURG91") == "2023-")
        #expect(EditCatalog.years(of: "STG02") == "2018-" && EditCatalog.years(of: "SF01") == "all")
        for id in ["IF40", "IF41"] {
            #expect(EditCatalog.years(of: id) == "2018-")
            // A tumor that fails in 2020 is not edited in 2017.
            let failing: [String: String?] = id == "IF40" ? ["primarySite": "C189", "histologicTypeIcdO3": "8140", "laterality": "0"] : ["laterality": "9"]
            let in2017 = failing.merging(["dateOfDiagnosis": "20170601"]) { $1 }
            #expect(EditEngine(set: .stateSubmission).check(EditFixture.patient(failing)).contains { $0.editId == id })
            #expect(!EditEngine(set: .stateSubmission).check(EditFixture.patient(in2017)).contains { $0.editId == id })
        }
    }
}

@Suite("Edit data files")
struct EditDataTests {
    /// The embedded copy is the file in schema/edits/ (scripts/gen-edits).
    @Test func theEmbeddedRequiredItemsAreTheSchemaFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema/edits/required-items.tsv").standardized
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(EditCatalog.requiredItemsText == text.trimmingCharacters(in: .newlines))
        let sets = try String(contentsOf: file.deletingLastPathComponent().appendingPathComponent("edit-sets.tsv"), encoding: .utf8)
        #expect(EditCatalog.editSetsText == sets.trimmingCharacters(in: .newlines))
    }

    /// The destination sets follow the Required Status Table (NAACCR Standards Volume II): Class of Case (610) is a CoC
    /// item, Type of Reporting Source (500) and Sequence Number--Central (380) are NPCR/SEER items.
    @Test func eachDestinationRequiresItsOwnItems() {
        #expect(EditSet.builtIn.map(\.name) == ["incoming-abstract", "state-submission", "ncdb-submission", "npcr-submission",
                                                "seer-submission", "naaccr-call-for-data"])
        #expect(EditSet.ncdbSubmission.severities["RQ610"] == .error && EditSet.ncdbSubmission.severities["RQ500"] == nil)
        #expect(EditSet.npcrSubmission.severities["RQ500"] == .error && EditSet.npcrSubmission.severities["RQ610"] == nil)
        #expect(EditSet.seerSubmission.severities["RQ380"] == .error && EditSet.seerSubmission.severities["RQ560"] == nil)
        #expect(EditSet.callForData.severities["RQ380"] == .error && EditSet.callForData.severities["STG12"] == .error)
        // SSDI required status per setter, CoC-only edits out of the central registries' sets.
        #expect(EditSet.npcrSubmission.severities["STG12"] == .error && EditSet.npcrSubmission.severities["STG11"] == nil)
        #expect(EditSet.seerSubmission.severities["COC-ST"] == nil && EditSet.ncdbSubmission.severities["COC-ST"] == .error)
        // As entered: codes are errors, blank required items warnings.
        #expect(EditSet.incomingAbstract.severities["SF01"] == .error && EditSet.incomingAbstract.severities["RQ390"] == .warning)
        #expect(EditSet.incomingAbstract.severities["IF25"] == .warning && EditSet.incomingAbstract.severities["STG10"] == .warning)
        // Every submission set fails an empty abstract.
        var empty = NaaccrPatient(dictionary: .v26)
        empty.tumors = [NaaccrTumor(dictionary: .v26)]
        for set in EditSet.builtIn where set.name != "incoming-abstract" {
            #expect(EditEngine(set: set).check(empty).contains { $0.severity == .error && $0.editId.hasPrefix("RQ") }, "\(set.name)")
        }
    }

    @Test(arguments: [("set\tx\n*\tsevere", 2, "severity"), ("*\terror", 1, "before the first set"), ("set\tx\nid:NOPE\terror", 2, "NOPE"),
                      ("set\tx\nkind:odd\terror", 2, "kind"), ("set\tx\nset\tx", 2, "twice"), ("set\tx\nwho:me\terror", 2, "selector")])
    func editSetMistakesNameTheirLine(_ text: String, _ line: Int, _ words: String) {
        #expect(throws: EditSet.ParseError.self) { try EditSet.parse(text, library: EditCatalog.all) }
        do { _ = try EditSet.parse(text, library: EditCatalog.all) } catch let error as EditSet.ParseError {
            #expect(error.line == line && error.message.contains(words), "\(error)")
        } catch { Issue.record("\(error)") }
    }
}
