import Hummingbird
import Registry
import RegistryStore

struct SignInRequest: Decodable {
    let username: String
    let password: String
    /// API clients that send `Authorization: Bearer` ask for the token; browsers rely on the HttpOnly cookie alone,
    /// so script on a page never sees it.
    let bearerToken: Bool?
}

struct SignInResponse: Encodable {
    let user: UserAccount
    let csrfToken: String
    let token: String?
}

struct Created: Encodable { let id: Int; let version: Int }

struct AbstractResponse: Encodable {
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
struct AbstractSaveRequest: Decodable {
    let patientVersion: Int
    let items: [String: String]
    let patientItems: [String: String]?
}

struct WorkingDraftRequest: Decodable {
    let baseVersion: Int
    let items: [String: String]
    let patientItems: [String: String]?
}

struct StatusRequest: Decodable { let status: String }
struct StatusResponse: Encodable { let status: String }

struct DraftRequest: Decodable {
    let items: [String: String]
    let patientItems: [String: String]?
}

struct SaveResponse: Encodable {
    let tumorId: Int?
    let patientId: Int
    let version: Int
    let changedItems: [String]
    /// The edit results of the saved tumor (tumor saves only).
    let edits: EditReport?
}

struct ImportResponse: Encodable {
    let patientsRead: Int
    let tumorsRead: Int
    let patientsInserted: Int
    let patientsUpdated: Int
    let tumorsInserted: Int
    let tumorsUpdated: Int
    let problems: Int
    let problemSummary: [String: Int]
    let sha256: String?
}

struct Status: Encodable { let status: String; let schemaVersion: Int? }

struct DraftItems: Encodable { let items: [String: String] }
