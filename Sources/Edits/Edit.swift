import NAACCR

/// How seriously an edit set takes an edit's failure.
public enum EditSeverity: String, Sendable, Codable, Comparable {
    case warning, error
    public static func < (a: Self, b: Self) -> Bool { a == .warning && b == .error }
}

/// The three kinds of edits NAACCR distinguishes.
public enum EditKind: String, Sendable, Codable {
    /// One item: a valid code or format.
    case singleField = "single-field"
    /// Items of one tumor (and its patient).
    case interField = "inter-field"
    /// Across one patient's tumors.
    case interRecord = "inter-record"
}

/// What an edit concluded about one tumor.
public enum EditOutcome: Sendable, Equatable {
    case pass
    /// A prerequisite is blank or invalid (its own valid-code edit reports that), so this edit says nothing.
    case skip
    /// The message with the values filled in.
    case fail(String)
}

/// One data-quality edit: an id, its real name with the agency tag, the items it reads (a form highlights them on
/// failure), an optional over-ride item whose listed codes suppress the failure after review, and its logic.
public struct Edit: Sendable {
    public let id: String
    public let name: String
    public let kind: EditKind
    public let items: [Item]
    public let overrideItem: Item?
    public let overrideCodes: Set<String>
    /// Whether the edit has something to say about a blank item (required-item edits); other single-field edits skip a
    /// blank item, so the engine runs them only for the items a record holds.
    public let runsWhenBlank: Bool
    /// A second over-ride the edit accepts as equivalent (the CoC site/type edit takes the SEER Over-ride Site/Type too).
    public let alsoOverriddenBy: (item: Item, codes: Set<String>)?
    /// Where the rule comes from and how sure we are of it.
    public let note: String
    let logic: @Sendable (EditRecord) -> EditOutcome

    public init(id: String, name: String, kind: EditKind, items: [Item], override: (Item, Set<String>)? = nil,
                alsoOverriddenBy: (Item, Set<String>)? = nil, runsWhenBlank: Bool = false, note: String = "",
                logic: @escaping @Sendable (EditRecord) -> EditOutcome) {
        self.init(id: id, name: name, kind: kind, items: items, overrideItem: override?.0, overrideCodes: override?.1 ?? [],
                  alsoOverriddenBy: alsoOverriddenBy.map { (item: $0.0, codes: $0.1) }, runsWhenBlank: runsWhenBlank, note: note, logic: logic)
    }

    init(id: String, name: String, kind: EditKind, items: [Item], overrideItem: Item?, overrideCodes: Set<String>,
         alsoOverriddenBy: (item: Item, codes: Set<String>)? = nil, runsWhenBlank: Bool = false, note: String,
         logic: @escaping @Sendable (EditRecord) -> EditOutcome) {
        self.runsWhenBlank = runsWhenBlank
        self.id = id
        self.name = name
        self.kind = kind
        self.items = items
        self.overrideItem = overrideItem
        self.overrideCodes = overrideCodes
        self.alsoOverriddenBy = alsoOverriddenBy
        self.note = note
        self.logic = logic
    }

    /// Runs the edit on one tumor of a patient.
    public func evaluate(_ record: EditRecord) -> EditOutcome { logic(record) }

    /// Whether a reviewed over-ride on this tumor clears the edit's failure.
    public func isOverridden(_ record: EditRecord) -> Bool {
        if let item = overrideItem, let value = record[item], overrideCodes.contains(value) { return true }
        if let also = alsoOverriddenBy, let value = record[also.item], also.codes.contains(value) { return true }
        return false
    }
}

/// One failing (or overridden) edit on one tumor.
public struct EditFailure: Sendable, Equatable, Codable {
    public let editId: String
    public let name: String
    public let severity: EditSeverity
    public let message: String
    /// naaccrIds of the items involved.
    public let items: [String]
    /// 0-based tumor within the patient.
    public let tumorIndex: Int
    /// The over-ride item is set for this edit: reported, not counted as a failure.
    public let overridden: Bool
}
