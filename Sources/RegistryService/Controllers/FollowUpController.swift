import CivilCalendar
import Foundation
import Hummingbird
import Registry
import RegistryStore

/// Follow-up over the API: the control list, recording a contact (patient and every tumor in one audited
/// transaction), recording a letter or call.
struct FollowUpController {
    let registry: Registry

    /// `/api/followup`.
    func addListRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.get("due") { request, context in try await due(request, context) }
    }

    /// Under `/api/patients`.
    func addPatientRoutes(to group: RouterGroup<RegistryRequestContext>) {
        group.post(":id/followup") { request, context in try await record(request, context) }
        group.post(":id/followup/attempts") { request, context in try await attempt(request, context) }
    }

    struct ContactRequest: Decodable {
        let date: String
        let source: String
        let vitalStatus: String
        /// Cancer Status (1770) by tumor id; `allTumors` sets every tumor's.
        let cancerStatus: [String: String]?
        let allTumors: String?
        let causeOfDeath: String?
        let nextFollowUpSource: String?
    }
    struct AttemptRequest: Decodable { let method: String; let on: String? }

    /// A date query or body value, YYYY-MM-DD or CCYYMMDD.
    static func day(_ text: String?, name: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let date = CalendarDate(text), (1900...2100).contains(date.year) else {
            throw APIError.badRequest("\(name) must be a date YYYY-MM-DD", items: [name])
        }
        return date
    }

    func due(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let asOf = try Self.day(try request.queryText("asOf", maxLength: 10), name: "asOf") ?? .today
        let list = try await registry.followUpDue(asOf: asOf, includeNames: Permission.readIdentifiers.allows(user.role),
                                                  by: user.acting(from: address))
        return try jsonResponse(list)
    }

    func record(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let body = try await request.decodeJSON(ContactRequest.self)
        guard let date = try Self.day(body.date, name: "date") else { throw APIError.badRequest("date is missing", items: ["date"]) }
        var status: [Int: String] = [:]
        for (key, value) in body.cancerStatus ?? [:] {
            guard let tumorId = Int(key) else { throw APIError.badRequest("cancerStatus is keyed by tumor id", items: ["cancerStatus"]) }
            status[tumorId] = value
        }
        if let all = body.allTumors {
            for tumorId in try await registry.tumorIds(ofPatient: id) where status[tumorId] == nil { status[tumorId] = all }
        }
        try await registry.recordFollowUp(patientId: id, FollowUpContact(
            date: date.naaccrDate, source: body.source, vitalStatus: body.vitalStatus, cancerStatus: status,
            causeOfDeath: body.causeOfDeath.flatMap { $0.isEmpty ? nil : $0 }, nextFollowUpSource: body.nextFollowUpSource.flatMap { $0.isEmpty ? nil : $0 }),
            by: user.acting(from: address))
        return try jsonResponse(["patientId": AnyCodableValue.int(id), "dateOfLastContact": .string(date.naaccrDate)], status: .ok)
    }

    func attempt(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let (user, address) = try context.actingUser()
        let id = try context.pathId()
        let body = try await request.decodeJSON(AttemptRequest.self)
        guard let method = FollowUpMethod(rawValue: body.method) else {
            throw APIError.badRequest("method must be one of \(FollowUpMethod.allCases.map(\.rawValue).joined(separator: ", "))", items: ["method"])
        }
        let on = try Self.day(body.on, name: "on") ?? .today
        try await registry.recordFollowUpAttempt(patientId: id, method: method, on: on, by: user.acting(from: address))
        return try jsonResponse(["patientId": AnyCodableValue.int(id), "method": .string(method.rawValue)], status: .created)
    }
}

/// A JSON scalar for small responses.
enum AnyCodableValue: Encodable {
    case int(Int), string(String)
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        }
    }
}
