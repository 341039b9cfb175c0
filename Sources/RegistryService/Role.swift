/// What a signed-in person may do.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Users, configuration, everything.
    case admin
    /// Enters and corrects abstracts.
    case registrar
    /// Cancer committee and quality review: reads abstracts and reports, changes nothing.
    case reviewer
    /// Central-registry submissions and imports.
    case submitter
}

/// Which roles each kind of action allows (one place, so a route cannot forget).
public enum Permission: Sendable, CaseIterable {
    case readAbstracts, editAbstracts, importFiles, manageUsers

    public var roles: Set<Role> {
        switch self {
        case .readAbstracts: return [.admin, .registrar, .reviewer, .submitter]
        case .editAbstracts: return [.admin, .registrar]
        case .importFiles: return [.admin, .submitter]
        case .manageUsers: return [.admin]
        }
    }
}
