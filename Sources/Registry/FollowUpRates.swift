import CivilCalendar
import Foundation
import Postgres
import Reports
import RegistryStore

/// The CoC follow-up worksheet for one cohort of cases (tumors): total, each exclusion, analytic cases (A), dead (B),
/// living (C = A − B), current (D: known alive within 15 months of the as-of date), not current or lost (E = C − D),
/// and the follow-up rate (B + D) / A against its standard.
public struct FollowUpCohort: Sendable, Codable, Equatable {
    public var name: String
    /// Diagnosed from this date (CCYYMMDD) to the as-of date.
    public var from: String
    public var total: Int
    /// Cases left out, in the worksheet's order.
    public var exclusions: [Exclusion]
    public var analytic: Int
    public var dead: Int
    public var current: Int
    public var notCurrent: Int
    /// The CoC standard: 90% for the last five years, 80% since the reference date.
    public var standard: Double

    public struct Exclusion: Sendable, Codable, Equatable {
        public var reason: String
        public var cases: Int
    }

    public var living: Int { analytic - dead }

    enum Status { case dead, current, notCurrent }

    /// Counts `n` cases of the cohort: left out for `reason`, else followed with `status`.
    mutating func add(_ n: Int, excludedFor reason: String?, status: Status) {
        total += n
        guard reason == nil else { return }
        analytic += n
        switch status {
        case .dead: dead += n
        case .current: current += n
        case .notCurrent: notCurrent += n
        }
    }
    public var rate: Double? { analytic == 0 ? nil : Double(dead + current) / Double(analytic) }
    public var meetsStandard: Bool? { rate.map { $0 >= standard } }
}

public struct FollowUpWorksheet: Sendable, Codable, Equatable {
    public var asOf: String
    public var referenceDate: String
    public var cohorts: [FollowUpCohort]
}

extension Registry {
    /// The worksheet's exclusion reasons in its order (as `follow_up_exclusion` names them).
    public static let followUpExclusionOrder = ["benign or borderline", "carcinoma in situ of the cervix",
                                                "in situ or localized basal or squamous cell skin", "foreign resident", "non-analytic",
                                                "age 100 or older"]

    /// Follow-up rates as the Commission on Cancer defines them, as of `asOf`: for analytic cases diagnosed in the last
    /// five years (or since the reference date, whichever is shorter; standard 90%) and for all analytic cases since
    /// the reference date (80%). Counted in SQL (one pass over the tumors of those years, grouped by cohort,
    /// exclusion and status) with an audit row.
    public func followUpRates(asOf: CalendarDate, referenceDate: CalendarDate, by actor: ActingUser) async throws -> FollowUpWorksheet {
        let fiveYearsBefore = asOf.monthsEarlier(60)
        let fiveYearStart = fiveYearsBefore.daysSinceEpoch > referenceDate.daysSinceEpoch ? fiveYearsBefore : referenceDate
        let currentCutoff = asOf.monthsEarlier(15)
        let rows = try await pool.withConnection { db in
            try db.transaction { tx -> PostgresResult in
                // Two index-only scans and a hash join (migration 0013's columns and indexes), grouped by plain
                // columns and flags the planner can count (so each worker aggregates its share).
                try tx.execute("SET LOCAL work_mem = '64MB'")
                let rows = try tx.query("""
                    SELECT t.diagnosis_date_floor >= $2 AS recent, t.follow_up_case_exclusion,
                           follow_up_patient_exclusion(p.vital_status, p.date_of_birth_floor, t.age_at_diagnosis, t.diagnosis_year, $1)
                               IS NOT NULL AS age_excluded,
                           p.vital_status = '0' AS dead, coalesce(p.date_of_last_contact_floor, '00000000') > $4 AS current,
                           count(*)::int
                    FROM tumor t JOIN patient p ON p.id = t.patient_id
                    WHERE t.diagnosis_date_floor BETWEEN $3 AND $1
                    GROUP BY 1, 2, 3, 4, 5
                    """, [asOf.naaccrDate, fiveYearStart.naaccrDate, referenceDate.naaccrDate, currentCutoff.naaccrDate])
                try AuditTrail.record(tx, actor, .search, entity: "follow_up_rates", detail: [
                    "asOf": asOf.naaccrDate, "referenceDate": referenceDate.naaccrDate])
                return rows
            }
        }
        var recent = FollowUpCohort(name: "Analytic cases of the last five years", from: fiveYearStart.naaccrDate, total: 0, exclusions: [],
                                    analytic: 0, dead: 0, current: 0, notCurrent: 0, standard: 0.90)
        var all = FollowUpCohort(name: "All analytic cases since the reference date", from: referenceDate.naaccrDate, total: 0, exclusions: [],
                                 analytic: 0, dead: 0, current: 0, notCurrent: 0, standard: 0.80)
        var excluded: [Bool: [String: Int]] = [true: [:], false: [:]]
        for row in rows {
            let n = try row.decode(Int.self, at: 5)
            let isRecent = try row.decode(Bool.self, at: 0)
            // The case's own exclusion first, then the patient's (age 100 or older, living): `exclusionSQL`'s order.
            let ageExcluded = try row.decode(Bool.self, at: 2), dead = try row.decode(Bool.self, at: 3), current = try row.decode(Bool.self, at: 4)
            let reason = row.text(at: 1) ?? (ageExcluded ? "age 100 or older" : nil)
            let status: FollowUpCohort.Status = dead ? .dead : current ? .current : .notCurrent
            all.add(n, excludedFor: reason, status: status)
            if let reason { excluded[false]![reason, default: 0] += n }
            if isRecent {
                recent.add(n, excludedFor: reason, status: status)
                if let reason { excluded[true]![reason, default: 0] += n }
            }
        }
        recent.exclusions = Self.followUpExclusionOrder.map { .init(reason: $0, cases: excluded[true]![$0] ?? 0) }
        all.exclusions = Self.followUpExclusionOrder.map { .init(reason: $0, cases: excluded[false]![$0] ?? 0) }
        return FollowUpWorksheet(asOf: asOf.naaccrDate, referenceDate: referenceDate.naaccrDate, cohorts: [recent, all])
    }
}

extension FollowUpWorksheet {
    /// The worksheet as a report: one column per cohort, a line per worksheet line with its percentage of A.
    /// With `linkingCases`, each count links to the workbench's list of the cases behind it
    /// (`/followup/rates/cases`, the same dates, cohort and line).
    public func document(generated: Date = Date(), linkingCases: Bool = false) -> ReportDocument {
        func percent(_ n: Int, _ of: Int) -> ReportCell { of == 0 ? .notAvailable : .number(100 * Double(n) / Double(of), decimals: 1) }
        var cells: [[ReportCell]] = []
        var links: [Int: [Int: String]] = [:]
        func line(_ label: String, _ worksheetLine: FollowUpWorksheetLine, _ value: (FollowUpCohort) -> Int, percentOfAnalytic: Bool = true) {
            if linkingCases {
                for (k, cohort) in ["recent", "all"].enumerated() where k < cohorts.count && value(cohorts[k]) > 0 {
                    let query = [("asOf", Self.isoDate(asOf)), ("referenceDate", Self.isoDate(referenceDate)), ("cohort", cohort),
                                 ("line", worksheetLine.text)]
                        .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
                    links[cells.count, default: [:]][1 + 2 * k] = "/followup/rates/cases?" + query
                }
            }
            cells.append([.text(label)] + cohorts.flatMap { c in [.count(value(c)), percentOfAnalytic ? percent(value(c), c.analytic) : .text("")] })
        }
        line("Cases diagnosed in the cohort's years", .total, \.total, percentOfAnalytic: false)
        for (i, reason) in Registry.followUpExclusionOrder.enumerated() {
            line("less \(reason)", .excluded(reason), { $0.exclusions[i].cases }, percentOfAnalytic: false)
        }
        line("A. Analytic cases followed", .analytic, \.analytic)
        line("B. Dead", .dead, \.dead)
        line("C. Living (A − B)", .living, \.living)
        line("D. Current (known alive within 15 months)", .current, \.current)
        line("E. Not current or lost (C − D)", .notCurrent, \.notCurrent)
        cells.append([.text("Follow-up rate (B + D) / A")] + cohorts.flatMap { c in
            [c.rate.map { .number(100 * $0, decimals: 1) } ?? .notAvailable,
             .text(c.meetsStandard.map { ($0 ? "meets" : "below") + " the \(Int(c.standard * 100))% standard" } ?? "no cases")]
        })
        var table = ReportTable(
            title: "Follow-up rates as of \(Self.readable(asOf))",
            counts: "Cases (tumors) diagnosed from the cohort's first day to the as-of date: "
                + cohorts.map { "\($0.name) from \(Self.readable($0.from))" }.joined(separator: "; ") + ". Reference date \(Self.readable(referenceDate)).",
            columns: ["Worksheet line"] + cohorts.flatMap { [$0.name, "%"] },
            cells: cells,
            notes: ["Commission on Cancer follow-up: analytic cases (class of case 00-22) less benign/borderline, cervix in situ, in situ and "
                    + "localized basal/squamous skin, foreign residents and patients aged 100 or more; current = Date of Last Contact "
                    + "(1750) within 15 months of the as-of date; the rate counts the dead and the current as successfully followed. "
                    + "Standards: 90% for the last five years, 80% since the reference date."],
            name: "follow-up-rates")
        table.links = links
        return ReportDocument(title: "Follow-up rates", subtitle: "As of \(Self.readable(asOf))", marking: "Internal",
                              generated: generated, sections: [.table(table)])
    }

    static func readable(_ d: String) -> String { Registry.readableDate(d) }
    /// CCYYMMDD as YYYY-MM-DD (the workbench's query form).
    static func isoDate(_ d: String) -> String { d.count == 8 ? "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))" : d }
}

/// A line of the CoC follow-up worksheet whose cases can be listed.
public enum FollowUpWorksheetLine: Sendable, Equatable {
    case total, excluded(String), analytic, dead, living, current, notCurrent

    /// `total`, `analytic`, `dead`, `living`, `current`, `not-current`, or `excluded:REASON` (a reason of the worksheet).
    public init?(_ text: String) {
        switch text {
        case "total": self = .total
        case "analytic": self = .analytic
        case "dead": self = .dead
        case "living": self = .living
        case "current": self = .current
        case "not-current": self = .notCurrent
        default:
            guard text.hasPrefix("excluded:") else { return nil }
            let reason = String(text.dropFirst("excluded:".count))
            guard Registry.followUpExclusionOrder.contains(reason) else { return nil }
            self = .excluded(reason)
        }
    }

    public var text: String {
        switch self {
        case .total: return "total"
        case .excluded(let reason): return "excluded:" + reason
        case .analytic: return "analytic"
        case .dead: return "dead"
        case .living: return "living"
        case .current: return "current"
        case .notCurrent: return "not-current"
        }
    }

    /// The condition on the `excluded` and `status` columns of `followUpCases`' classified rows (fixed SQL; an
    /// exclusion's reason is parameter `$5`).
    var condition: String {
        switch self {
        case .total: return "true"
        case .excluded: return "c.excluded IS NOT NULL"
        case .analytic: return "c.excluded IS NULL"
        case .dead: return "c.excluded IS NULL AND c.status = 'dead'"
        case .living: return "c.excluded IS NULL AND c.status <> 'dead'"
        case .current: return "c.excluded IS NULL AND c.status = 'current'"
        case .notCurrent: return "c.excluded IS NULL AND c.status = 'not current'"
        }
    }
}

/// One case (tumor) behind a worksheet line.
public struct FollowUpWorksheetCase: Sendable, Codable, Equatable {
    public var patientId: Int
    public var patientIdNumber: String
    /// "Last, First" for roles that may read identifiers, else empty.
    public var name: String
    public var tumorId: Int
    public var primarySite: String
    public var dateOfDiagnosis: String
    public var classOfCase: String
    public var dateOfLastContact: String
    public var vitalStatus: String
}

extension Registry {
    /// The cases behind one line of the worksheet (`followUpRates` with the same dates), a page at a time in patient
    /// order, with the total; classified by the same statement of the rule (`exclusionSQL`). Audited as a read when
    /// names are shown.
    public func followUpCases(asOf: CalendarDate, referenceDate: CalendarDate, recentCohort: Bool, line: FollowUpWorksheetLine,
                              limit: Int, offset: Int, includeNames: Bool, by actor: ActingUser) async throws -> (cases: [FollowUpWorksheetCase], total: Int) {
        let fiveYearsBefore = asOf.monthsEarlier(60)
        let from = recentCohort && fiveYearsBefore.daysSinceEpoch > referenceDate.daysSinceEpoch ? fiveYearsBefore : referenceDate
        let reason: String? = if case .excluded(let r) = line { r } else { nil }
        return try await pool.withConnection { db in
            try db.transaction { tx in
                let rows = try tx.query("""
                    WITH c AS (
                        SELECT p.id AS patient_id, p.patient_id_number, p.name_last, p.name_first, t.id AS tumor_id, t.primary_site,
                               t.date_of_diagnosis, t.class_of_case, p.date_of_last_contact, p.vital_status,
                               \(Self.exclusionSQL) AS excluded,
                               CASE WHEN p.vital_status = '0' THEN 'dead'
                                    WHEN coalesce(p.date_of_last_contact_floor, '00000000') > $3 THEN 'current'
                                    ELSE 'not current' END AS status
                        FROM tumor t JOIN patient p ON p.id = t.patient_id
                        WHERE t.diagnosis_date_floor BETWEEN $2 AND $1)
                    SELECT patient_id, patient_id_number, CASE WHEN $4 THEN name_last END, CASE WHEN $4 THEN name_first END, tumor_id,
                           primary_site, date_of_diagnosis, class_of_case, date_of_last_contact, vital_status, count(*) OVER ()::int
                    FROM c WHERE \(line.condition) AND ($5::text IS NULL OR c.excluded = $5)
                    ORDER BY patient_id, tumor_id LIMIT $6 OFFSET $7
                    """, [asOf.naaccrDate, from.naaccrDate, asOf.monthsEarlier(15).naaccrDate, includeNames, reason, limit, offset])
                try AuditTrail.record(tx, actor, includeNames ? .read : .search, entity: "follow_up_rates", detail: [
                    "asOf": asOf.naaccrDate, "referenceDate": referenceDate.naaccrDate, "line": line.text, "rows": String(rows.count)])
                let cases = try rows.map { row in
                    FollowUpWorksheetCase(
                        patientId: try row.decode(Int.self, at: 0), patientIdNumber: row.text(at: 1) ?? "",
                        name: [row.text(at: 2), row.text(at: 3)].compactMap { $0 }.joined(separator: ", "),
                        tumorId: try row.decode(Int.self, at: 4), primarySite: row.text(at: 5) ?? "", dateOfDiagnosis: row.text(at: 6) ?? "",
                        classOfCase: row.text(at: 7) ?? "", dateOfLastContact: row.text(at: 8) ?? "", vitalStatus: row.text(at: 9) ?? "")
                }
                return (cases, try rows.first?.decode(Int.self, at: 10) ?? 0)
            }
        }
    }
}
