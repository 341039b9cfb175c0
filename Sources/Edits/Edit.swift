import NAACCR

/// How seriously an edit set takes an edit's failure: the standard's two, error and warning, or a registry's own
/// level (`level NAME blocks|informs` in a `.edits` file, e.g. `critical blocks`, `review informs`). A level that
/// blocks counts as an error does (the abstract cannot be marked complete, a submission holds the record back, the
/// error counts), one that informs as a warning does; each keeps its name in messages, lists and stored results.
public struct EditSeverity: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let name: String
    public let blocks: Bool

    public init(name: String, blocks: Bool) {
        self.name = name
        self.blocks = blocks
    }

    public static let error = EditSeverity(name: "error", blocks: true)
    public static let warning = EditSeverity(name: "warning", blocks: false)

    /// The standard's two by name (a registry's levels come from its `.edits` files).
    public init?(rawValue: String) {
        switch rawValue {
        case "error": self = .error
        case "warning": self = .warning
        default: return nil
        }
    }

    public var rawValue: String { name }
    public var description: String { name }

    /// Blocking levels above informing ones, then by name.
    public static func < (a: Self, b: Self) -> Bool { a.blocks != b.blocks ? b.blocks : a.name < b.name }

    /// The standard's two are encoded as their names, a registry level as `{"name", "blocks"}`.
    public func encode(to encoder: Encoder) throws {
        if EditSeverity(rawValue: name) == self {
            var c = encoder.singleValueContainer()
            try c.encode(name)
        } else {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(blocks, forKey: .blocks)
        }
    }

    enum CodingKeys: String, CodingKey { case name, blocks }

    public init(from decoder: Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self = EditSeverity(rawValue: name) ?? EditSeverity(name: name, blocks: false)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), blocks: try c.decode(Bool.self, forKey: .blocks))
    }
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
