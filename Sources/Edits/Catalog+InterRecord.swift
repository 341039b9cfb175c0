import Coding

/// Edits across one patient's tumors (not in EDITS metafiles; run by the registry itself, as SEER's IR edits).
extension EditCatalog {
    /// Built afresh on each call: every engine gets closures of its own (no reference counts shared between threads).
    static func makeInterRecord() -> [Edit] { [
        Edit(id: "IR09", name: "Verify Same Primary Not Reported Twice for a Person (SEER IR09)", kind: .interRecord,
             items: [.site, .laterality, .histology], override: (.overrideSiteLatSeq, ["1"]),
             note: "Item 2010: applies to paired organs only. A later tumor of a paired organ with the same site group (3 characters), "
                + "the same laterality and the same 3-digit histology as an earlier one is reported on the later tumor.") { r in
            guard let site = r[.site], ICDO3.topography.contains(site), let h = r[.histology], ICDO3.isHistology(h),
                  ICDO3.isPairedSite(site) else { return .skip }
            for other in 0..<r.tumorIndex {
                guard let s = r.tumor(other, .site), s.prefix(3) == site.prefix(3), let oh = r.tumor(other, .histology),
                      oh.prefix(3) == h.prefix(3), r.tumor(other, .laterality) == r[.laterality] else { continue }
                return .fail("tumor \(r.tumorIndex + 1) repeats tumor \(other + 1): site \(site.prefix(3)), histology \(h.prefix(3))x"
                             + ", laterality \(r[.laterality] ?? "blank"); the same primary may be reported twice")
            }
            return .pass
        },
        sequenceConsistency("IR02", "Sequence Number--Central, Multiple Tumors (SEER)", .sequenceCentral),
        sequenceConsistency("IR03", "Sequence Number--Hospital, Multiple Tumors (CoC)", .sequenceHospital),
        sequenceOrder("IR04", "Sequence Number--Central, Date of Diagnosis, Multiple Tumors (SEER)", .sequenceCentral),
        sequenceOrder("IR05", "Sequence Number--Hospital, Date of Diagnosis, Multiple Tumors (CoC)", .sequenceHospital),
    ] }

    /// The group of a sequence number (items 380, 560): in situ/malignant 00-59 and 99 (unknown), or non-malignant and
    /// registry-defined 60-88; nil for anything else.
    static func sequenceGroup(_ n: Int) -> Int? { (0...59).contains(n) || n == 99 ? 0 : (60...88).contains(n) ? 1 : nil }

    /// A patient's sequence numbers, group by group: 00 means the only in situ/malignant primary of a lifetime and 60 the
    /// only non-malignant (registry-defined) one, so neither sits beside another number of its group; 01-59 and 61-87
    /// are each used once (88 and 99, unspecified and unknown, may repeat).
    static func sequenceConsistency(_ id: String, _ name: String, _ item: Item) -> Edit {
        Edit(id: id, name: name, kind: .interRecord, items: [item],
             note: "Item \(item == .sequenceCentral ? 380 : 560): 00 (one in situ/malignant primary in the lifetime) cannot sit beside "
                + "another 00-59 or 99, nor 60 (one non-malignant or registry-defined neoplasm) beside another 60-88; 01-59 and "
                + "61-87 are each used once for a patient.") { r in
            guard let mine = r[item].flatMap(Int.init), let group = sequenceGroup(mine) else { return .skip }
            let only = group == 0 ? 0 : 60
            for other in 0..<r.tumorCount where other != r.tumorIndex {
                guard let theirs = r.tumor(other, item).flatMap(Int.init), sequenceGroup(theirs) == group else { continue }
                if mine == only || theirs == only {
                    let what = group == 0 ? "in situ/malignant" : "non-malignant"
                    return .fail("\(item.naaccrId) \(r[item]!) and tumor \(other + 1)'s \(r.tumor(other, item)!): \(only == 0 ? "00" : "60") "
                                 + "is for the only \(what) primary")
                }
                if mine == theirs, mine != 88, mine != 99, other < r.tumorIndex { return .fail("\(item.naaccrId) \(r[item]!) is also used by tumor \(other + 1)") }
            }
            return .pass
        }
    }

    /// Sequence numbers follow the order of diagnosis within a group (01-59, 61-87): a tumor diagnosed earlier than
    /// another of its group has the lower number (CCR IR812, the rule SEER's sequence numbers follow). Dates are
    /// compared at the precision both have (a year alone, or year and month); the tumor numbered out of order is reported.
    static func sequenceOrder(_ id: String, _ name: String, _ item: Item) -> Edit {
        Edit(id: id, name: name, kind: .interRecord, items: [item, .diagnosisDate],
             note: "Item \(item == .sequenceCentral ? 380 : 560) with Date of Diagnosis (390): among a patient's tumors numbered "
                + "01-59, and among those numbered 61-87, the earlier diagnosis has the lower number. Dates are compared at the "
                + "precision both have (year, or year and month, when a day or month is blank); simultaneous diagnoses may take "
                + "either order. Skipped when the date of diagnosis is blank.") { r in
            guard let mine = r[item].flatMap(Int.init), (1...59).contains(mine) || (61...87).contains(mine),
                  let date = EditDate(r[.diagnosisDate]) else { return .skip }
            let group = sequenceGroup(mine)
            for other in 0..<r.tumorCount where other != r.tumorIndex {
                guard let theirs = r.tumor(other, item).flatMap(Int.init), theirs < mine, theirs != 0, theirs != 60,
                      sequenceGroup(theirs) == group, let theirDate = EditDate(r.tumor(other, .diagnosisDate)),
                      EditDate.compare(date, theirDate) == -1 else { continue }
                return .fail("\(item.naaccrId) \(r[item]!) but diagnosed (\(r[.diagnosisDate]!)) before tumor \(other + 1), "
                             + "numbered \(r.tumor(other, item)!) (\(r.tumor(other, .diagnosisDate)!)): sequence numbers follow the order of diagnosis")
            }
            return .pass
        }
    }
}
