/// The registry's edit library.
public enum EditCatalog {
    /// Every edit, single-field first.
    public static let all: [Edit] = {
        let edits = singleField + codeListEdits + dates + interField + interRecord
        precondition(Set(edits.map(\.id)).count == edits.count, "edit ids must be unique")
        return edits
    }()

    public static let byId: [String: Edit] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
