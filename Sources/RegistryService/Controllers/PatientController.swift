import Hummingbird
import Registry
import RegistryStore

/// `/api/patients`: search, create, read and update patients, add tumors.
struct PatientController {
    let registry: Registry

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get { request, context in try await search(request, context) }
        group.post { request, context in try await create(request, context) }
        group.get(":id") { _, context in try await patient(context) }
        group.put(":id") { request, context in try await save(request, context) }
        group.post(":id/tumors") { request, context in try await createTumor(request, context) }
        group.post(":id/primaries") { request, context in try await addPrimary(request, context) }
        group.get("duplicates") { request, context in try await duplicates(request, context) }
    }

    /// Patients who may be the one about to be created (checked before creating one).
    func duplicates(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let born = try request.queryText("dateOfBirth", maxLength: 8) ?? ""
        guard born.isEmpty || (born.count == 8 && born.allSatisfy(\.isNumber)) else {
            throw APIError.badRequest("dateOfBirth is CCYYMMDD", items: ["dateOfBirth"])
        }
        let found = try await registry.possibleDuplicates(
            nameLast: try request.queryText("nameLast", maxLength: 40) ?? "", nameFirst: try request.queryText("nameFirst", maxLength: 40) ?? "",
            dateOfBirth: born, socialSecurityNumber: (try request.queryText("socialSecurityNumber", maxLength: 11) ?? "").filter(\.isNumber),
            by: user, from: address)
        return try jsonResponse(found)
    }

    /// A new primary numbered by the registry's rules (accession number, sequence number, dates of first contact and
    /// case initiated), ready to abstract.
    func addPrimary(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let draft = try await request.decodeJSON(DraftRequest.self)
        let created = try await registry.addPrimary(patientId: try context.pathId(), items: draft.items, by: user, from: address)
        return try jsonResponse(created, status: .created)
    }

    func search(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let paging = try Paging(page: request.queryInt("page", default: 1, range: 1...Paging.maxPage),
                                pageSize: request.queryInt("pageSize", default: 25, range: 1...100), maxPageSize: 100)
        var search = PatientSearch(name: try request.queryText("name"), dateOfBirth: try request.queryText("dateOfBirth", maxLength: 8),
                                   patientIdNumber: try request.queryText("patientId", maxLength: 20),
                                   primarySite: try request.queryText("site", maxLength: 4),
                                   diagnosisYear: request.uri.queryParameters["year"] == nil ? nil : try request.queryInt("year", default: 0, range: 1800...2999),
                                   failingEditSet: try request.queryText("failingEdits", maxLength: 40))
        search.identifier = try request.queryText("identifier", maxLength: 20)
        search.searchSocialSecurityNumber = Permission.readIdentifiers.allows(user.role)
        return try jsonResponse(try await registry.searchPatients(search, paging: paging, by: user, from: address))
    }

    func create(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let draft = try await request.decodeJSON(DraftRequest.self)
        let id = try await registry.createPatient(items: draft.items, by: user, from: address)
        return try jsonResponse(Created(id: id, version: 1), status: .created)
    }

    func patient(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let record = try await registry.patient(try context.pathId(), for: user, from: address)
        return try jsonResponse(record, headers: [.eTag: "\"\(record.version)\""])
    }

    func save(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let base = try request.baseVersion()
        let draft = try await request.decodeJSON(DraftRequest.self)
        switch try await registry.savePatient(id: id, baseVersion: base, changes: draft.items, by: user, from: address) {
        case .conflict(let current, _):
            throw APIError(.conflict, "version_conflict",
                           "someone saved this patient after you opened it (now version \(current)); reload and apply your changes again",
                           detail: ["currentVersion": String(current)])
        case let .saved(version, changed):
            return try jsonResponse(SaveResponse(tumorId: nil, patientId: id, version: version, changedItems: changed, edits: nil),
                                    headers: [.eTag: "\"\(version)\""])
        }
    }

    func createTumor(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let patientId = try context.pathId()
        let draft = try await request.decodeJSON(DraftRequest.self)
        let id = try await registry.createTumor(patientId: patientId, items: draft.items, by: user, from: address)
        return try jsonResponse(Created(id: id, version: 1), status: .created)
    }
}
