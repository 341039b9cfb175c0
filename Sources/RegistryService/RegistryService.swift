import Foundation
import Hummingbird
import Logging
import Registry

/// The registrar service: HTTP only. Controllers per resource decode requests, call the `Registry` workflows and
/// encode responses; middleware logs (without PHI), sets security headers, renders errors, finds the client's
/// address and the session, and enforces the route table's permissions on every protected group.
public struct RegistryService: Sendable {
    public struct Configuration: Sendable {
        /// Mark the session cookie `Secure` (on behind a TLS proxy; off only for plain-HTTP localhost development and tests).
        public var secureCookies: Bool
        /// Reverse proxies whose `X-Forwarded-For` is believed.
        public var trustedProxies: Set<String>
        public var signInLimits: SignInThrottle.Limits

        public init(secureCookies: Bool = false, trustedProxies: Set<String> = [], signInLimits: SignInThrottle.Limits = .init()) {
            self.secureCookies = secureCookies
            self.trustedProxies = trustedProxies
            self.signInLimits = signInLimits
        }
    }

    public let registry: Registry
    public let configuration: Configuration
    public let throttle: SignInThrottle

    public init(registry: Registry, configuration: Configuration = .init()) {
        self.registry = registry
        self.configuration = configuration
        throttle = SignInThrottle(limits: configuration.signInLimits)
    }

    /// The API's OpenAPI 3.1 description (Sources/RegistryService/openapi.json).
    public static let openAPIDocument: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "{}" }
        return text
    }()

    public func router() -> Router<RegistryRequestContext> {
        let router = Router(context: RegistryRequestContext.self)
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: ClientAddressMiddleware(trustedProxies: configuration.trustedProxies))
        router.add(middleware: SessionMiddleware(sessions: registry.sessions))
        let sessions = SessionController(registry: registry, throttle: throttle, secureCookies: configuration.secureCookies)

        HealthController(registry: registry).addRoutes(to: router)
        router.get("api/openapi.json") { _, _ in PageRenderer.asset(Self.openAPIDocument, type: "application/json") }
        sessions.addRoutes(to: router.group("api/session"))
        SignInPageController(sessions: sessions).addRoutes(to: router)

        PatientController(registry: registry).addRoutes(to: router.group("api/patients").add(middleware: PermissionMiddleware()))
        TumorController(registry: registry).addRoutes(to: router.group("api/tumors").add(middleware: PermissionMiddleware()))
        DraftController(registry: registry).addRoutes(to: router.group("api/drafts").add(middleware: PermissionMiddleware()))
        ImportController(registry: registry).addRoutes(to: router.group("api/imports").add(middleware: PermissionMiddleware()))
        CasefindingController(registry: registry).addRoutes(to: router.group("api/casefinding").add(middleware: PermissionMiddleware()))
        CodeController().addRoutes(to: router.group("api/codes").add(middleware: PermissionMiddleware()))
        let followUp = FollowUpController(registry: registry)
        followUp.addListRoutes(to: router.group("api/followup").add(middleware: PermissionMiddleware()))
        followUp.addPatientRoutes(to: router.group("api/patients").add(middleware: PermissionMiddleware()))
        SubmissionController(registry: registry).addRoutes(to: router.group("api/submissions").add(middleware: PermissionMiddleware()))
        IntakeController(registry: registry).addRoutes(to: router.group("api/intake").add(middleware: PermissionMiddleware()))
        PageController(registry: registry).addRoutes(to: router.group().add(middleware: PermissionMiddleware()))
        ReportPageController(registry: registry).addRoutes(to: router.group().add(middleware: PermissionMiddleware()))
        FollowUpPageController(registry: registry).addRoutes(to: router.group().add(middleware: PermissionMiddleware()))
        return router
    }

    /// The application: the router bound to `host:port` (localhost unless told otherwise).
    public func application(host: String = "127.0.0.1", port: Int = 8080, logger: Logger) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "tumor-registry"), logger: logger)
    }
}
