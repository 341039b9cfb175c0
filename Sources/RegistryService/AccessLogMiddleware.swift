import Foundation
import Hummingbird
import Logging

/// One structured log line per request: method, route pattern (never the path or query, which can hold names or
/// ids), status and duration. Request and response bodies are never logged.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = RegistryRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var status = 500
        defer {
            context.logger.info("request", metadata: [
                "method": .string(request.method.rawValue), "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(status), "ms": .stringConvertible((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000),
            ])
        }
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            status = Int(error.status.code)
            throw error
        }
    }
}

extension RegistryRoutes {
    /// The application: the router behind the access log, bound to `host:port` (localhost unless told otherwise).
    public func application(host: String = "127.0.0.1", port: Int = 8080, logger: Logger) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "tumor-registry"),
                           logger: logger)
    }
}
