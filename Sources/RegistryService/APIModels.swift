import Edits
import Hummingbird
import RegistryStore

struct SignInRequest: Decodable {
    let username: String
    let password: String
    /// API clients that send `Authorization: Bearer` ask for the token; browsers rely on the HttpOnly cookie alone,
    /// so script on a page never sees it.
    let bearerToken: Bool?
}

struct SignInResponse: ResponseEncodable {
    let user: UserAccount
    let csrfToken: String
    let token: String?
}

struct Page<Item: Encodable & Sendable>: ResponseEncodable {
    let items: [Item]
    let total: Int
    let page: Int
    let pageSize: Int
}

struct PatientResponse: ResponseEncodable {
    struct Tumor: Encodable { let id: Int; let version: Int; let items: [String: String] }
    let id: Int
    let version: Int
    let items: [String: String]
    let tumors: [Tumor]
}

struct Created: ResponseEncodable { let id: Int; let version: Int }

struct AbstractResponse: ResponseEncodable {
    let tumorId: Int
    let patientId: Int
    let version: Int
    let patientVersion: Int
    let status: String
    let patientItems: [String: String]
    let items: [String: String]
}

/// Item changes: values to set, "" to clear; items not mentioned keep their stored values. For inline edits a draft
/// may also carry unsaved patient-item changes, so edits see the whole abstract as typed.
struct DraftRequest: Decodable {
    let items: [String: String]
    let patientItems: [String: String]?
}

struct EditResultsResponse: ResponseEncodable {
    struct Failure: Encodable {
        let edit: String
        let name: String
        let severity: String
        let message: String
        let items: [String]
        let overridden: Bool
    }
    let set: String
    let errors: Int
    let warnings: Int
    let failures: [Failure]
}

struct SaveResponse: ResponseEncodable {
    let tumorId: Int?
    let patientId: Int
    let version: Int
    let changedItems: [String]
    /// The edit results of the saved tumor (tumor saves only).
    let edits: EditResultsResponse?
}

struct ImportResponse: ResponseEncodable {
    let patientsRead: Int
    let tumorsRead: Int
    let patientsInserted: Int
    let patientsUpdated: Int
    let tumorsInserted: Int
    let tumorsUpdated: Int
    let problems: Int
    let problemSummary: [String: Int]
}

struct Status: ResponseEncodable { let status: String; let schemaVersion: Int? }

extension AbstractRepository.Revision: ResponseEncodable {}
