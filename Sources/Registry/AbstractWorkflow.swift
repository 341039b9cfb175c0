import Edits
import Foundation
import NAACCR
import Postgres
import RegistryStore

/// A patient as a role may see it, with its tumors.
public struct PatientRecord: Sendable, Encodable {
    public struct Tumor: Sendable, Encodable {
        public let id: Int
        public let version: Int
        public let items: [String: String]
        /// incomplete (in progress), complete or reviewed.
        public let status: String
    }
    public let id: Int
    public let version: Int
    public let items: [String: String]
    public let tumors: [Tumor]
}

/// The result of saving a tumor: the outcome and, when saved, the tumor's edit results (also stored in `edit_result`).
public struct TumorSave: Sendable {
    public let outcome: SaveOutcome
    public let patientId: Int
    public let edits: EditReport?
}

/// Opening, searching, creating and saving abstracts. Every read of patient data and every change writes its audit row
/// in the same transaction; roles without `readIdentifiers` get items with the direct identifiers left out.
extension Registry {
    // MARK: Reading

    /// Patients matching `search`, a page at a time. The audit row records what was searched for and which patients
    /// came back. Roles that may not see identifiers may not search by them either, and listings are rate-limited.
    public func searchPatients(_ search: PatientSearch, paging: Paging, by user: UserAccount, from address: String?,
                               worklist: String? = nil) async throws -> PageOf<PatientSummary> {
        let seesIdentifiers = Permission.readIdentifiers.allows(user.role)
        if !seesIdentifiers, search.name?.isEmpty == false || search.dateOfBirth?.isEmpty == false || search.identifier?.isEmpty == false {
            throw WorkflowError.forbidden("searching by name, date of birth, accession, medical record or social security number needs a role that may see identifiers")
        }
        try await listingLimiter.take(user.id)
        let actor = user.acting(from: address)
        let (rows, total) = try await pool.withConnection { db in
            try db.transaction { tx in
                let result = try AbstractRepository(connection: tx).search(search, limit: paging.pageSize, offset: paging.offset)
                var detail = search.auditDescription
                if let worklist { detail["worklist"] = worklist }
                detail["page"] = String(paging.page)
                detail["results"] = String(result.rows.count)
                detail["patientIds"] = result.rows.map { String($0.id) }.joined(separator: " ")
                try AuditTrail.record(tx, actor, .search, entity: "patient", detail: detail)
                return result
            }
        }
        let visible = seesIdentifiers ? rows : rows.map {
            PatientSummary(id: $0.id, patientIdNumber: $0.patientIdNumber, nameLast: nil, nameFirst: nil,
                           dateOfBirth: $0.dateOfBirth.map { String($0.prefix(4)) }, tumors: $0.tumors, tumorsFailingEdits: $0.tumorsFailingEdits)
        }
        var page = PageOf(items: visible, total: total.count, page: paging.page, pageSize: paging.pageSize)
        page.totalIsAtLeast = total.isAtLeast
        return page
    }

    /// A patient with its tumors, as `user` may see it; audited.
    public func patient(_ id: Int, for user: UserAccount, from address: String?) async throws -> PatientRecord {
        let actor = user.acting(from: address)
        guard let found = try await pool.withConnection({ db in
            try db.transaction { tx -> (version: Int, items: [String: String], tumors: [(id: Int, version: Int, items: [String: String], status: String)])? in
                guard let p = try AbstractRepository(connection: tx).patientWithStatuses(id) else { return nil }
                try AuditTrail.record(tx, actor, .read, entity: "patient", id: id)
                return p
            }
        }) else { throw WorkflowError.notFound("patient \(id)") }
        return PatientRecord(id: id, version: found.version, items: IdentifierVisibility.visible(found.items, to: user.role),
                             tumors: found.tumors.map { .init(id: $0.id, version: $0.version, items: IdentifierVisibility.visible($0.items, to: user.role),
                                                              status: $0.status) })
    }

    /// A tumor's abstract with its patient's items, as `user` may see it; audited.
    public func abstract(tumorId: Int, for user: UserAccount, from address: String?) async throws -> StoredAbstract {
        let actor = user.acting(from: address)
        guard let stored = try await pool.withConnection({ db in
            try db.transaction { tx -> StoredAbstract? in
                guard let a = try AbstractRepository(connection: tx).abstract(tumorId: tumorId) else { return nil }
                try AuditTrail.record(tx, actor, .read, entity: "tumor", id: tumorId)
                return a
            }
        }) else { throw WorkflowError.notFound("tumor \(tumorId)") }
        return stored.visible(to: user.role)
    }

    /// A tumor's revisions, oldest first, a page at a time (identifier values left out for roles that may not see them).
    public func revisions(tumorId: Int, paging: Paging, for user: UserAccount, from address: String?) async throws -> [AbstractRepository.Revision] {
        let actor = user.acting(from: address)
        let revisions = try await pool.withConnection { db in
            try db.transaction { tx in
                try AuditTrail.record(tx, actor, .read, entity: "abstract_revision", id: tumorId, detail: ["page": String(paging.page)])
                return try AbstractRepository(connection: tx).revisions(tumorId: tumorId, limit: paging.pageSize, offset: paging.offset)
            }
        }
        guard !Permission.readIdentifiers.allows(user.role) else { return revisions }
        return revisions.map { $0.leavingOut(IdentifierVisibility.directIdentifiers.union(["dateOfBirth"])) }
    }

    /// A draft kept after a conflict: only its author (and admins) may read it.
    public func draft(_ id: Int, for user: UserAccount, from address: String?) async throws -> [String: String] {
        let actor = user.acting(from: address)
        let draft = try await pool.withConnection { db in
            try db.transaction { tx -> AbstractRepository.Draft? in
                guard let draft = try AbstractRepository(connection: tx).draft(id: id),
                      draft.userId == user.id || user.role == .admin else { return nil }
                try AuditTrail.record(tx, actor, .read, entity: "abstract_draft", id: id)
                return draft
            }
        }
        // Someone else's draft answers as if it did not exist.
        guard let draft else { throw WorkflowError.notFound("draft \(id)") }
        return draft.items
    }

    // MARK: Inline edits

    /// The edit results of a tumor as typed (nothing is stored): the form's inline check.
    public func checkDraft(tumorId: Int, items: [String: String], patientItems: [String: String]?) async throws -> EditReport {
        guard let stored = try await pool.withConnection({ db in try AbstractRepository(connection: db).abstract(tumorId: tumorId) }) else {
            throw WorkflowError.notFound("tumor \(tumorId)")
        }
        return editReport(for: stored, items: AbstractRepository.merge(stored.tumorItems, items),
                          patientItems: patientItems.map { AbstractRepository.merge(stored.patientItems, $0) }, engine: EditEngine(set: editSet, library: editLibrary))
    }

    // MARK: Changes

    /// Creates a patient with its revision and audit row. Patient ID Number (20) is unique in the registry; without one
    /// the registry assigns the next (the highest numeric one plus one, 8 digits).
    public func createPatient(items: [String: String], by user: UserAccount, from address: String?) async throws -> Int {
        try ItemValidation.check(items, level: .patient)
        let actor = user.acting(from: address)
        do {
            return try await pool.withConnection { db in
                try db.transaction { tx in
                    let repository = AbstractRepository(connection: tx)
                    var items = items
                    if (items["patientIdNumber"] ?? "").isEmpty { items["patientIdNumber"] = try repository.nextPatientIdNumber() }
                    let id = try repository.createPatient(items: items, registryId: try repository.registryIdForNewPatients(), userId: user.id)
                    try AuditTrail.record(tx, actor, .create, entity: "patient", id: id)
                    return id
                }
            }
        } catch let error as PostgresError where error.sqlState == "23505" {
            throw WorkflowError.conflict(code: "duplicate_patient", message: "a patient with this patientIdNumber exists already",
                                         detail: [:])
        }
    }

    /// Adds a tumor to a patient, with its revision and audit row.
    public func createTumor(patientId: Int, items: [String: String], by user: UserAccount, from address: String?) async throws -> Int {
        try ItemValidation.check(items, level: .tumor)
        let actor = user.acting(from: address)
        do {
            guard let id = try await pool.withConnection({ db in
                try db.transaction { tx -> Int? in
                    let repository = AbstractRepository(connection: tx)
                    guard try repository.patientExists(patientId) else { return nil }
                    let id = try repository.createTumor(patientId: patientId, items: items, userId: user.id)
                    try AuditTrail.record(tx, actor, .create, entity: "tumor", id: id, detail: ["patientId": String(patientId)])
                    return id
                }
            }) else { throw WorkflowError.notFound("patient \(patientId)") }
            return id
        } catch let error as PostgresError where error.sqlState == "23505" {
            throw WorkflowError.conflict(code: "duplicate_tumor", message: "the patient has a tumor with this record or sequence number already",
                                         detail: [:])
        }
    }

    /// Saves changes to a patient's items when `baseVersion` is current (optimistic locking), with its revision and audit row.
    public func savePatient(id: Int, baseVersion: Int, changes: [String: String], by user: UserAccount, from address: String?) async throws -> SaveOutcome {
        try ItemValidation.check(changes, level: .patient)
        let actor = user.acting(from: address)
        guard let outcome = try await pool.withConnection({ db in
            try db.transaction { tx -> SaveOutcome? in
                let outcome = try AbstractRepository(connection: tx).savePatient(id: id, baseVersion: baseVersion, changes: changes, userId: user.id)
                if case .saved(let version, let changed)? = outcome, !changed.isEmpty {
                    try AuditTrail.record(tx, actor, .update, entity: "patient", id: id,
                                          detail: ["version": String(version), "items": changed.joined(separator: " ")])
                }
                return outcome
            }
        }) else { throw WorkflowError.notFound("patient \(id)") }
        return outcome
    }

    /// Saves changes to a tumor's items when `baseVersion` is current: the new version, its revision, the tumor's
    /// edit results (`edit_result`, which the work lists read) and the audit row commit together. On a conflict the
    /// typed changes are kept as a draft of the author's.
    public func saveTumor(id: Int, baseVersion: Int, changes: [String: String], by user: UserAccount, from address: String?) async throws -> TumorSave {
        try ItemValidation.check(changes, level: .tumor)
        let actor = user.acting(from: address)
        let engine = EditEngine(set: editSet, library: editLibrary)
        guard let result = try await pool.withConnection({ db in
            try db.transaction { tx -> TumorSave? in
                guard let save = try saveTumorWithEdits(tx, id: id, baseVersion: baseVersion, changes: changes, engine: engine, userId: user.id)
                else { return nil }
                if case .saved(let version, let changed) = save.outcome, !changed.isEmpty {
                    try AuditTrail.record(tx, actor, .update, entity: "tumor", id: id,
                                          detail: ["version": String(version), "items": changed.joined(separator: " ")])
                }
                return save
            }
        }) else { throw WorkflowError.notFound("tumor \(id)") }
        return result
    }

    /// Inside the caller's transaction: saves a tumor's changes when `baseVersion` is current (its revision written by
    /// the repository) and, when anything changed, its edit results; nil when the tumor does not exist. The caller
    /// writes the audit row.
    func saveTumorWithEdits(_ tx: PostgresConnection, id: Int, baseVersion: Int, changes: [String: String], engine: EditEngine,
                            userId: Int?) throws -> TumorSave? {
        let repository = AbstractRepository(connection: tx)
        guard let before = try repository.abstract(tumorId: id) else { return nil }
        let outcome = try repository.saveTumor(id: id, baseVersion: baseVersion, changes: changes, userId: userId)
        guard case .saved(_, let changed) = outcome else { return TumorSave(outcome: outcome, patientId: before.patientId, edits: nil) }
        guard let stored = try repository.abstract(tumorId: id) else { return nil }
        let report = editReport(for: stored, items: stored.tumorItems, engine: engine)
        if !changed.isEmpty {
            try EditResultStore(connection: tx).saveOne(editSet: engine.set.name, result: StoredEditResult(tumorId: id, failures: report.failures))
        }
        return TumorSave(outcome: outcome, patientId: stored.patientId, edits: report)
    }
}

extension StoredAbstract {
    /// The abstract with items `role` may not see left out.
    func visible(to role: Role) -> StoredAbstract {
        guard !Permission.readIdentifiers.allows(role) else { return self }
        return StoredAbstract(tumorId: tumorId, patientId: patientId, version: version, patientVersion: patientVersion, status: status,
                              patientItems: IdentifierVisibility.visible(patientItems, to: role),
                              tumorItems: IdentifierVisibility.visible(tumorItems, to: role), tumorIndex: tumorIndex,
                              otherTumors: otherTumors.map { IdentifierVisibility.visible($0, to: role) })
    }
}

extension AbstractRepository.Revision {
    /// The revision without the changes of `items`.
    func leavingOut(_ items: Set<String>) -> AbstractRepository.Revision {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(changes.utf8))) as? [String: Any] else { return self }
        let kept = object.filter { !items.contains($0.key) }
        guard kept.count != object.count, let data = try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]) else { return self }
        return AbstractRepository.Revision(version: version, changedBy: changedBy, changedAt: changedAt, source: source,
                                           changes: String(decoding: data, as: UTF8.self))
    }
}

extension PatientSearch {
    /// What was searched for, for the audit row (the audit log is where such a record belongs).
    var auditDescription: [String: String] {
        var out: [String: String] = [:]
        if let name { out["name"] = String(name.prefix(100)) }
        if let dateOfBirth { out["dateOfBirth"] = String(dateOfBirth.prefix(8)) }
        if let patientIdNumber { out["patientIdNumber"] = String(patientIdNumber.prefix(20)) }
        if let primarySite { out["primarySite"] = String(primarySite.prefix(4)) }
        if let diagnosisYear { out["diagnosisYear"] = String(diagnosisYear) }
        if let failingEditSet { out["failingEditSet"] = String(failingEditSet.prefix(40)) }
        if let tumorStatus { out["tumorStatus"] = String(tumorStatus.prefix(20)) }
        if let lastContactBefore { out["lastContactBefore"] = String(lastContactBefore.prefix(8)) }
        if let identifier { out["identifier"] = String(identifier.prefix(20)) }
        return out
    }
}
