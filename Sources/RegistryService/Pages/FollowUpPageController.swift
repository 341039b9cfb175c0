import CivilCalendar
import Coding
import Foundation
import Hummingbird
import Registry
import Reports

/// The follow-up pages: the control list (filter by status, a page at a time, letters and calls recorded in place),
/// recording a contact, and the CoC rates with the patients behind each line one click away.
struct FollowUpPageController {
    let registry: Registry
    static let pageSize = 100

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get("followup") { request, context in try await listPage(request, context) }
        group.get("followup/rates") { request, context in try await ratesPage(request, context) }
        group.get("followup/rates/cases") { request, context in try await worksheetCasesPage(request, context) }
        group.get("followup/patients/:id") { _, context in try await recordPage(context) }
        group.get("quality") { request, context in try await qualityPage(request, context) }
        group.get("followup/letters") { request, context in try await lettersPage(request, context) }
    }

    /// Printable letters for the control list's patients with a letter due (names and addresses: registrars and admins).
    /// Printing records nothing; "Mark … sent" on the list (or `registry followup letters --record`) records them.
    func lettersPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let asOf = try FollowUpController.day(try request.queryText("asOf", maxLength: 10), name: "asOf") ?? .today
        let statusText = try Self.status(request)
        let letters = try await registry.followUpLetters(asOf: asOf, status: FollowUpStatus(rawValue: statusText), limit: 500, record: false,
                                                         by: user.acting(from: address))
        let date = asOf.description
        if try request.queryText("format", maxLength: 5) == "csv" {
            return ReportPageController.document(Data(FollowUpLetters.csv(letters, date: date).utf8), type: "text/csv; charset=utf-8",
                                                 fileName: "followup-letters-\(date).csv")
        }
        return ReportPageController.document(Data(FollowUpLetters.html(letters, registryName: "", date: date).utf8),
                                             type: "text/html; charset=utf-8", fileName: nil)
    }

    /// The quality dashboard for a diagnosis year (default the newest complete one), as a printable document or JSON/XLSX.
    func qualityPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let years = try await registry.diagnosisYears()
        let busiest = years.map(\.tumors).max() ?? 0
        let defaultYear = years.first { $0.tumors * 2 >= busiest }?.year ?? CalendarDate.today.year - 1
        let year = try request.queryInt("year", default: defaultYear, range: 1900...2100)
        let asOf = try FollowUpController.day(try request.queryText("asOf", maxLength: 10), name: "asOf") ?? .today
        let reference = try FollowUpController.day(try request.queryText("referenceDate", maxLength: 10), name: "referenceDate")
            ?? CalendarDate(year: years.last?.year ?? year, month: 1, day: 1)!
        let dashboard = try await registry.qualityDashboard(year: year, asOf: asOf, referenceDate: reference, by: user.acting(from: address))
        let document = dashboard.document()
        return try ReportPageController.respond(document, request: request, base: "quality-\(year)")
    }

    /// The `status` query: all, due, delinquent or lost.
    static func status(_ request: Request) throws -> String {
        let text = try request.queryText("status", maxLength: 12) ?? "all"
        guard text == "all" || FollowUpStatus(rawValue: text) != nil else {
            throw APIError.badRequest("status must be all, due, delinquent or lost", items: ["status"])
        }
        return text
    }

    func listPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let asOf = try FollowUpController.day(try request.queryText("asOf", maxLength: 10), name: "asOf") ?? .today
        let statusText = try Self.status(request)
        let page = try request.queryInt("page", default: 1, range: 1...100_000)
        let list = try await registry.followUpDue(asOf: asOf, includeNames: Permission.readIdentifiers.allows(user.role), by: user.acting(from: address))
        let shown = list.entries.filter { statusText == "all" || $0.status.rawValue == statusText }
        let slice = shown.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize)
        let canRecord = Permission.editAbstracts.allows(user.role)
        let asOfText = asOf.description
        func link(_ status: String, _ page: Int) -> String { "/followup?asOf=\(asOfText)&status=\(status)&page=\(page)" }
        let values: [String: Any] = [
            "asOf": asOfText, "csrf": context.session?.csrfToken ?? "", "canRecord": canRecord,
            "tabs": (["all"] + FollowUpStatus.allCases.map(\.rawValue)).map { s -> [String: Any] in
                let n = s == "all" ? list.entries.count : list.count(FollowUpStatus(rawValue: s)!)
                return ["label": "\(s.capitalized) (\(n))", "href": link(s, 1), "current": s == statusText]
            },
            "exclusions": list.exclusions.sorted { $0.key < $1.key }.map { ["reason": $0.key, "cases": $0.value] },
            "rows": slice.map { e -> [String: Any] in
                ["patientId": e.patientId, "patientIdNumber": e.patientIdNumber, "name": e.name, "lastContact": PageRenderer.displayDate(e.lastContact),
                 "months": e.monthsSinceContact.map(String.init) ?? "unknown", "status": e.status.rawValue, "sites": e.sites.joined(separator: ", "),
                 "physician": e.physician, "next": e.methodDueNext, "attempts": e.attemptsSinceContact, "lastAttempt": e.lastAttempt ?? "",
                 "canSend": canRecord && FollowUpMethod(rawValue: e.methodDueNext) != nil]
            },
            "previous": page > 1 ? link(statusText, page - 1) : false,
            "next": shown.count > page * Self.pageSize ? link(statusText, page + 1) : false, "page": page,
        ]
        return PageRenderer.page(title: "Follow-up", template: "followup", values, context: context)
    }

    func recordPage(_ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        guard Permission.editAbstracts.allows(user.role) else { throw APIError.forbidden }
        let patient = try await registry.patient(try context.pathId(), for: user, from: address)
        let p = patient.items
        func options(_ list: String, selected: String?) -> [[String: Any]] {
            (NaaccrCodeLists.list(list)?.entries ?? []).map { ["code": $0.code, "label": "\($0.code) \($0.label)", "selected": $0.code == selected] }
        }
        let values: [String: Any] = [
            "patientId": patient.id, "patientIdNumber": p["patientIdNumber"] ?? "", "name": [p["nameLast"], p["nameFirst"]].compactMap { $0 }.joined(separator: ", "),
            "lastContact": PageRenderer.displayDate(p["dateOfLastContact"]),
            "vitalStatus": p["vitalStatus"] == "1" ? "Alive" : p["vitalStatus"] == "0" ? "Dead" : "not known",
            "today": CalendarDate.today.description, "csrf": context.session?.csrfToken ?? "",
            "sources": options("followUpSource", selected: nil),
            "nextSources": options("nextFollowUpSource", selected: patient.tumors.first?.items["nextFollowUpSource"]),
            "tumors": patient.tumors.map { t -> [String: Any] in
                let site = t.items["primarySite"] ?? ""
                return ["id": t.id, "site": "\(site) \(ICDO3.topography.label(site) ?? "")",
                        "statuses": options("cancerStatus", selected: t.items["cancerStatus"])]
            },
        ]
        return PageRenderer.page(title: "Record follow-up", template: "followupRecord", values, context: context)
    }

    /// The worksheet as a printable document (its own page, like every report), or JSON/XLSX/CSV.
    func ratesPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let asOf = try FollowUpController.day(try request.queryText("asOf", maxLength: 10), name: "asOf") ?? .today
        let oldest = try await registry.diagnosisYears().last?.year ?? asOf.year
        let reference = try FollowUpController.day(try request.queryText("referenceDate", maxLength: 10), name: "referenceDate")
            ?? CalendarDate(year: oldest, month: 1, day: 1)!
        let sheet = try await registry.followUpRates(asOf: asOf, referenceDate: reference, by: user.acting(from: address))
        var document = sheet.document(linkingCases: true)
        document.sections.append(.text("Each count opens the cases behind it; the patients to contact are on the control list "
                                       + "(Follow-up: delinquent and lost)."))
        return try ReportPageController.respond(document, request: request, base: "followup-\(sheet.asOf)")
    }

    /// The cases behind one count of the worksheet, a page at a time, each opening its patient.
    func worksheetCasesPage(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        guard Permission.readReports.allows(user.role) else { throw APIError.forbidden }
        guard let asOf = try FollowUpController.day(try request.queryText("asOf", maxLength: 10), name: "asOf"),
              let reference = try FollowUpController.day(try request.queryText("referenceDate", maxLength: 10), name: "referenceDate") else {
            throw APIError.badRequest("asOf and referenceDate are required (YYYY-MM-DD)", items: ["asOf", "referenceDate"])
        }
        let cohort = try request.queryText("cohort", maxLength: 6) ?? "all"
        guard cohort == "recent" || cohort == "all" else { throw APIError.badRequest("cohort must be recent or all", items: ["cohort"]) }
        guard let line = FollowUpWorksheetLine(try request.queryText("line", maxLength: 80) ?? "") else {
            throw APIError.badRequest("line must be total, analytic, dead, living, current, not-current or excluded:REASON", items: ["line"])
        }
        let page = try request.queryInt("page", default: 1, range: 1...100_000)
        let names = Permission.readIdentifiers.allows(user.role)
        let (cases, total) = try await registry.followUpCases(asOf: asOf, referenceDate: reference, recentCohort: cohort == "recent", line: line,
                                                              limit: Self.pageSize, offset: (page - 1) * Self.pageSize, includeNames: names,
                                                              by: user.acting(from: address))
        func link(_ page: Int) -> String {
            "/followup/rates/cases?asOf=\(asOf)&referenceDate=\(reference)&cohort=\(cohort)&line=\(line.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&page=\(page)"
        }
        let lineName: String = switch line {
        case .total: "cases diagnosed in the cohort's years"
        case .excluded(let reason): "left out: \(reason)"
        case .analytic: "A. analytic cases followed"
        case .dead: "B. dead"
        case .living: "C. living"
        case .current: "D. current"
        case .notCurrent: "E. not current or lost"
        }
        let values: [String: Any] = [
            "line": lineName, "total": total, "asOf": asOf.description, "reference": reference.description, "names": names,
            "cohort": cohort == "recent" ? "analytic cases of the last five years" : "all analytic cases since the reference date",
            "ratesLink": "/followup/rates?asOf=\(asOf)&referenceDate=\(reference)",
            "rows": cases.map { c -> [String: Any] in
                let site = c.primarySite
                return ["patientId": c.patientId, "patientIdNumber": c.patientIdNumber, "name": c.name, "tumorId": c.tumorId,
                        "site": "\(site) \(ICDO3.topography.label(site) ?? "")", "diagnosis": PageRenderer.displayDate(c.dateOfDiagnosis),
                        "classOfCase": c.classOfCase, "lastContact": PageRenderer.displayDate(c.dateOfLastContact),
                        "vitalStatus": c.vitalStatus == "0" ? "dead" : c.vitalStatus == "1" ? "alive" : "not known"]
            },
            "previous": page > 1 ? link(page - 1) : false, "next": total > page * Self.pageSize ? link(page + 1) : false, "page": page,
        ]
        return PageRenderer.page(title: "Follow-up worksheet cases", template: "followupCases", values, context: context)
    }
}
