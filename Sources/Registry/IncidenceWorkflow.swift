import Coding
import Foundation
import Incidence
import Postgres
import Reports
import RegistryStore

/// What an incidence report is asked for.
public struct IncidenceRequest: Sendable {
    public enum Grouping: String, CaseIterable, Sendable { case all, site, sex, county, race }
    public var years: ClosedRange<Int>
    public var grouping: Grouping
    public var isPublic: Bool

    public init(years: ClosedRange<Int>, grouping: Grouping, isPublic: Bool) {
        self.years = years
        self.grouping = grouping
        self.isPublic = isPublic
    }
}

/// No population for a year asked for: rates need one (`registry population load`).
public struct MissingPopulationError: Error, CustomStringConvertible {
    public let years: [Int]
    public var description: String {
        "no population estimates for \(years.map(String.init).joined(separator: ", ")): load them with 'registry population load FILE'"
    }
}

extension Registry {
    /// SEER population race (1 white, 2 black, 3 American Indian/Alaska Native, 4 Asian/Pacific Islander) of NAACCR
    /// Race 1 (160): 01, 02, 03, and the Asian and Pacific Islander codes 04-97; nil for other and unknown (98, 99).
    static func populationRace(_ race1: String) -> String? {
        switch race1 {
        case "01": return "1"
        case "02": return "2"
        case "03": return "3"
        default:
            guard let code = Int(race1), (4...97).contains(code) else { return nil }
            return "4"
        }
    }

    static let raceLabels = ["1": "White", "2": "Black", "3": "American Indian/Alaska Native", "4": "Asian/Pacific Islander"]

    /// Incidence rates for `request.years`: the population and the cases read in one repeatable-read transaction
    /// with its audit row (no patient data leaves the store: counts only), then built by `IncidenceReport`.
    public func incidenceReport(_ request: IncidenceRequest, by actor: ActingUser, generated: Date = Date()) async throws -> ReportDocument {
        let data = try await incidenceData(request, by: actor)
        return IncidenceReport.document(data, public: request.isPublic, generated: generated)
    }

    public func incidenceData(_ request: IncidenceRequest, by actor: ActingUser) async throws -> IncidenceData {
        let (populationRows, caseRows) = try await pool.withConnection { db in
            try db.transaction { tx -> (PostgresResult, PostgresResult) in
                try tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                let population = try tx.query("""
                    SELECT year::int, county, sex, age_group::int, race, sum(population)::bigint
                    FROM population WHERE year BETWEEN $1 AND $2 GROUP BY 1, 2, 3, 4, 5
                    """, [request.years.lowerBound, request.years.upperBound])
                // Invasive tumors and in situ urinary bladder (C670-C679), as U.S. Cancer Statistics counts them.
                let cases = try tx.query("""
                    SELECT t.diagnosis_year::int, coalesce(t.county_at_dx, ''), coalesce(p.sex_assigned_at_birth, ''),
                           t.age_at_diagnosis, coalesce(p.race_1, ''), t.primary_site, t.histologic_type, t.behavior, count(*)::int
                    FROM tumor t JOIN patient p ON p.id = t.patient_id
                    WHERE t.diagnosis_year BETWEEN $1 AND $2
                      AND (t.behavior = '3' OR (t.behavior = '2' AND t.primary_site BETWEEN 'C670' AND 'C679'))
                    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
                    """, [request.years.lowerBound, request.years.upperBound])
                try AuditTrail.record(tx, actor, .search, entity: "incidence_report", detail: [
                    "from": String(request.years.lowerBound), "to": String(request.years.upperBound), "by": request.grouping.rawValue,
                    "public": String(request.isPublic)])
                return (population, cases)
            }
        }
        // Population by year, and by the grouping's key.
        var totalPopulation: [Int: [Double]] = [:]
        var groupPopulation: [String: [Int: [Double]]] = [:]
        var counties: [Int: Set<String>] = [:]
        for row in populationRows {
            let year = try row.decode(Int.self, at: 0), age = try row.decode(Int.self, at: 3), n = Double(try row.decode(Int.self, at: 5))
            let county = row.text(at: 1) ?? "", sex = row.text(at: 2) ?? "", race = row.text(at: 4) ?? ""
            counties[year, default: []].insert(county)
            totalPopulation[year, default: [Double](repeating: 0, count: 19)][age] += n
            let key: String?
            switch request.grouping {
            case .sex: key = sex
            case .county: key = county
            case .race: key = race
            case .all, .site: key = nil
            }
            if let key { groupPopulation[key, default: [:]][year, default: [Double](repeating: 0, count: 19)][age] += n }
        }
        let missing = request.years.filter { totalPopulation[$0] == nil }
        guard missing.isEmpty else { throw MissingPopulationError(years: missing) }

        let recode = SEERSiteRecode.revision2023
        var excluded: [String: Int] = [:]
        var allCases: [Int: [Int]] = [:]
        var groupCases: [String: [Int: [Int]]] = [:]
        var siteOrder: [String: String] = [:]
        for row in caseRows {
            let year = try row.decode(Int.self, at: 0), n = try row.decode(Int.self, at: 8)
            let county = row.text(at: 1) ?? "", sex = row.text(at: 2) ?? ""
            guard counties[year]?.contains(county) == true else { excluded["outside the population's counties or county unknown", default: 0] += n; continue }
            guard let age = row.text(at: 3).flatMap({ Int($0) }).flatMap({ $0 <= 120 ? $0 : nil }),
                  let group = StandardPopulation.ageGroup(ofAge: age) else { excluded["with unknown age", default: 0] += n; continue }
            allCases[year, default: [Int](repeating: 0, count: 19)][group] += n
            let key: String
            switch request.grouping {
            case .all: continue
            case .site:
                let site = recode.recode(site: row.text(at: 5) ?? "", histology: row.text(at: 6) ?? "", behavior: row.text(at: 7) ?? "", year: year)
                siteOrder[site.name] = site.code
                key = site.name
            case .sex: key = sex == "1" || sex == "2" ? sex : "other"
            case .county: key = county
            case .race: key = Self.populationRace(row.text(at: 4) ?? "") ?? "other"
            }
            groupCases[key, default: [:]][year, default: [Int](repeating: 0, count: 19)][group] += n
        }
        var groups: [IncidenceGroup] = []
        switch request.grouping {
        case .all: break
        case .site:
            for name in groupCases.keys.sorted(by: { (siteOrder[$0]!, $0) < (siteOrder[$1]!, $1) }) {
                groups.append(IncidenceGroup(label: name, cases: groupCases[name]!, population: totalPopulation))
            }
        case .sex, .county, .race:
            let labels: [String: String] = request.grouping == .sex ? ["1": "Male", "2": "Female"]
                : request.grouping == .race ? Self.raceLabels : [:]
            for key in Set(groupPopulation.keys).union(groupCases.keys).filter({ $0 != "other" }).sorted() {
                groups.append(IncidenceGroup(label: labels[key] ?? key, cases: groupCases[key] ?? [:], population: groupPopulation[key] ?? [:]))
            }
            if let other = groupCases["other"] {
                groups.append(IncidenceGroup(label: request.grouping == .sex ? "Other or unknown sex" : "Other or unknown race",
                                             cases: other, population: [:], countOnly: true))
            }
        }
        return IncidenceData(years: request.years, grouping: request.grouping == .all ? "" : request.grouping.rawValue, groups: groups,
                             all: IncidenceGroup(label: "All cases", cases: allCases, population: totalPopulation), excluded: excluded)
    }
}
