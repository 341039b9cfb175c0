import Postgres
import ServiceLifecycle

/// The connection pool as a lifecycle service: started before the HTTP server and stopped after it, so on SIGTERM
/// requests in flight finish on open connections and only then are the connections closed.
public struct ConnectionPoolService: Service {
    public let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public func run() async throws {
        // Until shutdown begins (or the task is cancelled), the pool serves whoever asks.
        try? await gracefulShutdown()
        pool.close()
    }
}
