import Foundation
import NAACCR

/// Required-item edits, one per row of `schema/edits/required-items.tsv` (NAACCR Standards Volume II, Required Status
/// Table): a blank item fails when the tumor's diagnosis year is in the row's range (an unknown year counts as in
/// range, so an empty abstract fails) and the row's condition holds. Ids are `RQ` and the item number.
extension EditCatalog {
    struct Requirement {
        let naaccrId: String
        let setters: [String]
        let first: Int?, last: Int?
        let condition: (item: String, codes: Set<String>)?
        let note: String
    }

    /// The embedded `schema/edits/required-items.tsv` (tests compare it with the file).
    public static var requiredItemsText: String { EditData.requiredItems }
    /// The embedded `schema/edits/edit-sets.tsv` (tests compare it with the file).
    public static var editSetsText: String { EditData.editSets }

    static let requirements: [Requirement] = EditData.requiredItems.split(separator: "\n").compactMap { line in
        guard !line.hasPrefix("#"), !line.hasPrefix("naaccrId\t") else { return nil }
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) + Array(repeating: "", count: 6)
        var condition: (String, Set<String>)?
        if let range = f[4].range(of: " in ") {
            condition = (String(f[4][..<range.lowerBound]), codes(String(f[4][range.upperBound...])))
        }
        return Requirement(naaccrId: f[0], setters: f[1].split(separator: ",").map(String.init), first: Int(f[2]), last: Int(f[3]),
                           condition: condition, note: f[5])
    }

    /// The diagnosis years an edit applies to, as `registry edits list` shows them ("2018-", "-2022", "all").
    public static func years(of editId: String) -> String {
        if let r = requirements.first(where: { "RQ\(NaaccrDictionary.v26.item($0.naaccrId)?.naaccrNum ?? 0)" == editId }) {
            return r.first == nil && r.last == nil ? "all" : "\(r.first.map(String.init) ?? "")-\(r.last.map(String.init) ?? "")"
        }
        // The staging edits and IF40/IF41 read the EOD 2018 items; the surgery code edits follow items 1290/1291.
        if editId.hasPrefix("STG") { return "2018-" }
        return ["SURG90": "-2022", "SURG91": "2023-", "IF40": "2018-", "IF41": "2018-"][editId] ?? "all"
    }

    /// The standard setters an edit comes from, read from the agency tag of its name ("(SEER IF25)", "(SEER/CoC)"):
    /// NAACCR, SEER, CoC, NPCR; a registry's own edits are "registry".
    public static func source(of edit: Edit) -> String {
        guard byId[edit.id] != nil else { return "registry" }
        guard let open = edit.name.lastIndex(of: "("), let close = edit.name.lastIndex(of: ")"), open < close else { return "NAACCR" }
        let tag = edit.name[edit.name.index(after: open)..<close]
        let agencies = ["NAACCR", "SEER", "CoC", "NPCR"].filter { tag.localizedCaseInsensitiveContains($0) }
        return agencies.isEmpty ? "NAACCR" : agencies.joined(separator: "/")
    }

    static func makeRequired() -> [Edit] {
        requirements.map { requirement in
            let item = Item(requirement.naaccrId)
            let definition = NaaccrDictionary.v26.item(requirement.naaccrId)!
            let condition = requirement.condition.map { (item: Item($0.item), codes: $0.codes) }
            let setters = requirement.setters.map { $0 == "COC" ? "CoC" : $0 }.joined(separator: "/")
            var span = ""
            if let first = requirement.first { span = " from \(first)" }
            if let last = requirement.last { span += requirement.first == nil ? " through \(last)" : " to \(last)" }
            let years = span
            return Edit(id: "RQ\(definition.naaccrNum)", name: "\(definition.name), Required (\(setters))", kind: .singleField,
                        items: [item] + (condition.map { [$0.item] } ?? []), runsWhenBlank: true,
                        note: "Required by \(setters) for diagnoses\(years.isEmpty ? " of every year" : years)"
                            + (requirement.condition.map { " when \($0.item) is \($0.codes.sorted().joined(separator: ","))" } ?? "")
                            + (requirement.note.isEmpty ? "" : "; \(requirement.note)")) { r in
                if let year = r.diagnosisYear {
                    if let first = requirement.first, year < first { return .skip }
                    if let last = requirement.last, year > last { return .skip }
                }
                if let condition {
                    guard let value = r[condition.item], condition.codes.contains(value) else { return .skip }
                }
                return r[item] == nil ? .fail("\(requirement.naaccrId) (item \(definition.naaccrNum)) is required by \(setters)\(years.isEmpty ? "" : " for diagnoses\(years)") and is blank") : .pass
            }
        }
    }
}
