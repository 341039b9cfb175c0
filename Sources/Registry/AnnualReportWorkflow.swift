import Coding
import Foundation
import Postgres
import Reports
import RegistryStore
import Survival

/// What an annual report is asked for.
public struct AnnualReportRequest: Sendable {
    public var year: Int
    /// Apply the USCS suppression rule and leave out the accession register and every identifier.
    public var isPublic: Bool
    /// Show patients' names in the internal accession register (roles that may read identifiers only).
    public var includeNames: Bool
    public var registryName: String

    public init(year: Int, isPublic: Bool, includeNames: Bool, registryName: String = "") {
        self.year = year
        self.isPublic = isPublic
        self.includeNames = includeNames
        self.registryName = registryName
    }

    /// The ten diagnosis years of the trend table, ending with the report year.
    public var trendYears: ClosedRange<Int> { (year - 9)...year }
    /// The survival cohort: malignant tumors of the nine years before the report year, followed through the report year.
    public var survivalYears: ClosedRange<Int> { (year - 9)...(year - 1) }
}

extension Registry {
    /// The cancer committee's annual report for `request.year`: every table read in one repeatable-read transaction
    /// (the tables agree with each other) with one audit row saying what was reported, then built by `AnnualReport`.
    public func annualReport(_ request: AnnualReportRequest, by actor: ActingUser, generated: Date = Date()) async throws -> ReportDocument {
        let data = try await annualReportData(request, by: actor)
        return AnnualReport.document(data, public: request.isPublic, generated: generated)
    }

    /// The annual report's data from the store.
    public func annualReportData(_ request: AnnualReportRequest, by actor: ActingUser) async throws -> AnnualReportData {
        let names = request.includeNames && !request.isPublic
        // The survival cohort: malignant first primaries of the nine years before, followed through the report year.
        let selection = StoreSelection(grouping: .site, strata: .stage, period: nil, fromYear: request.survivalYears.lowerBound,
                                       toYear: request.survivalYears.upperBound, endPointYear: request.year,
                                       firstPrimaryOnly: true, presumedAlive: false)
        let (yearRows, trendRows, survivalRows) = try await pool.withConnection { db in
            try db.transaction { tx -> (PostgresResult, PostgresResult, PostgresResult) in
                try tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                let year = try tx.query("""
                    SELECT t.primary_site, t.histologic_type, t.behavior, p.sex_assigned_at_birth, t.class_of_case,
                           coalesce(nullif(t.summary_stage_2018, ''), t.summary_stage_2000),  -- SEER Summary Stage 2000 before 2018
                           t.age_at_diagnosis, t.county_at_dx,
                           t.accession_number, t.sequence_number_hospital, t.date_of_diagnosis,
                           CASE WHEN $2 THEN p.name_last END, CASE WHEN $2 THEN p.name_first END
                    FROM tumor t JOIN patient p ON p.id = t.patient_id
                    WHERE t.diagnosis_year = $1
                    ORDER BY t.accession_number, t.sequence_number_hospital, t.id
                    """, [request.year, names])
                let trend = try tx.query("""
                    SELECT diagnosis_year, primary_site, histologic_type, behavior, count(*)
                    FROM tumor WHERE diagnosis_year BETWEEN $1 AND $2
                    GROUP BY 1, 2, 3, 4
                    """, [request.trendYears.lowerBound, request.trendYears.upperBound])
                let survival = try SurvivalInput.cohortRows(tx, selection)
                try AuditTrail.record(tx, actor, names ? .read : .search, entity: "annual_report", detail: [
                    "year": String(request.year), "public": String(request.isPublic), "names": String(names),
                    "tumors": String(year.count), "survivalCases": String(survival.count)])
                return (year, trend, survival)
            }
        }
        let recode = SEERSiteRecode.revision2023
        var tumors: [AnnualReportTumor] = []
        var register: [AccessionRegisterEntry] = []
        tumors.reserveCapacity(yearRows.count)
        for row in yearRows {
            let site = row.text(at: 0) ?? "", histology = row.text(at: 1) ?? "", behavior = row.text(at: 2) ?? ""
            let group = recode.recode(site: site, histology: histology, behavior: behavior, year: request.year)
            let stage = row.text(at: 5) ?? ""
            tumors.append(AnnualReportTumor(siteCode: group.code, siteName: group.name, sex: row.text(at: 3) ?? "",
                                            classOfCase: row.text(at: 4) ?? "", stage: stage,
                                            age: row.text(at: 6).flatMap { Int($0) }.flatMap { $0 <= 120 ? $0 : nil },
                                            county: row.text(at: 7) ?? ""))
            if !request.isPublic {
                let name = [row.text(at: 11), row.text(at: 12)].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
                register.append(AccessionRegisterEntry(
                    accessionNumber: row.text(at: 8) ?? "", sequenceNumber: row.text(at: 9) ?? "",
                    dateOfDiagnosis: Self.readableDate(row.text(at: 10) ?? ""), primarySite: site,
                    histologyBehavior: histology.isEmpty ? "" : "\(histology)/\(behavior)", classOfCase: row.text(at: 4) ?? "",
                    stage: stage, patientName: name))
            }
        }
        var trend: [Int: [String: Int]] = [:]
        for row in trendRows {
            let year = try row.decode(Int.self, at: 0), count = try row.decode(Int.self, at: 4)
            let group = recode.recode(site: row.text(at: 1) ?? "", histology: row.text(at: 2) ?? "", behavior: row.text(at: 3) ?? "", year: year)
            trend[year, default: [:]][group.name, default: 0] += count
        }
        let (records, _) = try SurvivalInput.records(survivalRows, selection)
        let survival = records.map {
            AnnualReportSurvivalCase(siteName: $0.group, stageGroup: $0.stratum, observed: $0.survivalCase, relative: $0.relative)
        }
        return AnnualReportData(year: request.year, registryName: request.registryName, tumors: tumors, trend: trend,
                                trendYears: request.trendYears, survival: survival, survivalYears: request.survivalYears,
                                register: register)
    }

    /// The diagnosis years the registry holds tumors of, newest first, with their tumor counts (an index-only scan of
    /// `tumor_by_diagnosis_year_and_site`), for choosing a report's year.
    public func diagnosisYears() async throws -> [(year: Int, tumors: Int)] {
        try await pool.withConnection { db in
            try db.query("SELECT diagnosis_year::int, count(*)::int FROM tumor WHERE diagnosis_year IS NOT NULL GROUP BY 1 ORDER BY 1 DESC")
                .map { (try $0.decode(Int.self, at: 0), try $0.decode(Int.self, at: 1)) }
        }
    }

    /// CCYYMMDD as CCYY-MM-DD (a partial date as far as it is known).
    static func readableDate(_ naaccr: String) -> String {
        let digits = Array(naaccr)
        guard digits.count >= 4 else { return naaccr }
        var out = String(digits[0..<4])
        if digits.count >= 6, String(digits[4..<6]) != "99" { out += "-" + String(digits[4..<6]) } else { return out }
        if digits.count >= 8, String(digits[6..<8]) != "99" { out += "-" + String(digits[6..<8]) }
        return out
    }
}
