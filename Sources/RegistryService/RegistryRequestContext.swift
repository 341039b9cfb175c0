import HTTPTypes
import Hummingbird
import NIOCore
import Registry

/// Per-request state: the session (if signed in), how it was presented, and the client's address for the audit log
/// (the TCP peer, or behind a trusted proxy the client it names).
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: Session?
    /// The session came from the cookie (so unsafe requests must carry the CSRF token), not a bearer token.
    public var cookieAuthenticated = false
    /// The TCP peer's address.
    public let peerAddress: String?
    /// The client's address: the peer, or the address a trusted proxy forwarded for (`ClientAddressMiddleware`).
    public var remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
        remoteAddress = peerAddress
    }

    /// Bodies Hummingbird collects on its own are small; imports stream their bodies to a file (`ImportController`).
    public var maxUploadSize: Int { RequestLimits.jsonBody }

    /// The session `PermissionMiddleware` found; 401 when there is none.
    public func requireSession() throws -> Session {
        guard let session else { throw APIError.notSignedIn }
        return session
    }

    /// The signed-in user as audit rows name them.
    public func actingUser() throws -> (user: UserAccount, address: String?) {
        (try requireSession().user, remoteAddress)
    }
}

/// How much a request may carry.
public enum RequestLimits {
    /// Sign-in bodies (a user name and a password).
    public static let signInBody = 8 * 1024
    /// JSON bodies of the API (an abstract's items, text fields included).
    public static let jsonBody = 1024 * 1024
    /// Import uploads (streamed to a temporary file, never held in memory).
    public static let importBody = 512 * 1024 * 1024
    /// Query parameter values and search text.
    public static let queryValue = 200
}
