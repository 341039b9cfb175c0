import Foundation
import Hummingbird
import Registry
import RegistryStore

/// `/api/submissions`: the submission ledger for the submitter role. A submitter sees counts, tumor ids and edit
/// failures, never patient identifiers (the held records are named by tumor id, which links to the abstract).
struct SubmissionController {
    let registry: Registry
    /// The destinations the service offers (the built-in ones, or a registry's file).
    var destinations: [Destination] = Destination.builtIn
    /// A file larger than this is not sent in one response: `registry submit --resend` writes it.
    static let maxDownload = 256 << 20

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get { request, context in try await list(request, context) }
        group.post { request, context in try await submit(request, context) }
        group.get(":id") { _, context in try await show(context) }
        group.get(":id/file") { _, context in try await file(context) }
        group.post(":id/status") { request, context in try await mark(request, context) }
    }

    struct SubmitRequest: Decodable { let destination: String; let dryRun: Bool? }
    struct StatusRequest: Decodable { let status: String; let reason: String? }
    struct HeldTumor: Encodable { let tumorId: Int; let failures: [[String: String]] }
    struct Detail: Encodable {
        let submission: SubmissionRecord
        let held: [HeldTumor]
        /// Tumors sent to this destination before and since deleted from the registry.
        let deletedSinceSent: Int
    }

    func list(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let destination = try request.queryText("destination", maxLength: 40)
        return try jsonResponse(try await registry.submissions(to: destination))
    }

    func submit(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let body = try await request.decodeJSON(SubmitRequest.self)
        guard let destination = destinations.first(where: { $0.name == body.destination }) else {
            throw APIError.badRequest("no destination \(body.destination.prefix(40)); the destinations are \(destinations.map(\.name).joined(separator: ", "))",
                                      items: ["destination"])
        }
        // The file is written to a private folder and kept by the ledger (GET /api/submissions/{id}/file).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registry-submission-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let summary = try await registry.submit(to: destination, dryRun: body.dryRun ?? false, directory: folder, by: user.acting(from: address))
            return try jsonResponse(summary, status: summary.dryRun ? .ok : .created)
        } catch SubmissionError.refused(let summary) {
            throw APIError(.unprocessableContent, "submission_refused", "\(SubmissionError.refused(summary))")
        }
    }

    func show(_ context: RegistryRequestContext) async throws -> Response {
        let id = try context.pathId()
        do {
            let (record, _, held, deleted) = try await registry.submission(id)
            let heldTumors = held.map { row in
                HeldTumor(tumorId: row.tumorId, failures: (try? JSONDecoder().decode([[String: String]].self, from: Data(row.failures.utf8))) ?? [])
            }
            return try jsonResponse(Detail(submission: record, held: heldTumors, deletedSinceSent: deleted.count))
        } catch SubmissionError.noSuchSubmission {
            throw APIError.notFound("submission \(id)")
        }
    }

    func file(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-resend-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let record: SubmissionRecord
        do { record = try await registry.resend(submission: id, to: path, by: user.acting(from: address)) } catch SubmissionError.noSuchSubmission {
            throw APIError.notFound("submission \(id)")
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= Self.maxDownload else {
            throw APIError(.contentTooLarge, "too_large", "the file is \(size >> 20) MB; write it with 'registry submit --resend \(id)'")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var headers: HTTPFields = [:]
        headers[.contentType] = record.fileName.hasSuffix(".gz") ? "application/gzip" : "application/xml"
        headers[.contentDisposition] = "attachment; filename=\"\(record.fileName.filter { $0.isLetter || $0.isNumber || "._-".contains($0) })\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func mark(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let body = try await request.decodeJSON(StatusRequest.self)
        guard ["sent", "accepted", "rejected"].contains(body.status) else {
            throw APIError.badRequest("status is sent, accepted or rejected", items: ["status"])
        }
        let marked: [Int]
        do { marked = try await registry.markSubmission(id, status: body.status, reason: body.reason, by: user.acting(from: address)) } catch SubmissionError.noSuchSubmission {
            throw APIError.notFound("submission \(id)")
        }
        // The file of changed records (record type M) generated with a submission is marked with it.
        struct Marked: Encodable { let id: String; let status: String; let marked: [Int] }
        return try jsonResponse(Marked(id: String(id), status: body.status, marked: marked))
    }
}
