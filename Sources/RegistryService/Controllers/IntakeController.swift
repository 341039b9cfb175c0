import Foundation
import HTTPTypes
import Hummingbird
import Registry
import RegistryStore

/// `/api/intake`: a central registry receiving facilities' files (issue #14, the receiving side). A file is received
/// once (its SHA-256 is remembered; `force` receives it again), imported, checked with the central registry's
/// incoming edit set, and recorded in the intake ledger; the records failing the edits come back as a rejection
/// report, CSV for people and NAACCR XML to send back to the facility.
struct IntakeController {
    let registry: Registry
    var limit = RequestLimits.importBody

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get { request, context in try await list(request, context) }
        group.post { request, context in try await receive(request, context) }
        group.get(":id") { _, context in try await show(context) }
        group.get(":id/rejections") { request, context in try await rejections(request, context) }
    }

    struct Rejection: Encodable { let patientIdNumber: String; let tumorKey: String; let failures: [[String: String]] }
    struct Detail: Encodable { let intake: IntakeRecord; let rejections: [Rejection] }

    func list(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let facility = try request.queryText("facility", maxLength: 40)
        return try jsonResponse(try await registry.intakes(from: facility))
    }

    /// `POST /api/intake?facility=F[&force=true][&filename=NAME]` with the file as the body (as `POST /api/imports`).
    /// A user who may not edit abstracts (a submitter) receives new cases only, as imports do.
    func receive(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        try ImportController.requireFileContentType(request)
        guard let facility = try request.queryText("facility", maxLength: 40) else {
            throw APIError.badRequest("facility is required: the reporting facility's code", items: ["facility"])
        }
        let force = try request.queryFlag("force")
        let name = try request.queryText("filename", maxLength: 255) ?? "api upload"
        let path = try await ImportController.storeUpload(request, limit: limit)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let (_, record) = try await registry.receiveFile(path: path, name: name, from: IntakeRequest(facility: facility, force: force),
                                                             by: user.acting(from: address),
                                                             mayChangeStoredAbstracts: Permission.editAbstracts.allows(user.role))
            return try jsonResponse(record, status: .created)
        } catch let error as IntakeError {
            throw Self.apiError(error)
        }
    }

    func show(_ context: RegistryRequestContext) async throws -> Response {
        let id = try context.pathId()
        do {
            let (record, rejections) = try await registry.intake(id)
            return try jsonResponse(Detail(intake: record, rejections: rejections.map {
                Rejection(patientIdNumber: $0.patientIdNumber, tumorKey: $0.tumorKey, failures: $0.failureList)
            }))
        } catch let error as IntakeError {
            throw Self.apiError(error)
        }
    }

    /// `GET /api/intake/{id}/rejections?format=csv|xml`: CSV (patient id, tumor, edit, message) for people, or the
    /// failing records as NAACCR XML (record type A) to send back; the XML carries the whole abstracts, so only roles
    /// that read identifiers get it. Audited either way.
    func rejections(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let format = try request.queryText("format", maxLength: 10) ?? "csv"
        guard format == "csv" || format == "xml" else { throw APIError.badRequest("format is csv or xml", items: ["format"]) }
        if format == "xml", !Permission.readIdentifiers.allows(user.role) {
            throw APIError(.forbidden, "forbidden", "the records themselves carry identifiers: ask a registrar or an administrator for the XML")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-rejections-\(UUID().uuidString).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let record: IntakeRecord, rejections: [IntakeRejection]
        do {
            (record, rejections) = try await registry.rejectionReport(intake: id, xmlPath: format == "xml" ? path : nil, by: user.acting(from: address))
        } catch let error as IntakeError {
            throw Self.apiError(error)
        }
        let safeName = record.fileName.filter { $0.isLetter || $0.isNumber || "._-".contains($0) }.prefix(80)
        var headers: HTTPFields = [:]
        headers[.contentDisposition] = "attachment; filename=\"rejections-\(record.id)-\(safeName).\(format)\""
        if format == "xml" {
            headers[.contentType] = "application/xml"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: path)))))
        }
        headers[.contentType] = "text/csv; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Registry.rejectionCSV(rejections))))
    }

    static func apiError(_ error: IntakeError) -> APIError {
        switch error {
        case .alreadyReceived(let r):
            return APIError(.conflict, "already_received", "\(error)", detail: ["intake": String(r.id)])
        case .badFacility: return APIError.badRequest("\(error)", items: ["facility"])
        case .noSuchIntake(let id): return APIError.notFound("intake \(id)")
        case .unreadable: return APIError(.internalServerError, "internal_error", "the upload could not be read back")
        }
    }
}
