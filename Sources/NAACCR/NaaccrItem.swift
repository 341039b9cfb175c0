/// The level of a NAACCR XML document an item belongs to (`parentXmlElement`).
public enum NaaccrLevel: String, Sendable, CaseIterable {
    case naaccrData = "NaaccrData"
    case patient = "Patient"
    case tumor = "Tumor"

    /// 0, 1, 2: for arrays indexed by level.
    public var ordinal: Int {
        switch self {
        case .naaccrData: return 0
        case .patient: return 1
        case .tumor: return 2
        }
    }
}

/// An item's data type, which fixes the characters it may hold (NAACCR XML specification, section on ItemDef).
public enum NaaccrDataType: String, Sendable {
    /// Anything.
    case text
    /// `0-9`, exactly `length` characters.
    case digits
    /// `A-Z`, exactly `length` characters.
    case alpha
    /// `A-Z0-9`, exactly `length` characters.
    case mixed
    /// Digits with an optional decimal part, up to `length` characters.
    case numeric
    /// `CCYY`, `CCYYMM` or `CCYYMMDD`.
    case date
    /// ISO 8601 date and time.
    case dateTime
}

/// The record types an item appears in: Abstract, Modified, Confidential, Incidence.
public struct NaaccrRecordTypes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let abstract = NaaccrRecordTypes(rawValue: 1)
    public static let modified = NaaccrRecordTypes(rawValue: 2)
    public static let confidential = NaaccrRecordTypes(rawValue: 4)
    public static let incidence = NaaccrRecordTypes(rawValue: 8)

    /// Parses `A,M,C,I` or `AMCI`.
    public init(letters: some StringProtocol) {
        var value: NaaccrRecordTypes = []
        for c in letters {
            switch c {
            case "A": value.insert(.abstract)
            case "M": value.insert(.modified)
            case "C": value.insert(.confidential)
            case "I": value.insert(.incidence)
            default: break
            }
        }
        self = value
    }

    /// The record type of a data file's `recordType` attribute.
    public init?(recordType: String) {
        switch recordType {
        case "A": self = .abstract
        case "M": self = .modified
        case "C": self = .confidential
        case "I": self = .incidence
        default: return nil
        }
    }

    /// Letters in the standard's order, e.g. `AMCI`.
    public var letters: String {
        (contains(.abstract) ? "A" : "") + (contains(.modified) ? "M" : "") + (contains(.confidential) ? "C" : "")
            + (contains(.incidence) ? "I" : "")
    }
}

/// How a writer may pad a short value.
public enum NaaccrPadding: String, Sendable {
    case none = ""
    case leftZero
    case rightBlank
    case leftBlank
    case rightZero
}

/// One item definition (`ItemDef`) of a NAACCR dictionary.
public struct NaaccrItem: Sendable, Hashable {
    public let naaccrId: String
    public let naaccrNum: Int
    public let name: String
    /// Maximum length (exact length for digits, alpha and mixed).
    public let length: Int
    public let dataType: NaaccrDataType
    public let level: NaaccrLevel
    public let recordTypes: NaaccrRecordTypes
    public let padding: NaaccrPadding
    public let allowUnlimitedText: Bool
    /// The item's first column in a fixed-width (flat) record, where the dictionary gives one (versions up to 21).
    public let startColumn: Int?

    public init(naaccrId: String, naaccrNum: Int, name: String, length: Int, dataType: NaaccrDataType, level: NaaccrLevel,
                recordTypes: NaaccrRecordTypes, padding: NaaccrPadding = .none, allowUnlimitedText: Bool = false, startColumn: Int? = nil) {
        self.naaccrId = naaccrId
        self.naaccrNum = naaccrNum
        self.name = name
        self.length = length
        self.dataType = dataType
        self.level = level
        self.recordTypes = recordTypes
        self.padding = padding
        self.allowUnlimitedText = allowUnlimitedText
        self.startColumn = startColumn
    }
}

extension NaaccrItem {
    /// What value validation needs of this item, as a plain value (no reference counting in hot loops).
    public var rule: NaaccrValueRule {
        NaaccrValueRule(naaccrNum: naaccrNum, length: length, dataType: dataType, allowUnlimitedText: allowUnlimitedText)
    }
}

/// The part of an item definition that value validation uses.
public struct NaaccrValueRule: Sendable, Hashable {
    public let naaccrNum: Int
    public let length: Int
    public let dataType: NaaccrDataType
    public let allowUnlimitedText: Bool
}

/// Where an item lives in a record: its level and its dense position among that level's items.
///
/// Resolve keys once (`dictionary.key("primarySite")`) and use them in loops; they are plain integers.
public struct NaaccrItemKey: Sendable, Hashable {
    public let level: NaaccrLevel
    public let index: Int
}
