/// A named group of edits run together, each with the severity its failure has in this set.
public struct EditSet: Sendable {
    public let name: String
    public let description: String
    public let severities: [String: EditSeverity]

    public init(name: String, description: String, severities: [String: EditSeverity]) {
        self.name = name
        self.description = description
        self.severities = severities
    }

    /// Hospital abstracts as the registrar enters them: invalid codes and impossible dates are errors; the review edits
    /// (rare but possible combinations, with over-rides) and the required items still blank are warnings, so work can
    /// go on while they are checked and filled in (the submission sets make missing required items errors).
    public static let incomingAbstract = EditSet(
        name: "incoming-abstract", description: "Hospital abstract as entered (review edits and missing required items are warnings)",
        severities: Dictionary(uniqueKeysWithValues: EditCatalog.all.map {
            ($0.id, !$0.runsWhenBlank && ($0.kind == .singleField || $0.id.hasPrefix("DO") || $0.id.hasPrefix("AG")) ? EditSeverity.error : .warning)
        }))

    /// What a state (central) registry requires before accepting a submission: every edit is an error.
    public static let stateSubmission = EditSet(
        name: "state-submission", description: "Facility-to-state submission (every edit is an error)",
        severities: Dictionary(uniqueKeysWithValues: EditCatalog.all.map { ($0.id, EditSeverity.error) }))

    /// A CoC/NCDB-style set: the SEER-only edits are left out, the CoC variants kept.
    public static let ncdbSubmission = EditSet(
        name: "ncdb-submission", description: "Hospital submission to the National Cancer Database (CoC edits; SEER-only ones left out)",
        severities: Dictionary(uniqueKeysWithValues: EditCatalog.all.filter { !["IF25", "IF22", "IF23", "IF04", "IR02"].contains($0.id) }
            .map { ($0.id, EditSeverity.error) }))

    public static let builtIn: [EditSet] = [incomingAbstract, stateSubmission, ncdbSubmission]

    public static func named(_ name: String) -> EditSet? { builtIn.first { $0.name == name } }
}
