import Dispatch
import Synchronization

/// A bounded pool of connections for concurrent Swift code.
///
/// `withConnection` checks a connection out, runs the (blocking) body on that connection's own
/// serial dispatch queue, which is not part of Swift's cooperative thread pool, and checks it back in.
/// At most `maxConnections` connections exist; further callers wait in FIFO order.
public final class PostgresPool: Sendable {
    /// A connection slot with the queue its libpq calls run on.
    final class Slot: @unchecked Sendable {
        let queue: DispatchQueue
        /// Touched only on `queue`.
        var connection: PostgresConnection?
        init(index: Int) {
            queue = DispatchQueue(label: "registry.postgres.connection.\(index)")
        }
    }

    private struct State {
        var idle: [Slot] = []
        var created = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Slot, any Error>)] = []
        var nextWaiterID = 0
        var closed = false
    }

    /// The connection string every connection uses.
    public let connectionString: String
    /// The most connections that may be open at once.
    public let maxConnections: Int
    private let state = Mutex(State())

    /// Server settings each new connection makes for its session (`set_config(name, value, false)`).
    public let sessionSettings: [(name: String, value: String)]

    /// Creates a pool; no connection is opened until first use. Throws for an unparsable connection string.
    public init(connectionString: String, maxConnections: Int = 8, sessionSettings: [(name: String, value: String)] = []) throws {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        try PostgresConnection.validate(connectionString)
        self.connectionString = connectionString
        self.maxConnections = maxConnections
        self.sessionSettings = sessionSettings
    }

    /// Runs `body` with a connection of its own, off the cooperative thread pool.
    ///
    /// A connection left inside a transaction by `body` is rolled back before reuse; a broken one is replaced.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let slot = try await checkOut()
        let connectionString = self.connectionString, settings = self.sessionSettings
        let outcome: Result<T, any Error> = await withCheckedContinuation { continuation in
            slot.queue.async {
                continuation.resume(returning: Result {
                    if slot.connection == nil || slot.connection?.isHealthy == false {
                        slot.connection = nil
                        let fresh = try PostgresConnection(connectionString)
                        for setting in settings { _ = try fresh.query("SELECT set_config($1, $2, false)", [setting.name, setting.value]) }
                        slot.connection = fresh
                    }
                    let connection = slot.connection!
                    defer {
                        if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
                    }
                    return try body(connection)
                })
            }
        }
        checkIn(slot)
        return try outcome.get()
    }

    /// Closes idle connections and fails waiting and future callers with `poolClosed`.
    public func close() {
        let (idle, waiters) = state.withLock { state -> ([Slot], [CheckedContinuation<Slot, any Error>]) in
            state.closed = true
            defer { state.idle = []; state.waiters = [] }
            return (state.idle, state.waiters.map(\.continuation))
        }
        for slot in idle { slot.queue.sync { slot.connection = nil } }
        for waiter in waiters { waiter.resume(throwing: PostgresError(.poolClosed, message: "the connection pool was closed")) }
    }

    /// Connections open or being opened right now.
    public var createdConnections: Int { state.withLock { $0.created } }

    private func checkOut() async throws -> Slot {
        enum Decision { case ready(Slot), wait, closed }
        let decision = state.withLock { state -> Decision in
            if state.closed { return .closed }
            if let slot = state.idle.popLast() { return .ready(slot) }
            if state.created < maxConnections {
                state.created += 1
                return .ready(Slot(index: state.created))
            }
            return .wait
        }
        switch decision {
        case .ready(let slot): return slot
        case .closed: throw PostgresError(.poolClosed, message: "the connection pool was closed")
        case .wait: break
        }
        let waiterID = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Slot, any Error>) in
                let immediate = state.withLock { state -> Result<Slot, any Error>? in
                    if state.closed { return .failure(PostgresError(.poolClosed, message: "the connection pool was closed")) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let slot = state.idle.popLast() { return .success(slot) }
                    state.waiters.append((waiterID, continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Slot, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == waiterID }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func checkIn(_ slot: Slot) {
        let waiter = state.withLock { state -> CheckedContinuation<Slot, any Error>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.idle.append(slot)
            return nil
        }
        waiter?.resume(returning: slot)
    }
}
