import Foundation
import Hummingbird
import Registry
import RegistryStore

/// `POST /api/imports`: a NAACCR XML file (plain or gzip) as the body. The body is streamed to a private temporary
/// file (never held in memory; at most `RequestLimits.importBody`), then imported in one transaction. A user who may
/// not edit abstracts (a submitter) may import new cases only: a file that would change stored abstracts is refused.
struct ImportController {
    let registry: Registry
    var limit = RequestLimits.importBody
    static let contentTypes: Set<String> = ["application/xml", "text/xml", "text/plain", "application/gzip", "application/x-gzip", "application/octet-stream"]

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.post { request, context in try await importFile(request, context) }
    }

    func importFile(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        try Self.requireFileContentType(request)
        let name = try request.queryText("filename", maxLength: 255) ?? "api upload"
        let path = try await Self.storeUpload(request, limit: limit)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let imported = try await registry.importFile(path: path, name: name, by: user.acting(from: address),
                                                     mayChangeStoredAbstracts: Permission.editAbstracts.allows(user.role))
        let s = imported.summary
        return try jsonResponse(ImportResponse(patientsRead: s.patientsRead, tumorsRead: s.tumorsRead, patientsInserted: s.patientsInserted,
                                               patientsUpdated: s.patientsUpdated, tumorsInserted: s.tumorsInserted,
                                               tumorsUpdated: s.tumorsUpdated, problems: s.issueCount, problemSummary: s.issueCounts,
                                               sha256: imported.sha256))
    }

    /// A NAACCR file's media types (XML, a flat file as text, either gzipped): 415 otherwise.
    static func requireFileContentType(_ request: Request) throws {
        let contentType = request.headers[.contentType]?.lowercased().split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let contentType, Self.contentTypes.contains(contentType) else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type",
                           "send the NAACCR file as application/xml, text/plain (a flat v12-v18 file) or application/gzip")
        }
    }

    /// The body streamed to a private temporary file (never held in memory; at most `limit` bytes, 413 beyond, 400 when
    /// empty). The caller removes the file.
    static func storeUpload(_ request: Request, limit: Int) async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-upload-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw APIError(.internalServerError, "internal_error", "cannot store the upload for reading")
        }
        var size = 0
        do {
            for try await chunk in request.body {
                size += chunk.readableBytes
                guard size <= limit else {
                    throw APIError(.contentTooLarge, "too_large", "a file sent to the service may be at most \(limit / 1_048_576) MB; send larger files with 'registry import'")
                }
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        guard size > 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw APIError.badRequest("the body is empty: send a NAACCR file")
        }
        return path
    }
}
