/// The registry's edit library.
public enum EditCatalog {
    /// Every edit, single-field first.
    public static let all: [Edit] = {
        let edits = makeLibrary()
        precondition(Set(edits.map(\.id)).count == edits.count, "edit ids must be unique")
        return edits
    }()

    /// The library built afresh (the same edits as `all`, with closures of their own, for an engine on another thread).
    static func makeLibrary() -> [Edit] {
        let single = makeSingleField()
        return single + makeCodeListEdits(covering: single) + makeRequired() + makeDates() + makeInterField() + makeGeography() + makeStaging() + makeInterRecord()
    }

    public static let byId: [String: Edit] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
