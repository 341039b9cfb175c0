import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import RegistryService
import Testing

/// Each finding of the attacker's review of the service, as a regression test.
@Suite("Hardening: bad input cannot crash or exhaust the service", .serialized)
struct HardeningTests {
    static func errorCode(_ response: TestResponse) -> String? {
        (try? response.json()["error"] as? [String: Any])?["code"] as? String
    }

    @Test func numericQueryParametersAreRangeCheckedNeverTrusted() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("reviewer")
                // Once a crash (prefix(-1)) and overflows of (page - 1) * pageSize.
                for uri in ["/api/codes/primarySite?limit=-1", "/api/codes/primarySite?limit=100000", "/api/codes/primarySite?limit=abc",
                            "/api/patients?page=9223372036854775807", "/api/patients?page=0", "/api/patients?pageSize=-5",
                            "/api/patients?page=1e3", "/api/tumors/\(tumorId)/revisions?page=9223372036854775807",
                            "/api/tumors/\(tumorId)/revisions?pageSize=0"] {
                    let response = try await client.json(uri, headers: session.bearer)
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(Self.errorCode(response) == "bad_request", "\(uri)")
                }
                // The worklist page answers with an HTML error page.
                let page = try await client.json("/?tab=all&page=9223372036854775807", headers: [.cookie: session.cookie])
                #expect(page.status == .badRequest)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: page.body).contains("page must be a whole number"))
                #expect(try await client.json("/api/codes/primarySite?limit=5&q=breast", headers: session.bearer).status == .ok)
                #expect(try await client.json("/api/patients/99999999999999999999999", headers: session.bearer).status == .badRequest)
            }
        }
    }

    @Test func bodiesAreBoundedAndTypedAndMalformedOnesGet400NamingTheField() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                // A 100 MB user name is refused before it is read: sign-in bodies are small.
                let huge = ByteBuffer(string: "{\"username\":\"" + String(repeating: "a", count: 64 * 1024) + "\",\"password\":\"x\"}")
                let tooLarge = try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: huge)
                #expect(tooLarge.status == .contentTooLarge)
                let session = try await client.signIn("registrar")
                var headers = session.bearer
                headers[.contentType] = "text/plain"
                let wrongType = try await client.execute(uri: "/api/patients", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
                #expect(wrongType.status == .unsupportedMediaType)
                let missing = try await client.json("/api/patients", .post, headers: session.bearer, body: ["nothing": 1])
                #expect(missing.status == .badRequest)
                #expect((try missing.json()["error"] as? [String: Any])?["message"] as? String == "'items' is missing")
                let notJSON = try await client.execute(uri: "/api/tumors/\(tumorId)/edits", method: .post,
                                                       headers: [.authorization: "Bearer \(session.token)", .contentType: "application/json"],
                                                       body: ByteBuffer(string: "{\"items\": {\"primarySite\": "))
                #expect(notJSON.status == .badRequest)
                let nul = try await client.json("/api/patients", .post, headers: session.bearer,
                                                body: ["items": ["patientIdNumber": "99000001", "nameLast": "Ab\u{0}c"]])
                #expect(nul.status == .unprocessableContent)
                #expect((try nul.json()["error"] as? [String: Any])?["items"] as? [String] == ["nameLast"])
                // A form with a missing field is a 400 page, not an empty 500.
                let form = try await client.execute(uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: "username=x"))
                #expect(form.status == .badRequest)
                #expect(String(buffer: form.body).contains("<html"))
            }
            #expect(try await h.query("SELECT count(*) FROM patient WHERE patient_id_number = '99000001'")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test func concurrentGuessesAreCountedBeforeThePasswordIsChecked() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for i in 0..<30 {
                        group.addTask {
                            // The last guess is the right password: it must not get in past the limit.
                            try await client.json("/api/session", .post, body: ["username": "reviewer", "password": i == 29 ? ServiceHarness.password : "wrong \(i)"]).status
                        }
                    }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .unauthorized || $0 == .ok }.count <= 5)
                #expect(statuses.filter { $0 == .tooManyRequests }.count >= 25)
            }
        }
    }

    @Test func theThrottleNeverLocksAUserOutAndHoldsBoundedMemory() async throws {
        var limits = SignInThrottle.Limits()
        limits.maxKeys = 1_000
        let throttle = SignInThrottle(limits: limits)
        let start = Date()
        // 5 failures from one address lock that address out for that user name ...
        for _ in 0..<5 { #expect(await throttle.begin(username: "ann", address: "198.51.100.1", now: start) == .allowed) }
        #expect(await throttle.begin(username: "ann", address: "198.51.100.1", now: start) != .allowed)
        // ... but not the real user at another address.
        #expect(await throttle.begin(username: "ann", address: "192.0.2.7", now: start) == .allowed)
        // A distributed guess at one user only slows it: delays double, at most maxDelay, never a lock-out.
        for i in 0..<20 { _ = await throttle.begin(username: "bob", address: "203.0.113.\(i)", now: start.addingTimeInterval(Double(i) * 61)) }
        let later = start.addingTimeInterval(20 * 61 + limits.maxDelay)
        #expect(await throttle.begin(username: "bob", address: "192.0.2.8", now: later) == .allowed)
        // 20,000 distinct (huge) user names keep at most maxKeys keys.
        for i in 0..<20_000 {
            _ = await throttle.begin(username: String(repeating: "x", count: 200) + String(i), address: "10.\(i % 250).0.1", now: start)
        }
        #expect(await throttle.keyCount <= limits.maxKeys)
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxiesAndAuditRowsNameTheClient() async throws {
        #expect(ClientAddressMiddleware.clientAddress(peer: "203.0.113.5", forwardedFor: ["10.0.0.1"], trustedProxies: ["127.0.0.1"]) == "203.0.113.5")
        #expect(ClientAddressMiddleware.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.4"], trustedProxies: ["127.0.0.1"])
                == "198.51.100.4")
        try await ServiceHarness.with(configuration: .init(trustedProxies: ["127.0.0.1", "::1"])) { h in
            try await h.test(.live) { client in
                _ = try await client.execute(uri: "/api/session", method: .post,
                                             headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: "198.51.100.23"],
                                             body: ByteBuffer(string: "{\"username\":\"registrar\",\"password\":\"\(ServiceHarness.password)\"}"))
            }
            let rows = try await h.query("SELECT remote_address FROM audit_log WHERE action = 'sign_in'")
            #expect(rows.map { $0.text(at: 0) } == ["198.51.100.23"])
        }
    }

    @Test func submittersMayImportNewCasesButNotRewriteStoredAbstracts() async throws {
        try await ServiceHarness.with { h in
            let stored = try await h.query("""
                SELECT p.patient_id_number, p.registry_id, t.tumor_key, t.id FROM patient p JOIN tumor t ON t.patient_id = p.id
                WHERE t.items->>'60' = t.tumor_key ORDER BY t.id LIMIT 1
                """)[0]  // 60: tumorRecordNumber, the tumor's key
            let (patientNumber, registryId, key, tumorId) = (stored.text(at: 0)!, stored.text(at: 1)!, stored.text(at: 2)!, try stored.decode(Int.self, at: 3))
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <NaaccrData baseDictionaryUri="http://naaccr.org/naaccrxml/naaccr-dictionary-260.xml" recordType="A" specificationVersion="1.8" xmlns="http://naaccr.org/naaccrxml">
                  <Item naaccrId="registryId">\(registryId)</Item>
                  <Patient><Item naaccrId="patientIdNumber">\(patientNumber)</Item><Item naaccrId="nameLast">Rewritten</Item>
                    <Tumor><Item naaccrId="tumorRecordNumber">\(key)</Item><Item naaccrId="primarySite">C619</Item></Tumor></Patient>
                </NaaccrData>
                """
            try await h.test { client in
                for (user, expected) in [("submitter", HTTPResponse.Status.forbidden), ("registrar", .ok)] {
                    let session = try await client.signIn(user)
                    var headers = session.bearer
                    headers[.contentType] = "application/xml"
                    let response = try await client.execute(uri: "/api/imports?filename=hospital-7.xml", method: .post, headers: headers,
                                                            body: ByteBuffer(string: xml))
                    #expect(response.status == expected, "\(user)")
                    if user == "submitter" {
                        #expect(Self.errorCode(response) == "import_changes_stored_abstracts")
                        #expect(try await h.query("SELECT count(*) FROM patient WHERE name_last = 'Rewritten'")[0].decode(Int.self, at: 0) == 0)
                    }
                }
            }
            // The registrar's import: revisions name the importing user; the audit row names the file, its checksum,
            // counts and the actor.
            let revision = try await h.query("""
                SELECT u.username FROM abstract_revision r JOIN app_user u ON u.id = r.changed_by WHERE r.tumor_id = $1 AND r.source = 'import'
                """, [tumorId])
            #expect(revision.map { $0.text(at: 0) } == ["registrar"])
            let audit = try await h.query("SELECT detail->>'file', detail->>'sha256', detail->>'tumorsUpdated' FROM audit_log WHERE action = 'import' AND username = 'registrar'")
            #expect(audit.count == 1)
            #expect(audit.first?.text(at: 0) == "hospital-7.xml")
            #expect(audit.first?.text(at: 1) == Self.sha256Hex(xml))
            #expect(audit.first?.text(at: 2) == "1")
        }
    }

    /// SHA-256 by the system's own tool (an independent computation).
    static func sha256Hex(_ text: String) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try? Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    @Test func rolesWithoutIdentifierRightsSeeNoDirectIdentifiers() async throws {
        try await ServiceHarness.with { h in
            let ids = try await h.query("SELECT p.id, t.id FROM patient p JOIN tumor t ON t.patient_id = p.id ORDER BY p.id LIMIT 1")[0]
            let (patientId, tumorId) = (try ids.decode(Int.self, at: 0), try ids.decode(Int.self, at: 1))
            try await h.test { client in
                for role in Role.allCases {
                    let session = try await client.signIn(role.rawValue)
                    let patient = try await client.json("/api/patients/\(patientId)", headers: session.bearer).json()
                    let items = try #require(patient["items"] as? [String: String])
                    let abstract = try await client.json("/api/tumors/\(tumorId)", headers: session.bearer).json()
                    let patientItems = try #require(abstract["patientItems"] as? [String: String])
                    let list = try await client.json("/api/patients?pageSize=5", headers: session.bearer).json()
                    let first = try #require((list["items"] as? [[String: Any]])?.first)
                    if Permission.readIdentifiers.allows(role) {
                        #expect(items["nameLast"] != nil && items["dateOfBirth"]?.count == 8, "\(role)")
                        #expect(first["nameLast"] as? String != nil)
                    } else {
                        for id in ["nameLast", "nameFirst", "socialSecurityNumber", "addrCurrentNoStreet", "telephone", "medicalRecordNumber"] {
                            #expect(items[id] == nil && patientItems[id] == nil, "\(role) sees \(id)")
                        }
                        #expect(items["dateOfBirth"]?.count == 4, "\(role): the year of birth only")
                        #expect(first["nameLast"] == nil || first["nameLast"] is NSNull)
                        #expect(try await client.json("/api/patients?name=a", headers: session.bearer).status == .forbidden)
                    }
                }
            }
        }
    }

    @Test func listingsAreRateLimitedAndSearchAuditRowsSayWhatWasSoughtAndFound() async throws {
        try await ServiceHarness.with(listingLimiter: ListingLimiter(burst: 3, perMinute: 1)) { h in
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let first = try await client.json("/api/patients?site=C504&pageSize=100", headers: session.bearer).json()
                let ids = (first["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                for _ in 0..<2 { #expect(try await client.json("/api/patients", headers: session.bearer).status == .ok) }
                let limited = try await client.json("/api/patients", headers: session.bearer)
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers[.retryAfter] != nil)
                let audit = try await h.query("SELECT detail->>'primarySite', detail->>'patientIds' FROM audit_log WHERE action = 'search' ORDER BY id LIMIT 1")[0]
                #expect(audit.text(at: 0) == "C504")
                #expect(audit.text(at: 1) == ids.map(String.init).joined(separator: " "))
            }
        }
    }

    @Test func theSignInFormRefusesLoginCSRFAndSigningInAgainEndsThePreviousSession() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                let body = "username=registrar&password=\(ServiceHarness.password.replacingOccurrences(of: " ", with: "+"))"
                // No pre-session token: refused.
                let forged = try await client.execute(uri: "/signin", method: .post, headers: form, body: ByteBuffer(string: body))
                #expect(forged.status == .forbidden)
                let page = try await client.execute(uri: "/signin", method: .get)
                let cookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
                let token = String(cookie.split(separator: "=", maxSplits: 1)[1])
                var headers = form
                headers[.cookie] = cookie
                headers[.origin] = "https://evil.example"
                let otherSite = try await client.execute(uri: "/signin", method: .post, headers: headers, body: ByteBuffer(string: body + "&_signin=\(token)"))
                #expect(otherSite.status == .forbidden)
                headers[.origin] = nil
                let signedIn = try await client.execute(uri: "/signin", method: .post, headers: headers, body: ByteBuffer(string: body + "&_signin=\(token)"))
                #expect(signedIn.status == .seeOther)
                let first = try #require(signedIn.headers[.setCookie]?.split(separator: ";").first.map(String.init))

                // Signing in again in the same browser ends the first session.
                let again = try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json", .cookie: first],
                                                     body: ByteBuffer(string: "{\"username\":\"registrar\",\"password\":\"\(ServiceHarness.password)\"}"))
                #expect(again.status == .ok)
                #expect(try await client.json("/api/patients", headers: [.cookie: first]).status == .unauthorized)
            }
        }
    }

    @Test func errorsAreClearAndCarryTheSecurityHeaders() async throws {
        try await ServiceHarness.with { h in
            try await h.test { client in
                let session = try await client.signIn("registrar")
                let missingAPI = try await client.json("/api/tumors/999999", headers: session.bearer)
                let missingPage = try await client.json("/patients/999999", headers: [.cookie: session.cookie])
                let nowhere = try await client.json("/no/such/place")
                for response in [missingAPI, missingPage, nowhere] {
                    #expect(response.status == .notFound)
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.headers[HTTPField.Name("Content-Security-Policy")!] != nil)
                }
                #expect(missingPage.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: missingPage.body).contains("patient 999999 does not exist"))
                let wrongMethod = try await client.json("/api/patients", .delete, headers: session.bearer)
                #expect(wrongMethod.status == .methodNotAllowed)
                #expect(wrongMethod.headers[.allow]?.contains("GET") == true)
            }
        }
    }

    @Test func ifMatchIsParsedStrictly() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let session = try await client.signIn("registrar")
                for bad in ["1", "\"1\"x", "\"1.0\"", "\"-1\"", "\"99999999999\"", "*"] {
                    var headers = session.bearer
                    headers[.ifMatch] = bad
                    let response = try await client.json("/api/tumors/\(tumorId)", .put, headers: headers, body: ["items": ["gradeClinical": "2"]])
                    #expect(response.status == .badRequest, "If-Match: \(bad)")
                }
                var headers = session.bearer
                headers[.ifMatch] = "W/\"1\""
                #expect(try await client.json("/api/tumors/\(tumorId)", .put, headers: headers, body: ["items": ["gradeClinical": "2"]]).status == .ok)
            }
        }
    }

    @Test func draftsAreTheirAuthorsAndCappedPerAbstract() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            try await h.test { client in
                let registrar = try await client.signIn("registrar")
                var headers = registrar.bearer
                headers[.ifMatch] = "\"7\""  // stale: every save becomes a draft
                var draftIds: [String] = []
                for i in 0..<8 {
                    let conflict = try await client.json("/api/tumors/\(tumorId)", .put, headers: headers, body: ["items": ["textRemarks": "try \(i)"]])
                    draftIds.append(try #require((conflict.json()["error"] as? [String: Any])?["draftId"] as? String))
                }
                #expect(try await client.json("/api/drafts/\(draftIds.last!)", headers: registrar.bearer).status == .ok)
                #expect(try await client.json("/api/drafts/\(draftIds.first!)", headers: registrar.bearer).status == .notFound, "older drafts are dropped")
                let admin = try await client.signIn("admin")
                #expect(try await client.json("/api/drafts/\(draftIds.last!)", headers: admin.bearer).status == .ok)
            }
            let kept = try await h.query("SELECT count(*) FROM abstract_draft WHERE tumor_id = $1", [tumorId])[0].decode(Int.self, at: 0)
            #expect(kept == 5)
            // Another registrar cannot read it.
            _ = try await h.registry.accounts.create(username: "second", displayName: "", role: .registrar, password: ServiceHarness.password,
                                                     by: .operatingSystemAccount())
            try await h.test { client in
                let other = try await client.signIn("second")
                let id = try await h.query("SELECT max(id) FROM abstract_draft")[0].decode(Int.self, at: 0)
                #expect(try await client.json("/api/drafts/\(id)", headers: other.bearer).status == .notFound)
            }
        }
    }

    @Test func aChangeWhoseAuditRowCannotBeWrittenIsRolledBack() async throws {
        try await ServiceHarness.with { h in
            let tumorId = try await h.query("SELECT min(id) FROM tumor")[0].decode(Int.self, at: 0)
            // Make audit rows of updates fail (as a full disk or a broken trigger would).
            _ = try await h.query("""
                CREATE FUNCTION refuse_update_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.action = 'update' THEN RAISE EXCEPTION 'audit unavailable'; END IF; RETURN NEW; END $$
                """)
            _ = try await h.query("CREATE TRIGGER refuse_update_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_update_audit()")
            try await h.test { client in
                let session = try await client.signIn("registrar")
                var headers = session.bearer
                headers[.ifMatch] = "\"1\""
                let response = try await client.json("/api/tumors/\(tumorId)", .put, headers: headers, body: ["items": ["gradeClinical": "4"]])
                #expect(response.status == .internalServerError)
                #expect(Self.errorCode(response) == "internal_error")
            }
            let row = try await h.query("SELECT version, (SELECT count(*) FROM abstract_revision WHERE tumor_id = $1) FROM tumor WHERE id = $1", [tumorId])[0]
            #expect(try row.decode(Int.self, at: 0) == 1)
            #expect(try row.decode(Int.self, at: 1) == 0)
        }
    }
}
