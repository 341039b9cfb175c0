import NAACCR

/// One patient's values for the items the edits use, extracted once (one pass over each record's sparse values).
public final class PatientValues: Sendable {
    let patient: [String?]
    let tumors: [[String?]]

    /// Dense index (per level) → slot, or −1 for items no edit reads.
    struct SlotMap: Sendable {
        let patient: [Int]
        let tumor: [Int]

        init(dictionary: NaaccrDictionary) {
            func map(_ level: NaaccrLevel) -> [Int] {
                dictionary.items[level]!.map { item in item.level == level ? Item.slotById[item.naaccrId] ?? -1 : -1 }
            }
            patient = map(.patient)
            tumor = map(.tumor)
        }
    }

    init(_ patient: NaaccrPatient, slots: SlotMap) {
        func extract(_ values: NaaccrValues, _ map: [Int]) -> [String?] {
            var out = [String?](repeating: nil, count: Item.used.count)
            for entry in values.entries where entry.index < map.count {
                let slot = map[entry.index]
                if slot >= 0 { out[slot] = entry.value }
            }
            return out
        }
        self.patient = extract(patient.values, slots.patient)
        tumors = patient.tumors.map { extract($0.values, slots.tumor) }
    }
}

/// What an edit sees: one tumor, its patient, and (for inter-record edits) the patient's other tumors.
public struct EditRecord: Sendable {
    let values: PatientValues
    public let tumorIndex: Int
    /// The day this run treats as today (dates after it are in the future), fixed when the run starts.
    public let today: EditDate

    /// The value of an item (patient or tumor level), nil when blank.
    public subscript(item: Item) -> String? {
        item.level == .patient ? values.patient[item.slot] : values.tumors[tumorIndex][item.slot]
    }

    /// The value of a tumor-level item on another tumor of the same patient.
    public func tumor(_ index: Int, _ item: Item) -> String? { values.tumors[index][item.slot] }

    public var tumorCount: Int { values.tumors.count }
}
