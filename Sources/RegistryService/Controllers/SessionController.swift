import Foundation
import HTTPTypes
import Hummingbird
import Registry

/// `POST /api/session` signs in (JSON), `DELETE /api/session` signs out; the sign-in form shares `signIn`.
struct SessionController {
    let registry: Registry
    let throttle: SignInThrottle
    let secureCookies: Bool

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.post { request, context in try await signIn(request, context) }
        group.delete { _, context in try await signOut(context) }
    }

    /// Checks a user name and password under the throttle (the attempt is counted before the password is hashed);
    /// on success starts a session that replaces the one `previousToken` names.
    func authenticate(username: String, password: String, context: RegistryRequestContext,
                      previousToken: String?) async throws -> (token: String, session: Session) {
        let address = context.remoteAddress
        if case .refused(let seconds) = await throttle.begin(username: username, address: address) {
            throw APIError.tooManyRequests("too many sign-in attempts; wait \(seconds) s and try again", retryAfter: seconds)
        }
        let verified: UserAccount?
        do {
            verified = try await registry.accounts.verify(username: username, password: password)
        } catch {
            await throttle.abandoned(username: username, address: address)
            throw error
        }
        guard let user = verified else {
            try await registry.sessions.recordFailedSignIn(from: address)
            throw APIError(.unauthorized, "bad_credentials", "user name or password is wrong, or the account is disabled")
        }
        await throttle.succeeded(username: username, address: address)
        return try await registry.sessions.create(for: user, from: address, replacing: previousToken)
    }

    func sessionCookie(_ token: String) -> Cookie {
        Cookie(name: SessionMiddleware.cookieName, value: token, maxAge: Int(registry.sessions.lifetime), path: "/",
               secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    func signIn(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(SignInRequest.self, limit: RequestLimits.signInBody)
        let (token, session) = try await authenticate(username: body.username, password: body.password, context: context,
                                                      previousToken: request.cookies[SessionMiddleware.cookieName]?.value)
        var response = try jsonResponse(SignInResponse(user: session.user, csrfToken: session.csrfToken, token: body.bearerToken == true ? token : nil))
        response.setCookie(sessionCookie(token))
        return response
    }

    func signOut(_ context: RegistryRequestContext) async throws -> Response {
        let session = try context.requireSession()
        try await registry.sessions.revoke(session, from: context.remoteAddress)
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }
}
