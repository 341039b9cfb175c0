import HTTPTypes
import Hummingbird
import Registry

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
        // Signing in replaces the session rather than using it: the form has a pre-session token of its own
        // (SignInPageController) and the API takes JSON only, which another site's form cannot send.
        let signingIn = request.method == .post && (request.uri.path == "/signin" || request.uri.path == "/api/session")
        if context.cookieAuthenticated, let session = context.session, ![.get, .head, .options].contains(request.method),
           !signingIn, request.headers[Self.csrfHeader] != session.csrfToken {
            throw APIError.csrf
        }
        return try await next(request, context)
    }
}

/// Enforces the route table's permission on every route of the group it is added to: 401 (or, for pages, a
/// redirect to sign-in) without a session, 403 when the role lacks the permission or the route is not in the table.
struct PermissionMiddleware: RouterMiddleware {
    typealias Context = RegistryRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isPage = !(context.endpointPath ?? request.uri.path).hasPrefix("/api/")
        guard let session = context.session else {
            if isPage { return Response(status: .seeOther, headers: [.location: "/signin"]) }
            throw APIError.notSignedIn
        }
        guard let permission = RouteTable.permission(request.method, context.endpointPath), permission.allows(session.user.role) else {
            throw APIError.forbidden
        }
        return try await next(request, context)
    }
}
