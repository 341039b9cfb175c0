import NAACCR

/// Runs an edit set over patients: every edit of the set on every tumor, over-rides applied, failures collected.
public struct EditEngine: Sendable {
    public let set: EditSet
    let edits: [(edit: Edit, severity: EditSeverity)]
    /// The logic of each edit, apart, so the inner loop calls closures without copying the edits: each closure in an
    /// object the engine keeps alive (`boxes`), called through an unmanaged reference borrowed for the call (a closure
    /// loaded from an array is retained and released around every call; a bare function value in an array also goes
    /// through a reabstraction thunk).
    let logic: [Unmanaged<Logic>]
    final class Logic: Sendable {
        let run: @Sendable (EditRecord) -> EditOutcome
        init(run: @escaping @Sendable (EditRecord) -> EditOutcome) { self.run = run }
    }
    let boxes: [Logic]
    let slots: PatientValues.SlotMap
    /// Single-field edits (one item each; blank skips, as every single-field edit's test shows) by the slot of their item,
    /// patient and tumor level: they run only for the items a record holds. The other edits run on every tumor.
    let singleFieldByPatientSlot: [[Int]], singleFieldByTumorSlot: [[Int]]
    let everyTumor: [Int]
    /// The day this engine's run treats as today (DATEEDIT's "not in the future"); an engine is made per run.
    public let today: EditDate

    /// The dictionary of the records it checks.
    public let dictionary: NaaccrDictionary
    /// The library given (built-in plus registry edits), nil for the built-in one.
    public let library: [Edit]?

    /// `ownEdits` builds the library afresh for this engine (closures of its own), for an engine that runs beside
    /// others on other threads: they then share no reference counts (`BatchEditRunner`); otherwise the shared
    /// `EditCatalog.all` is used, which costs nothing to set up (one engine per request).
    /// `library` adds a registry's own edits (`RegistryEdits.library`: the built-in ones and the registry's).
    public init(set: EditSet = .incomingAbstract, dictionary: NaaccrDictionary = .v26, today: EditDate = EditCatalog.currentDate(),
                ownEdits: Bool = false, library: [Edit]? = nil) {
        self.set = set
        self.today = today
        self.dictionary = dictionary
        self.library = library
        let registryEdits = library?.filter { EditCatalog.byId[$0.id] == nil } ?? []
        edits = ((ownEdits ? EditCatalog.makeLibrary() : EditCatalog.all) + registryEdits)
            .compactMap { edit in set.severities[edit.id].map { (edit, $0) } }
        boxes = edits.map { Logic(run: $0.edit.logic) }
        logic = boxes.map { Unmanaged.passUnretained($0) }
        // Slots for the built-in edits' items, and beyond them only for the items the engine's registry edits read.
        let widest = edits.flatMap { $0.edit.items + [$0.edit.overrideItem, $0.edit.alsoOverriddenBy?.item].compactMap { $0 } }.map(\.slot).max() ?? 0
        slots = PatientValues.SlotMap(dictionary: dictionary, width: max(Item.builtInWidth, widest + 1))
        var patientSlots = [[Int]](repeating: [], count: slots.width), tumorSlots = patientSlots
        var others: [Int] = []
        for (i, entry) in edits.enumerated() {
            guard entry.edit.kind == .singleField, entry.edit.items.count == 1, !entry.edit.runsWhenBlank else { others.append(i); continue }
            let item = entry.edit.items[0]
            if item.level == .patient { patientSlots[item.slot].append(i) } else { tumorSlots[item.slot].append(i) }
        }
        singleFieldByPatientSlot = patientSlots
        singleFieldByTumorSlot = tumorSlots
        everyTumor = others
    }

    /// The failing and overridden edits of one patient (all its tumors), in tumor then catalog order.
    public func check(_ patient: NaaccrPatient) -> [EditFailure] {
        let values = PatientValues(patient, slots: slots)
        var failures: [EditFailure] = []
        values.withRecords(today: today) { makeRecord in
        logic.withUnsafeBufferPointer { logic in
        for tumor in 0..<patient.tumors.count {
            let record = makeRecord(tumor)
            var failed: [(index: Int, message: String)] = []
            func run(_ i: Int) {
                if case .fail(let message) = logic[i]._withUnsafeGuaranteedRef({ $0.run(record) }) { failed.append((i, message)) }
            }
            for i in everyTumor { run(i) }
            for slot in values.patientPresent { for i in singleFieldByPatientSlot[slot] { run(i) } }
            for slot in values.tumorPresent[tumor] { for i in singleFieldByTumorSlot[slot] { run(i) } }
            // Catalog order.
            for (i, message) in failed.sorted(by: { $0.index < $1.index }) {
                let (edit, severity) = edits[i]
                failures.append(EditFailure(editId: edit.id, name: edit.name, severity: severity, message: message,
                                            items: edit.items.map(\.naaccrId), tumorIndex: tumor, overridden: edit.isOverridden(record)))
            }
        }
        }
        }
        return failures
    }

    /// What one edit concludes for one tumor (for tests and explanations).
    public func outcome(of editId: String, for patient: NaaccrPatient, tumor: Int = 0) -> EditOutcome? {
        guard let edit = EditCatalog.byId[editId] ?? library?.first(where: { $0.id == editId }) else { return nil }
        return PatientValues(patient, slots: slots).withRecords(today: today) { edit.logic($0(tumor)) }
    }
}
