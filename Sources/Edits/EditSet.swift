import NAACCR

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

    /// The built-in sets, read from `schema/edits/edit-sets.tsv` (embedded by `scripts/gen-edits`): the hospital's
    /// incoming abstract, the state, NCDB, NPCR and SEER submissions and the NAACCR Call for Data.
    public static let builtIn: [EditSet] = {
        do { return try parse(EditData.editSets, library: EditCatalog.all) } catch {
            preconditionFailure("schema/edits/edit-sets.tsv: \(error)")
        }
    }()

    public static func named(_ name: String) -> EditSet? { builtIn.first { $0.name == name } }

    /// Hospital abstracts as the registrar enters them: invalid codes and impossible dates are errors; the review edits
    /// (rare but possible combinations, with over-rides) and the required items still blank are warnings, so work can
    /// go on while they are checked and filled in (the submission sets make missing required items errors).
    public static var incomingAbstract: EditSet { named("incoming-abstract")! }
    /// What a state (central) registry requires before accepting a submission: every edit is an error.
    public static var stateSubmission: EditSet { named("state-submission")! }
    /// The CoC/NCDB set: CoC required items, the SEER-only edits left out.
    public static var ncdbSubmission: EditSet { named("ncdb-submission")! }
    public static var npcrSubmission: EditSet { named("npcr-submission")! }
    public static var seerSubmission: EditSet { named("seer-submission")! }
    public static var callForData: EditSet { named("naaccr-call-for-data")! }

    /// A mistake in an edit-set file, with its line.
    public struct ParseError: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Reads edit sets in the `edit-sets.tsv` format (`set NAME DESCRIPTION`, then `SELECTOR SEVERITY` lines applied in
    /// order) against a library of edits.
    public static func parse(_ text: String, library: [Edit]) throws -> [EditSet] {
        var sets: [(name: String, description: String, severities: [String: EditSeverity])] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            func fail(_ message: String) -> ParseError { ParseError(line: offset + 1, message: message) }
            if fields[0] == "set" {
                guard fields.count >= 2 else { throw fail("set needs a name") }
                guard !sets.contains(where: { $0.name == fields[1] }) else { throw fail("set \(fields[1]) is defined twice") }
                sets.append((fields[1], fields.count > 2 ? fields[2] : "", [:]))
                continue
            }
            guard !sets.isEmpty else { throw fail("a rule comes before the first set line") }
            guard fields.count == 2 else { throw fail("a rule is SELECTOR<TAB>SEVERITY") }
            let selected = try select(fields[0], in: library, fail: fail)
            switch fields[1] {
            case "off": for id in selected { sets[sets.count - 1].severities[id] = nil }
            default:
                guard let severity = EditSeverity(rawValue: fields[1]) else { throw fail("severity is error, warning or off, not \(fields[1].prefix(20))") }
                for id in selected { sets[sets.count - 1].severities[id] = severity }
            }
        }
        return sets.map { EditSet(name: $0.name, description: $0.description, severities: $0.severities) }
    }

    /// The ids of the edits a selector names (see `edit-sets.tsv`).
    static func select(_ selector: String, in library: [Edit], fail: (String) -> ParseError) throws -> [String] {
        if selector == "*" { return library.map(\.id) }
        if selector == "blank" { return library.filter(\.runsWhenBlank).map(\.id) }
        guard let colon = selector.firstIndex(of: ":") else { throw fail("unknown selector \(selector.prefix(40))") }
        let kind = selector[..<colon]
        let values = selector[selector.index(after: colon)...].split(separator: ",").map(String.init)
        switch kind {
        case "id":
            let known = Set(library.map(\.id))
            if let unknown = values.first(where: { !known.contains($0) }) { throw fail("no edit has id \(unknown.prefix(40))") }
            return values
        case "prefix": return library.filter { edit in values.contains { edit.id.hasPrefix($0) } }.map(\.id)
        case "kind":
            let kinds = try values.map { value in
                guard let kind = EditKind(rawValue: value) else { throw fail("kind is single-field, inter-field or inter-record") }
                return kind
            }
            return library.filter { kinds.contains($0.kind) }.map(\.id)
        case "source": return library.filter { values.contains(EditCatalog.source(of: $0)) }.map(\.id)
        case "required":
            let ids = Set(EditCatalog.requirements.filter { !Set($0.setters).isDisjoint(with: values) }
                .compactMap { NaaccrDictionary.v26.item($0.naaccrId).map { "RQ\($0.naaccrNum)" } })
            return library.filter { ids.contains($0.id) }.map(\.id)
        default: throw fail("unknown selector \(kind.prefix(20)) (*, id:, prefix:, kind:, source:, required:, blank)")
        }
    }
}
