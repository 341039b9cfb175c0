import Foundation
import Incidence

/// Cases and population of one group (a site, a sex, a county, a race, or all) by year and SEER age group.
public struct IncidenceGroup: Sendable, Equatable {
    public var label: String
    /// cases[year][ageGroup], ageGroup 0...18.
    public var cases: [Int: [Int]]
    /// population[year][ageGroup] (person-years).
    public var population: [Int: [Double]]
    /// A group with cases but no rates (e.g. other or unknown race): counted, its rates not computed.
    public var countOnly: Bool

    public init(label: String, cases: [Int: [Int]], population: [Int: [Double]], countOnly: Bool = false) {
        self.label = label
        self.cases = cases
        self.population = population
        self.countOnly = countOnly
    }

    public func totalCases(in years: ClosedRange<Int>) -> Int { years.reduce(0) { $0 + (cases[$1]?.reduce(0, +) ?? 0) } }
}

/// What an incidence report is built from.
public struct IncidenceData: Sendable {
    public var years: ClosedRange<Int>
    /// "site", "sex", "county", "race" or "" (all cases).
    public var grouping: String
    /// The groups, in the order to show them, then the all-cases group.
    public var groups: [IncidenceGroup]
    public var all: IncidenceGroup
    /// Cases left out, by reason (unknown age, residence outside the population's counties, ...).
    public var excluded: [String: Int]

    public init(years: ClosedRange<Int>, grouping: String, groups: [IncidenceGroup], all: IncidenceGroup, excluded: [String: Int]) {
        self.years = years
        self.grouping = grouping
        self.groups = groups
        self.all = all
        self.excluded = excluded
    }
}

/// Incidence rates for a central registry: crude and age-adjusted rates per 100,000 (2000 US standard population,
/// 19 age groups) with Tiwari 95% intervals over the whole period, each year's age-adjusted rate, and the annual
/// percent change. `public` hides counts under 16 and the rates based on them (USCS), with complementary cells.
public enum IncidenceReport {
    static func sum(_ rows: [Int: [Double]], _ years: ClosedRange<Int>) -> [Double] {
        years.reduce(into: [Double](repeating: 0, count: 19)) { acc, y in for (j, n) in (rows[y] ?? []).enumerated() { acc[j] += n } }
    }
    static func sum(_ rows: [Int: [Int]], _ years: ClosedRange<Int>) -> [Int] {
        years.reduce(into: [Int](repeating: 0, count: 19)) { acc, y in for (j, n) in (rows[y] ?? []).enumerated() { acc[j] += n } }
    }

    public static func document(_ data: IncidenceData, public isPublic: Bool, generated: Date = Date()) -> ReportDocument {
        let years = data.years
        let rows = data.groups + [data.all]
        let span = years.lowerBound == years.upperBound ? "\(years.lowerBound)" : "\(years.lowerBound)-\(years.upperBound)"
        // Suppression: the cases column with the all-cases total (groups partition the cases).
        let grid = CountGrid(rowLabels: rows.map(\.label), columns: ["Cases"], groups: [],
                             counts: rows.map { [$0.totalCases(in: years)] }, totalRow: rows.count - 1)
        let hidden = isPublic ? grid.suppression() : []
        let threshold = CountGrid.smallestPublicCount
        func rate(_ x: Double) -> ReportCell { .number(x, decimals: 1) }
        var cells: [[ReportCell]] = []
        for (r, group) in rows.enumerated() {
            let cases = sum(group.cases, years), population = sum(group.population, years)
            let total = cases.reduce(0, +)
            let suppressed = hidden.contains(.init(row: r, column: 0))
            var row: [ReportCell] = [.text(group.label), suppressed ? .suppressed : .count(total)]
            if group.countOnly {
                row += [ReportCell](repeating: .notAvailable, count: 6)
            } else if suppressed || (isPublic && total < threshold) {
                row += [.count(Int(population.reduce(0, +)))] + [ReportCell](repeating: .suppressed, count: 5)
            } else {
                let crude = IncidenceRates.crude(cases: total, population: population.reduce(0, +))
                let adjusted = IncidenceRates.ageAdjusted(cases: cases, population: population)
                row += [.count(Int(population.reduce(0, +))),
                        crude.map { rate($0.rate) } ?? .notAvailable,
                        crude.map { .text(String(format: "%.1f – %.1f", $0.lower, $0.upper)) } ?? .notAvailable,
                        adjusted.map { rate($0.rate) } ?? .notAvailable,
                        adjusted.map { rate($0.lower) } ?? .notAvailable, adjusted.map { rate($0.upper) } ?? .notAvailable]
            }
            cells.append(row)
        }
        let what = "Malignant tumors (behavior 3) and in situ urinary bladder tumors diagnosed \(span) in residents of the counties "
            + "of the population file, by SEER site recode group, County at Diagnosis (NAACCR 90), Sex Assigned at Birth (225), "
            + "Race 1 (160) and Age at Diagnosis (230)."
        var notes = ["Rates per 100,000 person-years, age-adjusted to the 2000 US standard population (19 age groups, SEER*Stat "
                     + "standard 201). 95% confidence intervals: Tiwari et al. (2006) modified gamma (crude: exact Poisson)."]
        if !data.excluded.isEmpty {
            notes.append("Left out: " + data.excluded.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ") + ".")
        }
        if isPublic && !hidden.isEmpty || isPublic && cells.contains(where: { $0.contains(.suppressed) }) {
            notes.append("* not shown: fewer than 16 cases, a rate based on them, or a count hidden so that such a count cannot be "
                         + "worked out from the total (U.S. Cancer Statistics suppression rule).")
        }
        let groupTitle = ["site": "Primary site", "sex": "Sex", "county": "County", "race": "Race"][data.grouping] ?? "Group"
        var rates = ReportTable(
            title: "Incidence rates, \(span)", counts: what,
            columns: [groupTitle, "Cases", "Population (person-years)", "Crude rate", "Crude rate 95% CI", "Age-adjusted rate",
                      "Age-adjusted 95% lower", "Age-adjusted 95% upper"],
            cells: cells, notes: notes, name: "rates")
        rates.lastRowIsTotal = true

        // Trend: each year's age-adjusted rate and the APC.
        let yearList = Array(years)
        var trendCells: [[ReportCell]] = []
        for group in rows where !group.countOnly {
            var yearRates: [Double?] = []
            var row: [ReportCell] = [.text(group.label)]
            for y in yearList {
                let c = group.cases[y] ?? [Int](repeating: 0, count: 19)
                let n = group.population[y] ?? [Double](repeating: 0, count: 19)
                let small = isPublic && c.reduce(0, +) < threshold
                let estimate = small ? nil : IncidenceRates.ageAdjusted(cases: c, population: n)
                yearRates.append(estimate?.rate)
                row.append(small ? .suppressed : estimate.map { rate($0.rate) } ?? .notAvailable)
            }
            let known = zip(yearList, yearRates).compactMap { y, r in r.map { (y, $0) } }
            let apc = known.count == yearList.count ? AnnualPercentChange(years: known.map(\.0), rates: known.map(\.1)) : nil
            row += [apc.map { .number($0.apc, decimals: 1) } ?? .notAvailable,
                    apc.map { .text(String(format: "%.1f – %.1f", $0.lower, $0.upper)) } ?? .notAvailable,
                    apc.map { .text(String(format: "%.3g", $0.pValue)) } ?? .notAvailable]
            trendCells.append(row)
        }
        let trend = ReportTable(
            title: "Age-adjusted incidence by year and annual percent change, \(span)",
            counts: "The same cases by year of diagnosis; age-adjusted rates per 100,000 (2000 US standard).",
            columns: [groupTitle] + yearList.map(String.init) + ["APC %", "APC 95% CI", "APC p-value"], cells: trendCells,
            notes: ["APC: least squares fit of ln(rate) on year; 100(e^b − 1) with a t interval on n − 2 degrees of freedom. "
                    + "Not computed with fewer than three years or a year without a rate."], name: "trend")
        return ReportDocument(title: "Cancer incidence, \(span)", subtitle: "Rates per 100,000, age-adjusted to the 2000 US standard population",
                              marking: isPublic ? "Public: counts under 16 suppressed" : "Internal: contains small counts; not for release",
                              generated: generated, sections: [.table(rates), .table(trend)])
    }
}
