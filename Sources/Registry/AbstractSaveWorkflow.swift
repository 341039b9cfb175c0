import Edits
import Foundation
import Postgres
import RegistryStore

/// What saving a whole abstract (patient and tumor together) did.
public struct AbstractSave: Sendable, Codable, Equatable {
    public let tumorId: Int
    public let patientId: Int
    public let version: Int
    public let patientVersion: Int
    public let changedItems: [String]
    public let changedPatientItems: [String]
    public let edits: EditReport
}

/// The statuses of an abstract (tumor.status): in progress until its required items are there and no edit fails
/// (complete), then reviewed by a reviewer or an administrator.
public enum AbstractStatus: String, Sendable, Codable, CaseIterable {
    case incomplete, complete, reviewed
}

extension Registry {
    /// Saves an abstract's patient and tumor changes in one transaction: both versions must be current (`version`,
    /// `patientVersion`); then both records, their revisions, the tumor's edit results and the audit rows commit
    /// together, and the author's drafts of it are dropped. When either version is stale nothing is saved: the changes
    /// are kept as the author's draft and a conflict names both current versions.
    public func saveAbstract(tumorId: Int, version: Int, patientVersion: Int, changes: [String: String], patientChanges: [String: String],
                             by user: UserAccount, from address: String?) async throws -> AbstractSave {
        try ItemValidation.check(changes, level: .tumor)
        try ItemValidation.check(patientChanges, level: .patient)
        let actor = user.acting(from: address)
        let engine = EditEngine(set: editSet, library: editLibrary)
        enum Outcome: Sendable { case saved(AbstractSave), stale(version: Int, patientVersion: Int) }
        let outcome = try await pool.withConnection { db -> Outcome in
            try db.transaction { tx -> Outcome in
                let repository = AbstractRepository(connection: tx)
                guard let locked = try repository.lockAbstract(tumorId: tumorId) else { throw WorkflowError.notFound("tumor \(tumorId)") }
                guard locked.version == version, locked.patientVersion == patientVersion else {
                    return .stale(version: locked.version, patientVersion: locked.patientVersion)
                }
                var newPatientVersion = patientVersion, changedPatient: [String] = []
                if !patientChanges.isEmpty, case .saved(let v, let changed)? = try repository.savePatient(
                    id: locked.patientId, baseVersion: patientVersion, changes: patientChanges, userId: user.id) {
                    newPatientVersion = v
                    changedPatient = changed
                    if !changed.isEmpty {
                        try AuditTrail.record(tx, actor, .update, entity: "patient", id: locked.patientId,
                                              detail: ["version": String(v), "items": changed.joined(separator: " ")])
                    }
                }
                guard case .saved(let newVersion, let changed) = try repository.saveTumor(id: tumorId, baseVersion: version, changes: changes,
                                                                                           userId: user.id) else {
                    return .stale(version: locked.version, patientVersion: locked.patientVersion)
                }
                guard let stored = try repository.abstract(tumorId: tumorId) else { throw WorkflowError.notFound("tumor \(tumorId)") }
                let report = editReport(for: stored, items: stored.tumorItems, engine: engine)
                if !changed.isEmpty || !changedPatient.isEmpty {
                    try EditResultStore(connection: tx).saveOne(editSet: engine.set.name, result: StoredEditResult(tumorId: tumorId, failures: report.failures))
                }
                if !changed.isEmpty {
                    try AuditTrail.record(tx, actor, .update, entity: "tumor", id: tumorId,
                                          detail: ["version": String(newVersion), "items": changed.joined(separator: " ")])
                }
                try repository.dropDrafts(tumorId: tumorId, userId: user.id)
                return .saved(AbstractSave(tumorId: tumorId, patientId: locked.patientId, version: newVersion, patientVersion: newPatientVersion,
                                           changedItems: changed, changedPatientItems: changedPatient, edits: report))
            }
        }
        switch outcome {
        case .saved(let save): return save
        case let .stale(current, currentPatient):
            // Nothing typed is lost: the changes become the author's draft, in a transaction of their own.
            let draftId = try await pool.withConnection { db in
                try db.transaction { tx in
                    let id = try AbstractRepository(connection: tx).keepConflictDraft(tumorId: tumorId, userId: user.id, baseVersion: version,
                                                                                      items: changes, patientItems: patientChanges)
                    try AuditTrail.record(tx, actor, .create, entity: "abstract_draft", id: id, detail: ["tumorId": String(tumorId)])
                    return id
                }
            }
            throw WorkflowError.conflict(code: "version_conflict",
                                         message: "someone saved this abstract after you opened it (now version \(current), patient version "
                                             + "\(currentPatient)); nothing was saved and your changes were kept as draft \(draftId)",
                                         detail: ["currentVersion": String(current), "currentPatientVersion": String(currentPatient),
                                                  "draftId": String(draftId)])
        }
    }

    /// Keeps what the registrar has typed but not saved (only the changed items) as their working draft of the abstract.
    public func keepDraft(tumorId: Int, baseVersion: Int, changes: [String: String], patientChanges: [String: String],
                          by user: UserAccount, from address: String?) async throws {
        try ItemValidation.check(changes, level: .tumor)
        try ItemValidation.check(patientChanges, level: .patient)
        guard changes.count + patientChanges.count <= 1000 else { throw WorkflowError.invalid("a draft holds at most 1,000 items", items: []) }
        let actor = user.acting(from: address)
        try await pool.withConnection { db in
            try db.transaction { tx in
                let repository = AbstractRepository(connection: tx)
                guard try repository.lockAbstract(tumorId: tumorId) != nil else { throw WorkflowError.notFound("tumor \(tumorId)") }
                try repository.keepWorkingDraft(tumorId: tumorId, userId: user.id, baseVersion: baseVersion, items: changes, patientItems: patientChanges)
                try AuditTrail.record(tx, actor, .update, entity: "abstract_draft", id: tumorId,
                                      detail: ["items": String(changes.count + patientChanges.count)])
            }
        }
    }

    /// The author's newest draft of an abstract (working or kept after a conflict), nil when none.
    public func newestDraft(tumorId: Int, for user: UserAccount, from address: String?) async throws -> AbstractRepository.WorkingDraft? {
        let actor = user.acting(from: address)
        return try await pool.withConnection { db in
            try db.transaction { tx in
                guard let draft = try AbstractRepository(connection: tx).newestDraft(tumorId: tumorId, userId: user.id) else { return nil }
                try AuditTrail.record(tx, actor, .read, entity: "abstract_draft", id: tumorId)
                return draft
            }
        }
    }

    /// Drops the author's drafts of an abstract.
    public func discardDrafts(tumorId: Int, by user: UserAccount, from address: String?) async throws {
        let actor = user.acting(from: address)
        try await pool.withConnection { db in
            try db.transaction { tx in
                let dropped = try AbstractRepository(connection: tx).dropDrafts(tumorId: tumorId, userId: user.id)
                try AuditTrail.record(tx, actor, .delete, entity: "abstract_draft", id: tumorId, detail: ["drafts": String(dropped)])
            }
        }
    }

    /// Changes an abstract's status by explicit action. Complete (or reviewed) only when every item the registry's edit
    /// set requires is there (its required-item edits, RQ + item number: warnings while abstracting) and no edit error
    /// stands; the refusal names every item at fault. Marking reviewed is for reviewers and administrators; in progress and complete for those who edit.
    public func setAbstractStatus(tumorId: Int, to status: AbstractStatus, by user: UserAccount, from address: String?) async throws {
        switch status {
        case .reviewed:
            guard user.role == .reviewer || user.role == .admin else { throw WorkflowError.forbidden("only a reviewer or an administrator marks an abstract reviewed") }
        case .incomplete, .complete:
            guard Permission.editAbstracts.allows(user.role) else { throw WorkflowError.forbidden("your role does not change abstracts") }
        }
        let actor = user.acting(from: address)
        let engine = EditEngine(set: editSet, library: editLibrary)
        try await pool.withConnection { db in
            try db.transaction { tx in
                let repository = AbstractRepository(connection: tx)
                guard try repository.lockAbstract(tumorId: tumorId) != nil, let stored = try repository.abstract(tumorId: tumorId) else {
                    throw WorkflowError.notFound("tumor \(tumorId)")
                }
                if status != .incomplete {
                    // Required items (the set's RQ edits, warnings while abstracting) must be there, and no error may stand.
                    let failures = editReport(for: stored, items: stored.tumorItems, engine: engine).failures.filter { !$0.overridden }
                    let missing = failures.filter { $0.edit.hasPrefix("RQ") }
                    let errors = failures.filter { $0.isBlocking && !$0.edit.hasPrefix("RQ") }
                    guard missing.isEmpty && errors.isEmpty else {
                        let items = Array(Set((missing + errors).flatMap(\.items))).sorted()
                        var parts: [String] = []
                        if !missing.isEmpty { parts.append("\(missing.count) required item(s) missing (" + missing.flatMap(\.items).prefix(12).joined(separator: ", ") + (missing.count > 12 ? ", …" : "") + ")") }
                        if !errors.isEmpty { parts.append("\(errors.count) edit error(s) (" + errors.prefix(8).map(\.edit).joined(separator: ", ") + (errors.count > 8 ? ", …" : "") + ")") }
                        throw WorkflowError.invalid("not \(status.rawValue): " + parts.joined(separator: "; "), items: items)
                    }
                }
                _ = try repository.setStatus(tumorId: tumorId, status: status.rawValue)
                try AuditTrail.record(tx, actor, .update, entity: "tumor", id: tumorId, detail: ["status": status.rawValue])
            }
        }
    }
}
