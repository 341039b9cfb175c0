import Foundation
import HTTPTypes
import Hummingbird
import Registry
import Reports
import Synchronization

/// At most this many reports are computed at once; further requests get 503 with Retry-After (a report reads a whole
/// year and ten years of survival: many at once would starve the registrars' requests).
final class ReportSlots: Sendable {
    private let busy = Mutex(0)
    let limit: Int
    init(limit: Int) { self.limit = limit }

    func tryAcquire() -> Bool { busy.withLock { n in n < limit ? { n += 1; return true }() : false } }
    func release() { busy.withLock { $0 -= 1 } }
}

/// The cancer committee's reports in the workbench: a page to choose the year and the audience, the printable report
/// (its own document with print CSS, no scripts), and its tables as XLSX, JSON, CSV or PDF.
struct ReportPageController {
    let registry: Registry
    let slots = ReportSlots(limit: 2)

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get("reports") { _, context in try await reportsPage(context) }
        group.get("reports/annual") { request, context in try await annualReport(request, context) }
        group.get("reports/incidence") { request, context in try await incidenceReport(request, context) }
    }

    /// GET /reports/incidence?from=Y&to=Y[&by=all|site|sex|county|race][&public=1][&format=html|json|xlsx]
    func incidenceReport(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        let to = try request.queryInt("to", default: thisYear - 2, range: 1900...2100)
        let from = try request.queryInt("from", default: to - 4, range: max(1900, to - 49)...to)
        let byText = try request.queryText("by", maxLength: 10) ?? "all"
        guard let by = IncidenceRequest.Grouping(rawValue: byText) else {
            throw APIError.badRequest("by must be all, site, sex, county or race", items: ["by"])
        }
        let isPublic = try request.queryText("public", maxLength: 5).map { $0 == "1" || $0 == "true" } ?? false
        guard slots.tryAcquire() else {
            throw APIError(.serviceUnavailable, "busy", "other reports are being computed; try again in a few seconds", headers: [.retryAfter: "5"])
        }
        defer { slots.release() }
        let document: ReportDocument
        do {
            document = try await registry.incidenceReport(IncidenceRequest(years: from...to, grouping: by, isPublic: isPublic), by: user.acting(from: address))
        } catch let error as MissingPopulationError {
            throw APIError(.unprocessableContent, "no_population", error.description)
        }
        return try Self.respond(document, request: request, base: "incidence-\(from)-\(to)")
    }

    /// A report page's `format` query: the printable page (html, the default), json or xlsx (downloaded as `base`).
    static func respond(_ document: ReportDocument, request: Request, base: String) throws -> Response {
        switch try request.queryText("format", maxLength: 10) ?? "html" {
        case "json": return Self.document(try document.json(), type: "application/json", fileName: "\(base).json")
        case "xlsx": return Self.document(try document.xlsx(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName: "\(base).xlsx")
        case "html": return Self.document(Data(document.html().utf8), type: "text/html; charset=utf-8", fileName: nil)
        default: throw APIError.badRequest("format must be html, json or xlsx", items: ["format"])
        }
    }

    func reportsPage(_ context: RegistryRequestContext) async throws -> Response {
        let years = try await registry.diagnosisYears()
        // The newest year that is complete enough to report: at least half the tumors of the busiest year (the
        // current year is still being abstracted).
        let busiest = years.map(\.tumors).max() ?? 0
        let chosen = years.first { $0.tumors * 2 >= busiest }?.year
        return PageRenderer.page(title: "Reports", template: "reports", [
            "years": years.map { ["year": $0.year, "tumors": $0.tumors.formatted(), "selected": $0.year == chosen] as [String: Any] },
            "noYears": years.isEmpty,
            "incidenceTo": chosen ?? Calendar(identifier: .gregorian).component(.year, from: Date()) - 2,
            "incidenceFrom": (chosen ?? Calendar(identifier: .gregorian).component(.year, from: Date()) - 2) - 4,
            "formats": ReportFormat.allCases.map(\.rawValue),
        ], context: context)
    }

    /// GET /reports/annual?year=YYYY[&public=1][&format=html|xlsx|json|pdf|csv][&table=NAME]
    func annualReport(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        let year = try request.queryInt("year", default: thisYear - 1, range: 1900...(thisYear + 1))
        let isPublic = try request.queryText("public", maxLength: 5).map { $0 == "1" || $0 == "true" } ?? false
        let formatText = try request.queryText("format", maxLength: 10) ?? "html"
        guard let format = ReportFormat(rawValue: formatText) else {
            throw APIError.badRequest("format must be one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))", items: ["format"])
        }
        guard slots.tryAcquire() else {
            throw APIError(.serviceUnavailable, "busy", "other reports are being computed; try again in a few seconds", headers: [.retryAfter: "5"])
        }
        defer { slots.release() }
        // Names in the internal register only for roles that may read identifiers (minimum necessary).
        let document = try await registry.annualReport(
            AnnualReportRequest(year: year, isPublic: isPublic, includeNames: Permission.readIdentifiers.allows(user.role)),
            by: user.acting(from: address))
        let base = "annual-\(year)\(isPublic ? "-public" : "")"
        switch format {
        case .html:
            return Self.document(Data(document.html().utf8), type: "text/html; charset=utf-8", fileName: nil)
        case .json:
            return Self.document(try document.json(), type: "application/json", fileName: "\(base).json")
        case .xlsx:
            return Self.document(try document.xlsx(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName: "\(base).xlsx")
        case .csv:
            let name = try request.queryText("table", maxLength: 40) ?? document.tables.first?.name ?? ""
            guard let table = document.tables.first(where: { $0.name == name }) else { throw APIError.notFound("table \(name)") }
            return Self.document(Data(table.csv.utf8), type: "text/csv; charset=utf-8", fileName: "\(base)-\(table.name).csv")
        case .pdf:
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).pdf")
            defer { try? FileManager.default.removeItem(at: url) }
            do { try document.pdf(to: url) } catch let error as ReportOutputError {
                throw APIError(.serviceUnavailable, "no_pdf", error.description)
            }
            return Self.document(try Data(contentsOf: url), type: "application/pdf", fileName: "\(base).pdf")
        }
    }

    /// A report file: never cached (it holds patient-level counts), downloaded under `fileName` when given. The HTML
    /// report carries its own inline print CSS and no script, so its policy allows inline styles only.
    static func document(_ data: Data, type: String, fileName: String?) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if let fileName { headers[.contentDisposition] = "attachment; filename=\"\(fileName)\"" }
        headers[SecurityHeadersMiddleware.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
