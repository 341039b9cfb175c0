import HTTPTypes
import Registry

/// Every route of the service with the permission it needs (nil: open to anyone): one table for the API and the
/// pages, read by `PermissionMiddleware` on every protected group and by the role tests. A protected route missing
/// from the table is refused (fail closed).
public enum RouteTable {
    public struct Route: Sendable {
        public let method: HTTPRequest.Method
        /// The route pattern as Hummingbird names it (`/api/patients/{id}`).
        public let path: String
        public let permission: Permission?
        /// A page (redirects to sign-in without a session) rather than an API route (401).
        public var isPage: Bool { !path.hasPrefix("/api/") && permission != nil }
    }

    public static let routes: [Route] = [
        .init(method: .get, path: "/health", permission: nil), .init(method: .get, path: "/ready", permission: nil),
        .init(method: .post, path: "/api/session", permission: nil), .init(method: .delete, path: "/api/session", permission: nil),
        .init(method: .get, path: "/api/openapi.json", permission: nil),
        .init(method: .get, path: "/signin", permission: nil), .init(method: .post, path: "/signin", permission: nil),
        .init(method: .get, path: "/static/app.css", permission: nil), .init(method: .get, path: "/static/app.js", permission: nil),
        .init(method: .get, path: "/static/pickers.html", permission: nil),
        .init(method: .get, path: "/api/patients", permission: .readAbstracts),
        .init(method: .post, path: "/api/patients", permission: .editAbstracts),
        .init(method: .get, path: "/api/patients/{id}", permission: .readAbstracts),
        .init(method: .put, path: "/api/patients/{id}", permission: .editAbstracts),
        .init(method: .post, path: "/api/patients/{id}/tumors", permission: .editAbstracts),
        .init(method: .post, path: "/api/patients/{id}/primaries", permission: .editAbstracts),
        .init(method: .get, path: "/api/patients/duplicates", permission: .editAbstracts),
        .init(method: .get, path: "/api/tumors/{id}", permission: .readAbstracts),
        .init(method: .put, path: "/api/tumors/{id}", permission: .editAbstracts),
        .init(method: .post, path: "/api/tumors/{id}/edits", permission: .editAbstracts),
        .init(method: .get, path: "/api/tumors/{id}/revisions", permission: .readAbstracts),
        .init(method: .get, path: "/api/drafts/{id}", permission: .editAbstracts),
        .init(method: .put, path: "/api/tumors/{id}/abstract", permission: .editAbstracts),
        .init(method: .get, path: "/api/tumors/{id}/draft", permission: .editAbstracts),
        .init(method: .put, path: "/api/tumors/{id}/draft", permission: .editAbstracts),
        .init(method: .delete, path: "/api/tumors/{id}/draft", permission: .editAbstracts),
        .init(method: .post, path: "/api/tumors/{id}/status", permission: .readAbstracts),
        .init(method: .post, path: "/api/imports", permission: .importFiles),
        .init(method: .get, path: "/api/casefinding", permission: .editAbstracts),
        .init(method: .post, path: "/api/casefinding", permission: .editAbstracts),
        .init(method: .post, path: "/api/casefinding/{id}/decision", permission: .editAbstracts),
        .init(method: .get, path: "/api/codes/{table}", permission: .readAbstracts),
        .init(method: .get, path: "/api/followup/due", permission: .readAbstracts),
        .init(method: .post, path: "/api/patients/{id}/followup", permission: .editAbstracts),
        .init(method: .post, path: "/api/patients/{id}/followup/attempts", permission: .editAbstracts),
        .init(method: .get, path: "/api/submissions", permission: .submitData),
        .init(method: .post, path: "/api/submissions", permission: .submitData),
        .init(method: .get, path: "/api/submissions/{id}", permission: .submitData),
        .init(method: .get, path: "/api/submissions/{id}/file", permission: .submitData),
        .init(method: .post, path: "/api/submissions/{id}/status", permission: .submitData),
        .init(method: .get, path: "/api/intake", permission: .importFiles),
        .init(method: .post, path: "/api/intake", permission: .importFiles),
        .init(method: .get, path: "/api/intake/{id}", permission: .importFiles),
        .init(method: .get, path: "/api/intake/{id}/rejections", permission: .importFiles),
        .init(method: .get, path: "/", permission: .readAbstracts),
        .init(method: .get, path: "/patients/{id}", permission: .readAbstracts),
        .init(method: .get, path: "/tumors/{id}", permission: .readAbstracts),
        .init(method: .get, path: "/tumors/{id}/schema-items", permission: .editAbstracts),
        .init(method: .get, path: "/submissions", permission: .submitData),
        .init(method: .get, path: "/submissions/preview", permission: .submitData),
        .init(method: .get, path: "/intake", permission: .importFiles),
        .init(method: .get, path: "/reports", permission: .readReports),
        .init(method: .get, path: "/followup", permission: .readAbstracts),
        .init(method: .get, path: "/patients/new", permission: .editAbstracts),
        .init(method: .get, path: "/casefinding", permission: .editAbstracts),
        .init(method: .get, path: "/followup/rates", permission: .readReports),
        .init(method: .get, path: "/followup/rates/cases", permission: .readReports),
        .init(method: .get, path: "/quality", permission: .readReports),
        .init(method: .get, path: "/followup/patients/{id}", permission: .editAbstracts),
        .init(method: .get, path: "/followup/letters", permission: .editAbstracts),
        .init(method: .get, path: "/reports/annual", permission: .readReports),
        .init(method: .get, path: "/reports/incidence", permission: .readReports),
    ]

    /// The protected routes (the role tests go through each as each role).
    public static var protectedRoutes: [Route] { routes.filter { $0.permission != nil } }

    static let permissions: [String: Permission] = Dictionary(
        uniqueKeysWithValues: protectedRoutes.map { ("\($0.method.rawValue) \($0.path)", $0.permission!) })

    static func permission(_ method: HTTPRequest.Method, _ path: String?) -> Permission? {
        path.flatMap { permissions["\(method.rawValue) \($0)"] }
    }

    /// The methods routes allow on a concrete path (for 405 and its Allow header); empty when no route matches it.
    static func methods(allowedOn path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return routes.filter { route in
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method)
    }
}
