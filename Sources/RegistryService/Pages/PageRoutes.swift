import Coding
import Foundation
import HTTPTypes
import Hummingbird
import NAACCR
import RegistryStore

/// The server-rendered workbench: sign-in, worklists, patient page, abstract form. Pages redirect to sign-in
/// without a session; the form talks to the JSON API (inline edits, save) with the session's CSRF token.
extension RegistryRoutes {
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func addPages(to router: Router<RegistryRequestContext>) {
        router.get("static/app.css") { _, _ in Self.asset(StaticAssets.css, type: "text/css; charset=utf-8") }
        router.get("static/app.js") { _, _ in Self.asset(StaticAssets.javascript, type: "text/javascript; charset=utf-8") }
        router.get("signin") { _, _ in Self.page(title: "Sign in", template: "signin", [:], context: nil) }
        router.post("signin") { request, context in try await signInForm(request, context) }
        router.get("/") { request, context in try await worklistPage(request, context) }
        router.get("patients/:id") { _, context in try await patientPage(context) }
        router.get("tumors/:id") { _, context in try await abstractPage(context) }
        router.get("api/codes/:table") { request, context in try codes(request, context) }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func page(title: String, template: String, _ values: [String: Any], context: RegistryRequestContext?, status: HTTPResponse.Status = .ok,
                     query: String = "") -> Response {
        let content = Templates.library.render(values, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "content": content, "query": query]
        if let session = context?.session {
            layout["user"] = ["displayName": session.user.displayName.isEmpty ? session.user.username : session.user.displayName,
                              "role": session.user.role.rawValue, "csrf": session.csrfToken]
        }
        let html = Templates.library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                                  HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    struct SignInForm: Decodable { let username: String; let password: String }

    func signInForm(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let form = try await URLEncodedFormDecoder().decode(SignInForm.self, from: request, context: context)
        let keys = ["user:\(form.username)", "address:\(context.remoteAddress ?? "unknown")"]
        func failed(_ message: String, _ status: HTTPResponse.Status) -> Response {
            Self.page(title: "Sign in", template: "signin", ["error": message, "username": form.username], context: nil, status: status)
        }
        guard await limiter.allows(keys) else { return failed("Too many failed sign-ins. Wait a few minutes and try again.", .tooManyRequests) }
        guard let user = try await accounts.verify(username: form.username, password: form.password) else {
            await limiter.recordFailure(keys)
            try await pool.withConnection { db in
                try Audit.record(db, nil, action: "sign_in_failed", entity: "app_user", id: nil, remoteAddress: context.remoteAddress)
            }
            return failed("User name or password is wrong, or the account is disabled.", .unauthorized)
        }
        await limiter.reset(keys)
        let (token, session) = try await sessions.create(for: user, remoteAddress: context.remoteAddress)
        try await pool.withConnection { db in
            try Audit.record(db, session, action: "sign_in", entity: "app_user", id: user.id, remoteAddress: context.remoteAddress)
        }
        var response = Self.redirect("/")
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: token, maxAge: Int(sessions.lifetime), path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func worklistPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        guard let session = context.session else { return Self.redirect("/signin") }
        guard Permission.readAbstracts.roles.contains(session.user.role) else { throw APIError.forbidden }
        let q = request.uri.queryParameters
        let tab = q.get("tab") ?? "failing", query = (q.get("q") ?? "").trimmingCharacters(in: .whitespaces)
        let page = max(1, q.get("page", as: Int.self) ?? 1), pageSize = 25
        var search = PatientSearch()
        if !query.isEmpty {
            if query.allSatisfy(\.isNumber) { search.patientIdNumber = query } else { search.name = query }
        } else {
            switch tab {
            case "incomplete": search.tumorStatus = "incomplete"
            case "followup":
                let due = Calendar(identifier: .gregorian).date(byAdding: .month, value: -12, to: Date())!
                let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: due)
                search.lastContactBefore = String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
            case "all": break
            default: search.failingEditSet = editSet.name
            }
        }
        let filter = search
        let (rows, total) = try await pool.withConnection { db in
            let result = try AbstractRepository(connection: db).search(filter, limit: pageSize, offset: (page - 1) * pageSize)
            try Audit.record(db, session, action: "search", entity: "patient", id: nil, remoteAddress: context.remoteAddress,
                             detail: ["worklist": tab, "results": String(result.rows.count)])
            return result
        }
        let tabs = [("failing", "Failing edits"), ("incomplete", "Incomplete"), ("followup", "Due for follow-up"), ("all", "All patients")]
        func link(_ p: Int) -> String { "/?tab=\(tab)&page=\(p)" + (query.isEmpty ? "" : "&q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
        let values: [String: Any] = [
            "heading": query.isEmpty ? (tabs.first { $0.0 == tab }?.1 ?? "Worklist") : "Search", "total": total, "query": query, "page": page,
            "tabs": tabs.map { ["href": "/?tab=\($0.0)", "label": $0.1, "current": $0.0 == tab && query.isEmpty] },
            "rows": rows.map { ["id": $0.id, "patientIdNumber": $0.patientIdNumber, "nameLast": $0.nameLast ?? "", "nameFirst": $0.nameFirst ?? "",
                                "dateOfBirth": Self.displayDate($0.dateOfBirth), "tumors": $0.tumors,
                                "tumorsFailingEdits": $0.tumorsFailingEdits > 0 ? $0.tumorsFailingEdits : false] as [String: Any] },
            "previous": page > 1 ? link(page - 1) : false, "next": page * pageSize < total ? link(page + 1) : false,
        ]
        return Self.page(title: "Worklist", template: "worklist", values, context: context, query: query)
    }

    func patientPage(_ context: RegistryRequestContext) async throws -> Response {
        guard let session = context.session else { return Self.redirect("/signin") }
        guard Permission.readAbstracts.roles.contains(session.user.role) else { throw APIError.forbidden }
        let id = try Self.id(context)
        guard let patient = try await pool.withConnection({ db -> (items: [String: String], tumors: [(id: Int, version: Int, items: [String: String])])? in
            let p = try AbstractRepository(connection: db).patient(id)
            if p != nil { try Audit.record(db, session, action: "read", entity: "patient", id: id, remoteAddress: context.remoteAddress) }
            return p
        }) else { throw APIError.notFound("patient \(id)") }
        let p = patient.items
        let values: [String: Any] = [
            "nameLast": p["nameLast"] ?? "", "nameFirst": p["nameFirst"] ?? "", "patientIdNumber": p["patientIdNumber"] ?? "",
            "dateOfBirth": Self.displayDate(p["dateOfBirth"]), "sex": ICDO3.sexAssignedAtBirth.label(p["sexAssignedAtBirth"] ?? "") ?? "",
            "vitalStatus": p["vitalStatus"] == "1" ? "Alive" : p["vitalStatus"] == "0" ? "Dead" : "", "dateOfLastContact": Self.displayDate(p["dateOfLastContact"]),
            "tumors": patient.tumors.map { t -> [String: Any] in
                let site = t.items["primarySite"] ?? "", histology = t.items["histologicTypeIcdO3"] ?? "", behavior = t.items["behaviorCodeIcdO3"] ?? ""
                return ["id": t.id, "version": t.version, "sequence": t.items["sequenceNumberCentral"] ?? "",
                        "site": "\(site) \(ICDO3.topography.label(site) ?? "")",
                        "histology": "\(histology)/\(behavior) \(ICDO3.morphology.label("\(histology)/\(behavior)") ?? "")",
                        "diagnosed": Self.displayDate(t.items["dateOfDiagnosis"]), "stage": t.items["summaryStage2018"] ?? ""]
            },
        ]
        return Self.page(title: "Patient", template: "patient", values, context: context)
    }

    /// The abstract form's groups, in a registrar's order; patient items (demographics, follow-up) are saved on the patient.
    static let formGroups: [(title: String, items: [String])] = [
        ("Demographics", ["patientIdNumber", "nameLast", "nameFirst", "dateOfBirth", "sexAssignedAtBirth", "race1", "spanishHispanicOrigin"]),
        ("Cancer identification", ["dateOfDiagnosis", "primarySite", "laterality", "histologicTypeIcdO3", "behaviorCodeIcdO3",
                                   "gradeClinical", "gradePathological", "diagnosticConfirmation", "sequenceNumberCentral",
                                   "sequenceNumberHospital", "typeOfReportingSource", "classOfCase", "dateOf1stContact", "ageAtDiagnosis"]),
        ("Stage", ["summaryStage2018", "derivedSummaryStage2018", "tumorSizeSummary", "regionalNodesExamined", "regionalNodesPositive",
                   "lymphVascularInvasion", "metsAtDxBone", "metsAtDxBrain", "metsAtDxLiver", "metsAtDxLung", "metsAtDxDistantLn", "metsAtDxOther"]),
        ("First course treatment", ["rxSummSurgPrimSite", "rxDateSurgery", "reasonForNoSurgery", "rxSummScopeRegLnSur", "rxSummRadiation",
                                    "rxDateRadiation", "reasonForNoRadiation", "rxSummChemo", "rxDateChemo", "rxSummHormone", "rxDateHormone",
                                    "rxSummBrm", "rxSummOther", "rxSummSurgRadSeq", "rxSummSystemicSurSeq", "rxSummTreatmentStatus"]),
        ("Follow-up", ["dateOfLastContact", "vitalStatus", "causeOfDeath", "cancerStatus", "dateOfLastCancerStatus", "followUpSource"]),
        ("Over-rides", ["overRideSiteType", "overRideHistology", "overRideAgeSiteMorph", "overRideSiteLatMorph", "overRideSurgDxconf"]),
    ]

    static let histologyOptions: [[String: String]] = {
        var seen = Set<String>(), options: [[String: String]] = []
        for entry in ICDO3.morphology.entries.sorted(by: { $0.code.hasSuffix("/3") && !$1.code.hasSuffix("/3") }) {
            let code = String(entry.code.prefix(4))
            if seen.insert(code).inserted { options.append(["code": code, "label": entry.label]) }
        }
        return options.sorted { $0["code"]! < $1["code"]! }
    }()

    func abstractPage(_ context: RegistryRequestContext) async throws -> Response {
        guard let session = context.session else { return Self.redirect("/signin") }
        guard Permission.readAbstracts.roles.contains(session.user.role) else { throw APIError.forbidden }
        let id = try Self.id(context)
        guard let stored = try await pool.withConnection({ db -> StoredAbstract? in
            let a = try AbstractRepository(connection: db).abstract(tumorId: id)
            if a != nil { try Audit.record(db, session, action: "read", entity: "tumor", id: id, remoteAddress: context.remoteAddress) }
            return a
        }) else { throw APIError.notFound("tumor \(id)") }
        let d = NaaccrDictionary.v26
        let canEdit = Permission.editAbstracts.roles.contains(session.user.role)
        let groups = Self.formGroups.map { group -> [String: Any] in
            ["title": group.title, "fields": group.items.compactMap { itemId -> [String: Any]? in
                guard let item = d.item(itemId) else { return nil }
                let isPatient = item.level == .patient
                return ["id": itemId, "label": item.name, "number": item.naaccrNum, "length": item.length,
                        "value": (isPatient ? stored.patientItems[itemId] : stored.tumorItems[itemId]) ?? "",
                        "level": isPatient ? "patient" : "tumor",
                        // The patient's identity stays as the registry assigned it.
                        "readonly": !canEdit || itemId == "patientIdNumber",
                        "list": itemId == "primarySite" ? "sites" : itemId == "histologicTypeIcdO3" ? "histologies" : false]
            }]
        }
        let site = stored.tumorItems["primarySite"] ?? ""
        let values: [String: Any] = [
            "tumorId": id, "patientId": stored.patientId, "version": stored.version, "patientVersion": stored.patientVersion,
            "csrf": session.csrfToken,
            "siteLabel": ICDO3.topography.label(site) ?? site,
            "patientName": "\(stored.patientItems["nameLast"] ?? ""), \(stored.patientItems["nameFirst"] ?? "")",
            "groups": groups,
            "sites": ICDO3.topography.entries.map { ["code": $0.code, "label": $0.label] },
            "histologies": Self.histologyOptions,
        ]
        return Self.page(title: "Abstract", template: "abstract", values, context: context)
    }

    /// Code look-ups for pickers: `GET /api/codes/primarySite?q=breast` (also histologicTypeIcdO3, laterality, behaviorCodeIcdO3).
    func codes(_ request: Request, _ context: RegistryRequestContext) throws -> CodeSearchResponse {
        _ = try context.require(.readAbstracts)
        let tables = ["primarySite": ICDO3.topography, "histologicTypeIcdO3": ICDO3.morphology, "laterality": ICDO3.laterality,
                      "behaviorCodeIcdO3": ICDO3.behavior, "sexAssignedAtBirth": ICDO3.sexAssignedAtBirth]
        guard let name = context.parameters.get("table"), let table = tables[name] else { throw APIError.notFound("code table") }
        let q = request.uri.queryParameters
        return CodeSearchResponse(table: name, codes: table.search(q.get("q") ?? "", limit: min(100, q.get("limit", as: Int.self) ?? 20))
            .map { .init(code: $0.code, label: $0.label) })
    }

    /// CCYYMMDD as YYYY-MM-DD (partial dates as they are).
    static func displayDate(_ value: String?) -> String {
        guard let v = value, v.count == 8 else { return value ?? "" }
        return "\(v.prefix(4))-\(v.dropFirst(4).prefix(2))-\(v.suffix(2))"
    }
}

struct CodeSearchResponse: ResponseEncodable {
    struct Code: Encodable { let code: String; let label: String }
    let table: String
    let codes: [Code]
}
