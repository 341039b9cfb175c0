import Hummingbird
import Registry
import RegistryStore

/// `/api/tumors`: open and save abstracts, inline edits on a draft, revision history.
struct TumorController {
    let registry: Registry

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get(":id") { _, context in try await abstract(context) }
        group.put(":id") { request, context in try await save(request, context) }
        group.post(":id/edits") { request, context in try await checkDraft(request, context) }
        group.get(":id/revisions") { request, context in try await revisions(request, context) }
        group.put(":id/abstract") { request, context in try await saveAbstract(request, context) }
        group.get(":id/draft") { _, context in try await draft(context) }
        group.put(":id/draft") { request, context in try await keepDraft(request, context) }
        group.delete(":id/draft") { _, context in try await discardDraft(context) }
        group.post(":id/status") { request, context in try await setStatus(request, context) }
    }

    /// Patient and tumor changes in one transaction (If-Match: the tumor's version; the body: the patient's).
    func saveAbstract(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let base = try request.baseVersion()
        let body = try await request.decodeJSON(AbstractSaveRequest.self)
        guard (1...999_999_999).contains(body.patientVersion) else { throw APIError.badRequest("patientVersion must be 1-999999999", items: ["patientVersion"]) }
        let saved = try await registry.saveAbstract(tumorId: id, version: base, patientVersion: body.patientVersion, changes: body.items,
                                                    patientChanges: body.patientItems ?? [:], by: user, from: address)
        return try jsonResponse(saved, headers: [.eTag: "\"\(saved.version)\""])
    }

    /// The author's newest draft of the abstract (404 when none).
    func draft(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        guard let draft = try await registry.newestDraft(tumorId: try context.pathId(), for: user, from: address) else {
            throw APIError.notFound("draft")
        }
        return try jsonResponse(draft)
    }

    func keepDraft(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let body = try await request.decodeJSON(WorkingDraftRequest.self)
        guard (1...999_999_999).contains(body.baseVersion) else { throw APIError.badRequest("baseVersion must be 1-999999999", items: ["baseVersion"]) }
        try await registry.keepDraft(tumorId: try context.pathId(), baseVersion: body.baseVersion, changes: body.items,
                                     patientChanges: body.patientItems ?? [:], by: user, from: address)
        return Response(status: .noContent)
    }

    func discardDraft(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        try await registry.discardDrafts(tumorId: try context.pathId(), by: user, from: address)
        return Response(status: .noContent)
    }

    func setStatus(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let body = try await request.decodeJSON(StatusRequest.self)
        guard let status = AbstractStatus(rawValue: body.status) else {
            throw APIError.badRequest("status must be incomplete, complete or reviewed", items: ["status"])
        }
        try await registry.setAbstractStatus(tumorId: try context.pathId(), to: status, by: user, from: address)
        return try jsonResponse(StatusResponse(status: status.rawValue))
    }

    func abstract(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let stored = try await registry.abstract(tumorId: try context.pathId(), for: user, from: address)
        return try jsonResponse(AbstractResponse(tumorId: stored.tumorId, patientId: stored.patientId, version: stored.version,
                                                 patientVersion: stored.patientVersion, status: stored.status,
                                                 patientItems: stored.patientItems, items: stored.tumorItems),
                                headers: [.eTag: "\"\(stored.version)\""])
    }

    func checkDraft(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        _ = try context.requireSession()
        let id = try context.pathId()
        let draft = try await request.decodeJSON(DraftRequest.self)
        return try jsonResponse(try await registry.checkDraft(tumorId: id, items: draft.items, patientItems: draft.patientItems))
    }

    func save(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let base = try request.baseVersion()
        let draft = try await request.decodeJSON(DraftRequest.self)
        let result = try await registry.saveTumor(id: id, baseVersion: base, changes: draft.items, by: user, from: address)
        switch result.outcome {
        case let .conflict(current, draftId):
            throw APIError(.conflict, "version_conflict",
                           "someone saved this abstract after you opened it (now version \(current)); your changes were kept as draft \(draftId)",
                           detail: ["currentVersion": String(current), "draftId": String(draftId)])
        case let .saved(version, changed):
            return try jsonResponse(SaveResponse(tumorId: id, patientId: result.patientId, version: version, changedItems: changed, edits: result.edits),
                                    headers: [.eTag: "\"\(version)\""])
        }
    }

    /// Oldest first, a page at a time (default 500 a page).
    func revisions(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let paging = try Paging(page: request.queryInt("page", default: 1, range: 1...Paging.maxPage),
                                pageSize: request.queryInt("pageSize", default: 500, range: 1...500), maxPageSize: 500)
        return try jsonResponse(try await registry.revisions(tumorId: id, paging: paging, for: user, from: address))
    }
}

/// `/api/drafts/{id}`: a draft kept after a conflict, for its author.
struct DraftController {
    let registry: Registry

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get(":id") { _, context in
            let (user, address) = try context.actingUser()
            return try jsonResponse(DraftItems(items: try await registry.draft(try context.pathId(), for: user, from: address)))
        }
    }
}
