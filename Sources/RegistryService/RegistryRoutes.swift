import Edits
import Foundation
import HTTPTypes
import Hummingbird
import NAACCR
import Postgres
import RegistryStore

/// The HTTP API under `/api/` and the health endpoints. Every route states the permission it needs; every read or
/// change of an abstract writes an audit row.
public struct RegistryRoutes: Sendable {
    public let pool: PostgresPool
    public let accounts: Accounts
    public let sessions: Sessions
    public let limiter: SignInLimiter
    /// Mark the session cookie `Secure` (on behind a TLS proxy; off only for plain-HTTP localhost development and tests).
    public let secureCookies: Bool
    public let editSet: EditSet

    public init(pool: PostgresPool, accounts: Accounts, sessions: Sessions, limiter: SignInLimiter = SignInLimiter(),
                secureCookies: Bool, editSet: EditSet = .incomingAbstract) {
        self.pool = pool
        self.accounts = accounts
        self.sessions = sessions
        self.limiter = limiter
        self.secureCookies = secureCookies
        self.editSet = editSet
    }

    /// The API's OpenAPI 3.1 description (Sources/RegistryService/openapi.json).
    public static let openAPIDocument: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "{}" }
        return text
    }()

    /// Routes with their permissions, for documentation and the role tests.
    public static let protectedRoutes: [(method: HTTPRequest.Method, path: String, permission: Permission)] = [
        (.get, "/api/patients", .readAbstracts), (.post, "/api/patients", .editAbstracts), (.get, "/api/patients/{id}", .readAbstracts),
        (.put, "/api/patients/{id}", .editAbstracts), (.post, "/api/patients/{id}/tumors", .editAbstracts),
        (.get, "/api/tumors/{id}", .readAbstracts), (.put, "/api/tumors/{id}", .editAbstracts),
        (.post, "/api/tumors/{id}/edits", .editAbstracts), (.get, "/api/tumors/{id}/revisions", .readAbstracts),
        (.get, "/api/drafts/{id}", .editAbstracts), (.post, "/api/imports", .importFiles), (.get, "/api/codes/{table}", .readAbstracts),
        // Pages: without a session they redirect to /signin instead of answering 401.
        (.get, "/", .readAbstracts), (.get, "/patients/{id}", .readAbstracts), (.get, "/tumors/{id}", .readAbstracts),
    ]

    public func router() -> Router<RegistryRequestContext> {
        let router = Router(context: RegistryRequestContext.self)
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SessionMiddleware(sessions: sessions))
        router.get("health") { _, _ in Status(status: "ok", schemaVersion: nil) }
        router.get("ready") { request, context in try await ready(request, context) }
        let api = router.group("api")
        api.post("session") { request, context in try await signIn(request, context) }
        api.delete("session") { _, context in try await signOut(context) }
        api.get("patients") { request, context in try await searchPatients(request, context) }
        api.post("patients") { request, context in try await createPatient(request, context) }
        api.get("patients/:id") { request, context in try await patient(request, context) }
        api.put("patients/:id") { request, context in try await savePatient(request, context) }
        api.post("patients/:id/tumors") { request, context in try await createTumor(request, context) }
        api.get("tumors/:id") { request, context in try await abstract(request, context) }
        api.put("tumors/:id") { request, context in try await save(request, context) }
        api.post("tumors/:id/edits") { request, context in try await checkDraft(request, context) }
        api.get("tumors/:id/revisions") { request, context in try await revisions(request, context) }
        api.get("drafts/:id") { _, context in try await draft(context) }
        api.post("imports") { request, context in try await importFile(request, context) }
        api.get("openapi.json") { _, _ in
            Self.asset(Self.openAPIDocument, type: "application/json")
        }
        addPages(to: router)
        return router
    }

    // MARK: Health

    func ready(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        do {
            let version = try await pool.withConnection { db in
                try db.query("SELECT max(version) FROM schema_migration").first?.decode(Int?.self, at: 0)
            }
            return try Status(status: "ready", schemaVersion: version).response(from: request, context: context)
        } catch {
            return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"database unavailable"}"#)))
        }
    }

    // MARK: Sessions

    func signIn(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let body = try await request.decode(as: SignInRequest.self, context: context)
        let keys = ["user:\(body.username)", "address:\(context.remoteAddress ?? "unknown")"]
        guard await limiter.allows(keys) else {
            throw APIError(.tooManyRequests, "rate_limited", "too many failed sign-ins; wait a few minutes")
        }
        guard let user = try await accounts.verify(username: body.username, password: body.password) else {
            await limiter.recordFailure(keys)
            try await pool.withConnection { db in
                try Audit.record(db, nil, action: "sign_in_failed", entity: "app_user", id: nil, remoteAddress: context.remoteAddress)
            }
            throw APIError(.unauthorized, "bad_credentials", "user name or password is wrong, or the account is disabled")
        }
        await limiter.reset(keys)
        let (token, session) = try await sessions.create(for: user, remoteAddress: context.remoteAddress)
        try await pool.withConnection { db in
            try Audit.record(db, session, action: "sign_in", entity: "app_user", id: user.id, remoteAddress: context.remoteAddress)
        }
        var response = try SignInResponse(user: user, csrfToken: session.csrfToken, token: body.bearerToken == true ? token : nil).response(from: request, context: context)
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: token, maxAge: Int(sessions.lifetime), path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func signOut(_ context: RegistryRequestContext) async throws -> Response {
        guard let session = context.session else { throw APIError.notSignedIn }
        try await sessions.revoke(session)
        try await pool.withConnection { db in
            try Audit.record(db, session, action: "sign_out", entity: "app_user", id: session.user.id, remoteAddress: context.remoteAddress)
        }
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: Patients and abstracts

    static func id(_ context: RegistryRequestContext) throws -> Int {
        guard let id = context.parameters.get("id", as: Int.self) else { throw APIError.badRequest("the id must be a number") }
        return id
    }

    func searchPatients(_ request: Request, _ context: RegistryRequestContext) async throws -> Page<PatientSummary> {
        let session = try context.require(.readAbstracts)
        let q = request.uri.queryParameters
        let page = max(1, q.get("page", as: Int.self) ?? 1), pageSize = min(100, max(1, q.get("pageSize", as: Int.self) ?? 25))
        let search = PatientSearch(name: q.get("name"), dateOfBirth: q.get("dateOfBirth"), patientIdNumber: q.get("patientId"),
                                   primarySite: q.get("site"), diagnosisYear: q.get("year", as: Int.self),
                                   failingEditSet: q.get("failingEdits"))
        let (rows, total) = try await pool.withConnection { db in
            let result = try AbstractRepository(connection: db).search(search, limit: pageSize, offset: (page - 1) * pageSize)
            try Audit.record(db, session, action: "search", entity: "patient", id: nil, remoteAddress: context.remoteAddress,
                             detail: ["results": String(result.rows.count)])
            return result
        }
        return Page(items: rows, total: total, page: page, pageSize: pageSize)
    }

    func patient(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let session = try context.require(.readAbstracts)
        let id = try Self.id(context)
        let found = try await pool.withConnection { db -> PatientResponse? in
            guard let p = try AbstractRepository(connection: db).patientWithVersion(id) else { return nil }
            try Audit.record(db, session, action: "read", entity: "patient", id: id, remoteAddress: context.remoteAddress)
            return PatientResponse(id: id, version: p.version, items: p.items,
                                   tumors: p.tumors.map { .init(id: $0.id, version: $0.version, items: $0.items) })
        }
        guard let found else { throw APIError.notFound("patient \(id)") }
        var response = try found.response(from: request, context: context)
        response.headers[.eTag] = "\"\(found.version)\""
        return response
    }

    static func baseVersion(_ request: Request) throws -> Int {
        guard let ifMatch = request.headers[.ifMatch] else {
            throw APIError(.preconditionRequired, "version_required", "send If-Match with the version (ETag) you edited")
        }
        guard let base = Int(ifMatch.filter(\.isNumber)) else { throw APIError.badRequest("If-Match must be the ETag of the record") }
        return base
    }

    func createPatient(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let session = try context.require(.editAbstracts)
        let draft = try await request.decode(as: DraftRequest.self, context: context)
        try Self.validate(draft.items, level: .patient)
        guard let number = draft.items["patientIdNumber"], !number.isEmpty else {
            throw APIError(.unprocessableContent, "invalid_items", "patientIdNumber is required", items: ["patientIdNumber"])
        }
        let remote = context.remoteAddress
        let id = try await pool.withConnection { db -> Int in
            let registry = try db.query("SELECT registry_id FROM patient LIMIT 1").first?.decode(String.self, at: 0) ?? ""
            do {
                let id = try AbstractRepository(connection: db).createPatient(items: draft.items, registryId: registry, userId: session.user.id)
                try Audit.record(db, session, action: "create", entity: "patient", id: id, remoteAddress: remote)
                return id
            } catch let error as PostgresError where error.sqlState == "23505" {
                throw APIError(.conflict, "duplicate_patient", "a patient with patientIdNumber \(number) exists already", items: ["patientIdNumber"])
            }
        }
        return try Self.created(id, request, context)
    }

    /// 201 with the new record's id and version 1.
    static func created(_ id: Int, _ request: Request, _ context: RegistryRequestContext) throws -> Response {
        var response = try Created(id: id, version: 1).response(from: request, context: context)
        response.status = .created
        return response
    }

    func savePatient(_ request: Request, _ context: RegistryRequestContext) async throws -> SaveResponse {
        let session = try context.require(.editAbstracts)
        let id = try Self.id(context)
        let base = try Self.baseVersion(request)
        let draft = try await request.decode(as: DraftRequest.self, context: context)
        try Self.validate(draft.items, level: .patient)
        let remote = context.remoteAddress
        let outcome = try await pool.withConnection { db -> SaveOutcome? in
            let outcome = try AbstractRepository(connection: db).savePatient(id: id, baseVersion: base, changes: draft.items, userId: session.user.id)
            if case .saved(let version, let changed) = outcome {
                try Audit.record(db, session, action: "update", entity: "patient", id: id, remoteAddress: remote,
                                 detail: ["version": String(version), "items": changed.joined(separator: " ")])
            }
            return outcome
        }
        switch outcome {
        case nil: throw APIError.notFound("patient \(id)")
        case .conflict(let current, _)?:
            throw APIError(.conflict, "version_conflict", "someone saved this patient after you opened it (now version \(current)); reload and apply your changes again",
                           detail: ["currentVersion": String(current)])
        case .saved(let version, let changed)?:
            return SaveResponse(tumorId: nil, patientId: id, version: version, changedItems: changed, edits: nil)
        }
    }

    func createTumor(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let session = try context.require(.editAbstracts)
        let patientId = try Self.id(context)
        let draft = try await request.decode(as: DraftRequest.self, context: context)
        try Self.validate(draft.items)
        let remote = context.remoteAddress
        guard let id = try await pool.withConnection({ db -> Int? in
            guard try !db.query("SELECT 1 FROM patient WHERE id = $1", [patientId]).isEmpty else { return nil }
            do {
                let id = try AbstractRepository(connection: db).createTumor(patientId: patientId, items: draft.items, userId: session.user.id)
                try Audit.record(db, session, action: "create", entity: "tumor", id: id, remoteAddress: remote)
                return id
            } catch let error as PostgresError where error.sqlState == "23505" {
                throw APIError(.conflict, "duplicate_tumor", "the patient has a tumor with this record or sequence number already",
                               items: ["tumorRecordNumber", "sequenceNumberCentral"])
            }
        }) else { throw APIError.notFound("patient \(patientId)") }
        return try Self.created(id, request, context)
    }

    func abstract(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let session = try context.require(.readAbstracts)
        let id = try Self.id(context)
        let stored = try await pool.withConnection { db -> StoredAbstract? in
            guard let a = try AbstractRepository(connection: db).abstract(tumorId: id) else { return nil }
            try Audit.record(db, session, action: "read", entity: "tumor", id: id, remoteAddress: context.remoteAddress)
            return a
        }
        guard let stored else { throw APIError.notFound("tumor \(id)") }
        var response = try AbstractResponse(tumorId: id, patientId: stored.patientId, version: stored.version,
                                            patientVersion: stored.patientVersion, status: stored.status,
                                            patientItems: stored.patientItems, items: stored.tumorItems)
            .response(from: request, context: context)
        response.headers[.eTag] = "\"\(stored.version)\""
        return response
    }

    /// Checks each value against the dictionary (items of `level`); 422 naming every bad item.
    static func validate(_ items: [String: String], level: NaaccrLevel = .tumor) throws {
        var problems: [String] = [], names: [String] = []
        for (id, value) in items.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            guard let key = NaaccrDictionary.v26.key(id) else { problems.append("\(id): not a NAACCR item"); names.append(id); continue }
            guard key.level == level else { problems.append("\(id): a \(key.level.rawValue) item, not a \(level.rawValue) item"); names.append(id); continue }
            if let problem = NaaccrValueValidator.check(value, for: NaaccrDictionary.v26.item(key)) {
                problems.append("\(id): \(problem.detail)")
                names.append(id)
            }
        }
        if !problems.isEmpty {
            throw APIError(.unprocessableContent, "invalid_items", problems.joined(separator: "; "), items: names)
        }
    }

    /// Runs the edit set on the stored patient (with `patientItems` if given) and this tumor replaced by `items`.
    func edits(for stored: StoredAbstract, items: [String: String], patientItems: [String: String]? = nil) -> EditResultsResponse {
        let d = NaaccrDictionary.v26
        var patient = NaaccrPatient(dictionary: d)
        for (id, value) in patientItems ?? stored.patientItems { if let key = d.key(id), key.level == .patient { patient[key] = value } }
        var tumors = stored.otherTumors
        tumors.insert(items, at: min(stored.tumorIndex, tumors.count))
        for items in tumors {
            var tumor = NaaccrTumor(dictionary: d)
            for (id, value) in items { if let key = d.key(id), key.level == .tumor { tumor[key] = value } }
            patient.tumors.append(tumor)
        }
        let failures = EditEngine(set: editSet).check(patient).filter { $0.tumorIndex == min(stored.tumorIndex, tumors.count - 1) }
        return EditResultsResponse(
            set: editSet.name, errors: failures.filter { !$0.overridden && $0.severity == .error }.count,
            warnings: failures.filter { !$0.overridden && $0.severity == .warning }.count,
            failures: failures.map { .init(edit: $0.editId, name: $0.name, severity: $0.severity.rawValue, message: $0.message,
                                           items: $0.items, overridden: $0.overridden) })
    }

    func checkDraft(_ request: Request, _ context: RegistryRequestContext) async throws -> EditResultsResponse {
        _ = try context.require(.editAbstracts)
        let id = try Self.id(context)
        let draft = try await request.decode(as: DraftRequest.self, context: context)
        guard let stored = try await pool.withConnection({ db in try AbstractRepository(connection: db).abstract(tumorId: id) }) else {
            throw APIError.notFound("tumor \(id)")
        }
        return edits(for: stored, items: AbstractRepository.merge(stored.tumorItems, draft.items),
                     patientItems: draft.patientItems.map { AbstractRepository.merge(stored.patientItems, $0) })
    }

    func save(_ request: Request, _ context: RegistryRequestContext) async throws -> SaveResponse {
        let session = try context.require(.editAbstracts)
        let id = try Self.id(context)
        let base = try Self.baseVersion(request)
        let draft = try await request.decode(as: DraftRequest.self, context: context)
        try Self.validate(draft.items)
        let remote = context.remoteAddress
        let (outcome, stored) = try await pool.withConnection { db -> (SaveOutcome?, StoredAbstract?) in
            let repository = AbstractRepository(connection: db)
            guard try repository.abstract(tumorId: id) != nil else { return (nil, nil) }
            let outcome = try repository.saveTumor(id: id, baseVersion: base, changes: draft.items, userId: session.user.id)
            if case .saved(let version, let changed) = outcome {
                try Audit.record(db, session, action: "update", entity: "tumor", id: id, remoteAddress: remote,
                                 detail: ["version": String(version), "items": changed.joined(separator: " ")])
            }
            return (outcome, try repository.abstract(tumorId: id))
        }
        guard let outcome, let stored else { throw APIError.notFound("tumor \(id)") }
        switch outcome {
        case let .conflict(current, draftId):
            throw APIError(.conflict, "version_conflict",
                           "someone saved this abstract after you opened it (now version \(current)); your changes were kept as draft \(draftId)",
                           detail: ["currentVersion": String(current), "draftId": String(draftId)])
        case let .saved(version, changed):
            let results = edits(for: stored, items: stored.tumorItems)
            // The work lists read edit_result: keep this tumor's row current.
            let set = editSet.name
            let json = String(decoding: try JSONEncoder().encode(results.failures), as: UTF8.self)
            try await pool.withConnection { db in
                try EditResultStore(connection: db).saveOne(editSet: set, result: StoredEditResult(
                    tumorId: id, errors: results.errors, warnings: results.warnings,
                    overridden: results.failures.filter(\.overridden).count, failuresJSON: json))
            }
            return SaveResponse(tumorId: id, patientId: stored.patientId, version: version, changedItems: changed, edits: results)
        }
    }

    /// Oldest first; `page`/`pageSize` (default all, at most 500 a page) page through long histories.
    func revisions(_ request: Request, _ context: RegistryRequestContext) async throws -> [AbstractRepository.Revision] {
        let session = try context.require(.readAbstracts)
        let id = try Self.id(context)
        let q = request.uri.queryParameters
        let pageSize = min(500, max(1, q.get("pageSize", as: Int.self) ?? 500)), page = max(1, q.get("page", as: Int.self) ?? 1)
        let all = try await pool.withConnection { db in
            try Audit.record(db, session, action: "read", entity: "abstract_revision", id: id, remoteAddress: context.remoteAddress)
            return try AbstractRepository(connection: db).revisions(tumorId: id)
        }
        return Array(all.dropFirst((page - 1) * pageSize).prefix(pageSize))
    }

    func draft(_ context: RegistryRequestContext) async throws -> DraftItems {
        let session = try context.require(.editAbstracts)
        let id = try Self.id(context)
        guard let items = try await pool.withConnection({ db -> [String: String]? in
            try Audit.record(db, session, action: "read", entity: "abstract_draft", id: id, remoteAddress: context.remoteAddress)
            return try AbstractRepository(connection: db).draft(id: id)
        }) else { throw APIError.notFound("draft \(id)") }
        return DraftItems(items: items)
    }

    // MARK: Import

    func importFile(_ request: Request, _ context: RegistryRequestContext) async throws -> ImportResponse {
        let session = try context.require(.importFiles)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = Array(body.readableBytesView)
        let summary: ImportSummary
        do {
            summary = try await pool.withConnection { db -> ImportSummary in
                let reader = try NaaccrXMLReader(source: MemoryByteSource(bytes), name: "upload")
                return try NaaccrImporter(connection: db).importPatients(
                    header: reader.header, dictionary: reader.dictionary, source: "api upload", actor: session.user.username,
                    next: { try reader.next() })
            }
        } catch let error as NaaccrReadError {
            // Nothing was stored: the import is one transaction.
            throw APIError(.badRequest, "invalid_naaccr_xml", error.description)
        }
        return ImportResponse(patientsRead: summary.patientsRead, tumorsRead: summary.tumorsRead, patientsInserted: summary.patientsInserted,
                              patientsUpdated: summary.patientsUpdated, tumorsInserted: summary.tumorsInserted,
                              tumorsUpdated: summary.tumorsUpdated, problems: summary.issueCount, problemSummary: summary.issueCounts)
    }
}

struct DraftItems: ResponseEncodable { let items: [String: String] }
