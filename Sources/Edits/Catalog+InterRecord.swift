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
            let paired = true
            for other in 0..<r.tumorIndex {
                guard let s = r.tumor(other, .site), s.prefix(3) == site.prefix(3), let oh = r.tumor(other, .histology),
                      oh.prefix(3) == h.prefix(3) else { continue }
                if paired, r.tumor(other, .laterality) != r[.laterality] { continue }
                return .fail("tumor \(r.tumorIndex + 1) repeats tumor \(other + 1): site \(site.prefix(3)), histology \(h.prefix(3))x"
                             + (paired ? ", laterality \(r[.laterality] ?? "blank")" : "") + "; the same primary may be reported twice")
            }
            return .pass
        },
        sequenceConsistency("IR02", "Sequence Number--Central, Multiple Tumors (SEER)", .sequenceCentral),
        sequenceConsistency("IR03", "Sequence Number--Hospital, Multiple Tumors (CoC)", .sequenceHospital),
    ] }

    /// Malignant sequence numbers (00-59) of one patient: 00 only for a single primary; 01-59 each used once.
    static func sequenceConsistency(_ id: String, _ name: String, _ item: Item) -> Edit {
        Edit(id: id, name: name, kind: .interRecord, items: [item],
             note: "00 means one malignant primary in the patient's lifetime, so it cannot sit beside another 00-59; 01-59 are unique.") { r in
            guard let mine = r[item].flatMap(Int.init), (0...59).contains(mine) else { return .skip }
            for other in 0..<r.tumorCount where other != r.tumorIndex {
                guard let theirs = r.tumor(other, item).flatMap(Int.init), (0...59).contains(theirs) else { continue }
                if mine == 0 || theirs == 0 {
                    return .fail("\(item.naaccrId) 00 (only primary) but tumor \(other + 1) is also malignant (\(r.tumor(other, item)!))")
                }
                if mine == theirs, other < r.tumorIndex { return .fail("\(item.naaccrId) \(r[item]!) is also used by tumor \(other + 1)") }
            }
            return .pass
        }
    }
}
