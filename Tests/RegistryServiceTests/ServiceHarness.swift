import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Registry
import RegistryService
import RegistryStore
import SyntheticRegistry
import TestSupport

/// A migrated database with a small demo registry, one user per role (password "correct horse battery"), and the
/// service's routes over it.
struct ServiceHarness {
    static let password = "correct horse battery"
    let url: String
    let pool: PostgresPool
    let service: RegistryService
    var registry: Registry { service.registry }

    static func with(idleTimeout: TimeInterval? = nil, configuration: RegistryService.Configuration = .init(),
                     listingLimiter: ListingLimiter = ListingLimiter(), _ body: @Sendable (ServiceHarness) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { url in
            let db = try PostgresConnection(url)
            try Migrator().migrate(db)
            let generator = SyntheticRegistryGenerator(patientCount: 60, seed: 4)
            var iterator = generator.makeIterator()
            _ = try NaaccrImporter(connection: db).importPatients(header: generator.header(), dictionary: generator.dictionary,
                                                                  source: "test", actor: ActingUser(userId: nil, username: "test"), next: { iterator.next() })
            let pool = try PostgresPool(connectionString: url, maxConnections: 4)
            defer { pool.close() }
            var registry = Registry(pool: pool, bcryptCost: 4, listingLimiter: listingLimiter)
            for role in Role.allCases {
                // The password-hashing pool is shared by the whole test process and refuses work when full (as it
                // refuses a flood of sign-ins): with the suites beside this one hashing too, try again shortly.
                for attempt in 1...40 {
                    do {
                        _ = try await registry.accounts.create(username: role.rawValue, displayName: role.rawValue.capitalized, role: role,
                                                               password: password, by: ActingUser(userId: nil, username: "os:test"))
                        break
                    } catch is PasswordHashingBusy where attempt < 40 {
                        try await Task.sleep(for: .milliseconds(250))
                    }
                }
            }
            if let idleTimeout { registry.sessions.idleTimeout = idleTimeout }
            try await body(ServiceHarness(url: url, pool: pool, service: RegistryService(registry: registry, configuration: configuration)))
        }
    }

    func test(_ mode: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        try await service.application(logger: logger).test(mode, body)
    }

    func query(_ sql: String, _ bindings: PostgresBindings = []) async throws -> PostgresResult {
        try await pool.withConnection { db in try db.query(sql, bindings) }
    }
}

struct SignedIn: Sendable {
    let token: String
    let csrf: String
    let cookie: String

    var bearer: HTTPFields { [.authorization: "Bearer \(token)"] }
    var cookieWithCSRF: HTTPFields { [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf] }
}

extension TestClientProtocol {
    func signIn(_ username: String, password: String = ServiceHarness.password) async throws -> SignedIn {
        let body = try JSONSerialization.data(withJSONObject: ["username": username, "password": password, "bearerToken": true] as [String: Any])
        var response = try await execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(bytes: body))
        // The password-hashing pool is shared by the whole test process; when the suites running beside this one
        // fill it, the service answers 503 with Retry-After, and a client tries again, as a browser user would.
        for _ in 0..<40 where response.status == .serviceUnavailable {
            try await Task.sleep(for: .milliseconds(250))
            response = try await execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(bytes: body))
        }
        guard response.status == .ok else { throw ServiceTestError.signInFailed(response.status.code) }
        let json = try response.json()
        let cookie = response.headers[.setCookie]!.split(separator: ";")[0]
        return SignedIn(token: json["token"] as! String, csrf: json["csrfToken"] as! String, cookie: String(cookie))
    }

    func json(_ uri: String, _ method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: Any? = nil) async throws -> TestResponse {
        var fields = headers
        var buffer: ByteBuffer?
        if let body {
            fields[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        }
        return try await execute(uri: uri, method: method, headers: fields, body: buffer)
    }
}

enum ServiceTestError: Error { case signInFailed(Int) }

extension TestResponse {
    func json() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
    func jsonArray() throws -> [[String: Any]] {
        (try JSONSerialization.jsonObject(with: Data(buffer: body))) as? [[String: Any]] ?? []
    }
}

extension Data {
    init(buffer: ByteBuffer) { self.init(buffer.readableBytesView) }
}
