import Edits
import NAACCR
import RegistryStore

/// The outcome of an edit set on one tumor: counts, and each failing or overridden edit in the stored shape.
public struct EditReport: Sendable, Codable, Equatable {
    public let set: String
    public let errors: Int
    public let warnings: Int
    public let failures: [EditFailureRecord]

    public init(set: String, failures: [EditFailureRecord]) {
        let result = StoredEditResult(tumorId: 0, failures: failures)
        self.set = set
        errors = result.errors
        warnings = result.warnings
        self.failures = failures
    }

    /// The engine's failures as stored records.
    public static func records(_ failures: [EditFailure]) -> [EditFailureRecord] {
        failures.map {
            EditFailureRecord(edit: $0.editId, name: $0.name, severity: $0.severity.name, message: $0.message, items: $0.items,
                              overridden: $0.overridden, blocks: $0.severity.blocks)
        }
    }
}

extension Registry {
    /// Runs the registry's edit set on `stored` with its tumor's items replaced by `items` (and the patient's by
    /// `patientItems`, when the form has unsaved patient changes): the abstract as the registrar sees it.
    func editReport(for stored: StoredAbstract, items: [String: String], patientItems: [String: String]? = nil,
                    engine: EditEngine) -> EditReport {
        let d = NaaccrDictionary.v26
        var patient = NaaccrPatient(dictionary: d)
        for (id, value) in patientItems ?? stored.patientItems { if let key = d.key(id), key.level == .patient { patient[key] = value } }
        var tumors = stored.otherTumors
        let index = min(stored.tumorIndex, tumors.count)
        tumors.insert(items, at: index)
        for items in tumors {
            var tumor = NaaccrTumor(dictionary: d)
            for (id, value) in items { if let key = d.key(id), key.level == .tumor { tumor[key] = value } }
            patient.tumors.append(tumor)
        }
        let failures = engine.check(patient).filter { $0.tumorIndex == index }
        return EditReport(set: engine.set.name, failures: EditReport.records(failures))
    }
}

/// Checks item values against the v26 dictionary before anything is stored.
enum ItemValidation {
    /// Throws `WorkflowError.invalid` naming every item that is unknown, of the wrong level, or whose value the
    /// dictionary's data type and length do not allow.
    static func check(_ items: [String: String], level: NaaccrLevel) throws {
        var problems: [String] = [], names: [String] = []
        for (id, value) in items.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            let shownId = String(id.prefix(64))
            guard let key = NaaccrDictionary.v26.key(id) else { problems.append("\(shownId): not a NAACCR item"); names.append(shownId); continue }
            guard key.level == level else {
                problems.append("\(id): a \(key.level.rawValue) item, not a \(level.rawValue) item"); names.append(id); continue
            }
            if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7F }) {
                problems.append("\(id): control characters are not allowed"); names.append(id); continue
            }
            if let problem = NaaccrValueValidator.check(value, for: NaaccrDictionary.v26.item(key)) {
                problems.append("\(id): \(problem.detail)")
                names.append(id)
            }
        }
        if !problems.isEmpty { throw WorkflowError.invalid(problems.prefix(50).joined(separator: "; "), items: names) }
    }
}
