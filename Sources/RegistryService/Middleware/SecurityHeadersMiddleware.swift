import HTTPTypes
import Hummingbird

/// Security headers on every response, errors included (the error middleware runs inside this one): no caching of
/// patient data, no sniffing, no framing, no referrer, and a Content-Security-Policy (pages set their own; anything
/// else may load nothing).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = RegistryRequestContext
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[Self.contentSecurityPolicy] == nil {
            response.headers[Self.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
        }
        return response
    }
}
