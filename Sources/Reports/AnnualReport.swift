import Foundation
import Survival

/// One tumor of the report year, as the annual report counts it.
public struct AnnualReportTumor: Sendable, Equatable {
    /// SEER Site Recode (2023 revision) group, code and name.
    public var siteCode: String
    public var siteName: String
    /// Sex Assigned at Birth (NAACCR 225): 1 male, 2 female, others other or unknown.
    public var sex: String
    /// Class of Case (NAACCR 610).
    public var classOfCase: String
    /// Summary Stage 2018 (NAACCR 764), or SEER Summary Stage 2000 (759) before 2018.
    public var stage: String
    /// Age at Diagnosis (NAACCR 230), nil when unknown (999).
    public var age: Int?
    /// County at Diagnosis (NAACCR 90).
    public var county: String

    public init(siteCode: String, siteName: String, sex: String, classOfCase: String, stage: String, age: Int?, county: String) {
        self.siteCode = siteCode
        self.siteName = siteName
        self.sex = sex
        self.classOfCase = classOfCase
        self.stage = stage
        self.age = age
        self.county = county
    }

    /// CoC analytic cases: class of case 00-22 (diagnosed and/or first treated at the facility).
    public var isAnalytic: Bool { ["00", "10", "11", "12", "13", "14", "20", "21", "22"].contains(classOfCase) }
}

/// A line of the accession register (internal reports only).
public struct AccessionRegisterEntry: Sendable, Equatable {
    public var accessionNumber: String
    public var sequenceNumber: String
    public var dateOfDiagnosis: String
    public var primarySite: String
    public var histologyBehavior: String
    public var classOfCase: String
    public var stage: String
    /// "Last, First" for roles that see identifiers; empty otherwise.
    public var patientName: String

    public init(accessionNumber: String, sequenceNumber: String, dateOfDiagnosis: String, primarySite: String, histologyBehavior: String,
                classOfCase: String, stage: String, patientName: String) {
        self.accessionNumber = accessionNumber
        self.sequenceNumber = sequenceNumber
        self.dateOfDiagnosis = dateOfDiagnosis
        self.primarySite = primarySite
        self.histologyBehavior = histologyBehavior
        self.classOfCase = classOfCase
        self.stage = stage
        self.patientName = patientName
    }
}

/// One case of the survival cohort: its site group, stage group, SEER survival time and what relative survival needs.
public struct AnnualReportSurvivalCase: Sendable {
    public var siteName: String
    public var stageGroup: String
    public var observed: SurvivalCase
    public var relative: RelativeSurvivalCase?

    public init(siteName: String, stageGroup: String, observed: SurvivalCase, relative: RelativeSurvivalCase?) {
        self.siteName = siteName
        self.stageGroup = stageGroup
        self.observed = observed
        self.relative = relative
    }
}

/// What the annual report is built from, read from the store by the annual-report workflow.
public struct AnnualReportData: Sendable {
    public var year: Int
    public var registryName: String
    public var tumors: [AnnualReportTumor]
    /// Tumors by diagnosis year and site group name over the trend years.
    public var trend: [Int: [String: Int]]
    public var trendYears: ClosedRange<Int>
    public var survival: [AnnualReportSurvivalCase]
    public var survivalYears: ClosedRange<Int>
    public var register: [AccessionRegisterEntry]
    public var lifeTable: PopulationLifeTable

    public init(year: Int, registryName: String, tumors: [AnnualReportTumor], trend: [Int: [String: Int]], trendYears: ClosedRange<Int>,
                survival: [AnnualReportSurvivalCase], survivalYears: ClosedRange<Int>, register: [AccessionRegisterEntry],
                lifeTable: PopulationLifeTable = .unitedStates) {
        self.year = year
        self.registryName = registryName
        self.tumors = tumors
        self.trend = trend
        self.trendYears = trendYears
        self.survival = survival
        self.survivalYears = survivalYears
        self.register = register
        self.lifeTable = lifeTable
    }
}

/// The cancer committee's annual report: primary site table, stage by site, ten-year trend, age by sex, county,
/// survival at 1, 3 and 5 years by stage with curves, and (internal only) the accession register. `public` applies
/// the USCS suppression rule with complementary suppression and leaves out the register.
public enum AnnualReport {
    /// Summary Stage 2018 (NAACCR 764) codes in the site table, then "8 / blank" so the columns add up to the total.
    public static let stageColumns: [(code: String, label: String)] = [
        ("0", "In situ (0)"), ("1", "Localized (1)"), ("2", "Regional, direct extension (2)"), ("3", "Regional, nodes (3)"),
        ("7", "Distant (7)"), ("9", "Unknown (9)"),
    ]
    public static let ageGroups: [(label: String, range: ClosedRange<Int>)] = [
        ("0-19", 0...19), ("20-29", 20...29), ("30-39", 30...39), ("40-49", 40...49), ("50-59", 50...59),
        ("60-69", 60...69), ("70-79", 70...79), ("80-89", 80...89), ("90 and over", 90...200),
    ]

    static func sexColumn(_ code: String) -> Int { code == "1" ? 1 : code == "2" ? 2 : 3 }

    /// The site table's counts: site groups in the recode's order, then the all-sites row.
    public static func siteGrid(_ tumors: [AnnualReportTumor]) -> CountGrid {
        let columns = ["Total", "Male", "Female", "Other or unknown sex", "Analytic", "Non-analytic"]
            + stageColumns.map(\.label) + ["Not applicable (8) or blank"]
        var bySite: [String: (code: String, counts: [Int])] = [:]
        for t in tumors {
            var entry = bySite[t.siteName] ?? (t.siteCode, [Int](repeating: 0, count: columns.count))
            entry.counts[0] += 1
            entry.counts[sexColumn(t.sex)] += 1
            entry.counts[t.isAnalytic ? 4 : 5] += 1
            entry.counts[6 + (stageColumns.firstIndex { $0.code == t.stage } ?? stageColumns.count)] += 1
            bySite[t.siteName] = entry
        }
        let names = bySite.keys.sorted { (bySite[$0]!.code, $0) < (bySite[$1]!.code, $1) }
        var counts = names.map { bySite[$0]!.counts }
        counts.append(columns.indices.map { c in counts.reduce(0) { $0 + $1[c] } })
        return CountGrid(rowLabels: names + ["All sites"], columns: columns, groups: [[1, 2, 3], [4, 5], Array(6..<columns.count)],
                         counts: counts, totalRow: names.count)
    }

    public static func document(_ data: AnnualReportData, public isPublic: Bool, generated: Date = Date()) -> ReportDocument {
        var sections: [ReportDocument.Section] = []
        let year = data.year
        let suppressionNote = "* not shown: a count from 1 to 15, a figure based on one, or a cell hidden so that such a count "
            + "cannot be worked out from the totals (U.S. Cancer Statistics suppression rule)."
        func table(_ grid: CountGrid, title: String, counts: String, firstColumn: String, notes: [String] = [], name: String) -> ReportTable {
            let hidden = isPublic ? grid.suppression() : []
            var table = ReportTable(title: title, counts: counts, columns: [firstColumn] + grid.columns, cells: grid.cells(hiding: hidden),
                                    notes: notes + (isPublic && !hidden.isEmpty ? [suppressionNote] : []), name: name)
            table.lastRowIsTotal = grid.totalRow == grid.counts.count - 1
            return table
        }

        // 1. Primary site table.
        let sites = siteGrid(data.tumors)
        let siteHidden = isPublic ? sites.suppression() : []
        var siteTable = ReportTable(
            title: "Primary site table, \(year)", counts: "Every reportable tumor diagnosed in \(year) (\(data.tumors.count) tumors), "
                + "counted by SEER site recode group (ICD-O-3/WHO 2008, 2023 revision), sex assigned at birth, class of case "
                + "(analytic: 00-22) and Summary Stage 2018 (Summary Stage 2000 before 2018).",
            columns: ["Primary site"] + sites.columns, cells: sites.cells(hiding: siteHidden),
            notes: isPublic && !siteHidden.isEmpty ? [suppressionNote] : [], name: "primary-sites")
        siteTable.lastRowIsTotal = true
        sections.append(.table(siteTable))

        // 2. Stage distribution of the top sites (percent of the site's tumors).
        let siteRows = Array(0..<(sites.rowLabels.count - 1)).sorted { (-sites.counts[$0][0], sites.rowLabels[$0]) < (-sites.counts[$1][0], sites.rowLabels[$1]) }
        let topSites = Array(siteRows.prefix(10))
        let stageStart = 6
        sections.append(.table(ReportTable(
            title: "Stage at diagnosis of the ten most frequent sites, \(year)",
            counts: "Tumors diagnosed in \(year) at the ten most frequent site groups; each stage as a percentage of the site's tumors.",
            columns: ["Primary site", "Tumors"] + sites.columns[stageStart...].map { $0 + " %" },
            cells: topSites.map { r in
                let total = sites.counts[r][0]
                return [.text(sites.rowLabels[r]), siteHidden.contains(.init(row: r, column: 0)) ? .suppressed : .count(total)]
                    + (stageStart..<sites.columns.count).map { c in
                        siteHidden.contains(.init(row: r, column: c)) ? .suppressed
                            : .number(total == 0 ? .nan : 100 * Double(sites.counts[r][c]) / Double(total), decimals: 1)
                    }
            }, notes: isPublic && !siteHidden.isEmpty ? [suppressionNote] : [], name: "stage-by-site")))

        // 3. Ten-year trend of the top ten sites.
        let years = Array(data.trendYears)
        let topNames = topSites.map { sites.rowLabels[$0] }
        var trendCounts = topNames.map { name in [0] + years.map { data.trend[$0]?[name] ?? 0 } }
        var other = [0] + years.map { y in (data.trend[y] ?? [:]).filter { !topNames.contains($0.key) }.values.reduce(0, +) }
        for i in trendCounts.indices { trendCounts[i][0] = trendCounts[i].dropFirst().reduce(0, +) }
        other[0] = other.dropFirst().reduce(0, +)
        trendCounts.append(other)
        trendCounts.append((0...years.count).map { c in trendCounts.reduce(0) { $0 + $1[c] } })
        let trend = CountGrid(rowLabels: topNames + ["All other sites", "All sites"], columns: ["Total"] + years.map(String.init),
                              groups: [Array(1...years.count)], counts: trendCounts, totalRow: topNames.count + 1)
        sections.append(.table(table(trend, title: "Ten-year trend of the most frequent sites, \(data.trendYears.lowerBound)-\(year)",
                                     counts: "Reportable tumors by year of diagnosis, \(data.trendYears.lowerBound) to \(year), for the ten most "
                                         + "frequent site groups of \(year).", firstColumn: "Primary site", name: "trend")))

        // 4. Age at diagnosis by sex.
        var ageCounts = [[Int]](repeating: [0, 0, 0, 0], count: ageGroups.count + 1)
        for t in data.tumors {
            let r = t.age.flatMap { a in ageGroups.firstIndex { $0.range.contains(a) } } ?? ageGroups.count
            ageCounts[r][0] += 1
            ageCounts[r][sexColumn(t.sex)] += 1
        }
        ageCounts.append((0..<4).map { c in ageCounts.reduce(0) { $0 + $1[c] } })
        let ages = CountGrid(rowLabels: ageGroups.map(\.label) + ["Unknown age", "All ages"],
                             columns: ["Total", "Male", "Female", "Other or unknown sex"], groups: [[1, 2, 3]], counts: ageCounts,
                             totalRow: ageGroups.count + 1)
        sections.append(.table(table(ages, title: "Age at diagnosis by sex, \(year)",
                                     counts: "Every reportable tumor diagnosed in \(year), by Age at Diagnosis (NAACCR 230) and sex assigned at birth.",
                                     firstColumn: "Age at diagnosis", name: "age-by-sex")))

        // 5. County of residence at diagnosis.
        var byCounty: [String: [Int]] = [:]
        for t in data.tumors {
            var c = byCounty[t.county] ?? [0, 0, 0, 0]
            c[0] += 1
            c[sexColumn(t.sex)] += 1
            byCounty[t.county] = c
        }
        let counties = byCounty.keys.sorted()
        var countyCounts = counties.map { byCounty[$0]! }
        countyCounts.append((0..<4).map { c in countyCounts.reduce(0) { $0 + $1[c] } })
        let countyGrid = CountGrid(rowLabels: counties.map { $0.isEmpty ? "Blank" : $0 == "999" ? "999 (unknown)" : $0 } + ["All counties"],
                                   columns: ["Total", "Male", "Female", "Other or unknown sex"], groups: [[1, 2, 3]], counts: countyCounts,
                                   totalRow: counties.count)
        sections.append(.table(table(countyGrid, title: "County of residence at diagnosis, \(year)",
                                     counts: "Every reportable tumor diagnosed in \(year), by County at Diagnosis (NAACCR 90, FIPS county code).",
                                     firstColumn: "County", name: "county")))

        // 6. Survival of the five most frequent sites by stage.
        sections += survivalSections(data, public: isPublic)

        // 7. Accession register (internal only).
        if !isPublic {
            let withNames = data.register.contains { !$0.patientName.isEmpty }
            sections.append(.table(ReportTable(
                title: "Accession register, \(year)",
                counts: "Every tumor diagnosed in \(year), in order of accession number and sequence number (NAACCR 550, 560).",
                columns: ["Accession number", "Sequence"] + (withNames ? ["Patient"] : [])
                    + ["Date of diagnosis", "Primary site", "Histology/behavior", "Class of case", "Summary stage"],
                cells: data.register.map { e in
                    ([e.accessionNumber, e.sequenceNumber] + (withNames ? [e.patientName] : [])
                        + [e.dateOfDiagnosis, e.primarySite, e.histologyBehavior, e.classOfCase, e.stage]).map(ReportCell.text)
                }, notes: withNames ? [] : ["Names are shown only to roles that see identifiers."], name: "accession-register")))
        }

        return ReportDocument(
            title: "\(data.registryName.isEmpty ? "Cancer registry" : data.registryName): annual report \(year)",
            subtitle: "Cancer committee report: tumors diagnosed in \(year)",
            marking: isPublic ? "Public: counts under 16 suppressed" : "Internal: contains small counts; not for release",
            generated: generated, sections: sections)
    }

    /// Observed (Kaplan-Meier) and relative (Ederer II, the registry's population life table) survival at 1, 3 and 5
    /// years for the five most frequent sites of the cohort, by stage group, and one plot per site.
    static func survivalSections(_ data: AnnualReportData, public isPublic: Bool) -> [ReportDocument.Section] {
        var bySite: [String: [AnnualReportSurvivalCase]] = [:]
        for c in data.survival { bySite[c.siteName, default: []].append(c) }
        let top = bySite.keys.sorted { (-bySite[$0]!.count, $0) < (-bySite[$1]!.count, $1) }.prefix(5)
        let stages = ["Localized", "Regional", "Distant", "Unknown stage"]
        var rows: [[ReportCell]] = []
        var figures: [ReportDocument.Section] = []
        var anySuppressed = false
        let daysPerMonth = PopulationLifeTable.daysPerYear / 12
        for site in top {
            var curves: [SurvivalPlot.Curve] = []
            let cases = bySite[site]!
            for stage in ["All stages"] + stages {
                let group = stage == "All stages" ? cases : cases.filter { $0.stageGroup == stage }
                guard !group.isEmpty else { continue }
                if isPublic && group.count < CountGrid.smallestPublicCount {
                    rows.append([.text(site), .text(stage), .suppressed] + [ReportCell](repeating: .suppressed, count: 6))
                    anySuppressed = true
                    continue
                }
                let curve = try? KaplanMeierCurve(group.map(\.observed))
                let observed = curve?.summary(at: [12, 36, 60], extendingPastFollowUp: true) ?? []
                let relativeCases = group.compactMap(\.relative)
                let relative = relativeCases.isEmpty ? nil
                    : try? EdererIIEstimate(relativeCases, table: data.lifeTable, width: 12 * daysPerMonth, count: 5)
                func percent(_ x: Double?) -> ReportCell { x.map { $0.isFinite ? .number(100 * $0, decimals: 1) : .notAvailable } ?? .notAvailable }
                func relativeAt(_ year: Int) -> ReportCell {
                    guard let relative, year <= relative.intervals.count else { return .notAvailable }
                    let interval = relative.intervals[year - 1]
                    // An interval nobody entered has no estimate.
                    return interval.entering > 0 ? percent(interval.relative) : .notAvailable
                }
                rows.append([.text(site), .text(stage), .count(group.count)]
                    + (0..<3).map { observed.count > $0 ? percent(observed[$0].survival) : .notAvailable }
                    + [relativeAt(1), relativeAt(3), relativeAt(5)])
                if stage != "All stages", let curve { curves.append(SurvivalPlot.Curve(label: "\(stage) (\(group.count))", curve: curve)) }
            }
            if !curves.isEmpty {
                var plot = SurvivalPlot(title: "\(site): observed survival by stage", curves: curves)
                plot.yLabel = "Observed survival"
                figures.append(.figure(svg: plot.svg(), caption: "\(site), diagnosed \(data.survivalYears.lowerBound)-\(data.survivalYears.upperBound): "
                                       + "Kaplan-Meier observed survival by Summary Stage group with 95% confidence bands; numbers at risk below."))
            }
        }
        let table = ReportTable(
            title: "Survival at 1, 3 and 5 years of the five most frequent sites, by stage",
            counts: "Malignant tumors (behavior 3) diagnosed \(data.survivalYears.lowerBound)-\(data.survivalYears.upperBound), followed "
                + "through \(data.year); SEER survival months; death certificate and autopsy only cases and unknown survival "
                + "times left out. Stage groups from Summary Stage 2018 (regional: 2, 3, 4).",
            columns: ["Primary site", "Stage", "Cases", "Observed 1-year %", "Observed 3-year %", "Observed 5-year %",
                      "Relative 1-year %", "Relative 3-year %", "Relative 5-year %"],
            cells: rows,
            notes: ["Observed survival: Kaplan-Meier. Relative survival: Ederer II with the registry's population life table "
                    + "(expected survival of people of the same age, sex and calendar year; \(data.lifeTable.convention.description)). "
                    + "– : not enough follow-up."]
                + (isPublic && anySuppressed ? ["* not shown: fewer than 16 cases."] : []),
            name: "survival")
        return [.table(table)] + figures
    }
}
