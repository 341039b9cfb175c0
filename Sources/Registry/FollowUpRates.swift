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
                // columns and flags the planner can count (so each worker aggregates its share); JIT compiling the
                // expressions would cost more than the whole count.
                try tx.execute("SET LOCAL jit = off")
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
    public func document(generated: Date = Date()) -> ReportDocument {
        func percent(_ n: Int, _ of: Int) -> ReportCell { of == 0 ? .notAvailable : .number(100 * Double(n) / Double(of), decimals: 1) }
        var cells: [[ReportCell]] = []
        func line(_ label: String, _ value: (FollowUpCohort) -> Int, percentOfAnalytic: Bool = true) {
            cells.append([.text(label)] + cohorts.flatMap { c in [.count(value(c)), percentOfAnalytic ? percent(value(c), c.analytic) : .text("")] })
        }
        line("Cases diagnosed in the cohort's years", \.total, percentOfAnalytic: false)
        for (i, reason) in Registry.followUpExclusionOrder.enumerated() {
            line("less \(reason)", { $0.exclusions[i].cases }, percentOfAnalytic: false)
        }
        line("A. Analytic cases followed", \.analytic)
        line("B. Dead", \.dead)
        line("C. Living (A − B)", \.living)
        line("D. Current (known alive within 15 months)", \.current)
        line("E. Not current or lost (C − D)", \.notCurrent)
        cells.append([.text("Follow-up rate (B + D) / A")] + cohorts.flatMap { c in
            [c.rate.map { .number(100 * $0, decimals: 1) } ?? .notAvailable,
             .text(c.meetsStandard.map { ($0 ? "meets" : "below") + " the \(Int(c.standard * 100))% standard" } ?? "no cases")]
        })
        let table = ReportTable(
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
        return ReportDocument(title: "Follow-up rates", subtitle: "As of \(Self.readable(asOf))", marking: "Internal",
                              generated: generated, sections: [.table(table)])
    }

    static func readable(_ d: String) -> String { Registry.readableDate(d) }
}
