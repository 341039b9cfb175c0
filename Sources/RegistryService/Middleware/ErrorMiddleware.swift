import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NAACCR
import NIOCore
import Postgres
import Registry
import RegistryStore

/// Turns every error into a clear answer: JSON `{"error": {...}}` for the API, an HTML page for the workbench,
/// never an empty 500. Workflow refusals keep their meaning (404, 403, 409, 422, 429); malformed requests get 400
/// naming the field; an unknown path 404 and a known path with another method 405 with `Allow`. Unexpected errors
/// are logged without their detail (which can quote values) and answered 500 (or 503 when the database is away).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = RegistryRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, request: request, logger: context.logger)
            if Self.wantsPage(request) {
                return PageRenderer.errorPage(apiError, context: context)
            }
            return try apiError.response(from: request, context: context)
        }
    }

    /// Pages (not the API, not static files) answer errors with a page.
    static func wantsPage(_ request: Request) -> Bool {
        let path = request.uri.path
        return !path.hasPrefix("/api/") && !path.hasPrefix("/static/") && path != "/health" && path != "/ready"
    }

    static func apiError(for error: any Error, request: Request, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as WorkflowError:
            switch error {
            case .notFound(let what): return .notFound(what)
            case .forbidden(let why): return APIError(.forbidden, "forbidden", why)
            case let .invalid(message, items): return APIError(.unprocessableContent, "invalid_items", message, items: items)
            case let .conflict(code, message, detail): return APIError(.conflict, code, message, detail: detail)
            case .tooManyRequests(let seconds): return .tooManyRequests("too many listings in a short time; slow down", retryAfter: seconds)
            }
        case let error as FollowUpError:
            return APIError(.unprocessableContent, "invalid_follow_up", error.message, items: [error.item])
        case let error as ImportRefusal:
            return APIError(.forbidden, "import_changes_stored_abstracts", error.description)
        case let error as NaaccrReadError:
            return APIError(.badRequest, "invalid_naaccr_xml", String(error.description.prefix(2_000)))
        case let error as ByteStreamError:
            return APIError(.badRequest, "invalid_upload", String(error.message.prefix(500)))
        case let error as PasswordHashingBusy:
            return APIError(.serviceUnavailable, "busy", error.description, headers: [.retryAfter: "1"])
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, "too_large", "the request body is too large")
        case let error as DecodingError:
            return APIError(.badRequest, "bad_request", Self.describe(error))
        case let error as HTTPError:
            if error.status == .notFound {
                let allowed = RouteTable.methods(allowedOn: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    return APIError(.methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed here",
                                    headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")])
                }
                return APIError(.notFound, "not_found", "there is nothing at this address")
            }
            if error.status == .contentTooLarge { return APIError(.contentTooLarge, "too_large", "the request body is too large") }
            return APIError(error.status, "http_error", error.body ?? error.status.reasonPhrase)
        case let error as PostgresError:
            // Invalid text for the server (e.g. NUL, bad encoding) is the client's fault; other database errors are ours.
            if error.kind == .encoding || error.sqlState?.hasPrefix("22") == true {
                return APIError(.badRequest, "bad_request", "a value cannot be stored: \(error.message.prefix(200))")
            }
            logger.error("database error", metadata: ["error": .string(error.description)])
            if [.connectionFailed, .connectionLost, .authenticationFailed, .poolClosed].contains(error.kind) {
                return APIError(.serviceUnavailable, "database_unavailable", "the database is not reachable; try again shortly",
                                headers: [.retryAfter: "10"])
            }
            return APIError(.internalServerError, "internal_error", "the request failed inside the registry; it has been logged")
        default:
            logger.error("unexpected error", metadata: ["type": .string(String(describing: type(of: error)))])
            return APIError(.internalServerError, "internal_error", "the request failed inside the registry; it has been logged")
        }
    }

    /// What was wrong with a JSON body, by field, without quoting values.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty ? "the body" : "'" + codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context.codingPath + [key])) is missing"
        case let .typeMismatch(_, context): return "\(path(context.codingPath)) has the wrong type"
        case let .valueNotFound(_, context): return "\(path(context.codingPath)) must not be null"
        case let .dataCorrupted(context): return "\(path(context.codingPath)) is not valid: the body must be JSON (UTF-8)"
        @unknown default: return "the body cannot be read"
        }
    }
}
