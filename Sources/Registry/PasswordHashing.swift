import Foundation
import HummingbirdBcrypt
import Synchronization

/// The password-hashing pool is full: too many sign-ins are waiting. Answered as 503 with Retry-After.
public struct PasswordHashingBusy: Error, Sendable, CustomStringConvertible {
    public var description: String { "too many sign-ins are being checked right now; try again in a few seconds" }
}

/// Runs bcrypt (deliberately slow: ~0.25 s at cost 12) on a bounded pool of threads with a bounded queue, never on
/// Swift's cooperative threads: a flood of sign-ins is refused (`PasswordHashingBusy`) instead of queueing for
/// minutes in front of a real user, and cannot stall other requests.
final class PasswordHashing: Sendable {
    /// Half the cores hash (the other half keep answering requests during a flood of sign-ins); four checks per
    /// hashing thread may wait (about a second at cost 12), beyond that a sign-in is refused with Retry-After.
    static let shared: PasswordHashing = {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
        return PasswordHashing(workers: workers, capacity: 4 * workers)
    }()

    private let queue: OperationQueue
    private let capacity: Int
    private let pending = Mutex(0)

    init(workers: Int, capacity: Int) {
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = workers
        queue.name = "registry.bcrypt"
        self.queue = queue
        self.capacity = capacity
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let admitted = pending.withLock { count -> Bool in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard admitted else { throw PasswordHashingBusy() }
        return await withCheckedContinuation { continuation in
            queue.addOperation {
                let value = work()
                self.pending.withLock { $0 -= 1 }
                continuation.resume(returning: value)
            }
        }
    }

    func hash(_ password: String, cost: UInt8) async throws -> String {
        try await run { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await run { Bcrypt.verify(password, hash: hash) }
    }
}
