import Hummingbird

/// Finds the client's address: the TCP peer, unless the peer is a configured trusted proxy, in which case the
/// right-most address in `X-Forwarded-For` that is not itself a trusted proxy (what the proxy saw). A client cannot
/// forge its address by sending the header itself: only trusted peers are believed.
public struct ClientAddressMiddleware: RouterMiddleware {
    public typealias Context = RegistryRequestContext
    let trustedProxies: Set<String>

    public init(trustedProxies: Set<String>) { self.trustedProxies = trustedProxies }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.remoteAddress = Self.clientAddress(peer: context.peerAddress, forwardedFor: request.headers[values: .init("X-Forwarded-For")!],
                                                   trustedProxies: trustedProxies)
        return try await next(request, context)
    }

    public static func clientAddress(peer: String?, forwardedFor: [String], trustedProxies: Set<String>) -> String? {
        guard let peer, trustedProxies.contains(peer) else { return peer }
        let hops = forwardedFor.joined(separator: ",").split(separator: ",").suffix(32)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0.count <= 64 }
        return hops.last { !trustedProxies.contains($0) } ?? peer
    }
}
