import Coding
import NAACCR

/// A valid-code edit for every coded v26 item that no edit of its own checks: the value must be one of the item's
/// NAACCR code list (`NaaccrCodeLists`, generated from the published lists by `scripts/gen-coding`). Items whose list
/// is not the whole set of valid codes (`NaaccrCodeLists.notExhaustive`, e.g. county) are left to their own edits.
/// Ids are `CL` and the item number; names are the item's NAACCR name.
extension EditCatalog {
    static func makeCodeListEdits(covering singleField: [Edit]) -> [Edit] {
        let covered = Set(singleField.flatMap { $0.items.map(\.naaccrId) })
        return NaaccrDictionary.v26.allItems.sorted { $0.naaccrNum < $1.naaccrNum }.compactMap { definition in
            guard definition.level != .naaccrData, !covered.contains(definition.naaccrId), !NaaccrCodeLists.notExhaustive.contains(definition.naaccrId),
                  let list = NaaccrCodeLists.list(definition.naaccrId) else { return nil }
            let item = Item(definition.naaccrId)
            return Edit(id: "CL\(definition.naaccrNum)", name: "\(definition.name) (NAACCR code list)", kind: .singleField, items: [item],
                        note: "valid codes of item \(definition.naaccrNum) from the NAACCR code list (\(list.entries.count) codes)") { r in
                guard let value = r[item] else { return .skip }
                return list.contains(value) ? .pass : .fail("\(definition.naaccrId) '\(value)' is not a code of item \(definition.naaccrNum)")
            }
        }
    }
}
