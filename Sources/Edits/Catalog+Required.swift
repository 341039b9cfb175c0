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
