import CivilCalendar
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
                              "casefinding": Permission.editAbstracts.allows(session.user.role)]
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
        group.get("submissions") { _, context in try await submissionsPage(context) }
        group.get("submissions/preview") { request, context in try await previewPage(request, context) }
    }

    /// The submitter's page: the destinations and the ledger (GET /api/submissions does the same as JSON).
    func submissionsPage(_ context: RegistryRequestContext) async throws -> Response {
        let records = try await registry.submissions()
        let csrf = context.session?.csrfToken ?? ""
        let values: [String: Any] = [
            "csrf": csrf,
            "destinations": Destination.builtIn.map { ["name": $0.name, "description": $0.description, "editSet": $0.editSet] },
            "history": records.map { r -> [String: Any] in
                ["id": r.id, "destination": r.destination, "created": ISO8601DateFormatter().string(from: r.createdAt), "createdBy": r.createdBy,
                 "sent": r.tumorsNew + r.tumorsChanged, "held": r.tumorsHeld, "status": r.status, "reason": r.statusReason ?? false,
                 "fileName": r.fileName, "canMark": r.status != "accepted"]
            },
        ]
        return PageRenderer.page(title: "Submissions", template: "submissions", values, context: context)
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

    /// The abstract form's sections in a registrar's order (patient, cancer identification, stage, first course of
    /// treatment, follow-up, administrative, text, over-rides); patient items are saved on the patient. The staging
    /// schema's own items (SSDIs, grade) get a section of their own when the site and histology select a schema.
    static let formGroups: [(title: String, items: [String])] = [
        ("Patient", ["patientIdNumber", "medicalRecordNumber", "nameLast", "nameFirst", "dateOfBirth", "sexAssignedAtBirth", "race1",
                     "spanishHispanicOrigin", "addrAtDxState", "countyAtDx"]),
        ("Cancer identification", ["dateOfDiagnosis", "primarySite", "laterality", "histologicTypeIcdO3", "behaviorCodeIcdO3",
                                   "gradeClinical", "gradePathological", "diagnosticConfirmation", "ageAtDiagnosis"]),
        ("Stage", ["summaryStage2018", "derivedSummaryStage2018", "eodPrimaryTumor", "eodRegionalNodes", "eodMets", "ajccTnmClinT",
                   "ajccTnmClinN", "ajccTnmClinM", "ajccTnmClinStageGroup", "ajccTnmPathT", "ajccTnmPathN", "ajccTnmPathM",
                   "ajccTnmPathStageGroup", "tumorSizeSummary", "regionalNodesExamined", "regionalNodesPositive", "lymphVascularInvasion",
                   "metsAtDxBone", "metsAtDxBrain", "metsAtDxLiver", "metsAtDxLung", "metsAtDxDistantLn", "metsAtDxOther"]),
        ("First course of treatment", ["rxSummSurgPrimSite2023", "rxSummSurgPrimSite", "rxDateSurgery", "reasonForNoSurgery",
                                       "rxSummScopeRegLnSur", "rxSummRadiation", "rxDateRadiation", "reasonForNoRadiation", "rxSummChemo",
                                       "rxDateChemo", "rxSummHormone", "rxDateHormone", "rxSummBrm", "rxSummOther", "rxSummSurgRadSeq",
                                       "rxSummSystemicSurSeq", "rxSummTreatmentStatus"]),
        ("Follow-up", ["dateOfLastContact", "vitalStatus", "causeOfDeath", "cancerStatus", "dateOfLastCancerStatus", "followUpSource",
                       "nextFollowUpSource", "physicianFollowUp"]),
        ("Administrative", ["accessionNumberHosp", "sequenceNumberHospital", "sequenceNumberCentral", "classOfCase", "typeOfReportingSource",
                            "dateOf1stContact", "abstractedBy", "dateCaseInitiated", "dateCaseCompleted"]),
        ("Text documentation", ["textDxProcPe", "textDxProcXRayScan", "textDxProcScopes", "textDxProcLabTests", "textDxProcOp",
                                "textDxProcPath", "textPrimarySiteTitle", "textHistologyTitle", "textStaging", "rxTextSurgery",
                                "rxTextRadiation", "rxTextRadiationOther", "rxTextChemo", "rxTextHormone", "rxTextBrm", "rxTextOther",
                                "textRemarks", "textPlaceOfDiagnosis"]),
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

    /// SEER EOD 2018 staging data (loaded once, on the first abstract opened): the schema's items and their codes.
    static var stager: Stager { .eod }

    /// Text escaped for HTML (element content and quoted attributes).
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A picker's options as a `<datalist>` (value = the code, label = its words).
    static func datalist(id: String, _ entries: [(code: String, label: String)]) -> String {
        "<datalist id=\"\(escapeHTML(id))\">" + entries.map { "<option value=\"\(escapeHTML($0.code))\">\(escapeHTML($0.label))</option>" }.joined()
            + "</datalist>"
    }

    /// The pickers every abstract has, rendered once: sites, histologies and each NAACCR code list (by item).
    static let sitesDatalist = datalist(id: "sites", ICDO3.topography.entries.map { ($0.code, $0.label) })
    static let histologiesDatalist = datalist(id: "histologies", histologyOptions.map { ($0["code"]!, $0["label"]!) })
    /// Histologies with their behavior (8500/3), for reports that name both.
    static let morphologyDatalist = datalist(id: "histologies", ICDO3.morphology.entries.map { ($0.code, $0.label) })
    /// The pickers no abstract changes (sites, histologies, the NAACCR code list of each coded item on the form), served
    /// once as `/static/pickers.html` (cached by the browser; public standards, no patient data) and added to the form
    /// by its script: each abstract page then carries only its own lists (surgery codes, the schema's items).
    static let pickersHTML: String = {
        var lists = [sitesDatalist, histologiesDatalist]
        for item in formGroups.flatMap(\.items) where item != "primarySite" && item != "histologicTypeIcdO3" {
            if let codes = NaaccrCodeLists.list(item) { lists.append(datalist(id: "cl-\(item)", codes.entries.map { ($0.code, $0.label) })) }
        }
        return lists.joined(separator: "\n")
    }()

    /// A staging schema's own items (not on the standard sections) with their codes and labels, computed once per schema.
    static let schemaFields = Mutex<[String: [(item: String, codes: [(code: String, label: String)])]]>([:])
    static func fields(of schema: StagingAlgorithm.Schema, leaving standard: Set<String>) -> [(item: String, codes: [(code: String, label: String)])] {
        if let cached = schemaFields.withLock({ $0[schema.id] }) { return cached }
        let computed = schema.inputs.compactMap { input -> (item: String, codes: [(code: String, label: String)])? in
            guard let item = input.item, !standard.contains(item), NaaccrDictionary.v26.item(item) != nil else { return nil }
            return (item, stager.codes(of: input).map { code in (code, stager.check(input, value: code).label ?? "") })
        }
        schemaFields.withLock { $0[schema.id] = computed }
        return computed
    }

    /// A stored NAACCR date (CCYYMMDD, CCYYMM or CCYY) as the form shows it (YYYY-MM-DD, YYYY-MM, YYYY).
    static func formDate(_ value: String) -> String {
        guard value.allSatisfy(\.isNumber) else { return value }
        switch value.count {
        case 8: return "\(value.prefix(4))-\(value.dropFirst(4).prefix(2))-\(value.suffix(2))"
        case 6: return "\(value.prefix(4))-\(value.suffix(2))"
        default: return value
        }
    }

    func abstractPage(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let stored = try await registry.abstract(tumorId: id, for: user, from: address)
        let d = NaaccrDictionary.v26
        let canEdit = Permission.editAbstracts.allows(user.role)
        let showIdentifiers = Permission.readIdentifiers.allows(user.role)
        func value(_ itemId: String) -> String? { stored.tumorItems[itemId] ?? stored.patientItems[itemId] }
        var datalists: [String: String] = [:]  // list id → its rendered <datalist>, for the lists this form uses
        let year = Int(value("dateOfDiagnosis")?.prefix(4) ?? "") ?? CalendarDate.today.year
        let surgery = SurgeryCodes.group(site: value("primarySite") ?? "", histology: value("histologicTypeIcdO3"), year: year)
        // One field of the form: its kind (date, long text, code with a picker) decides how it is entered and shown.
        func field(_ itemId: String, list: (id: String, entries: [(code: String, label: String)])? = nil) -> [String: Any]? {
            guard let item = d.item(itemId) else { return nil }
            // Items the role may not see are not on its form at all.
            if !showIdentifiers, IdentifierVisibility.directIdentifiers.contains(itemId) { return nil }
            let isPatient = item.level == .patient
            let raw = (isPatient ? stored.patientItems[itemId] : stored.tumorItems[itemId]) ?? ""
            var field: [String: Any] = ["id": itemId, "label": item.name, "number": item.naaccrNum, "length": item.length,
                                        "level": isPatient ? "patient" : "tumor", "readonly": !canEdit || itemId == "patientIdNumber"]
            if item.dataType == .date {
                field["date"] = true
                field["value"] = Self.formDate(raw)
                field["codeLabel"] = PageRenderer.spokenDate(raw)
            } else if item.dataType == .text && item.length >= 100 {
                field["textarea"] = true
                field["value"] = raw
                field["count"] = raw.count
            } else {
                field["value"] = raw
                var entries: [(code: String, label: String)]? = list?.entries
                var listId = list?.id
                switch itemId {
                case "primarySite": listId = "sites"; field["codeLabel"] = ICDO3.topography.label(raw) ?? ""
                case "histologicTypeIcdO3":
                    listId = "histologies"
                    field["codeLabel"] = ICDO3.morphology.label("\(raw)/\(value("behaviorCodeIcdO3") ?? "3")") ?? ICDO3.morphology.label("\(raw)/3") ?? ""
                case "rxSummSurgPrimSite2023" where year >= 2023, "rxSummSurgPrimSite" where year < 2023:
                    if let surgery { entries = surgery.codes.entries.map { ($0.code, $0.label) }; listId = "surgery" }
                default:
                    // A standard code list: its picker comes with /static/pickers.html; only the value's label is needed here.
                    if entries == nil, let codes = NaaccrCodeLists.list(itemId) {
                        listId = "cl-\(itemId)"
                        field["codeLabel"] = raw.isEmpty ? "" : codes.label(raw) ?? ""
                    }
                }
                if let listId {
                    field["list"] = listId
                    if let entries {
                        // The standard code lists come with /static/pickers.html; this abstract's own lists are in its page.
                        if datalists[listId] == nil && !listId.hasPrefix("cl-") { datalists[listId] = Self.datalist(id: listId, entries) }
                        if field["codeLabel"] == nil { field["codeLabel"] = entries.first { $0.code == raw }?.label ?? "" }
                    }
                }
            }
            return field
        }
        var groups = Self.formGroups.map { group -> [String: Any] in
            ["title": group.title, "fields": group.items.compactMap { field($0) }]
        }
        // The schema the site and histology select (SEER EOD 2018): its site-specific data items and grade.
        let stager = Self.stager
        let standard: Set<String> = ["primarySite", "histologicTypeIcdO3", "dateOfDiagnosis", "behaviorCodeIcdO3", "sexAssignedAtBirth",
                                     "ageAtDiagnosis", "eodPrimaryTumor", "eodRegionalNodes", "eodMets", "regionalNodesPositive",
                                     "regionalNodesExamined", "lymphVascularInvasion", "tumorSizeSummary"]
        var schemaName = ""
        switch stager.selectSchema({ value($0) }) {
        case .schema(let schema):
            schemaName = "\(schema.name)\(schema.schemaId.map { " (Schema ID \($0))" } ?? "")"
            let fields = Self.fields(of: schema, leaving: standard).compactMap { f in
                field(f.item, list: f.codes.isEmpty ? nil : (id: "ss-\(f.item)", entries: f.codes))
            }
            if !fields.isEmpty { groups.insert(["title": "Site-specific data items: \(schema.name)", "fields": fields], at: 3) }
        case .needsDiscriminator(let ids):
            schemaName = "several schemas fit (\(ids.joined(separator: ", "))): Schema Discriminator 1 or 2 chooses"
            if let f = field("schemaDiscriminator1") { groups.insert(["title": "Schema discriminator", "fields": [f]], at: 3) }
        case .none:
            schemaName = "no staging schema for this site and histology"
        }
        let site = stored.tumorItems["primarySite"] ?? ""
        let values: [String: Any] = [
            "tumorId": id, "patientId": stored.patientId, "version": stored.version, "patientVersion": stored.patientVersion,
            "csrf": context.session?.csrfToken ?? "", "canEdit": canEdit, "schema": schemaName,
            "siteLabel": ICDO3.topography.label(site) ?? site,
            "patientName": showIdentifiers
                ? "\(stored.patientItems["nameLast"] ?? ""), \(stored.patientItems["nameFirst"] ?? "")" : "patient \(stored.patientItems["patientIdNumber"] ?? "")",
            "groups": groups,
            "datalists": datalists.sorted { $0.key < $1.key }.map(\.value).joined(),
        ]
        return PageRenderer.page(title: "Abstract", template: "abstract", values, context: context)
    }
}
