import Foundation
import NAACCR
import Postgres

/// One tumor's abstract as stored: its items and its patient's, with the version used for optimistic locking.
public struct StoredAbstract: Sendable, Codable, Equatable {
    public let tumorId: Int
    public let patientId: Int
    public let version: Int
    /// The patient record's own version (patient items are saved separately, with their own If-Match).
    public let patientVersion: Int
    public let status: String
    public let patientItems: [String: String]
    public let tumorItems: [String: String]
    /// Position of this tumor among the patient's tumors (tumor key order), and the other tumors' items.
    public let tumorIndex: Int
    public let otherTumors: [[String: String]]

    public init(tumorId: Int, patientId: Int, version: Int, patientVersion: Int, status: String, patientItems: [String: String],
                tumorItems: [String: String], tumorIndex: Int, otherTumors: [[String: String]]) {
        self.tumorId = tumorId
        self.patientId = patientId
        self.version = version
        self.patientVersion = patientVersion
        self.status = status
        self.patientItems = patientItems
        self.tumorItems = tumorItems
        self.tumorIndex = tumorIndex
        self.otherTumors = otherTumors
    }
}

/// A row of a patient search.
public struct PatientSummary: Sendable, Codable, Equatable {
    public let id: Int
    public let patientIdNumber: String
    public let nameLast: String?
    public let nameFirst: String?
    public let dateOfBirth: String?
    public let tumors: Int
    public let tumorsFailingEdits: Int
    /// Abstracts not yet complete (status incomplete).
    public var tumorsInProgress: Int = 0
    /// The earliest Date of 1st Contact (580) among them: the 6-month timeliness clock.
    public var oldestOpenFirstContact: String?
    /// Abstracted By (570) of that abstract.
    public var abstractor: String?

    public init(id: Int, patientIdNumber: String, nameLast: String?, nameFirst: String?, dateOfBirth: String?, tumors: Int, tumorsFailingEdits: Int,
                tumorsInProgress: Int = 0, oldestOpenFirstContact: String? = nil, abstractor: String? = nil) {
        self.id = id
        self.patientIdNumber = patientIdNumber
        self.nameLast = nameLast
        self.nameFirst = nameFirst
        self.dateOfBirth = dateOfBirth
        self.tumors = tumors
        self.tumorsFailingEdits = tumorsFailingEdits
        self.tumorsInProgress = tumorsInProgress
        self.oldestOpenFirstContact = oldestOpenFirstContact
        self.abstractor = abstractor
    }
}

/// What a patient search may filter on; blanks are ignored. `name` is a last-name prefix, or "last, first" (both
/// prefixes), case-insensitively.
public struct PatientSearch: Sendable {
    /// A name search as LIKE patterns on the lower-cased names (`%` and `_` typed by the user match themselves).
    ///
    /// `lower()` on a cluster without a locale (the registry's own, `initdb --no-locale`) lowers ASCII letters only, so
    /// "ñúñez" typed would never meet "Ñúñez" stored. Each part is therefore searched in the case forms names are
    /// stored in (as typed, Title case, UPPER, lower), each with only its ASCII letters lowered, as such a `lower()`
    /// does; a database with a Unicode-aware locale finds the fully lowered form among them.
    struct NameQuery {
        var lastNamePatterns: [String] = []
        var firstNamePatterns: [String] = []

        init(_ text: String) {
            let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func patterns(_ part: String?) -> [String] {
                guard let part, !part.isEmpty else { return [] }
                let title = part.prefix(1).uppercased() + part.dropFirst().lowercased()
                var out: [String] = []
                for form in [part, title, part.uppercased(), part.lowercased()] {
                    var pattern = ""
                    for character in Self.asciiLowered(form) {
                        if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
                        pattern.append(character)
                    }
                    pattern += "%"
                    if !out.contains(pattern) { out.append(pattern) }
                }
                return out
            }
            lastNamePatterns = patterns(parts.first)
            firstNamePatterns = patterns(parts.count > 1 ? parts[1] : nil)
        }

        /// The text with A-Z lowered and every other character kept.
        static func asciiLowered(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
        }

        /// Pattern `i` of a part (nil past its forms).
        static func at(_ patterns: [String], _ i: Int) -> String? { i < patterns.count ? patterns[i] : nil }
    }

    public var name: String?
    public var dateOfBirth: String?
    public var patientIdNumber: String?
    public var primarySite: String?
    public var diagnosisYear: Int?
    /// Only patients with a tumor failing edits (errors) in this edit set.
    public var failingEditSet: String?
    /// Only patients with a tumor in this abstract status (e.g. "incomplete").
    public var tumorStatus: String?
    /// Only living patients last seen before this date (CCYYMMDD): follow-up is due.
    public var lastContactBefore: String?
    /// An identifier as typed: Patient ID Number (20), or a tumor's Accession Number--Hosp (550) or Medical Record
    /// Number (2300), or (when `searchSocialSecurityNumber`) the Social Security Number (2320).
    public var identifier: String?
    /// Whether `identifier` may match the social security number (roles that read identifiers).
    public var searchSocialSecurityNumber = false
    /// Matches are counted up to this many (beyond, the page says "at least").
    public static let countLimit = 1_000

    public init(name: String? = nil, dateOfBirth: String? = nil, patientIdNumber: String? = nil, primarySite: String? = nil,
                diagnosisYear: Int? = nil, failingEditSet: String? = nil, tumorStatus: String? = nil, lastContactBefore: String? = nil) {
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.patientIdNumber = patientIdNumber
        self.primarySite = primarySite
        self.diagnosisYear = diagnosisYear
        self.failingEditSet = failingEditSet
        self.tumorStatus = tumorStatus
        self.lastContactBefore = lastContactBefore
    }
}

/// The outcome of a save.
public enum SaveOutcome: Sendable, Equatable {
    case saved(version: Int, changedItems: [String])
    /// Someone saved first: the current version, and the id of the kept draft (nothing typed is lost).
    case conflict(currentVersion: Int, draftId: Int)
}

/// Reads and changes abstracts for the workbench and API; every change writes an `abstract_revision` row.
public struct AbstractRepository {
    let db: PostgresConnection

    public init(connection: PostgresConnection) { db = connection }

    public func search(_ s: PatientSearch, limit: Int, offset: Int) throws -> (rows: [PatientSummary], total: (count: Int, isAtLeast: Bool)) {
        let name = s.name.map(PatientSearch.NameQuery.init)
        let last = name?.lastNamePatterns ?? [], first = name?.firstNamePatterns ?? []
        let bindings: PostgresBindings = [PatientSearch.NameQuery.at(last, 0), s.dateOfBirth, s.patientIdNumber, s.primarySite, s.diagnosisYear,
                                          s.failingEditSet, s.tumorStatus, s.lastContactBefore, PatientSearch.NameQuery.at(first, 0)]
            + (1..<4).map { PatientSearch.NameQuery.at(last, $0) } + (1..<4).map { PatientSearch.NameQuery.at(first, $0) }
        let identifiers: PostgresBindings = [s.identifier, s.searchSocialSecurityNumber]
        // Name prefixes are LIKE patterns on lower(name), in up to four case forms ($1, $10-$12 last; $9, $13-$15
        // first): patient_by_name_and_birth serves each. Only the forms there are enter the SQL (an ASCII name has one),
        // so the common search is one index range read in the order the page shows.
        func any(_ column: String, _ positions: [Int], count: Int) -> String {
            count == 0 ? "true" : "(" + positions.prefix(count).map { "lower(p.\(column)) LIKE $\($0)" }.joined(separator: " OR ") + ")"
        }
        let conditions = """
            WHERE \(any("name_last", [1, 10, 11, 12], count: last.count)) AND \(any("name_first", [9, 13, 14, 15], count: first.count))
              AND ($1::text IS NULL OR true) AND ($9::text IS NULL OR true)
              AND ($10::text IS NULL OR true) AND ($11::text IS NULL OR true) AND ($12::text IS NULL OR true)
              AND ($13::text IS NULL OR true) AND ($14::text IS NULL OR true) AND ($15::text IS NULL OR true)
              AND ($2::text IS NULL OR p.date_of_birth = $2)
              AND ($3::text IS NULL OR p.patient_id_number = $3)
              AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM tumor t WHERE t.patient_id = p.id AND t.primary_site = $4))
              AND ($5::int IS NULL OR EXISTS (SELECT 1 FROM tumor t WHERE t.patient_id = p.id AND t.diagnosis_year = $5))
              AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM tumor t JOIN edit_result e ON e.tumor_id = t.id
                                               WHERE t.patient_id = p.id AND e.edit_set = $6 AND e.errors > 0))
              AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM tumor t WHERE t.patient_id = p.id AND t.status = $7))
              AND ($8::text IS NULL OR (p.vital_status = '1' AND p.date_of_last_contact < $8))
              AND ($18::text IS NULL OR p.patient_id_number = $18
                   OR p.id IN (SELECT t.patient_id FROM tumor t WHERE t.accession_number = $18 OR t.medical_record_number = $18)
                   OR ($19 AND p.social_security_number = replace($18, '-', '')))
            """
        let filter = "FROM patient p " + conditions
        // $16, $17 are the page's limit and offset; $18, $19 the identifier.
        // Counted up to the limit (or one past this page): a two-letter name prefix can match tens of thousands.
        let countUpTo = max(PatientSearch.countLimit, offset + limit) + 1
        // By name, the count walks the name index in order and stops at the limit (1.6 ms warm for a two-letter prefix
        // of a 960,000-patient registry) rather than a bitmap of every match (10 ms); other filters plan freely.
        let order = last.isEmpty ? "" : "ORDER BY lower(p.name_last), lower(p.name_first), p.date_of_birth"
        let counted = try db.query("SELECT count(*) FROM (SELECT 1 \(filter) \(order) LIMIT $16) x WHERE $17::int IS NULL",
                                   bindings + [countUpTo, nil] + identifiers)[0].decode(Int.self, at: 0)
        let total = (count: min(counted, countUpTo - 1), isAtLeast: counted == countUpTo)
        // The page's patients first; what is shown of their tumors is read for those alone.
        let rows = try db.query("""
            SELECT p.id, p.patient_id_number, p.name_last, p.name_first, p.date_of_birth,
                   (SELECT count(*) FROM tumor t WHERE t.patient_id = p.id),
                   (SELECT count(DISTINCT e.tumor_id) FROM tumor t JOIN edit_result e ON e.tumor_id = t.id
                    WHERE t.patient_id = p.id AND e.errors > 0),
                   o.open, o.first_contact, o.abstractor
            FROM (SELECT p.id, p.patient_id_number, p.name_last, p.name_first, p.date_of_birth FROM patient p
                  \(conditions) ORDER BY lower(p.name_last), lower(p.name_first), p.date_of_birth, p.id LIMIT $16 OFFSET $17) p
            LEFT JOIN LATERAL (SELECT count(*) OVER ()::int AS open, t.date_of_first_contact AS first_contact, t.items->>'570' AS abstractor
                               FROM tumor t WHERE t.patient_id = p.id AND t.status = 'incomplete'
                               ORDER BY t.date_of_first_contact NULLS LAST, t.id LIMIT 1) o ON true
            ORDER BY lower(p.name_last), lower(p.name_first), p.date_of_birth, p.id
            """, bindings + [limit, offset] + identifiers)
        return (try rows.map { r in
            PatientSummary(id: try r.decode(Int.self, at: 0), patientIdNumber: try r.decode(String.self, at: 1),
                           nameLast: try r.decode(String?.self, at: 2), nameFirst: try r.decode(String?.self, at: 3),
                           dateOfBirth: try r.decode(String?.self, at: 4), tumors: try r.decode(Int.self, at: 5),
                           tumorsFailingEdits: try r.decode(Int.self, at: 6), tumorsInProgress: try r.decode(Int?.self, at: 7) ?? 0,
                           oldestOpenFirstContact: r.text(at: 8), abstractor: r.text(at: 9))
        }, total)
    }

    /// A patient's items and its tumors (id, version, items), nil when there is no such patient.
    public func patient(_ id: Int) throws -> (items: [String: String], tumors: [(id: Int, version: Int, items: [String: String])])? {
        try patientWithVersion(id).map { ($0.items, $0.tumors) }
    }

    /// The same with the patient's version (its ETag).
    public func patientWithVersion(_ id: Int) throws -> (version: Int, items: [String: String], tumors: [(id: Int, version: Int, items: [String: String])])? {
        try patientWithStatuses(id).map { ($0.version, $0.items, $0.tumors.map { ($0.id, $0.version, $0.items) }) }
    }

    /// The same with each tumor's abstract status.
    public func patientWithStatuses(_ id: Int) throws
        -> (version: Int, items: [String: String], tumors: [(id: Int, version: Int, items: [String: String], status: String)])? {
        guard let p = try db.query("SELECT items::text, version FROM patient WHERE id = $1", [id]).first else { return nil }
        let tumors = try db.query("SELECT id, version, items::text, status FROM tumor WHERE patient_id = $1 ORDER BY tumor_key, id", [id])
        return (try p.decode(Int.self, at: 1), try StoredItems.items(p.text(at: 0)),
                try tumors.map { (try $0.decode(Int.self, at: 0), try $0.decode(Int.self, at: 1), try StoredItems.items($0.text(at: 2)), $0.text(at: 3) ?? "") })
    }

    public func abstract(tumorId: Int) throws -> StoredAbstract? {
        guard let row = try db.query("""
            SELECT t.id, t.patient_id, t.version, t.status, p.items::text, t.items::text, p.version FROM tumor t JOIN patient p ON p.id = t.patient_id
            WHERE t.id = $1
            """, [tumorId]).first else { return nil }
        let patientId = try row.decode(Int.self, at: 1)
        let siblings = try db.query("SELECT id, items::text FROM tumor WHERE patient_id = $1 ORDER BY tumor_key, id", [patientId])
        let index = try siblings.firstIndex { try $0.decode(Int.self, at: 0) == tumorId } ?? 0
        let others = try siblings.enumerated().filter { $0.offset != index }.map { try StoredItems.items($0.element.text(at: 1)) }
        return StoredAbstract(tumorId: tumorId, patientId: patientId, version: try row.decode(Int.self, at: 2),
                              patientVersion: try row.decode(Int.self, at: 6), status: try row.decode(String.self, at: 3), patientItems: try StoredItems.items(row.text(at: 4)),
                              tumorItems: try StoredItems.items(row.text(at: 5)), tumorIndex: index, otherTumors: others)
    }

    /// Applies `changes` to a tumor's items when `baseVersion` is still current (an empty value removes the item; items
    /// not mentioned keep their values); otherwise keeps the draft and reports the conflict.
    public func saveTumor(id: Int, baseVersion: Int, changes items: [String: String], userId: Int?, source: String = "api") throws -> SaveOutcome {
        try db.transaction { tx in
            guard let row = try tx.query("SELECT patient_id, version, items::text FROM tumor WHERE id = $1 FOR UPDATE", [id]).first else {
                throw PostgresError(.decoding, message: "no tumor \(id)", statement: "saveTumor")
            }
            let current = try row.decode(Int.self, at: 1)
            let old = try StoredItems.items(row.text(at: 2))
            var new = Self.merge(old, items)
            guard current == baseVersion else {
                let draft = try AbstractRepository(connection: tx).keepConflictDraft(tumorId: id, userId: userId, baseVersion: baseVersion,
                                                                                    items: items, patientItems: [:])
                return .conflict(currentVersion: current, draftId: draft)
            }
            let edited = Self.difference(old, new).keys.sorted()
            guard !edited.isEmpty else { return .saved(version: current, changedItems: []) }
            // Date Case Last Changed (item 2100) follows every change (in the revision; the caller hears what it changed).
            new["dateCaseLastChanged"] = Self.today()
            let changes = Self.difference(old, new)
            let version = current + 1
            try tx.execute("""
                UPDATE tumor SET items = $2::json, version = $3, updated_at = now(), \(TypedColumns.tumorAssignments(from: 4))
                WHERE id = $1
                """, [id, StoredItems.json(new), version] + TypedColumns.tumor(new))
            try tx.execute("""
                INSERT INTO abstract_revision (patient_id, tumor_id, version, changed_by, source, changes) VALUES ($1, $2, $3, $4, $5, $6)
                """, [try row.decode(Int.self, at: 0), id, version, userId, source, try PostgresJSON(encoding: changes)])
            return .saved(version: version, changedItems: edited)
        }
    }

    /// Creates a patient from its items (patientIdNumber required, unique within the registry); returns its id.
    public func createPatient(items: [String: String], registryId: String, userId: Int?) throws -> Int {
        let values = items.filter { !$0.value.isEmpty }
        return try db.transaction { tx in
            let id = try tx.query("""
                INSERT INTO patient (registry_id, patient_id_number, items, \(TypedColumns.patientColumnList))
                VALUES ($1, $2, $3::json, \(TypedColumns.placeholders(from: 4, count: TypedColumns.patientFields.count)))
                RETURNING id
                """, [registryId, values["patientIdNumber"], StoredItems.json(values)] + TypedColumns.patient(values))[0].decode(Int.self, at: 0)
            try tx.execute("INSERT INTO abstract_revision (patient_id, version, changed_by, source, changes) VALUES ($1, 1, $2, 'api', $3)",
                           [id, userId, try PostgresJSON(encoding: values.mapValues { ["old": nil, "new": $0] as [String: String?] })])
            return id
        }
    }

    /// Adds a tumor to a patient; its key is tumorRecordNumber, else the central or hospital sequence number, else
    /// its position (as imports key tumors). Returns the tumor id.
    public func createTumor(patientId: Int, items: [String: String], userId: Int?) throws -> Int {
        let values = items.filter { !$0.value.isEmpty }
        return try db.transaction { tx in
            let position = try tx.query("SELECT count(*) FROM tumor WHERE patient_id = $1", [patientId])[0].decode(Int.self, at: 0) + 1
            let key = values["tumorRecordNumber"] ?? values["sequenceNumberCentral"] ?? values["sequenceNumberHospital"] ?? "#\(position)"
            let id = try tx.query("""
                INSERT INTO tumor (patient_id, tumor_key, items, status, \(TypedColumns.tumorColumnList))
                VALUES ($1, $2, $3::json, 'incomplete', \(TypedColumns.placeholders(from: 4, count: TypedColumns.tumorFields.count + 1)))
                RETURNING id
                """, [patientId, key, StoredItems.json(values)] + TypedColumns.tumor(values))[0].decode(Int.self, at: 0)
            try tx.execute("INSERT INTO abstract_revision (patient_id, tumor_id, version, changed_by, source, changes) VALUES ($1, $2, 1, $3, 'api', $4)",
                           [patientId, id, userId, try PostgresJSON(encoding: values.mapValues { ["old": nil, "new": $0] as [String: String?] })])
            return id
        }
    }

    /// Applies changes to a patient's items under the same optimistic locking as tumors.
    public func savePatient(id: Int, baseVersion: Int, changes: [String: String], userId: Int?) throws -> SaveOutcome? {
        try db.transaction { tx in
            guard let row = try tx.query("SELECT version, items::text FROM patient WHERE id = $1 FOR UPDATE", [id]).first else { return nil }
            let current = try row.decode(Int.self, at: 0)
            guard current == baseVersion else { return .conflict(currentVersion: current, draftId: 0) }
            let old = try StoredItems.items(row.text(at: 1))
            let new = Self.merge(old, changes)
            let diff = Self.difference(old, new)
            guard !diff.isEmpty else { return .saved(version: current, changedItems: []) }
            try tx.execute("""
                UPDATE patient SET items = $2::json, version = version + 1, updated_at = now(), patient_id_number = $3,
                    \(TypedColumns.patientAssignments(from: 4))
                WHERE id = $1
                """, [id, StoredItems.json(new), new["patientIdNumber"]] + TypedColumns.patient(new))
            try tx.execute("INSERT INTO abstract_revision (patient_id, version, changed_by, source, changes) VALUES ($1, $2, $3, 'api', $4)",
                           [id, current + 1, userId, try PostgresJSON(encoding: diff)])
            // A patient's change changes each of its abstracts: Date Case Last Changed (2100) on every tumor.
            try tx.execute("""
                UPDATE tumor SET items = jsonb_set(items::jsonb, ARRAY[$2::text], to_jsonb($3::text))::json, updated_at = now() WHERE patient_id = $1
                """, [id, String(NaaccrDictionary.v26.item("dateCaseLastChanged")!.naaccrNum), Self.today()])
            return .saved(version: current + 1, changedItems: diff.keys.sorted())
        }
    }

    /// Today as a NAACCR date (CCYYMMDD, UTC).
    static func today() -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }

    /// Each item whose value differs, with its old and new value (nil where absent), as revisions record them.
    static func difference(_ old: [String: String], _ new: [String: String]) -> [String: [String: String?]] {
        var out: [String: [String: String?]] = [:]
        for key in Set(old.keys).union(new.keys) where old[key] != new[key] { out[key] = ["old": old[key], "new": new[key]] }
        return out
    }

    /// `changes` applied to `items`: empty values remove, others set.
    public static func merge(_ items: [String: String], _ changes: [String: String]) -> [String: String] {
        var out = items
        for (key, value) in changes { out[key] = value.isEmpty ? nil : value }
        return out
    }

    public struct Revision: Sendable, Codable, Equatable {
        public let version: Int
        public let changedBy: String?
        public let changedAt: String
        public let source: String
        public let changes: String

        public init(version: Int, changedBy: String?, changedAt: String, source: String, changes: String) {
            self.version = version
            self.changedBy = changedBy
            self.changedAt = changedAt
            self.source = source
            self.changes = changes
        }
    }

    /// A tumor's revisions, oldest first, a page at a time.
    public func revisions(tumorId: Int, limit: Int, offset: Int) throws -> [Revision] {
        try db.query("""
            SELECT r.version, u.username, to_char(r.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), r.source, r.changes::text
            FROM abstract_revision r LEFT JOIN app_user u ON u.id = r.changed_by WHERE r.tumor_id = $1 ORDER BY r.version, r.id
            LIMIT $2 OFFSET $3
            """, [tumorId, limit, offset]).map {
            Revision(version: try $0.decode(Int.self, at: 0), changedBy: try $0.decode(String?.self, at: 1),
                     changedAt: try $0.decode(String.self, at: 2), source: try $0.decode(String.self, at: 3),
                     changes: try $0.decode(String.self, at: 4))
        }
    }

    /// Drafts kept per abstract and author after conflicts (older ones are dropped).
    public static let draftsKeptPerAbstract = 5

    /// A draft kept after a conflict: whose it is, which tumor, what was typed.
    public struct Draft: Sendable, Equatable {
        public let id: Int
        public let tumorId: Int
        public let userId: Int?
        public let items: [String: String]
    }

    public func draft(id: Int) throws -> Draft? {
        try db.query("SELECT id, tumor_id, user_id, items::text FROM abstract_draft WHERE id = $1", [id]).first.map {
            Draft(id: try $0.decode(Int.self, at: 0), tumorId: try $0.decode(Int.self, at: 1), userId: try $0.decode(Int?.self, at: 2),
                  items: try StoredItems.items($0.text(at: 3)))
        }
    }

    /// A registrar's newest draft of an abstract: the items they changed (tumor and patient) on `baseVersion`.
    public struct WorkingDraft: Sendable, Equatable, Codable {
        public let baseVersion: Int
        public let items: [String: String]
        public let patientItems: [String: String]
        /// "working" (kept while typing) or "version conflict" (kept when a save lost).
        public let reason: String
        public let savedAt: String
    }

    /// Keeps what a registrar is typing on an abstract as their one working draft (the previous one is replaced).
    public func keepWorkingDraft(tumorId: Int, userId: Int?, baseVersion: Int, items: [String: String], patientItems: [String: String]) throws {
        try db.transaction { tx in
            try tx.execute("DELETE FROM abstract_draft WHERE tumor_id = $1 AND user_id IS NOT DISTINCT FROM $2 AND reason = 'working'", [tumorId, userId])
            try tx.execute("""
                INSERT INTO abstract_draft (tumor_id, user_id, base_version, items, patient_items, reason) VALUES ($1, $2, $3, $4, $5, 'working')
                """, [tumorId, userId, baseVersion, try PostgresJSON(encoding: items), try PostgresJSON(encoding: patientItems)])
        }
    }

    /// Keeps a save that lost a version conflict (tumor and patient changes together), capped per abstract and author.
    public func keepConflictDraft(tumorId: Int, userId: Int?, baseVersion: Int, items: [String: String], patientItems: [String: String]) throws -> Int {
        try db.transaction { tx in
            let id = try tx.query("""
                INSERT INTO abstract_draft (tumor_id, user_id, base_version, items, patient_items, reason)
                VALUES ($1, $2, $3, $4, $5, 'version conflict') RETURNING id
                """, [tumorId, userId, baseVersion, try PostgresJSON(encoding: items), try PostgresJSON(encoding: patientItems)])[0].decode(Int.self, at: 0)
            try tx.execute("""
                DELETE FROM abstract_draft WHERE tumor_id = $1 AND user_id IS NOT DISTINCT FROM $2 AND id NOT IN (
                    SELECT id FROM abstract_draft WHERE tumor_id = $1 AND user_id IS NOT DISTINCT FROM $2 ORDER BY id DESC LIMIT $3)
                """, [tumorId, userId, Self.draftsKeptPerAbstract])
            return id
        }
    }

    /// The author's newest draft of the abstract, nil when none.
    public func newestDraft(tumorId: Int, userId: Int?) throws -> WorkingDraft? {
        try db.query("""
            SELECT base_version, items::text, coalesce(patient_items::text, '{}'), reason,
                   to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM abstract_draft WHERE tumor_id = $1 AND user_id IS NOT DISTINCT FROM $2 ORDER BY id DESC LIMIT 1
            """, [tumorId, userId]).first.map {
            WorkingDraft(baseVersion: try $0.decode(Int.self, at: 0), items: try StoredItems.items($0.text(at: 1)),
                         patientItems: try StoredItems.items($0.text(at: 2)), reason: $0.text(at: 3) ?? "", savedAt: $0.text(at: 4) ?? "")
        }
    }

    /// Drops the author's drafts of the abstract (after a save, or when discarded); how many there were.
    @discardableResult
    public func dropDrafts(tumorId: Int, userId: Int?) throws -> Int {
        try db.execute("DELETE FROM abstract_draft WHERE tumor_id = $1 AND user_id IS NOT DISTINCT FROM $2", [tumorId, userId])
    }

    /// The tumor's patient and both versions, locked for the rest of the transaction; nil when there is no such tumor.
    public func lockAbstract(tumorId: Int) throws -> (patientId: Int, version: Int, patientVersion: Int)? {
        try db.query("""
            SELECT t.patient_id, t.version, p.version FROM tumor t JOIN patient p ON p.id = t.patient_id WHERE t.id = $1 FOR UPDATE OF t, p
            """, [tumorId]).first.map { (try $0.decode(Int.self, at: 0), try $0.decode(Int.self, at: 1), try $0.decode(Int.self, at: 2)) }
    }

    /// Sets an abstract's status (incomplete, complete, reviewed); false when there is no such tumor.
    public func setStatus(tumorId: Int, status: String) throws -> Bool {
        try db.execute("UPDATE tumor SET status = $2, updated_at = now() WHERE id = $1", [tumorId, status]) == 1
    }

    /// The next Patient ID Number (20): the highest numeric one plus one, 8 digits; numbers are taken one at a time
    /// (a transaction-scoped lock) so two registrars never get the same.
    public func nextPatientIdNumber() throws -> String {
        try db.execute("SELECT pg_advisory_xact_lock(hashtext('registry.patient_id_number'))")
        let highest = try db.query("""
            SELECT coalesce(max(patient_id_number::bigint), 0) FROM patient WHERE patient_id_number ~ '^[0-9]{1,8}$'
            """)[0].decode(Int.self, at: 0)
        return String(format: "%08d", highest + 1)
    }

    /// The patient's Accession Number--Hosp (550), shared by all of a patient's primaries; else the next of `year`
    /// (CCYY followed by the order the patient was entered that year, 5 digits). One number at a time (a lock).
    public func accessionNumber(patientId: Int, year: Int) throws -> String {
        if let own = try db.query("""
            SELECT accession_number FROM tumor WHERE patient_id = $1 AND accession_number ~ '^[0-9]{9}$' ORDER BY id LIMIT 1
            """, [patientId]).first?.text(at: 0) { return own }
        try db.execute("SELECT pg_advisory_xact_lock(hashtext('registry.accession_number'))")
        let prefix = String(format: "%04d", year)
        let highest = try db.query("""
            SELECT coalesce(max(substr(accession_number, 5)::int), 0) FROM tumor WHERE accession_number LIKE $1 AND accession_number ~ '^[0-9]{9}$'
            """, [prefix + "%"])[0].decode(Int.self, at: 0)
        return prefix + String(format: "%05d", highest + 1)
    }

    /// The hospital sequence numbers (560) of a patient's tumors, in order.
    public func hospitalSequenceNumbers(patientId: Int) throws -> [String] {
        try db.query("SELECT coalesce(sequence_number_hospital, '') FROM tumor WHERE patient_id = $1 ORDER BY id", [patientId]).map { $0.text(at: 0) ?? "" }
    }

    /// A stored patient who may be the one about to be created: same social security number, or same last name or first
    /// name and date of birth, or same last and first name.
    public struct PossibleDuplicate: Sendable, Codable, Equatable {
        public let patientId: Int
        public let patientIdNumber: String
        public let nameLast: String
        public let nameFirst: String
        public let dateOfBirth: String
        public let matchedOn: String
    }

    public func possibleDuplicates(nameLast: String, nameFirst: String, dateOfBirth: String, socialSecurityNumber: String) throws -> [PossibleDuplicate] {
        let ssn = ["", "999999999", "000000000"].contains(socialSecurityNumber) ? nil : socialSecurityNumber
        return try db.query("""
            SELECT id, patient_id_number, coalesce(name_last, ''), coalesce(name_first, ''), coalesce(date_of_birth, ''),
                   CASE WHEN social_security_number = $4 THEN 'social security number'
                        WHEN date_of_birth = $3 AND lower(name_last) = lower($1) THEN 'last name and date of birth'
                        WHEN date_of_birth = $3 AND lower(name_first) = lower($2) THEN 'first name and date of birth'
                        ELSE 'last and first name' END
            FROM patient
            WHERE social_security_number = $4
               OR (date_of_birth = $3 AND (lower(name_last) = lower($1) OR lower(name_first) = lower($2)))
               OR (lower(name_last) = lower($1) AND lower(name_first) = lower($2) AND $1 <> '' AND $2 <> '')
            ORDER BY 6, id LIMIT 20
            """, [nameLast, nameFirst, dateOfBirth, ssn]).map {
            PossibleDuplicate(patientId: try $0.decode(Int.self, at: 0), patientIdNumber: $0.text(at: 1) ?? "", nameLast: $0.text(at: 2) ?? "",
                              nameFirst: $0.text(at: 3) ?? "", dateOfBirth: $0.text(at: 4) ?? "", matchedOn: $0.text(at: 5) ?? "")
        }
    }

    /// Whether a patient row exists.
    public func patientExists(_ id: Int) throws -> Bool {
        try !db.query("SELECT 1 FROM patient WHERE id = $1", [id]).isEmpty
    }

    /// The registry id new patients get: the one the stored patients have (empty for an empty registry).
    public func registryIdForNewPatients() throws -> String {
        try db.query("SELECT registry_id FROM patient LIMIT 1").first?.decode(String.self, at: 0) ?? ""
    }
}
