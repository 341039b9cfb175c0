import CivilCalendar
import Foundation
import NAACCR
import Postgres
import Reports
import RegistryStore

/// The registry's quality dashboard for a diagnosis year: data-quality indicators with their standards, follow-up
/// rates, the share of tumors passing each edit set, and the CoC quality measures with the tumors that miss them.
public struct QualityDashboard: Sendable {
    public struct Indicator: Sendable {
        public var name: String
        public var value: Proportion
        /// The standard and whether a higher or a lower share is better.
        public var standard: Double?
        public var higherIsBetter: Bool
        public var source: String
        public var meets: Bool? {
            guard let standard, let rate = value.rate else { return nil }
            return higherIsBetter ? rate >= standard : rate <= standard
        }
    }
    public struct MeasureResult: Sendable {
        public var measure: QualityMeasure
        public var value: Proportion
        /// Denominator tumors that miss the numerator, for review.
        public var missing: [Int]
        /// CoC Standards 4.4/4.5: met when the rate or the upper limit of its 95% interval reaches the expected rate.
        public var meets: Bool? {
            guard let rate = value.rate, let interval = value.interval else { return nil }
            return rate >= measure.expectedRate || interval.upper >= measure.expectedRate
        }
    }
    public var year: Int
    public var indicators: [Indicator]
    public var editSets: [(name: String, passing: Proportion)]
    public var followUp: FollowUpWorksheet
    public var measures: [MeasureResult]
}

extension Registry {
    /// The dashboard for diagnosis year `year` as of `asOf`, read in one repeatable-read transaction with one audit row.
    public func qualityDashboard(year: Int, asOf: CalendarDate, referenceDate: CalendarDate, by actor: ActingUser) async throws -> QualityDashboard {
        let analytic = "t.class_of_case IN ('00','10','11','12','13','14','20','21','22')"
        let (counts, patients, sets, measureRows) = try await pool.withConnection { db in
            try db.transaction { tx -> (PostgresRow, PostgresRow, PostgresResult, PostgresResult) in
                try tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                let counts = try tx.query("""
                    SELECT count(*)::int AS tumors,
                           count(*) FILTER (WHERE \(analytic))::int AS analytic,
                           count(*) FILTER (WHERE \(analytic) AND x.first IS NOT NULL AND x.completed IS NOT NULL)::int AS timed,
                           count(*) FILTER (WHERE \(analytic) AND x.first IS NOT NULL AND x.completed IS NOT NULL
                                              AND to_date(x.completed, 'YYYYMMDD') <= to_date(x.first, 'YYYYMMDD') + interval '6 months')::int AS timely,
                           count(*) FILTER (WHERE \(analytic) AND t.diagnosis_year >= 2018 AND t.behavior = '3')::int AS staged_cases,
                           count(*) FILTER (WHERE \(analytic) AND t.diagnosis_year >= 2018 AND t.behavior = '3'
                                              AND coalesce(t.summary_stage_2018, '9') = '9')::int AS unknown_stage,
                           count(*) FILTER (WHERE coalesce(p.race_1, '99') = '99')::int AS unknown_race,
                           count(*) FILTER (WHERE coalesce(p.sex_assigned_at_birth, '9') = '9')::int AS unknown_sex,
                           count(*) FILTER (WHERE coalesce(t.age_at_diagnosis, '999') = '999')::int AS unknown_age,
                           count(*) FILTER (WHERE coalesce(t.county_at_dx, '999') = '999')::int AS unknown_county,
                           count(*) FILTER (WHERE t.type_of_reporting_source = '7')::int AS dco
                    FROM tumor t JOIN patient p ON p.id = t.patient_id
                    -- Date of 1st Contact (580) and Date Case Completed (2090), typed columns (migration 0013).
                    CROSS JOIN LATERAL (SELECT naaccr_date_floor(t.date_of_first_contact) AS first,
                                               naaccr_date_floor(t.date_case_completed) AS completed) x
                    WHERE t.diagnosis_year = $1
                    """, [year])[0]
                // Patients of the year, and those among them who share name, date of birth and sex (possible duplicates).
                let patients = try tx.query("""
                    SELECT count(DISTINCT t.patient_id)::int,
                           (SELECT count(*) FROM (SELECT 1 FROM tumor t JOIN patient q ON q.id = t.patient_id
                                                  WHERE t.diagnosis_year = $1 AND q.name_last IS NOT NULL AND q.date_of_birth IS NOT NULL
                                                  GROUP BY lower(q.name_last), lower(q.name_first), q.date_of_birth, q.sex_assigned_at_birth
                                                  HAVING count(DISTINCT q.id) > 1) d)::int
                    FROM tumor t WHERE t.diagnosis_year = $1
                    """, [year])[0]
                // Each edit set's latest stored results for the year's tumors (registry edits run --set NAME).
                let sets = try tx.query("""
                    SELECT r.edit_set, count(*)::int, count(*) FILTER (WHERE r.errors = 0)::int
                    FROM edit_result r JOIN tumor t ON t.id = r.tumor_id
                    WHERE t.diagnosis_year = $1
                    GROUP BY r.edit_set ORDER BY r.edit_set
                    """, [year])
                // Only the measures' items, read out of each abstract by the server (its workers share the parsing).
                let measureRows = try tx.query("""
                    SELECT t.id, p.sex_assigned_at_birth, r.* FROM tumor t JOIN patient p ON p.id = t.patient_id
                    CROSS JOIN LATERAL json_to_record(t.items) AS r(\(Self.measureItemColumns))
                    WHERE t.diagnosis_year = $1 AND (t.primary_site BETWEEN 'C500' AND 'C509' OR t.primary_site BETWEEN 'C180' AND 'C189')
                    ORDER BY t.id
                    """, [year])
                try AuditTrail.record(tx, actor, .search, entity: "quality_dashboard", detail: ["year": String(year)])
                return (counts, patients, sets, measureRows)
            }
        }
        func n(_ column: String) throws -> Int { try counts.decode(Int.self, column: column) }
        let tumors = try n("tumors")
        var indicators: [QualityDashboard.Indicator] = [
            .init(name: "Analytic cases abstracted within 6 months of first contact", value: .init(numerator: try n("timely"), denominator: try n("timed")),
                  standard: 0.90, higherIsBetter: true, source: "CoC: Date Case Completed (2090) within 6 months of Date of 1st Contact (580)"),
            .init(name: "Unknown Summary Stage 2018 (analytic, malignant, 2018+)", value: .init(numerator: try n("unknown_stage"), denominator: try n("staged_cases")),
                  standard: nil, higherIsBetter: false, source: "Summary Stage 2018 (764) = 9"),
            .init(name: "Death certificate only", value: .init(numerator: try n("dco"), denominator: tumors), standard: 0.03, higherIsBetter: false,
                  source: "NPCR: Type of Reporting Source (500) = 7, at most 3%"),
            .init(name: "Unknown age", value: .init(numerator: try n("unknown_age"), denominator: tumors), standard: 0.02, higherIsBetter: false,
                  source: "NPCR: Age at Diagnosis (230) = 999, at most 2%"),
            .init(name: "Unknown sex", value: .init(numerator: try n("unknown_sex"), denominator: tumors), standard: 0.02, higherIsBetter: false,
                  source: "NPCR: Sex Assigned at Birth (225) = 9, at most 2%"),
            .init(name: "Unknown race", value: .init(numerator: try n("unknown_race"), denominator: tumors), standard: 0.03, higherIsBetter: false,
                  source: "NPCR: Race 1 (160) = 99, at most 3%"),
            .init(name: "Unknown county", value: .init(numerator: try n("unknown_county"), denominator: tumors), standard: 0.02, higherIsBetter: false,
                  source: "NPCR: County at Diagnosis (90) = 999, at most 2%"),
        ]
        indicators.append(.init(name: "Possible duplicate patients (same name, birth date and sex)",
                                value: .init(numerator: try patients.decode(Int.self, at: 1), denominator: try patients.decode(Int.self, at: 0)), standard: 0.001,
                                higherIsBetter: false, source: "NPCR: duplicate rate at most 1 per 1,000"))
        let editSets = try sets.map { row -> (name: String, passing: Proportion) in
            (row.text(at: 0) ?? "", Proportion(numerator: try row.decode(Int.self, at: 2), denominator: try row.decode(Int.self, at: 1)))
        }
        let cases = try measureRows.map { row in
            var items: [String: String] = [:]
            for (i, id) in MeasureCase.itemsRead.enumerated() { items[id] = row.text(at: 2 + i) }
            return MeasureCase(tumorId: try row.decode(Int.self, at: 0), items: items, sex: row.text(at: 1) ?? "")
        }
        let measures = QualityMeasure.all.map { measure -> QualityDashboard.MeasureResult in
            let cohort = cases.filter(measure.inDenominator)
            let missing = cohort.filter { !measure.meets($0) }.map(\.tumorId)
            return .init(measure: measure, value: .init(numerator: cohort.count - missing.count, denominator: cohort.count), missing: missing)
        }
        let followUp = try await followUpRates(asOf: asOf, referenceDate: referenceDate, by: actor)
        return QualityDashboard(year: year, indicators: indicators, editSets: editSets, followUp: followUp, measures: measures)
    }
}

extension Registry {
    /// `"230" text, "400" text, …`: the stored keys (item numbers) of `MeasureCase.itemsRead`, for `json_to_record`.
    static let measureItemColumns = MeasureCase.itemsRead.map { id in
        "\"\(NaaccrDictionary.v26.item(id)!.naaccrNum)\" text"
    }.joined(separator: ", ")
}

extension QualityDashboard {
    /// The dashboard as a report: indicators, edit sets, follow-up, measures (with definitions) and the tumors to review.
    public func document(generated: Date = Date()) -> ReportDocument {
        func percent(_ p: Proportion) -> ReportCell { p.rate.map { .number(100 * $0, decimals: 1) } ?? .notAvailable }
        func interval(_ p: Proportion) -> ReportCell {
            p.interval.map { .text(String(format: "%.1f – %.1f", 100 * $0.lower, 100 * $0.upper)) } ?? .notAvailable
        }
        func verdict(_ meets: Bool?) -> ReportCell { .text(meets.map { $0 ? "meets" : "below" } ?? "no cases") }
        let indicatorTable = ReportTable(
            title: "Data quality, tumors diagnosed in \(year)", counts: "Every tumor diagnosed in \(year) (timeliness and stage: analytic cases).",
            columns: ["Indicator", "Cases", "Of", "%", "Standard %", "Verdict", "Definition"],
            cells: indicators.map { i in
                [.text(i.name), .count(i.value.numerator), .count(i.value.denominator), percent(i.value),
                 i.standard.map { .number(100 * $0, decimals: 1) } ?? .text("—"), i.standard == nil ? .text("—") : verdict(i.meets), .text(i.source)]
            }, name: "indicators")
        let editTable = ReportTable(
            title: "Tumors passing each edit set, \(year)", counts: "The latest stored results of each set (registry edits run --set NAME).",
            columns: ["Edit set", "Tumors passing", "Of", "%"],
            cells: editSets.map { [.text($0.name), .count($0.passing.numerator), .count($0.passing.denominator), percent($0.passing)] },
            notes: editSets.isEmpty ? ["No edit set has been run over the store yet."] : [], name: "edit-sets")
        let measureTable = ReportTable(
            title: "CoC quality measures, \(year)",
            counts: "Breast and colon tumors diagnosed in \(year); each measure's cohort and numerator below. Met (CoC Standards 4.4, 4.5) "
                + "when the rate or the upper limit of its 95% confidence interval (Wilson score) reaches the expected performance rate.",
            columns: ["Measure", "Type", "Met", "Cases", "Rate %", "95% CI %", "Expected %", "Verdict", "Definition"],
            cells: measures.map { r in
                [.text(r.measure.id), .text(r.measure.kind), .count(r.value.numerator), .count(r.value.denominator), percent(r.value), interval(r.value),
                 .number(100 * r.measure.expectedRate, decimals: 0), verdict(r.meets), .text(r.measure.description + " " + r.measure.definition)]
            }, name: "measures")
        let review = ReportTable(
            title: "Tumors in a measure's cohort that miss it", counts: "For review: each tumor id opens its abstract (/tumors/ID).",
            columns: ["Measure", "Tumor ids"],
            rows: measures.filter { !$0.missing.isEmpty }.map { [$0.measure.id, $0.missing.map(String.init).joined(separator: " ")] },
            name: "measure-review")
        var sections: [ReportDocument.Section] = [.table(indicatorTable), .table(editTable)]
        sections += followUp.document(generated: generated).sections
        sections += [.table(measureTable), .table(review)]
        return ReportDocument(title: "Quality dashboard \(year)", subtitle: "Data quality, follow-up and CoC quality measures",
                              marking: "Internal", generated: generated, sections: sections)
    }
}
