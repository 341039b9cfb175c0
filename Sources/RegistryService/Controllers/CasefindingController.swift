import Foundation
import Hummingbird
import Registry
import RegistryStore

/// `/api/casefinding`: the suspense list of possible cases, new reports, and a registrar's decision on each.
struct CasefindingController {
    let registry: Registry

    struct DecisionRequest: Decodable {
        let decision: String
        let patientId: Int?
        let tumorId: Int?
        let reason: String?
    }
    struct DecisionResponse: Encodable { let status: String; let tumorId: Int? }
    struct ReportRequest: Decodable {
        let source: String
        let reportedOn: String
        let nameLast, nameFirst, dateOfBirth, sex, medicalRecordNumber, suspectedSite, suspectedHistology, diagnosis: String?
        var entry: CasefindingEntry {
            func blankIsNil(_ v: String?) -> String? { v.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
            return CasefindingEntry(source: source, reportedOn: reportedOn, nameLast: blankIsNil(nameLast), nameFirst: blankIsNil(nameFirst),
                                    dateOfBirth: blankIsNil(dateOfBirth), sex: blankIsNil(sex), medicalRecordNumber: blankIsNil(medicalRecordNumber),
                                    suspectedSite: blankIsNil(suspectedSite)?.uppercased(), suspectedHistology: blankIsNil(suspectedHistology),
                                    diagnosis: blankIsNil(diagnosis))
        }
    }
    struct ListResponse: Encodable { let items: [CasefindingEntry]; let total: Int; let page: Int; let pageSize: Int }

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get { request, context in try await list(request, context) }
        group.post { request, context in try await add(request, context) }
        group.post(":id/decision") { request, context in try await decide(request, context) }
    }

    func list(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let paging = try Paging(page: request.queryInt("page", default: 1, range: 1...Paging.maxPage),
                                pageSize: request.queryInt("pageSize", default: 50, range: 1...200), maxPageSize: 200)
        let status = try request.queryText("status", maxLength: 20) ?? "pending"
        let (entries, total) = try await registry.casefinding(status: status, limit: paging.pageSize, offset: paging.offset, by: user.acting(from: address))
        return try jsonResponse(ListResponse(items: entries, total: total, page: paging.page, pageSize: paging.pageSize))
    }

    func add(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let entry = try await request.decodeJSON(ReportRequest.self).entry
        let id = try await registry.addCasefinding(entry, by: user.acting(from: address))
        return try jsonResponse(Created(id: id, version: 1), status: .created)
    }

    func decide(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let body = try await request.decodeJSON(DecisionRequest.self)
        let decision: CasefindingDecision
        switch body.decision {
        case "reportable": decision = .reportable(patientId: body.patientId)
        case "not reportable": decision = .notReportable(reason: body.reason ?? "")
        case "duplicate":
            guard let tumorId = body.tumorId else { throw APIError.badRequest("a duplicate names the tumor (tumorId)", items: ["tumorId"]) }
            decision = .duplicate(tumorId: tumorId)
        default: throw APIError.badRequest("decision is reportable, not reportable or duplicate", items: ["decision"])
        }
        let tumorId = try await registry.decideCasefinding(try context.pathId(), decision, by: user.acting(from: address))
        return try jsonResponse(DecisionResponse(status: body.decision, tumorId: tumorId))
    }
}
