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
