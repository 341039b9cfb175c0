import NAACCR
import Postgres

/// How an abstract's items are kept in the `items` columns: one flat JSON object keyed by NAACCR item number,
/// `{"20":"00000001","400":"C509",…}`, in number order.
///
/// Numbers are the standard's stable item identifiers (registrars know "item 400"), and they make the stored
/// document half the size of one keyed by `naaccrId`: half the bytes to write, log, parse and read for every
/// abstract. The application speaks `naaccrId` everywhere else; this is the one place that translates. In SQL,
/// `naaccr_value(items, 'primarySite')` reads an item by id (the `naaccr_item` table maps ids to numbers).
/// A key the dictionary does not know is kept under its own name both ways, so nothing is ever dropped.
public enum StoredItems {
    /// The stored JSON text of items given by `naaccrId`; blank values are left out.
    public static func json(_ items: [String: String], dictionary: NaaccrDictionary = .v26) -> String {
        var members: [(order: Int, key: String, value: String)] = []
        members.reserveCapacity(items.count)
        for (id, value) in items where !value.isEmpty {
            if let number = dictionary.item(id)?.naaccrNum {
                members.append((number, String(number), value))
            } else {
                members.append((Int.max, id, value))
            }
        }
        members.sort { ($0.order, $0.key) < ($1.order, $1.key) }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendString(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(member.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        out.append(UInt8(ascii: "\""))
        text.withUTF8 { appendJSONStringContent($0, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// Items by `naaccrId` from stored JSON text (nil reads as no items).
    public static func items(_ json: String?, dictionary: NaaccrDictionary = .v26) throws -> [String: String] {
        var out: [String: String] = [:]
        try FlatJSONObject.forEachMember(in: json ?? "{}") { key, value in
            out[naaccrId(forStoredKey: key, dictionary: dictionary)] = value
        }
        return out
    }

    /// The `naaccrId` a stored key stands for (the key itself when the dictionary does not know it).
    public static func naaccrId(forStoredKey key: String, dictionary: NaaccrDictionary = .v26) -> String {
        itemKey(forStoredKey: key, dictionary: dictionary).map { dictionary.item($0).naaccrId } ?? key
    }

    /// The item a stored key stands for: an item number, or (in older documents and drafts) a `naaccrId`.
    public static func itemKey(forStoredKey key: String, dictionary: NaaccrDictionary) -> NaaccrItemKey? {
        Int(key).flatMap { dictionary.key(naaccrNum: $0) } ?? dictionary.key(key)
    }

    /// Appends `bytes` escaped for inside a JSON string; runs of plain bytes are copied in one go.
    static func appendJSONStringContent(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        for i in 0..<bytes.count {
            let byte = bytes[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            default:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            }
            start = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }
}

/// The typed columns kept beside `items` for look-ups, edits, reports, survival and follow-up, taken from items by
/// `naaccrId`: the one list every writer (imports, saves, creates) and its SQL are made from.
enum TypedColumns {
    /// Patient columns and their items, in order.
    static let patientFields: [(column: String, item: String)] = [
        ("name_last", "nameLast"), ("name_first", "nameFirst"), ("date_of_birth", "dateOfBirth"),
        ("sex_assigned_at_birth", "sexAssignedAtBirth"), ("vital_status", "vitalStatus"), ("date_of_last_contact", "dateOfLastContact"),
        ("race_1", "race1"), ("social_security_number", "socialSecurityNumber"),
    ]
    /// Tumor text columns and their items, in order; `diagnosis_year` (from the date of diagnosis) follows them.
    static let tumorFields: [(column: String, item: String)] = [
        ("sequence_number_central", "sequenceNumberCentral"), ("sequence_number_hospital", "sequenceNumberHospital"),
        ("primary_site", "primarySite"), ("laterality", "laterality"), ("histologic_type", "histologicTypeIcdO3"),
        ("behavior", "behaviorCodeIcdO3"), ("date_of_diagnosis", "dateOfDiagnosis"), ("class_of_case", "classOfCase"),
        ("summary_stage_2018", "summaryStage2018"), ("reporting_facility", "reportingFacility"), ("accession_number", "accessionNumberHosp"),
        ("county_at_dx", "countyAtDx"), ("state_at_dx", "addrAtDxState"), ("age_at_diagnosis", "ageAtDiagnosis"),
        ("summary_stage_2000", "seerSummaryStage2000"), ("type_of_reporting_source", "typeOfReportingSource"),
        ("date_of_first_contact", "dateOf1stContact"), ("date_case_completed", "dateCaseCompleted"),
        ("medical_record_number", "medicalRecordNumber"),
    ]

    /// "name_last, name_first, …".
    static let patientColumnList = patientFields.map(\.column).joined(separator: ", ")
    /// "sequence_number_central, …, diagnosis_year".
    static let tumorColumnList = (tumorFields.map(\.column) + ["diagnosis_year"]).joined(separator: ", ")

    /// "name_last = $4, name_first = $5, …" for the patient columns, numbered from `first`.
    static func patientAssignments(from first: Int) -> String {
        patientFields.enumerated().map { "\($1.column) = $\(first + $0)" }.joined(separator: ", ")
    }
    /// The same for the tumor columns and `diagnosis_year`.
    static func tumorAssignments(from first: Int) -> String {
        (tumorFields.map(\.column) + ["diagnosis_year"]).enumerated().map { "\($1) = $\(first + $0)" }.joined(separator: ", ")
    }
    /// "$first, $first+1, …" for `count` parameters.
    static func placeholders(from first: Int, count: Int) -> String {
        (first..<(first + count)).map { "$\($0)" }.joined(separator: ", ")
    }

    static func patient(_ items: [String: String]) -> PostgresBindings { patientFields.map { items[$0.item] } }

    static func tumor(_ items: [String: String]) -> PostgresBindings {
        let text: PostgresBindings = tumorFields.map { items[$0.item] }
        return text + [diagnosisYear(items["dateOfDiagnosis"])]
    }

    /// The year of a CCYY[MM[DD]] date, nil unless it starts with four digits.
    static func diagnosisYear(_ date: String?) -> Int? {
        guard let date, date.utf8.count >= 4 else { return nil }
        let digits = date.utf8.prefix(4)
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
