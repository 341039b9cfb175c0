import Edits
import Foundation
import Postgres
import RegistryStore

/// The registry's workflows: every operation on the registry (open, create and save abstracts with their edits,
/// run edits over the store, import, export, select a survival cohort, manage users and sessions) is one function
/// here, used alike by the command line and the HTTP service. Each runs in one transaction with its audit row(s),
/// written by the one audit writer (`AuditTrail`): if the audit row cannot be written, the change is rolled back.
public struct Registry: Sendable {
    public let pool: PostgresPool
    public let accounts: Accounts
    public var sessions: Sessions
    /// The edit set abstracts are checked against as they are typed and saved.
    public let editSet: EditSet
    /// The edits: the built-in library, plus a registry's own (`RegistryEdits`) when it has them.
    public let editLibrary: [Edit]?
    /// Every edit set the registry knows (the built-in ones, with a registry's own edits and sets): submissions run
    /// their destination's.
    public let editSets: [EditSet]
    /// Bounds how fast one user can page through patient listings.
    public let listingLimiter: ListingLimiter

    public init(pool: PostgresPool, bcryptCost: UInt8 = 12, editSet: EditSet = .incomingAbstract, editLibrary: [Edit]? = nil,
                editSets: [EditSet] = EditSet.builtIn, listingLimiter: ListingLimiter = ListingLimiter()) {
        self.editLibrary = editLibrary
        self.editSets = editSets
        self.pool = pool
        accounts = Accounts(pool: pool, bcryptCost: bcryptCost)
        sessions = Sessions(pool: pool)
        self.editSet = editSet
        self.listingLimiter = listingLimiter
    }

    /// The session settings the registry's connections make: no JIT compilation. The registry's reads are either
    /// single rows or counts over indexes that finish in well under a second; compiling their expressions costs more
    /// (measured: 0.6-1.6 s on the follow-up list and worksheet at a million tumors).
    public static let sessionSettings: [(name: String, value: String)] = [("jit", "off")]

    /// Whether the database answers, and its schema version.
    public func schemaVersion() async throws -> Int? {
        try await pool.withConnection { db in try Migrator().currentVersion(db) }
    }
}

/// Why a workflow refused: the caller (CLI or HTTP) turns it into a message or a status.
public enum WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case forbidden(String)
    /// Values that cannot be accepted, with the items at fault.
    case invalid(String, items: [String])
    /// A stale version or a duplicate: `code` names which, `detail` carries e.g. the current version.
    case conflict(code: String, message: String, detail: [String: String])
    case tooManyRequests(retryAfter: Int)

    public var description: String {
        switch self {
        case .notFound(let what): return "\(what) does not exist"
        case .forbidden(let why): return why
        case .invalid(let message, _): return message
        case .conflict(_, let message, _): return message
        case .tooManyRequests(let seconds): return "too many requests; try again in \(seconds) s"
        }
    }
}

/// A page of a listing: 1-based page number and its size, range-checked so no offset can overflow.
public struct Paging: Sendable, Equatable {
    public static let maxPage = 1_000_000
    public let page: Int
    public let pageSize: Int

    /// Throws `WorkflowError.invalid` when `page` is outside 1...1,000,000 or `pageSize` outside 1...`maxPageSize`.
    public init(page: Int = 1, pageSize: Int, maxPageSize: Int) throws {
        guard (1...Self.maxPage).contains(page) else {
            throw WorkflowError.invalid("page must be between 1 and \(Self.maxPage)", items: ["page"])
        }
        guard (1...maxPageSize).contains(pageSize) else {
            throw WorkflowError.invalid("pageSize must be between 1 and \(maxPageSize)", items: ["pageSize"])
        }
        self.page = page
        self.pageSize = pageSize
    }

    public var offset: Int { (page - 1) * pageSize }
}

/// A page of results with the total count.
public struct PageOf<Item: Sendable & Encodable>: Sendable, Encodable {
    public let items: [Item]
    /// The matches, counted up to `PatientSearch.countLimit` (or past this page): beyond, `totalIsAtLeast` is true.
    public let total: Int
    public let page: Int
    public let pageSize: Int
    /// There are more matches than `total` (a search counts at most its limit; narrow it to see the exact number).
    public var totalIsAtLeast = false
}

/// Limits how many listings (searches, worklists) one user may request per minute, so no account can page out the
/// registry's patient list in seconds. A token bucket per user: `burst` requests at once, refilled at
/// `perMinute`; at most `maxUsers` buckets are kept (idle ones are dropped first).
public actor ListingLimiter {
    public let burst: Double
    public let perMinute: Double
    public let maxUsers: Int
    private var buckets: [Int: (tokens: Double, at: Date)] = [:]

    public init(burst: Int = 60, perMinute: Int = 120, maxUsers: Int = 10_000) {
        self.burst = Double(burst)
        self.perMinute = Double(perMinute)
        self.maxUsers = maxUsers
    }

    /// Takes one listing for `userId`, or throws `WorkflowError.tooManyRequests`.
    public func take(_ userId: Int, now: Date = Date()) throws {
        var bucket = buckets[userId] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + now.timeIntervalSince(bucket.at) * perMinute / 60)
        bucket.at = now
        guard bucket.tokens >= 1 else {
            buckets[userId] = bucket
            throw WorkflowError.tooManyRequests(retryAfter: Int(((1 - bucket.tokens) * 60 / perMinute).rounded(.up)))
        }
        bucket.tokens -= 1
        buckets[userId] = bucket
        if buckets.count > maxUsers {
            buckets = buckets.filter { now.timeIntervalSince($0.value.at) < 60 * burst / perMinute }
            if buckets.count > maxUsers { buckets = [userId: bucket] }
        }
    }
}

extension Registry {
    /// Patients stored (an empty registry gets the demo).
    public func patientCount() async throws -> Int {
        try await pool.withConnection { db in try DatabaseRoles.counts(db).patients }
    }
}
