import CivilCalendar
import Edits
import Coding
import Foundation
import HTTPTypes
import Hummingbird
import NAACCR
import Registry
import Staging
import Synchronization
import RegistryStore

/// Renders pages in the layout, and error pages.
enum PageRenderer {
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func page(title: String, template: String, _ values: [String: Any], context: RegistryRequestContext?, status: HTTPResponse.Status = .ok,
                     query: String = "") -> Response {
        let content = Templates.library.render(values, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "content": content, "query": query]
        if let session = context?.session {
            layout["user"] = ["displayName": session.user.displayName.isEmpty ? session.user.username : session.user.displayName,
                              "role": session.user.role.rawValue, "csrf": session.csrfToken,
                              "submissions": Permission.submitData.allows(session.user.role),
                              "reports": Permission.readReports.allows(session.user.role),
                              "followup": Permission.readAbstracts.allows(session.user.role) && session.user.role != .submitter,
                              "casefinding": Permission.editAbstracts.allows(session.user.role),
                              "intake": Permission.importFiles.allows(session.user.role)]
        }
        let html = Templates.library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                                  SecurityHeadersMiddleware.contentSecurityPolicy: contentSecurityPolicy],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func errorPage(_ error: APIError, context: RegistryRequestContext) -> Response {
        let heading: String
        switch error.status {
        case .notFound: heading = "Not found"
        case .forbidden: heading = "Not allowed"
        case .unauthorized: heading = "Please sign in"
        case .tooManyRequests: heading = "Slow down"
        case .badRequest, .unprocessableContent: heading = "That request could not be read"
        default: heading = error.status.code >= 500 ? "Something went wrong" : "Request refused"
        }
        var response = page(title: heading, template: "error", ["heading": heading, "message": error.message], context: context, status: error.status)
        response.headers.append(contentsOf: error.headers)
        return response
    }

    static func redirect(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A NAACCR date in words, saying which parts are unknown: "15 March 2024", "March 2024 (day unknown)".
    static func spokenDate(_ value: String) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        guard value.count >= 4, value.allSatisfy(\.isNumber), value.prefix(4) != "9999" else { return value.isEmpty ? "" : "not a date" }
        let year = String(value.prefix(4))
        guard value.count >= 6, let month = Int(value.dropFirst(4).prefix(2)), (1...12).contains(month) else { return "\(year) (month and day unknown)" }
        guard value.count >= 8, let day = Int(value.suffix(2)), (1...31).contains(day) else { return "\(months[month - 1]) \(year) (day unknown)" }
        return "\(day) \(months[month - 1]) \(year)"
    }

    /// CCYYMMDD as YYYY-MM-DD (partial dates as they are).
    static func displayDate(_ value: String?) -> String {
        guard let v = value, v.count == 8 else { return value ?? "" }
        return "\(v.prefix(4))-\(v.dropFirst(4).prefix(2))-\(v.suffix(2))"
    }
}

/// The sign-in form and static assets (open to all).
struct SignInPageController {
    let sessions: SessionController
    static let signInCookie = "registry_signin"

    func addRoutes(to router: Router<RegistryRequestContext>) {
        router.get("static/app.css") { _, _ in PageRenderer.asset(StaticAssets.css, type: "text/css; charset=utf-8") }
        router.get("static/app.js") { _, _ in PageRenderer.asset(StaticAssets.javascript, type: "text/javascript; charset=utf-8") }
        router.get("static/pickers.html") { _, _ in PageRenderer.asset(PageController.pickersHTML, type: "text/html; charset=utf-8") }
        router.get("signin") { _, _ in form(error: nil, username: "", status: .ok) }
        router.post("signin") { request, context in try await signIn(request, context) }
    }

    /// The form with a fresh pre-session token, also set as a cookie: a sign-in must carry both (login CSRF).
    func form(error: String?, username: String, status: HTTPResponse.Status) -> Response {
        let token = UUID().uuidString + UUID().uuidString
        var values: [String: Any] = ["username": username, "signinToken": token]
        if let error { values["error"] = error }
        var response = PageRenderer.page(title: "Sign in", template: "signin", values, context: nil, status: status)
        response.setCookie(Cookie(name: Self.signInCookie, value: token, maxAge: 3600, path: "/signin", secure: sessions.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    struct SignInForm: Decodable { let username: String; let password: String; let _signin: String? }

    func signIn(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the sign-in form as application/x-www-form-urlencoded")
        }
        let buffer = try await request.body.collect(upTo: RequestLimits.signInBody)
        let submitted = try URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: buffer))
        // Login CSRF: another site's form has neither our Origin nor the token in our cookie.
        // (Under Referrer-Policy no-referrer browsers send `Origin: null` for their own forms: the token decides then.)
        if let origin = request.headers[.origin], origin != "null", let host = request.head.authority,
           URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true {
            throw APIError(.forbidden, "csrf", "sign-in from another site is refused")
        }
        guard let token = submitted._signin, !token.isEmpty, request.cookies[Self.signInCookie]?.value == token else {
            return form(error: "The sign-in form had expired. Please sign in again.", username: "", status: .forbidden)
        }
        do {
            let (token, _) = try await sessions.authenticate(username: submitted.username, password: submitted.password, context: context,
                                                             previousToken: request.cookies[SessionMiddleware.cookieName]?.value)
            var response = PageRenderer.redirect("/")
            response.setCookie(sessions.sessionCookie(token))
            return response
        } catch let error as APIError where error.status == .unauthorized || error.status == .tooManyRequests {
            let message = error.status == .unauthorized ? "User name or password is wrong, or the account is disabled."
                : "Too many sign-in attempts. Wait a little and try again."
            var response = form(error: message, username: String(submitted.username.prefix(64)), status: error.status)
            response.headers.append(contentsOf: error.headers)
            return response
        } catch is PasswordHashingBusy {
            var response = form(error: "Many people are signing in right now. Please try again in a moment.",
                                username: String(submitted.username.prefix(64)), status: .serviceUnavailable)
            response.headers[.retryAfter] = "1"
            return response
        }
    }
}

/// The workbench: worklists, patient page, abstract form. The form talks to the JSON API (inline edits, save) with
/// the session's CSRF token.
struct PageController {
    let registry: Registry

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get("/") { request, context in try await worklistPage(request, context) }
        group.get("patients/new") { _, context in try await newPatientPage(context) }
        group.get("casefinding") { request, context in try await casefindingPage(request, context) }
        group.get("patients/:id") { _, context in try await patientPage(context) }
        group.get("tumors/:id") { _, context in try await abstractPage(context) }
        group.get("tumors/:id/schema-items") { request, context in try await schemaItemsFragment(request, context) }
        group.get("submissions") { _, context in try await submissionsPage(context) }
        group.get("submissions/preview") { request, context in try await previewPage(request, context) }
        group.get("intake") { request, context in try await intakePage(request, context) }
    }

    /// The submitter's page: the destinations and the ledger (GET /api/submissions does the same as JSON).
    func submissionsPage(_ context: RegistryRequestContext) async throws -> Response {
        let records = try await registry.submissions()
        let csrf = context.session?.csrfToken ?? ""
        let values: [String: Any] = [
            "csrf": csrf,
            "destinations": Destination.builtIn.map { ["name": $0.name, "description": $0.description, "editSet": $0.editSet] },
            "history": records.map { r -> [String: Any] in
                ["id": r.id, "destination": r.destination, "recordType": r.recordType, "companionOf": r.companionOf ?? false,
                 "created": ISO8601DateFormatter().string(from: r.createdAt), "createdBy": r.createdBy,
                 "sent": r.tumorsNew + r.tumorsChanged, "held": r.tumorsHeld, "status": r.status, "reason": r.statusReason ?? false,
                 "fileName": r.fileName, "canMark": r.status != "accepted"]
            },
        ]
        return PageRenderer.page(title: "Submissions", template: "submissions", values, context: context)
    }

    /// The central registry's intake: the upload form and the received files (GET /api/intake as JSON), newest first.
    func intakePage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, _) = try context.actingUser()
        let facility = try request.queryText("facility", maxLength: 40)
        let records = try await registry.intakes(from: facility)
        let canXML = Permission.readIdentifiers.allows(user.role)
        let values: [String: Any] = [
            "csrf": context.session?.csrfToken ?? "", "editSet": EditSet.stateSubmission.name,
            "intakes": records.prefix(500).map { r -> [String: Any] in
                let top = r.failingByEdit.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
                return ["id": r.id, "facility": r.facility, "received": ISO8601DateFormatter().string(from: r.receivedAt), "receivedBy": r.receivedBy,
                        "fileName": r.fileName, "recordType": r.recordType, "version": r.naaccrVersion, "new": r.tumorsNew, "changed": r.tumorsChanged,
                        "unchanged": r.tumorsUnchanged, "rejectedPatients": r.patientsRejected, "failing": r.tumorsFailing,
                        "topEdits": top.map { "\($0.key) \($0.value)" }.joined(separator: ", "), "canXML": canXML]
            },
        ]
        return PageRenderer.page(title: "Intake", template: "intake", values, context: context)
    }

    /// A dry run of one destination, with the held records linked to their abstracts.
    func previewPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let name = try request.queryText("destination", maxLength: 40) ?? ""
        guard let destination = Destination.builtIn.first(where: { $0.name == name }) else { throw APIError.notFound("destination \(name)") }
        let folder = FileManager.default.temporaryDirectory.path
        let s = try await registry.submit(to: destination, dryRun: true, directory: folder, by: user.acting(from: address))
        let values: [String: Any] = [
            "destination": destination.name, "description": destination.description, "editSet": s.editSet, "refused": s.refused,
            "maxHeldPercent": destination.maxHeldPercent.formatted(), "csrf": context.session?.csrfToken ?? "",
            "tumorsNew": s.tumorsNew, "tumorsChanged": s.tumorsChanged, "tumorsResent": s.tumorsResent, "tumorsUnchanged": s.tumorsUnchanged,
            "tumorsHeld": s.tumorsHeld, "tumorsNotEligible": s.tumorsNotEligible, "tumorsInProgress": s.tumorsInProgress,
            "quality": (s.quality?.figures ?? []).map { ["name": $0.name, "percent": String(format: "%.2f", $0.percent), "standard": $0.standard,
                                                          "verdict": $0.meets ? "meets" : "does not meet"] },
            "held": s.heldTumors.map { ["tumorId": $0.tumorId, "edits": $0.edits.joined(separator: ", ")] as [String: Any] },
            "hasQuality": !(s.quality?.figures ?? []).isEmpty, "hasHeld": !s.heldTumors.isEmpty,
        ]
        return PageRenderer.page(title: "Preview \(destination.name)", template: "preview", values, context: context)
    }

    func worklistPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let tab = try request.queryText("tab", maxLength: 20) ?? "failing"
        // The header's search box is a GET form: its query is form-encoded, where "+" is a space ("smith,+james").
        let query = (try request.queryText("q", maxLength: 100) ?? "").replacingOccurrences(of: "+", with: " ")
        let paging = try Paging(page: request.queryInt("page", default: 1, range: 1...Paging.maxPage), pageSize: 25, maxPageSize: 25)
        var search = PatientSearch()
        if !query.isEmpty {
            // A date is a date of birth; a word with a digit in it an identifier (patient id, accession number, medical
            // record number, or for registrars the SSN); anything else a name ("last, first").
            if let born = Self.dateOfBirth(query) {
                search.dateOfBirth = born
            } else if query.contains(where: \.isNumber) && !query.contains(where: { $0 == " " || $0 == "," }) {
                if Permission.readIdentifiers.allows(user.role) {
                    search.identifier = query
                    search.searchSocialSecurityNumber = true
                } else {
                    search.patientIdNumber = query  // roles without identifiers find patients by the registry's own number only
                }
            } else {
                search.name = query
            }
        } else {
            switch tab {
            case "incomplete": search.tumorStatus = "incomplete"
            case "followup":
                let due = Calendar(identifier: .gregorian).date(byAdding: .month, value: -12, to: Date())!
                let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: due)
                search.lastContactBefore = String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
            case "all": break
            default: search.failingEditSet = registry.editSet.name
            }
        }
        let result = try await registry.searchPatients(search, paging: paging, by: user, from: address, worklist: query.isEmpty ? tab : "search")
        let today = CalendarDate.today
        let tabs = [("failing", "Failing edits"), ("incomplete", "Incomplete"), ("followup", "Due for follow-up"), ("all", "All patients")]
        let shownTab = tabs.first { $0.0 == tab }?.0 ?? "failing"
        func link(_ p: Int) -> String {
            "/?tab=\(shownTab)&page=\(p)" + (query.isEmpty ? "" : "&q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        let values: [String: Any] = [
            "heading": query.isEmpty ? (tabs.first { $0.0 == tab }?.1 ?? "Worklist") : "Search",
            "total": result.totalIsAtLeast ? "\(result.total.formatted())+" : result.total.formatted(), "query": query,
            "page": paging.page,
            "tabs": tabs.map { ["href": "/?tab=\($0.0)", "label": $0.1, "current": $0.0 == tab && query.isEmpty] },
            "rows": result.items.map { row -> [String: Any] in
                // Days since Date of 1st Contact (580) of the oldest abstract in progress: CoC wants abstracts done within 6 months.
                let days = row.oldestOpenFirstContact.flatMap { CalendarDate($0) }.map { today.daysSinceEpoch - $0.daysSinceEpoch }
                return ["id": row.id, "patientIdNumber": row.patientIdNumber, "nameLast": row.nameLast ?? "—", "nameFirst": row.nameFirst ?? "",
                        "dateOfBirth": PageRenderer.displayDate(row.dateOfBirth), "tumors": row.tumors,
                        "tumorsFailingEdits": row.tumorsFailingEdits > 0 ? row.tumorsFailingEdits : false,
                        "inProgress": row.tumorsInProgress > 0 ? String(row.tumorsInProgress) : "", "days": days.map(String.init) ?? "",
                        "late": (days ?? 0) > 183, "abstractor": row.abstractor ?? ""]
            },
            "previous": paging.page > 1 ? link(paging.page - 1) : false,
            "next": paging.page * paging.pageSize < result.total || result.totalIsAtLeast ? link(paging.page + 1) : false,
            "canEdit": Permission.editAbstracts.allows(user.role),
        ]
        return PageRenderer.page(title: "Worklist", template: "worklist", values, context: context, query: query)
    }

    /// A date typed in the search box (YYYY-MM-DD or MM/DD/YYYY) as CCYYMMDD.
    static func dateOfBirth(_ text: String) -> String? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
        let (y, m, d) = text.contains("/") ? (parts[2], parts[0], parts[1]) : (parts[0], parts[1], parts[2])
        guard y.count == 4, (1...2).contains(m.count), (1...2).contains(d.count), let month = Int(m), let day = Int(d),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        return y + String(format: "%02d%02d", month, day)
    }

    /// The casefinding list by status (pending first), a page at a time, with the form for a new report.
    func casefindingPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let status = try request.queryText("status", maxLength: 20) ?? "pending"
        let page = try request.queryInt("page", default: 1, range: 1...100_000)
        let (entries, total) = try await registry.casefinding(status: status, limit: 50, offset: (page - 1) * 50, by: user.acting(from: address))
        func link(_ s: String, _ p: Int) -> String { "/casefinding?status=\(s.replacingOccurrences(of: " ", with: "%20"))&page=\(p)" }
        let values: [String: Any] = [
            "csrf": context.session?.csrfToken ?? "", "total": total, "page": page, "today": CalendarDate.today.description,
            "tabs": ["pending", "reportable", "not reportable", "duplicate"].map { ["href": link($0, 1), "label": $0.capitalized, "current": $0 == status] },
            "rows": entries.map { e -> [String: Any] in
                ["id": e.id, "reportedOn": e.reportedOn, "source": e.source, "name": [e.nameLast, e.nameFirst].compactMap { $0 }.joined(separator: ", "),
                 "born": PageRenderer.displayDate(e.dateOfBirth), "mrn": e.medicalRecordNumber ?? "",
                 "site": e.suspectedSite.map { "\($0) \(ICDO3.topography.label($0) ?? "")" } ?? "", "histology": e.suspectedHistology ?? "",
                 "diagnosis": e.diagnosis ?? "", "pending": e.status == "pending", "status": e.status, "reason": e.reason ?? false,
                 "tumorId": e.tumorId ?? false]
            },
            "previous": page > 1 ? link(status, page - 1) : false, "next": total > page * 50 ? link(status, page + 1) : false,
            "sources": CasefindingEntry.sources,
            "sexes": (NaaccrCodeLists.list("sexAssignedAtBirth")?.entries ?? []).map { ["code": $0.code, "label": $0.label] },
            "datalists": Self.sitesDatalist + Self.morphologyDatalist,
        ]
        return PageRenderer.page(title: "Casefinding", template: "casefinding", values, context: context)
    }

    func newPatientPage(_ context: RegistryRequestContext) async throws -> Response {
        let (user, _) = try context.actingUser()
        guard Permission.editAbstracts.allows(user.role) else { throw APIError.forbidden }
        let values: [String: Any] = [
            "csrf": context.session?.csrfToken ?? "",
            "sexes": (NaaccrCodeLists.list("sexAssignedAtBirth")?.entries ?? []).map { ["code": $0.code, "label": $0.label] },
        ]
        return PageRenderer.page(title: "New patient", template: "newPatient", values, context: context)
    }

    func patientPage(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let patient = try await registry.patient(try context.pathId(), for: user, from: address)
        let p = patient.items
        let values: [String: Any] = [
            "nameLast": p["nameLast"] ?? "—", "nameFirst": p["nameFirst"] ?? "", "patientIdNumber": p["patientIdNumber"] ?? "",
            "dateOfBirth": PageRenderer.displayDate(p["dateOfBirth"]), "sex": ICDO3.sexAssignedAtBirth.label(p["sexAssignedAtBirth"] ?? "") ?? "",
            "vitalStatus": p["vitalStatus"] == "1" ? "Alive" : p["vitalStatus"] == "0" ? "Dead" : "",
            "dateOfLastContact": PageRenderer.displayDate(p["dateOfLastContact"]),
            "tumors": patient.tumors.map { t -> [String: Any] in
                let site = t.items["primarySite"] ?? "", histology = t.items["histologicTypeIcdO3"] ?? "", behavior = t.items["behaviorCodeIcdO3"] ?? ""
                return ["id": t.id, "version": t.version, "sequence": t.items["sequenceNumberCentral"] ?? "",
                        "site": "\(site) \(ICDO3.topography.label(site) ?? "")",
                        "histology": "\(histology)/\(behavior) \(ICDO3.morphology.label("\(histology)/\(behavior)") ?? "")",
                        "diagnosed": PageRenderer.displayDate(t.items["dateOfDiagnosis"]), "stage": t.items["summaryStage2018"] ?? "",
                        "accession": t.items["accessionNumberHosp"] ?? "", "status": t.status]
            },
            "patientId": patient.id, "csrf": context.session?.csrfToken ?? "", "canEdit": Permission.editAbstracts.allows(user.role),
        ]
        return PageRenderer.page(title: "Patient", template: "patient", values, context: context)
    }
}
