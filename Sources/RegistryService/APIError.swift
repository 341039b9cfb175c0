import Foundation
import HTTPTypes
import Hummingbird

/// An error the API returns as JSON: a stable code, a message, and the items involved (edits, validation).
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let items: [String]
    /// Extra fields of the body (e.g. the current version after a conflict).
    public let detail: [String: String]
    /// Extra response headers (Retry-After, Allow).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, items: [String] = [], detail: [String: String] = [:],
                headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.items = items
        self.detail = detail
        self.headers = headers
    }

    public static let notSignedIn = APIError(.unauthorized, "not_signed_in", "sign in first")
    public static let forbidden = APIError(.forbidden, "forbidden", "your role does not allow this")
    public static let csrf = APIError(.forbidden, "csrf", "the request lacks this session's CSRF token (X-CSRF-Token header or _csrf field)")
    public static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "\(what) does not exist") }
    public static func badRequest(_ message: String, items: [String] = []) -> APIError { APIError(.badRequest, "bad_request", message, items: items) }
    public static func tooManyRequests(_ message: String, retryAfter: Int) -> APIError {
        APIError(.tooManyRequests, "rate_limited", message, headers: [.retryAfter: String(max(1, retryAfter))])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: Any] = ["code": code, "message": message]
        if !items.isEmpty { body["items"] = items }
        for (key, value) in detail { body[key] = value }
        let data = try JSONSerialization.data(withJSONObject: ["error": body], options: [.sortedKeys])
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
