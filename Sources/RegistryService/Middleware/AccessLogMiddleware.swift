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
