import CivilCalendar
import Foundation
import Postgres
import RegistryStore

/// What the registry suggests for a new primary: the accession number and the hospital sequence number.
public struct NewPrimary: Sendable, Codable, Equatable {
    public let tumorId: Int
    public let accessionNumber: String
    public let sequenceNumber: String
    /// Set when an earlier tumor's sequence 00 ("one primary only") should now be 01.
    public let note: String?
}

extension Registry {
    /// Patients who may be the one about to be created (same SSN; same last or first name and date of birth; same
    /// last and first name), checked before creating one. Names are shown only to roles that read identifiers.
    public func possibleDuplicates(nameLast: String, nameFirst: String, dateOfBirth: String, socialSecurityNumber: String,
                                   by user: UserAccount, from address: String?) async throws -> [AbstractRepository.PossibleDuplicate] {
        guard Permission.readIdentifiers.allows(user.role) else { throw WorkflowError.forbidden("the duplicate check needs a role that reads identifiers") }
        let actor = user.acting(from: address)
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let found = try AbstractRepository(connection: tx).possibleDuplicates(nameLast: nameLast, nameFirst: nameFirst, dateOfBirth: dateOfBirth,
                                                                                       socialSecurityNumber: socialSecurityNumber)
                try AuditTrail.record(tx, actor, .search, entity: "patient", detail: ["duplicateCheck": String(found.count)])
                return found
            }
        }
    }

    /// Adds a primary to a patient as the registry's rules number it: the patient's accession number (all of a
    /// patient's primaries share it; a patient without one gets the next of the year of first contact), the next
    /// hospital sequence number (00 stays only for a patient's one primary: a second makes the first 01 and itself 02),
    /// Date of 1st Contact and Date Case Initiated today unless given. One transaction with its revision and audit row.
    public func addPrimary(patientId: Int, items: [String: String], by user: UserAccount, from address: String?) async throws -> NewPrimary {
        try ItemValidation.check(items, level: .tumor)
        let actor = user.acting(from: address)
        let today = CalendarDate.today
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let repository = AbstractRepository(connection: tx)
                guard try repository.patientExists(patientId) else { throw WorkflowError.notFound("patient \(patientId)") }
                let (numbered, note) = try Self.numberNewPrimary(repository, patientId: patientId, items: items, today: today)
                let items = numbered
                let id: Int
                do {
                    id = try repository.createTumor(patientId: patientId, items: items, userId: user.id)
                } catch let error as PostgresError where error.sqlState == "23505" {
                    throw WorkflowError.conflict(code: "duplicate_tumor", message: "the patient has a tumor with this sequence number already", detail: [:])
                }
                try AuditTrail.record(tx, actor, .create, entity: "tumor", id: id, detail: ["patientId": String(patientId)])
                return NewPrimary(tumorId: id, accessionNumber: items["accessionNumberHosp"] ?? "", sequenceNumber: items["sequenceNumberHospital"] ?? "",
                                  note: note)
            }
        }
    }

    /// A new primary's items numbered by the registry's rules (inside the caller's transaction): the accession number,
    /// the next hospital sequence number (with a note when an earlier 00 should become 01), first contact and case
    /// initiated today unless given.
    static func numberNewPrimary(_ repository: AbstractRepository, patientId: Int, items: [String: String], today: CalendarDate) throws
        -> (items: [String: String], note: String?) {
        var items = items
        let firstContact = items["dateOf1stContact"].flatMap { $0.count >= 4 ? Int($0.prefix(4)) : nil } ?? today.year
        if (items["accessionNumberHosp"] ?? "").isEmpty {
            items["accessionNumberHosp"] = try repository.accessionNumber(patientId: patientId, year: firstContact)
        }
        var note: String?
        if (items["sequenceNumberHospital"] ?? "").isEmpty {
            let malignant = try repository.hospitalSequenceNumbers(patientId: patientId).compactMap(Int.init).filter { (0...59).contains($0) }
            let next = malignant.isEmpty ? 0 : max(malignant.max()! + 1, malignant.count + 1)
            items["sequenceNumberHospital"] = String(format: "%02d", next)
            if malignant.contains(0) { note = "the patient's primary numbered 00 (one primary only) should now be 01" }
        }
        for id in ["dateOf1stContact", "dateCaseInitiated"] where (items[id] ?? "").isEmpty { items[id] = today.naaccrDate }
        return (items, note)
    }
}
