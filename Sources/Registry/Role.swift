import NAACCR

/// What a signed-in person may do.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Users, configuration, everything.
    case admin
    /// Enters and corrects abstracts.
    case registrar
    /// Cancer committee and quality review: reads abstracts and reports, changes nothing, sees no direct identifiers.
    case reviewer
    /// Central-registry submissions and imports of new cases; sees no direct identifiers.
    case submitter
}

/// Which roles each kind of action allows (one table for the API and the pages, so a route cannot forget).
public enum Permission: String, Sendable, CaseIterable {
    case readAbstracts, readIdentifiers, editAbstracts, importFiles, submitData, readReports, manageUsers

    public var roles: Set<Role> {
        switch self {
        case .readAbstracts: return [.admin, .registrar, .reviewer, .submitter]
        // Minimum necessary: names, SSN, street addresses, telephone, MRN and full birth dates only for those who abstract.
        case .readIdentifiers: return [.admin, .registrar]
        case .editAbstracts: return [.admin, .registrar]
        // Imports that change stored abstracts also need editAbstracts (submitters import new cases only).
        case .importFiles: return [.admin, .registrar, .submitter]
        // Submissions to destinations and their ledger: counts, tumor ids and edit failures (no identifiers).
        case .submitData: return [.admin, .submitter]
        // The cancer committee's reports (names in the internal register only with readIdentifiers).
        case .readReports: return [.admin, .registrar, .reviewer]
        case .manageUsers: return [.admin]
        }
    }

    public func allows(_ role: Role) -> Bool { roles.contains(role) }
}

/// Field-level visibility (minimum necessary, HIPAA 45 CFR 164.502(b)): roles without `readIdentifiers` never see
/// the direct identifiers.
///
/// The identifiers are the items NAACCR restricts to confidential records: in record type C but not in I (names,
/// Social Security and Medicare numbers, street addresses, telephone, medical record number, physicians and
/// follow-up contacts, latitude/longitude). The date of birth (240) is cut to its year for those roles (age stays
/// computable; the full date is an identifier).
public enum IdentifierVisibility {
    /// The naaccrIds hidden from roles without `readIdentifiers`.
    public static let directIdentifiers: Set<String> = Set(NaaccrDictionary.v26.allItems.filter {
        $0.recordTypes.contains(.confidential) && !$0.recordTypes.contains(.incidence)
    }.map(\.naaccrId))

    /// `items` as `role` may see them.
    public static func visible(_ items: [String: String], to role: Role) -> [String: String] {
        guard !Permission.readIdentifiers.allows(role) else { return items }
        var out = items.filter { !directIdentifiers.contains($0.key) }
        if let birth = out["dateOfBirth"] { out["dateOfBirth"] = String(birth.prefix(4)) }
        return out
    }
}
