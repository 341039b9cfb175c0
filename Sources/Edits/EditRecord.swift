import NAACCR
import Staging

/// One patient's values for the items the edits use, extracted once (one pass over each record's sparse values).
///
/// The slots live in buffers of their own: a record is several hundred slots wide and holds a value in a few dozen,
/// so filling them with nil is a memset (an array of optionals destroyed every slot, each through the value witness:
/// about a tenth of a check's time). A slot holding a value is a bitwise copy of the patient's own string, which
/// `source` keeps alive: no reference count is taken or dropped per value, and the buffers are freed as they are.
public final class PatientValues: @unchecked Sendable {
    /// The patient whose strings the slots borrow.
    private let source: NaaccrPatient
    let patient: UnsafeMutablePointer<String?>
    /// Every tumor's slots in one buffer, `width` per tumor (no inner array to retain on each read).
    let tumorValues: UnsafeMutablePointer<String?>
    let width: Int
    let tumorCount: Int
    /// The slots that hold a value, patient level and per tumor (the engine runs single-field edits for these only).
    let patientPresent: [Int]
    let tumorPresent: [[Int]]

    /// Dense index (per level) → slot, or −1 for items no edit of the engine reads; `width` slots per record (the
    /// built-in edits' items, and beyond them only the items a registry's own edits read).
    struct SlotMap: Sendable {
        let patient: [Int]
        let tumor: [Int]
        let width: Int

        init(dictionary: NaaccrDictionary, width: Int = Item.used.count) {
            func map(_ level: NaaccrLevel) -> [Int] {
                dictionary.items[level]!.map { item in
                    guard item.level == level, let slot = Item.slotById[item.naaccrId], slot < width else { return -1 }
                    return slot
                }
            }
            patient = map(.patient)
            tumor = map(.tumor)
            self.width = width
        }
    }

    /// Puts a bitwise copy of `value` in `slot` (no retain: `source` owns the string).
    @inline(__always) private static func lend(_ value: String, to slot: UnsafeMutablePointer<String?>) {
        withUnsafeBytes(of: value) { UnsafeMutableRawPointer(slot).copyMemory(from: $0.baseAddress!, byteCount: MemoryLayout<String>.size) }
    }

    init(_ patient: NaaccrPatient, slots: SlotMap) {
        // A present String? is the String's own bits (the optional uses spare bits), which `lend` relies on.
        assert(MemoryLayout<String?>.size == MemoryLayout<String>.size)
        source = patient
        width = slots.width
        tumorCount = patient.tumors.count
        self.patient = .allocate(capacity: max(1, width))
        self.patient.initialize(repeating: nil, count: width)
        var present: [Int] = []
        present.reserveCapacity(patient.values.entries.count)
        for entry in patient.values.entries where entry.index < slots.patient.count {
            let slot = slots.patient[entry.index]
            if slot >= 0 { Self.lend(entry.value, to: self.patient + slot); present.append(slot) }
        }
        patientPresent = present
        let count = width * patient.tumors.count
        tumorValues = .allocate(capacity: max(1, count))
        tumorValues.initialize(repeating: nil, count: count)
        var tumorsPresent: [[Int]] = []
        tumorsPresent.reserveCapacity(patient.tumors.count)
        for (t, tumor) in patient.tumors.enumerated() {
            var slotsPresent: [Int] = []
            slotsPresent.reserveCapacity(tumor.values.entries.count)
            for entry in tumor.values.entries where entry.index < slots.tumor.count {
                let slot = slots.tumor[entry.index]
                if slot >= 0 { Self.lend(entry.value, to: tumorValues + (t * width + slot)); slotsPresent.append(slot) }
            }
            tumorsPresent.append(slotsPresent)
        }
        tumorPresent = tumorsPresent
    }

    deinit {
        // No slot owns its string (`lend`): the buffers are freed without releasing anything.
        patient.deallocate()
        tumorValues.deallocate()
    }
}

/// What an edit sees: one tumor, its patient, and (for inter-record edits) the patient's other tumors.
///
/// It reads the patient's values through pointers lent by `PatientValues.withRecords` for the duration of one check
/// (no reference counting on each read in the engine's inner loop); edits never keep a record.
public struct EditRecord: @unchecked Sendable {
    let patient: UnsafeBufferPointer<String?>
    let tumors: UnsafeBufferPointer<String?>
    let width: Int
    public let tumorIndex: Int
    /// The day this run treats as today (dates after it are in the future), fixed when the run starts.
    public let today: EditDate
    /// The year of Date of Diagnosis (390), read once per tumor for the edits that depend on it; nil when unknown.
    public let diagnosisYear: Int?
    /// What the edits of one check work out once and share (the tumor's staging schema), for the tumor in hand.
    let memo: EditMemo

    /// The value of an item (patient or tumor level), nil when blank.
    @inline(__always) public subscript(item: Item) -> String? {
        item.level == .patient ? patient[item.slot] : tumors[tumorIndex * width + item.slot]
    }

    /// The value of a tumor-level item on another tumor of the same patient.
    @inline(__always) public func tumor(_ index: Int, _ item: Item) -> String? { tumors[index * width + item.slot] }

    public var tumorCount: Int { width == 0 ? 0 : tumors.count / width }
}

extension PatientValues {
    /// Calls `body` with a record maker for each tumor index; the records are valid only inside `body`.
    func withRecords<R>(today: EditDate, _ body: ((Int) -> EditRecord) -> R) -> R {
        let memo = EditMemo()
        let p = UnsafeBufferPointer(start: patient, count: width), t = UnsafeBufferPointer(start: tumorValues, count: width * tumorCount)
        return withExtendedLifetime(self) {
            body { tumor in
                let date = t[tumor * width + Item.diagnosisDate.slot]
                return EditRecord(patient: p, tumors: t, width: width, tumorIndex: tumor, today: today,
                                  diagnosisYear: date.flatMap { EditDate($0)?.year }, memo: memo)
            }
        }
    }
}

/// Results one tumor's edits share, worked out by the first edit that needs them (one check, one thread: the engine
/// makes a memo per patient and the records of that check are used on the thread that made them).
final class EditMemo: @unchecked Sendable {
    private var tumor = -1
    private var staged: (selection: Stager.Selection, compiled: EditCatalog.CompiledSchema?)?
    private var derivedTumor = -1
    private var derived: String??
    private var morphologyTumor = -1
    private var morphology: EditCatalog.SiteMorphology??

    /// The tumor's valid site, histology and behavior (`EditCatalog.siteMorphology`), worked out once per tumor: a
    /// dozen edits read them.
    func siteMorphology(for tumor: Int, _ compute: () -> EditCatalog.SiteMorphology?) -> EditCatalog.SiteMorphology? {
        if morphologyTumor == tumor, let morphology { return morphology }
        let m = compute()
        morphologyTumor = tumor
        morphology = .some(m)
        return m
    }

    /// The tumor's Summary Stage 2018 as its schema derives it from EOD, computed once per tumor.
    func derivedStage(for tumor: Int, _ compute: () -> String?) -> String? {
        if derivedTumor == tumor, let derived { return derived }
        let d = compute()
        derivedTumor = tumor
        derived = .some(d)
        return d
    }

    /// The tumor's staging schema selection and its compiled schema, computed once per tumor.
    func staging(for tumor: Int, _ compute: () -> (selection: Stager.Selection, compiled: EditCatalog.CompiledSchema?))
        -> (selection: Stager.Selection, compiled: EditCatalog.CompiledSchema?) {
        if self.tumor == tumor, let staged { return staged }
        let s = compute()
        self.tumor = tumor
        staged = s
        return s
    }
}
