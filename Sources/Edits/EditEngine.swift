import NAACCR

/// Runs an edit set over patients: every edit of the set on every tumor, over-rides applied, failures collected.
public struct EditEngine: Sendable {
    public let set: EditSet
    let edits: [(edit: Edit, severity: EditSeverity)]
    /// The logic of each edit, apart, so the inner loop calls closures without copying the edits.
    let logic: [@Sendable (EditRecord) -> EditOutcome]
    let slots: PatientValues.SlotMap
    /// The day this engine's run treats as today (DATEEDIT's "not in the future"); an engine is made per run.
    public let today: EditDate

    public init(set: EditSet = .incomingAbstract, dictionary: NaaccrDictionary = .v26, today: EditDate = EditCatalog.currentDate()) {
        self.set = set
        self.today = today
        edits = EditCatalog.all.compactMap { edit in set.severities[edit.id].map { (edit, $0) } }
        logic = edits.map(\.edit.logic)
        slots = PatientValues.SlotMap(dictionary: dictionary)
    }

    /// The failing and overridden edits of one patient (all its tumors), in tumor then catalog order.
    public func check(_ patient: NaaccrPatient) -> [EditFailure] {
        let values = PatientValues(patient, slots: slots)
        var failures: [EditFailure] = []
        for tumor in 0..<patient.tumors.count {
            let record = EditRecord(values: values, tumorIndex: tumor, today: today)
            for i in logic.indices {
                guard case .fail(let message) = logic[i](record) else { continue }
                let (edit, severity) = edits[i]
                let overridden = edit.isOverridden(record)
                failures.append(EditFailure(editId: edit.id, name: edit.name, severity: severity, message: message,
                                            items: edit.items.map(\.naaccrId), tumorIndex: tumor, overridden: overridden))
            }
        }
        return failures
    }

    /// What one edit concludes for one tumor (for tests and explanations).
    public func outcome(of editId: String, for patient: NaaccrPatient, tumor: Int = 0) -> EditOutcome? {
        guard let edit = EditCatalog.byId[editId] else { return nil }
        return edit.logic(EditRecord(values: PatientValues(patient, slots: slots), tumorIndex: tumor, today: today))
    }
}
