import HTTPTypes
import Hummingbird
import NIOCore

/// Per-request state: the session (if signed in), how it was presented, and the caller's address for the audit log.
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: Session?
    /// The session came from the cookie (so unsafe requests must carry the CSRF token), not a bearer token.
    public var cookieAuthenticated = false
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Imports carry whole NAACCR files.
    public var maxUploadSize: Int { 512 * 1024 * 1024 }

    /// The session, when its role allows `permission`; 401 when not signed in, 403 when the role does not allow it.
    public func require(_ permission: Permission) throws -> Session {
        guard let session else { throw APIError.notSignedIn }
        guard permission.roles.contains(session.user.role) else { throw APIError.forbidden }
        return session
    }
}

/// Finds the session from the `registry_session` cookie or an `Authorization: Bearer` token, and enforces the CSRF
/// token on every unsafe request that relies on the cookie.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = RegistryRequestContext
    static let cookieName = "registry_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    let sessions: Sessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var token: String?
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            token = String(authorization.dropFirst(7))
        } else if let cookie = request.cookies[Self.cookieName] {
            token = cookie.value
            context.cookieAuthenticated = true
        }
        if let token { context.session = try await sessions.find(token: token) }
        // Signing in again needs no token (it replaces the session; SameSite=Strict keeps other sites' forms out).
        if context.cookieAuthenticated, let session = context.session, ![.get, .head, .options].contains(request.method),
           request.uri.path != "/signin", request.headers[Self.csrfHeader] != session.csrfToken {
            throw APIError.csrf
        }
        return try await next(request, context)
    }
}

/// Security headers on every response (the service runs behind a TLS proxy in production).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = RegistryRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
