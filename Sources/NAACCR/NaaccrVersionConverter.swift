/// Converts records read with an older NAACCR dictionary (v14 to v25) to the current one (v26), item by item.
///
/// Rules (each tested in `VersionConversionTests`):
/// 1. **By item number.** NAACCR item numbers are stable across versions (the v18 → v21 renames kept them): a value
///    goes to the target item of the same `naaccrNum`, whatever its `naaccrId` is now.
/// 2. **Level moves.** An item that moved from Tumor to Patient (e.g. Follow-up Source Central, 1791) takes the first
///    tumor's non-blank value; when the patient's tumors disagree, the others are reported (`tumorsDisagree`). An item
///    that moved from Patient to Tumor is copied to every tumor.
/// 3. **Retired items are kept, never dropped.** An item the target no longer has (e.g. Sex, 220, retired in v26) is
///    kept under its own number and id in `target`, which is the current dictionary plus those retired items; imports
///    store them beside the abstract and count them. (`registry convert` writes a v26 file, which has no place for
///    them: it reports what it leaves out.)
/// 4. **Sex (220) → Sex Assigned at Birth (225)** when 225 is blank (NAACCR v26: "existing data in Sex [220] will be
///    converted"), by the coding instructions of item 225 read against the codes of item 220: 1 male → 1; 2 female →
///    2; 5 transsexual, natal male → 1; 6 transsexual, natal female → 2; 3 other/intersex and 4 transsexual NOS → 9
///    (instructions 5 and 6); 9 unknown → 1 for a primary site C600-C639 and 2 for C510-C589 (instruction 3), else 9.
/// 5. **Values are checked against the target's rule** (length, data type): a value the current version no longer
///    allows is kept as sent and reported with its line, patient, tumor and item, never changed silently.
public final class NaaccrVersionConverter {
    /// The file's dictionary (with its user dictionaries).
    public let source: NaaccrDictionary
    /// The current dictionary plus the source's retired items.
    public let target: NaaccrDictionary
    /// The current dictionary alone.
    public let current: NaaccrDictionary

    /// What the conversion did, by kind and item.
    public private(set) var counts: [String: Int] = [:]

    private struct Move { let from: NaaccrItemKey; let to: NaaccrItemKey }
    private let tumorToPatient: [Move], patientToTumor: [Move]
    /// For items that stay at their level, the target index of each source index (-1: none or moved), per level.
    private let samePatientIndex: [Int], sameTumorIndex: [Int]
    /// Per target index: whether the value must be re-checked (its rule differs from the source's) and whether the
    /// item is retired (not in the current dictionary).
    private let recheckPatient: [Bool], recheckTumor: [Bool], retiredPatient: [Bool], retiredTumor: [Bool]
    private let rules: [NaaccrLevel: [NaaccrValueRule]]
    private let sexSource: NaaccrItemKey?, sexTarget: NaaccrItemKey?, siteKey: NaaccrItemKey?
    private var patientCount = 0

    public init(from source: NaaccrDictionary, to current: NaaccrDictionary = .v26) throws {
        self.source = source
        self.current = current
        let retired = source.allItems.filter { current.key(naaccrNum: $0.naaccrNum) == nil }.map { item in
            // A retired item's id could have been reused by a current item: keep it apart by its number.
            current.key(item.naaccrId) == nil ? item
                : NaaccrItem(naaccrId: "\(item.naaccrId)Retired\(item.naaccrNum)", naaccrNum: item.naaccrNum, name: item.name,
                             length: item.length, dataType: item.dataType, level: item.level, recordTypes: item.recordTypes,
                             padding: item.padding, allowUnlimitedText: item.allowUnlimitedText)
        }
        let merged = retired.isEmpty ? current : try current.merging([
            NaaccrDictionary(uri: "urn:tumor-registry:retired-items:\(source.naaccrVersion)", naaccrVersion: current.naaccrVersion, items: retired),
        ])
        target = merged
        var moves: [String: [Move]] = [:]
        for item in source.allItems {
            guard let from = source.key(naaccrNum: item.naaccrNum), let to = merged.key(naaccrNum: item.naaccrNum) else { continue }
            let kind = from.level == to.level ? "same-\(from.level.rawValue)" : "\(from.level.rawValue)-\(to.level.rawValue)"
            moves[kind, default: []].append(Move(from: from, to: to))
        }
        func indexMap(_ level: NaaccrLevel) -> [Int] {
            var map = [Int](repeating: -1, count: source.count(level))
            for move in moves["same-\(level.rawValue)"] ?? [] { map[move.from.index] = move.to.index }
            return map
        }
        samePatientIndex = indexMap(.patient)
        sameTumorIndex = indexMap(.tumor)
        func recheck(_ level: NaaccrLevel) -> [Bool] {
            var flags = [Bool](repeating: true, count: merged.count(level))
            for move in moves["same-\(level.rawValue)"] ?? [] where source.rule(move.from) == merged.rule(move.to) { flags[move.to.index] = false }
            return flags
        }
        recheckPatient = recheck(.patient)
        recheckTumor = recheck(.tumor)
        func retiredFlags(_ level: NaaccrLevel) -> [Bool] {
            merged.items[level]!.map { current.key(naaccrNum: $0.naaccrNum) == nil }
        }
        retiredPatient = retiredFlags(.patient)
        retiredTumor = retiredFlags(.tumor)
        tumorToPatient = moves["\(NaaccrLevel.tumor.rawValue)-\(NaaccrLevel.patient.rawValue)"] ?? []
        patientToTumor = moves["\(NaaccrLevel.patient.rawValue)-\(NaaccrLevel.tumor.rawValue)"] ?? []
        rules = Dictionary(uniqueKeysWithValues: [NaaccrLevel.patient, .tumor].map { level in
            (level, (0..<merged.count(level)).map { merged.rule(NaaccrItemKey(level: level, index: $0)) })
        })
        sexSource = source.key(naaccrNum: 220)
        sexTarget = merged.key(naaccrNum: 225)
        siteKey = merged.key(naaccrNum: 400)
    }

    /// A converter for a file read with `dictionary`, or nil when the file is already of the current version.
    public static func ifNeeded(for dictionary: NaaccrDictionary, to current: NaaccrDictionary = .v26) throws -> NaaccrVersionConverter? {
        dictionary.naaccrVersion == current.naaccrVersion ? nil : try NaaccrVersionConverter(from: dictionary, to: current)
    }

    /// The patient in the target dictionary, with conversion findings added to its issues.
    public func convert(_ patient: NaaccrPatient) -> NaaccrPatient {
        patientCount += 1
        var out = NaaccrPatient(dictionary: target)
        out.line = patient.line
        out.issues = patient.issues
        out.values = Self.carry(patient.values, through: samePatientIndex)
        out.tumors = patient.tumors.map { tumor in
            var converted = NaaccrTumor(dictionary: target)
            converted.line = tumor.line
            converted.values = Self.carry(tumor.values, through: sameTumorIndex)
            for move in patientToTumor { if let value = patient[move.from] { converted[move.to] = value } }
            return converted
        }
        for move in tumorToPatient {
            let values = patient.tumors.compactMap { $0[move.from] }
            guard let first = values.first else { continue }
            out[move.to] = first
            count("moved to patient level", move.to)
            if values.contains(where: { $0 != first }) {
                let id = target.item(move.to).naaccrId
                out.issues.append(NaaccrIssue(kind: .tumorsDisagree, line: patient.line, patientIndex: patientCount, tumorIndex: nil,
                                              naaccrId: id, detail: "now a patient item; the tumors differ, the first tumor's value was kept"))
            }
        }
        convertSex(patient, &out)
        check(&out)
        return out
    }

    /// A converted patient with only the current dictionary's items (for writing a current-version file, which has no
    /// place for retired items).
    public func currentItemsOnly(_ patient: NaaccrPatient) -> NaaccrPatient {
        func project(_ values: NaaccrValues, _ level: NaaccrLevel) -> NaaccrValues {
            var out = NaaccrValues()
            for entry in values.entries {
                if let key = current.key(naaccrNum: target.item(NaaccrItemKey(level: level, index: entry.index)).naaccrNum), key.level == level {
                    out[key.index] = entry.value
                }
            }
            return out
        }
        var out = NaaccrPatient(dictionary: current)
        out.line = patient.line
        out.issues = patient.issues
        out.values = project(patient.values, .patient)
        out.tumors = patient.tumors.map { tumor in
            var converted = NaaccrTumor(dictionary: current)
            converted.line = tumor.line
            converted.values = project(tumor.values, .tumor)
            return converted
        }
        return out
    }

    /// The values of items that keep their level, at their target indices (in target order).
    private static func carry(_ values: NaaccrValues, through map: [Int]) -> NaaccrValues {
        var moved: [NaaccrValues.Entry] = []
        moved.reserveCapacity(values.entries.count)
        var ordered = true
        for entry in values.entries {
            let to = map[entry.index]
            guard to >= 0 else { continue }
            if let last = moved.last, last.index > to { ordered = false }
            moved.append(NaaccrValues.Entry(index: to, value: entry.value))
        }
        if !ordered { moved.sort { $0.index < $1.index } }
        return NaaccrValues(sortedEntries: moved)
    }

    private func count(_ what: String, _ key: NaaccrItemKey) {
        counts["\(what): \(target.item(key).naaccrId)", default: 0] += 1
    }

    /// Rule 4: Sex (220) → Sex Assigned at Birth (225).
    private func convertSex(_ patient: NaaccrPatient, _ out: inout NaaccrPatient) {
        guard let sexSource, let sexTarget, sexSource.level == .patient, out[sexTarget] == nil, let sex = patient[sexSource] else { return }
        let sites = out.tumors.compactMap { tumor in siteKey.flatMap { tumor[$0] } }
        let derived: String
        switch sex {
        case "1", "5": derived = "1"
        case "2", "6": derived = "2"
        case "9":
            if sites.contains(where: { $0 >= "C600" && $0 <= "C639" }) { derived = "1" }
            else if sites.contains(where: { $0 >= "C510" && $0 <= "C589" }) { derived = "2" }
            else { derived = "9" }
        default: derived = "9"
        }
        out[sexTarget] = derived
        count("derived from sex (220)", sexTarget)
    }

    /// Rule 5, and the count of retired values kept.
    private func check(_ patient: inout NaaccrPatient) {
        var issues: [NaaccrIssue] = []
        func visit(_ values: NaaccrValues, _ level: NaaccrLevel, line: Int, tumor: Int?) {
            let retired = level == .patient ? retiredPatient : retiredTumor
            let recheck = level == .patient ? recheckPatient : recheckTumor
            for entry in values.entries where retired[entry.index] || recheck[entry.index] {
                let item = target.item(NaaccrItemKey(level: level, index: entry.index))
                if retired[entry.index] {
                    counts["retired, kept: \(item.naaccrId) (\(item.naaccrNum))", default: 0] += 1
                    continue
                }
                if let problem = NaaccrValueValidator.check(entry.value, for: rules[level]![entry.index]) {
                    issues.append(NaaccrIssue(kind: problem.kind, line: line, patientIndex: patientCount, tumorIndex: tumor, naaccrId: item.naaccrId,
                                              detail: "after conversion to v\(target.naaccrVersion): \(problem.detail); kept as sent"))
                }
            }
        }
        visit(patient.values, .patient, line: patient.line, tumor: nil)
        for (index, tumor) in patient.tumors.enumerated() { visit(tumor.values, .tumor, line: tumor.line, tumor: index + 1) }
        patient.issues += issues
    }
}
