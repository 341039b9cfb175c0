import CivilCalendar
import Coding
import Edits
import Foundation
import Postgres
import Reports
import RegistryStore

/// Where a living patient stands on the follow-up control list, by full months since the date of last contact
/// (Date of Last Contact, NAACCR 1750; an unknown day or month counts as the earliest it can be).
public enum FollowUpStatus: String, Sendable, Codable, CaseIterable {
    /// 12 to 14 months: the yearly contact is due.
    case due
    /// 15 months or more: the Commission on Cancer counts the case as not current.
    case delinquent
    /// 24 months or more (two yearly cycles missed), or no date of last contact at all.
    case lost

    public static func of(monthsSinceContact months: Int?) -> FollowUpStatus? {
        guard let months else { return .lost }
        return months >= 24 ? .lost : months >= 15 ? .delinquent : months >= 12 ? .due : nil
    }
}

/// One patient on the follow-up control list.
public struct FollowUpDueEntry: Sendable, Codable, Equatable {
    public var patientId: Int
    public var patientIdNumber: String
    /// "Last, First" for roles that may read identifiers; empty otherwise.
    public var name: String
    public var lastContact: String
    public var monthsSinceContact: Int?
    public var status: FollowUpStatus
    public var vitalStatus: String
    /// The followed tumors' primary sites and classes of case.
    public var sites: [String]
    public var classesOfCase: [String]
    /// Physician--Follow-Up (2470) of the newest followed tumor.
    public var physician: String
    /// Next Follow-Up Source (1800), as its label.
    public var nextFollowUpSource: String
    /// What to try next: the next follow-up source, then each further method after an attempt got no answer.
    public var methodDueNext: String
    /// Letters and calls recorded since the last contact, and the newest of them.
    public var attemptsSinceContact: Int
    public var lastAttempt: String?
}

/// The control list: patients due, delinquent and lost as of a date, and the cases the CoC rules leave out.
public struct FollowUpDueList: Sendable, Codable {
    public var asOf: String
    public var entries: [FollowUpDueEntry]
    /// Cases (tumors) of living patients last seen 12 months or more ago that are not followed, by reason.
    public var exclusions: [String: Int]
    public func count(_ status: FollowUpStatus) -> Int { entries.filter { $0.status == status }.count }
}

/// A follow-up contact to record: what the source said about the patient and each tumor.
public struct FollowUpContact: Sendable {
    /// CCYYMMDD, not after today; becomes Date of Last Contact (1750) and each tumor's Date of Last Cancer Status (1772).
    public var date: String
    /// Follow-Up Source (1790) code.
    public var source: String
    /// Vital Status (1760): 1 alive, 0 dead.
    public var vitalStatus: String
    /// Cancer Status (1770) per tumor id (1 no evidence, 2 evidence, 9 unknown); tumors not named keep theirs.
    public var cancerStatus: [Int: String]
    /// Cause of Death (1910, ICD-10) when dead.
    public var causeOfDeath: String?
    /// Next Follow-Up Source (1800) for every tumor, when given.
    public var nextFollowUpSource: String?

    public init(date: String, source: String, vitalStatus: String, cancerStatus: [Int: String], causeOfDeath: String? = nil,
                nextFollowUpSource: String? = nil) {
        self.date = date
        self.source = source
        self.vitalStatus = vitalStatus
        self.cancerStatus = cancerStatus
        self.causeOfDeath = causeOfDeath
        self.nextFollowUpSource = nextFollowUpSource
    }
}

/// Follow-up methods in the order a registry escalates them when an attempt gets no answer.
public enum FollowUpMethod: String, Sendable, CaseIterable, Codable {
    case chartRequisition = "chart requisition", physicianLetter = "physician letter", contactLetter = "contact letter"
    case phoneCall = "phone call"
    case otherHospitalContact = "other hospital contact", other

    /// The method of a Next Follow-Up Source (1800) code: 0 chart requisition, 1 physician letter, 2 contact letter,
    /// 3 phone call, 4 other hospital contact, 5 other.
    public init?(nextFollowUpSource code: String) {
        switch code {
        case "1": self = .physicianLetter
        case "2": self = .contactLetter
        case "3": self = .phoneCall
        case "4": self = .otherHospitalContact
        case "0": self = .chartRequisition
        case "5": self = .other
        default: return nil
        }
    }

    /// What to try after this method got no answer.
    public var next: FollowUpMethod {
        switch self {
        case .chartRequisition: return .physicianLetter
        case .physicianLetter: return .contactLetter
        case .contactLetter: return .phoneCall
        case .phoneCall: return .otherHospitalContact
        case .otherHospitalContact, .other: return .other
        }
    }

    public var addressee: String {
        switch self {
        case .physicianLetter: return "physician"
        case .chartRequisition: return "hospital"
        case .contactLetter, .phoneCall: return "patient"
        case .otherHospitalContact: return "hospital"
        case .other: return "other"
        }
    }
}

extension CalendarDate {
    /// This date `months` calendar months earlier, the day kept (the month's last day when it has fewer days).
    func monthsEarlier(_ months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) - months
        let y = index / 12, m = index % 12 + 1
        var d = day
        while CalendarDate(year: y, month: m, day: d) == nil { d -= 1 }
        return CalendarDate(year: y, month: m, day: d)!
    }

    /// CCYYMMDD, as NAACCR dates are written.
    public var naaccrDate: String { String(format: "%04d%02d%02d", year, month, day) }

    /// A NAACCR date (CCYY[MM[DD]], 99 or blank for unknown parts) as its earliest possible day.
    static func floor(naaccr text: String?) -> CalendarDate? {
        guard let text, text.count >= 4, let y = Int(text.prefix(4)), y != 9999 else { return nil }
        let m = text.count >= 6 ? Int(text.dropFirst(4).prefix(2)).flatMap { (1...12).contains($0) ? $0 : nil } : nil
        guard let m else { return CalendarDate(year: y, month: 1, day: 1) }
        let d = text.count >= 8 ? Int(text.dropFirst(6).prefix(2)) : nil
        return CalendarDate(year: y, month: m, day: d ?? 1) ?? CalendarDate(year: y, month: m, day: 1)
    }

    /// Full calendar months from `earlier` to this date.
    func fullMonths(since earlier: CalendarDate) -> Int {
        (year - earlier.year) * 12 + (month - earlier.month) - (day < earlier.day ? 1 : 0)
    }
}

/// A follow-up request the registry cannot take, with what to fix.
public struct FollowUpError: Error, CustomStringConvertible, Equatable {
    public let item: String
    public let message: String
    public var description: String { "\(item): \(message)" }
}

extension Registry {
    /// The CoC case exclusion for a tumor row as of `$1`: the case's own part, computed on every write
    /// (`follow_up_case_exclusion`, migration 0013), else the patient's part on the as-of date
    /// (`follow_up_patient_exclusion`); the one statement of the rule, used by the due list and the rates alike.
    static let exclusionSQL = """
        coalesce(t.follow_up_case_exclusion,
                 follow_up_patient_exclusion(p.vital_status, p.date_of_birth_floor, t.age_at_diagnosis, t.diagnosis_year, $1))
        """

    /// The follow-up control list as of `asOf`: living patients with at least one followed case whose last contact
    /// was 12 months or more before it, oldest contact first, with the attempts made since; and the cases the CoC
    /// rules leave out, counted. Names only for roles that may read identifiers. One read with its audit row.
    public func followUpDue(asOf: CalendarDate, includeNames: Bool, by actor: ActingUser) async throws -> FollowUpDueList {
        let dueCutoff = asOf.monthsEarlier(12)
        let rows = try await pool.withConnection { db in
            try db.transaction { tx -> PostgresResult in
                let rows = try tx.query("""
                    SELECT p.id, p.patient_id_number, p.date_of_last_contact, p.vital_status,
                           CASE WHEN $3 THEN p.name_last END, CASE WHEN $3 THEN p.name_first END,
                           t.primary_site, t.class_of_case, t.items->>'2470', t.items->>'1800', \(Self.exclusionSQL),
                           a.attempts, a.last_method, a.last_on
                    FROM patient p JOIN tumor t ON t.patient_id = p.id
                    LEFT JOIN LATERAL (
                        SELECT count(*)::int AS attempts, (array_agg(fa.method ORDER BY fa.attempted_on DESC, fa.id DESC))[1] AS last_method,
                               max(fa.attempted_on)::text AS last_on
                        FROM follow_up_attempt fa
                        WHERE fa.patient_id = p.id
                          AND fa.attempted_on >= to_date(coalesce(naaccr_date_floor(p.date_of_last_contact), '00010101'), 'YYYYMMDD')
                    ) a ON true
                    WHERE p.vital_status = '1' AND coalesce(naaccr_date_floor(p.date_of_last_contact), '00000000') <= $2
                    ORDER BY coalesce(naaccr_date_floor(p.date_of_last_contact), '00000000'), p.id, t.id
                    """, [asOf.naaccrDate, dueCutoff.naaccrDate, includeNames])
                try AuditTrail.record(tx, actor, includeNames ? .read : .search, entity: "follow_up_due", detail: [
                    "asOf": asOf.naaccrDate, "rows": String(rows.count)])
                return rows
            }
        }
        var entries: [FollowUpDueEntry] = []
        var exclusions: [String: Int] = [:]
        var i = 0
        while i < rows.count {
            let patientId = try rows[i].decode(Int.self, at: 0)
            var j = i
            var sites: [String] = [], classes: [String] = [], physician = "", next = ""
            while j < rows.count, try rows[j].decode(Int.self, at: 0) == patientId {
                if let reason = rows[j].text(at: 10) {
                    exclusions[reason, default: 0] += 1
                } else {
                    sites.append(rows[j].text(at: 6) ?? "")
                    classes.append(rows[j].text(at: 7) ?? "")
                    if let p = rows[j].text(at: 8), !p.isEmpty { physician = p }
                    if let n = rows[j].text(at: 9), !n.isEmpty { next = n }
                }
                j += 1
            }
            defer { i = j }
            guard !sites.isEmpty else { continue }
            let row = rows[i]
            let lastContact = row.text(at: 2) ?? ""
            let months = CalendarDate.floor(naaccr: lastContact).map { asOf.fullMonths(since: $0) }
            guard let status = FollowUpStatus.of(monthsSinceContact: months) else { continue }
            let attempts = (try? row.decode(Int.self, at: 11)) ?? 0
            let lastMethod = row.text(at: 12).flatMap(FollowUpMethod.init(rawValue:))
            let planned = FollowUpMethod(nextFollowUpSource: next)
            let method: String
            if next == "8" || next == "9" {
                method = "not followed (\(NaaccrCodeLists.list("nextFollowUpSource")?.label(next) ?? next))"
            } else {
                method = (lastMethod?.next ?? planned ?? .physicianLetter).rawValue
            }
            let name = [row.text(at: 4), row.text(at: 5)].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            entries.append(FollowUpDueEntry(
                patientId: patientId, patientIdNumber: row.text(at: 1) ?? "", name: name, lastContact: lastContact,
                monthsSinceContact: months, status: status, vitalStatus: row.text(at: 3) ?? "", sites: sites, classesOfCase: classes,
                physician: physician, nextFollowUpSource: next.isEmpty ? "" : "\(next) \(NaaccrCodeLists.list("nextFollowUpSource")?.label(next) ?? "")",
                methodDueNext: method, attemptsSinceContact: attempts, lastAttempt: row.text(at: 13)))
        }
        return FollowUpDueList(asOf: asOf.naaccrDate, entries: entries, exclusions: exclusions)
    }

    /// Records a follow-up contact: the patient's Date of Last Contact (1750), Vital Status (1760) and, when dead,
    /// Cause of Death (1910, ICD revision 1 = ICD-10); each tumor's Cancer Status (1770), Date of Last Cancer Status
    /// (1772), Follow-Up Source (1790) and Next Follow-Up Source (1800); the contact in the follow-up history. One
    /// transaction with the revisions, the tumors' edit results and one audit row; a contact older than the patient's
    /// last one is refused (it would move the date of last contact back).
    public func recordFollowUp(patientId: Int, _ contact: FollowUpContact, today: CalendarDate = CalendarDate.today,
                               by actor: ActingUser) async throws {
        guard contact.date.count == 8, let date = CalendarDate.floor(naaccr: contact.date), date.naaccrDate == contact.date else {
            throw FollowUpError(item: "dateOfLastContact", message: "the contact date must be a full date CCYYMMDD")
        }
        guard date.daysSinceEpoch <= today.daysSinceEpoch else {
            throw FollowUpError(item: "dateOfLastContact", message: "the contact date is after today")
        }
        guard contact.vitalStatus == "0" || contact.vitalStatus == "1" else {
            throw FollowUpError(item: "vitalStatus", message: "vital status must be 1 (alive) or 0 (dead)")
        }
        guard NaaccrCodeLists.list("followUpSource")?.contains(contact.source) ?? true else {
            throw FollowUpError(item: "followUpSource", message: "'\(contact.source.prefix(4))' is not a Follow-Up Source (1790) code")
        }
        if let next = contact.nextFollowUpSource, !(NaaccrCodeLists.list("nextFollowUpSource")?.contains(next) ?? true) {
            throw FollowUpError(item: "nextFollowUpSource", message: "'\(next.prefix(4))' is not a Next Follow-Up Source (1800) code")
        }
        for status in contact.cancerStatus.values where !["1", "2", "9"].contains(status) {
            throw FollowUpError(item: "cancerStatus", message: "cancer status must be 1, 2 or 9")
        }
        if let cause = contact.causeOfDeath {
            guard contact.vitalStatus == "0" else { throw FollowUpError(item: "causeOfDeath", message: "a cause of death needs vital status 0 (dead)") }
            guard cause.count == 4, cause.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw FollowUpError(item: "causeOfDeath", message: "cause of death is an ICD-10 code of 4 characters (e.g. C349)")
            }
        }
        let engine = EditEngine(set: editSet, library: editLibrary)
        let found = try await pool.withConnection { db in
            try db.transaction { tx -> Bool in
                try applyFollowUp(tx, patientId: patientId, contact, date: date, engine: engine, by: actor)
            }
        }
        guard found else { throw WorkflowError.notFound("patient \(patientId)") }
    }

    /// Inside the caller's transaction: the changes, revisions, edit results, history row and audit row of a
    /// validated contact; false when the patient does not exist.
    func applyFollowUp(_ tx: PostgresConnection, patientId: Int, _ contact: FollowUpContact, date: CalendarDate, engine: EditEngine,
                       by actor: ActingUser) throws -> Bool {
        let repository = AbstractRepository(connection: tx)
        guard let patient = try repository.patientWithVersion(patientId) else { return false }
        if let current = CalendarDate.floor(naaccr: patient.items["dateOfLastContact"]), current.daysSinceEpoch > date.daysSinceEpoch {
            throw FollowUpError(item: "dateOfLastContact", message: "the patient's last contact (\(patient.items["dateOfLastContact"] ?? "")) is later than this one")
        }
        for id in contact.cancerStatus.keys where !patient.tumors.contains(where: { $0.id == id }) {
            throw FollowUpError(item: "cancerStatus", message: "tumor \(id) is not this patient's")
        }
        var patientChanges = ["dateOfLastContact": contact.date, "vitalStatus": contact.vitalStatus]
        if let cause = contact.causeOfDeath { patientChanges["causeOfDeath"] = cause.uppercased(); patientChanges["icdRevisionNumber"] = "1" }
        guard case .saved? = try repository.savePatient(id: patientId, baseVersion: patient.version, changes: patientChanges, userId: actor.userId) else {
            throw WorkflowError.conflict(code: "version_conflict", message: "the patient changed while the contact was recorded; try again", detail: [:])
        }
        for tumor in patient.tumors {
            var changes = ["dateOfLastCancerStatus": contact.date, "followUpSource": contact.source]
            if let status = contact.cancerStatus[tumor.id] { changes["cancerStatus"] = status }
            if let next = contact.nextFollowUpSource { changes["nextFollowUpSource"] = next }
            guard try saveTumorWithEdits(tx, id: tumor.id, baseVersion: tumor.version, changes: changes, engine: engine, userId: actor.userId) != nil else {
                throw WorkflowError.conflict(code: "version_conflict", message: "a tumor changed while the contact was recorded; try again", detail: [:])
            }
        }
        try tx.execute("""
            INSERT INTO follow_up_contact (patient_id, contact_date, source, vital_status, recorded_by, recorded_name)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [patientId, contact.date, contact.source, contact.vitalStatus, actor.userId, actor.username])
        try AuditTrail.record(tx, actor, .update, entity: "follow_up", id: patientId, detail: [
            "tumors": String(patient.tumors.count), "items": (patientChanges.keys.sorted() + ["cancerStatus", "dateOfLastCancerStatus",
                                                                                               "followUpSource", "nextFollowUpSource"]).joined(separator: " ")])
        return true
    }

    /// The ids of a patient's tumors, in order.
    public func tumorIds(ofPatient patientId: Int) async throws -> [Int] {
        try await pool.withConnection { db in
            try db.query("SELECT id FROM tumor WHERE patient_id = $1 ORDER BY id", [patientId]).map { try $0.decode(Int.self, at: 0) }
        }
    }

    /// Records a letter sent or a call made for a patient (shown on the control list; the next method follows it).
    public func recordFollowUpAttempt(patientId: Int, method: FollowUpMethod, on day: CalendarDate, by actor: ActingUser) async throws {
        let found = try await pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard try AbstractRepository(connection: tx).patientExists(patientId) else { return false }
                try tx.execute("""
                    INSERT INTO follow_up_attempt (patient_id, attempted_on, method, addressee, recorded_by, recorded_name)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """, [patientId, day, method.rawValue, method.addressee, actor.userId, actor.username])
                try AuditTrail.record(tx, actor, .create, entity: "follow_up_attempt", id: patientId, detail: ["method": method.rawValue])
                return true
            }
        }
        guard found else { throw WorkflowError.notFound("patient \(patientId)") }
    }
}

extension Registry {
    /// Letters for the patients of the control list with `status` (all when nil), at most `limit`: to the following
    /// physician (2470; name and address from the physician directory) when the method due next is a physician letter, else to the patient at the current address
    /// (1810-1830, 2350). Letters carry names and addresses: the read is audited as an export of identifiers. With
    /// `record`, each letter is recorded as an attempt on `date` (the control list then shows it and the next method).
    public func followUpLetters(asOf: CalendarDate, status: FollowUpStatus?, limit: Int, record: Bool, by actor: ActingUser)
        async throws -> [FollowUpLetter] {
        let list = try await followUpDue(asOf: asOf, includeNames: true, by: actor)
        let chosen = list.entries.filter { e in
            (status == nil || e.status == status) && (e.methodDueNext == FollowUpMethod.physicianLetter.rawValue
                                                     || e.methodDueNext == FollowUpMethod.contactLetter.rawValue)
        }.prefix(limit)
        guard !chosen.isEmpty else { return [] }
        let ids = chosen.map(\.patientId)
        let addresses = try await pool.withConnection { db in
            try db.transaction { tx -> [Int: [String: String]] in
                let rows = try tx.query("SELECT id, items::text FROM patient WHERE id = ANY($1::bigint[])",
                                        ["{" + ids.map(String.init).joined(separator: ",") + "}"])
                try AuditTrail.record(tx, actor, .export, entity: "follow_up_letters", detail: [
                    "asOf": asOf.naaccrDate, "letters": String(rows.count), "recorded": String(record)])
                var out: [Int: [String: String]] = [:]
                for row in rows { out[try row.decode(Int.self, at: 0)] = try StoredItems.items(row.text(at: 1)) }
                return out
            }
        }
        let directory = try await physicians(codes: Array(Set(chosen.map(\.physician).filter { !$0.isEmpty })))
        var letters: [FollowUpLetter] = []
        for entry in chosen {
            let items = addresses[entry.patientId] ?? [:]
            let toPhysician = entry.methodDueNext == FollowUpMethod.physicianLetter.rawValue && !entry.physician.isEmpty
            let patientAddress = [items["addrCurrentNoStreet"], items["addrCurrentSupplementl"],
                                  [items["addrCurrentCity"], items["addrCurrentState"], items["addrCurrentPostalCode"]]
                                    .compactMap { $0 }.joined(separator: " ")]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
            let name = [items["nameFirst"], items["nameLast"]].compactMap { $0 }.joined(separator: " ")
            letters.append(FollowUpLetter(
                patientId: entry.patientId, patientIdNumber: entry.patientIdNumber, patientName: entry.name,
                toPhysician: toPhysician, addressee: toPhysician ? directory[entry.physician]?.name ?? "Physician \(entry.physician)" : name,
                address: toPhysician ? directory[entry.physician]?.mailingAddress ?? "(physician \(entry.physician) is not in the physician directory)"
                    : patientAddress,
                sites: entry.sites.joined(separator: ", "), lastContact: entry.lastContact,
                method: toPhysician ? FollowUpMethod.physicianLetter.rawValue : FollowUpMethod.contactLetter.rawValue))
        }
        if record {
            for letter in letters {
                try await recordFollowUpAttempt(patientId: letter.patientId, method: FollowUpMethod(rawValue: letter.method)!, on: asOf, by: actor)
            }
        }
        return letters
    }
}
