import Coding
import Hummingbird
import Registry

/// `GET /api/codes/{table}?q=…&limit=…`: code look-ups for pickers.
struct CodeController {
    /// The tables pickers can search (the OpenAPI document lists the same names as an enum).
    static let tables: [String: CodeTable] = [
        "primarySite": ICDO3.topography, "histologicTypeIcdO3": ICDO3.morphology, "laterality": ICDO3.laterality,
        "behaviorCodeIcdO3": ICDO3.behavior, "sexAssignedAtBirth": ICDO3.sexAssignedAtBirth,
    ]

    struct CodeSearchResponse: Encodable {
        struct Code: Encodable { let code: String; let label: String }
        let table: String
        let codes: [Code]
    }

    func addRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get(":table") { request, context in
            _ = try context.requireSession()
            guard let name = context.parameters.get("table"), let table = Self.tables[name] else {
                throw APIError.notFound("code table")
            }
            let limit = try request.queryInt("limit", default: 20, range: 1...100)
            let text = try request.queryText("q", maxLength: 100) ?? ""
            return try jsonResponse(CodeSearchResponse(table: name, codes: table.search(text, limit: limit).map { .init(code: $0.code, label: $0.label) }))
        }
    }
}

/// `/health` (the process answers) and `/ready` (the database answers, with the schema version).
struct HealthController {
    let registry: Registry

    func addRoutes(to router: Router<RegistryRequestContext>) {
        router.get("health") { _, _ in try jsonResponse(Status(status: "ok", schemaVersion: nil)) }
        router.get("ready") { _, _ in
            do {
                return try jsonResponse(Status(status: "ready", schemaVersion: try await registry.schemaVersion()))
            } catch {
                return try jsonResponse(Status(status: "database unavailable", schemaVersion: nil), status: .serviceUnavailable)
            }
        }
    }
}
