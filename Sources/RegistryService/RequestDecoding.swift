import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// The body as JSON of type `T`: 415 unless it is sent as `application/json`, 413 above `limit` bytes, 400 naming
    /// the field when it does not decode.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = RequestLimits.jsonBody) async throws -> T {
        guard let contentType = headers[.contentType]?.lowercased(),
              contentType == "application/json" || contentType.hasPrefix("application/json;") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the body as application/json")
        }
        let buffer = try await body.collect(upTo: limit)
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// A whole-number query parameter in `range` (or `defaultValue` when absent); 400 for anything else.
    func queryInt(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters[name[...]].map(String.init) else { return defaultValue }
        guard text.count <= 20, let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", items: [name])
        }
        return value
    }

    /// A yes/no query parameter: `true`/`1` or `false`/`0` (false when absent); 400 for anything else.
    func queryFlag(_ name: String) throws -> Bool {
        guard let text = uri.queryParameters[name[...]].map(String.init) else { return false }
        switch text {
        case "true", "1": return true
        case "false", "0", "": return false
        default: throw APIError.badRequest("\(name) is true or false", items: [name])
        }
    }

    /// A text query parameter (nil when absent or blank); 400 when longer than `maxLength` or holding control characters.
    func queryText(_ name: String, maxLength: Int = RequestLimits.queryValue) throws -> String? {
        guard let text = uri.queryParameters[name[...]].map(String.init) else { return nil }
        guard text.count <= maxLength else { throw APIError.badRequest("\(name) must be at most \(maxLength) characters", items: [name]) }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw APIError.badRequest("\(name) must not contain control characters", items: [name])
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The version an edit was based on, from `If-Match: "N"` (or `W/"N"`): 428 when missing, 400 when malformed.
    func baseVersion() throws -> Int {
        guard let ifMatch = headers[.ifMatch] else {
            throw APIError(.preconditionRequired, "version_required", "send If-Match with the version (ETag) you edited")
        }
        var text = Substring(ifMatch.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        guard text.count >= 3, text.count <= 11, text.first == "\"", text.last == "\"",
              let version = Int(text.dropFirst().dropLast()), version >= 1, text.dropFirst().dropLast().allSatisfy(\.isASCII) else {
            throw APIError.badRequest("If-Match must be the ETag of the record, e.g. \"3\"", items: ["If-Match"])
        }
        return version
    }
}

extension RegistryRequestContext {
    /// A numeric path parameter (`{id}`): 400 when it is not a whole number.
    func pathId(_ name: String = "id") throws -> Int {
        guard let id = parameters.get(name, as: Int.self) else { throw APIError.badRequest("the \(name) must be a whole number") }
        return id
    }
}

/// A JSON response with a status and headers.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
    fields.append(contentsOf: headers)
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
}
