import Foundation

/// Slows and refuses password guessing without letting an attacker lock a known user out.
///
/// Every attempt is counted *before* the password is checked (so concurrent guesses cannot all slip through while
/// the first ones are being hashed), under three keys:
/// - user name and client address: `maxPerUserAndAddress` attempts in `window`, then refused until the window
///   passes (one client guessing one account);
/// - client address: `maxPerAddress` failed attempts in `window` (one client guessing many accounts);
/// - user name from any address: after `delayAfter` attempts in `window`, each further attempt must wait a delay
///   that doubles up to `maxDelay` (a distributed guess at one account; the real user waits at most `maxDelay`,
///   never a lock-out).
/// A successful sign-in clears its user's counts. Memory is bounded: at most `maxKeys` keys (expired ones are
/// dropped first, then the least recently used), each holding at most a window's worth of attempt times.
public actor SignInThrottle {
    public struct Limits: Sendable {
        public var maxPerUserAndAddress = 5
        public var maxPerAddress = 30
        public var delayAfter = 10
        public var maxDelay: TimeInterval = 60
        public var window: TimeInterval = 300
        public var maxKeys = 10_000
        public init() {}
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Refused; try again after this many seconds.
        case refused(retryAfter: Int)
    }

    private struct Entry {
        var attempts: [Date] = []
        var lastUsed: Date
    }

    public let limits: Limits
    private var entries: [String: Entry] = [:]

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Counts an attempt for `username` from `address`, or refuses it (then nothing is counted).
    public func begin(username: String, address: String?, now: Date = Date()) -> Decision {
        let keys = Self.keys(username, address)
        let pair = recent(keys.pair, now), client = recent(keys.address, now), user = recent(keys.user, now)
        if pair.count >= limits.maxPerUserAndAddress { return .refused(retryAfter: retry(pair, now)) }
        if client.count >= limits.maxPerAddress { return .refused(retryAfter: retry(client, now)) }
        if user.count >= limits.delayAfter, let last = user.last {
            let delay = min(limits.maxDelay, pow(2, Double(user.count - limits.delayAfter)))
            let wait = last.addingTimeInterval(delay).timeIntervalSince(now)
            if wait > 0 { return .refused(retryAfter: Int(wait.rounded(.up))) }
        }
        for key in [keys.pair, keys.address, keys.user] { add(key, now) }
        return .allowed
    }

    /// The attempt succeeded: the user's counts start again, and the address's count gives this attempt back (so
    /// an office of registrars behind one address is not slowed by its own sign-ins).
    public func succeeded(username: String, address: String?) {
        let keys = Self.keys(username, address)
        entries[keys.pair] = nil
        entries[keys.user] = nil
        if var entry = entries[keys.address], !entry.attempts.isEmpty {
            entry.attempts.removeLast()
            entries[keys.address] = entry
        }
    }

    /// The attempt was never judged (the service was too busy to check the password): it is not counted.
    public func abandoned(username: String, address: String?) {
        let keys = Self.keys(username, address)
        for key in [keys.pair, keys.address, keys.user] {
            guard var entry = entries[key], !entry.attempts.isEmpty else { continue }
            entry.attempts.removeLast()
            entries[key] = entry
        }
    }

    /// Keys held (for the memory-bound test).
    public var keyCount: Int { entries.count }

    private static func keys(_ username: String, _ address: String?) -> (pair: String, address: String, user: String) {
        // User names are at most 64 characters; a longer one is cut so a huge name cannot grow the table's keys.
        let name = String(username.prefix(64))
        let client = address ?? "unknown"
        return ("p:\(name)\u{0}\(client)", "a:\(client)", "u:\(name)")
    }

    private func recent(_ key: String, _ now: Date) -> [Date] {
        (entries[key]?.attempts ?? []).filter { now.timeIntervalSince($0) < limits.window }
    }

    private func retry(_ attempts: [Date], _ now: Date) -> Int {
        guard let oldest = attempts.first else { return 1 }
        return max(1, Int(oldest.addingTimeInterval(limits.window).timeIntervalSince(now).rounded(.up)))
    }

    private func add(_ key: String, _ now: Date) {
        var entry = entries[key] ?? Entry(lastUsed: now)
        entry.attempts = entry.attempts.filter { now.timeIntervalSince($0) < limits.window }.suffix(limits.maxPerAddress + limits.delayAfter + 8) + [now]
        entry.lastUsed = now
        entries[key] = entry
        if entries.count > limits.maxKeys { prune(now) }
    }

    /// Drops expired keys; if still over the bound, the least recently used down to 90% of it.
    private func prune(_ now: Date) {
        entries = entries.filter { now.timeIntervalSince($0.value.lastUsed) < limits.window }
        guard entries.count > limits.maxKeys else { return }
        let keep = limits.maxKeys * 9 / 10
        let newest = entries.sorted { $0.value.lastUsed > $1.value.lastUsed }.prefix(keep)
        entries = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
    }
}
