/// A value-level problem found in a NAACCR file; reading goes on past these.
public struct NaaccrIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case unknownItem = "Unknown NAACCR ID"
        case wrongNumber = "Wrong NAACCR Number"
        case wrongLevel = "Invalid data level"
        case duplicateItem = "Item repeated"
        case valueTooLong = "Value too long"
        case valueTooShort = "Value too short"
        case invalidCharacters = "Value invalid for data type"
        case impossibleDate = "Impossible date"
        /// Converting to the current version moved an item to the patient level and the patient's tumors differ.
        case tumorsDisagree = "Tumors disagree"
        /// A value starts or ends with a space (kept as read; the reference reader warns too).
        case surroundingSpaces = "Leading or trailing spaces"

        /// A warning: the value is kept and is usable; the file is not refused for it.
        public var isWarning: Bool { self == .surroundingSpaces }
    }

    public var kind: Kind
    /// Line in the source file.
    public var line: Int
    /// 1-based patient position in the file (0 for the NaaccrData level).
    public var patientIndex: Int
    /// 1-based tumor position within the patient, nil for patient-level items.
    public var tumorIndex: Int?
    public var naaccrId: String
    /// Why, without the value itself (values may be patient data).
    public var detail: String

    public var description: String {
        var place = "line \(line)"
        if patientIndex > 0 { place += ", patient \(patientIndex)" }
        if let tumorIndex { place += ", tumor \(tumorIndex)" }
        return "\(place), item \(naaccrId): \(kind.rawValue)\(detail.isEmpty ? "" : " (\(detail))")"
    }
}

/// A structural problem that stops reading: malformed XML, a missing required attribute, a wrong root.
public struct NaaccrReadError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var file: String?

    public var description: String { "\(file.map { "\($0): " } ?? "")line \(line): \(message)" }
}
