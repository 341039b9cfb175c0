import ArgumentParser
import CivilCalendar
import Foundation
import Registry
import Reports
import Survival

/// `registry survival`: estimates (the default) and `months`.
struct SurvivalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survival",
        abstract: "Survival statistics (Kaplan-Meier, life table, relative and net survival), and SEER survival months for a listing.",
        subcommands: [SurvivalEstimateCommand.self, SurvivalMonthsCommand.self], defaultSubcommand: SurvivalEstimateCommand.self)
}

struct SurvivalEstimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Survival statistics by site, stage, sex or period: Kaplan-Meier, life table, relative and net survival.",
        discussion: """
            From the registry (default): malignant tumors diagnosed --from..--to, survival months by the SEER rules with \
            follow-up ending on 31 December of the --cutoff year; death-certificate/autopsy-only cases and unknown survival \
            times are excluded and counted. From a case listing (--input): CSV with the header time_months,event,group \
            (event 1 = death, 0 = censored), or dx_date,last_contact_date,vital_status,age,sex,group for relative and net \
            survival (dates YYYY-MM-DD; vital_status alive/dead or NAACCR 1/0; sex male/female or 1/2; age in years). \
            With --format csv only the table goes to standard output; notes and the log-rank test go to standard error.
            'registry survival months' computes SEER survival months and flags for a case listing.
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable { case km, actuarial, relative, net }
    typealias Format = SurvivalReport.Format

    @Option(help: "km (Kaplan-Meier), actuarial (life table), relative (Ederer II) or net (Pohar-Perme).") var method: Method = .km
    @Option(help: "Group by site, stage, sex, year-group or none (registry data only).") var by = "none"
    @Option(help: "Stratify the log-rank test by site, stage, sex or year-group (registry data; a stratum column in a listing).")
    var strata: String?
    @Option(help: ArgumentHelp("Period analysis (Kaplan-Meier): only follow-up inside these years counts, e.g. 2020-2024.", valueName: "years"))
    var period: String?
    @Option(help: "Also give age-standardised survival with ICSS weights: icss1, icss2 or icss3.") var standardize: String?
    @Option(help: "First diagnosis year.") var from: Int?
    @Option(help: "Last diagnosis year.") var to: Int?
    @Option(help: ArgumentHelp("Study cutoff: follow-up ends on 31 December of this year (YYYY or a date in it).", valueName: "date"))
    var cutoff: String?
    @Flag(help: "Count patients alive at last contact as alive to the cutoff (SEER's presumed-alive variant).") var presumedAlive = false
    @Flag(help: "Only first primaries (sequence number 00 or 01).") var firstPrimaryOnly = false
    @Flag(help: "Cause-specific survival (registry data): deaths attributed to the tumor by the SEER cause-specific death classification are the event, other deaths censored.")
    var causeSpecific = false
    @Option(help: ArgumentHelp("Case listing CSV instead of the registry.", valueName: "file")) var input: String?
    @Option(help: ArgumentHelp("Months to report at (Kaplan-Meier, net).", valueName: "list")) var times = "12,24,36,60"
    @Option(help: "Life-table interval in months (actuarial, relative).") var interval = 12.0
    @Option(help: "Number of life-table intervals.") var intervals = 5
    @Option(help: ArgumentHelp("Population life table CSV (year,sex,age,qx); default the built-in US table.", valueName: "file"))
    var lifeTable: String?
    @Option(help: "How the yearly life table becomes daily rates: relsurv (365.241-day years, default) or survexp (R's survexp.us, 365.25).")
    var lifeTableConvention: LifeTableConvention = .relsurv
    @Option(help: "Confidence limits: log-log, log or plain.") var confType = "log-log"
    @Option(help: "table, csv, json or html (a printable report with the plot).") var format: Format = .table
    @Option(help: ArgumentHelp("Also draw the curves as SVG.", valueName: "file.svg")) var plot: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard ConfidenceType(rawValue: confType) != nil else { throw ValidationError("--conf-type must be log-log, log or plain") }
        guard parsedTimes != nil else { throw ValidationError("--times must be a comma-separated list of months, e.g. 12,24,60") }
        guard input != nil || StoreSelection.Grouping(rawValue: by) != nil else {
            throw ValidationError("--by must be one of \(StoreSelection.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard interval > 0, intervals > 0 else { throw ValidationError("--interval and --intervals must be positive") }
        if let strata, StoreSelection.Grouping(rawValue: strata) == nil {
            throw ValidationError("--strata must be one of \(StoreSelection.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let standardize, AgeStandard(rawValue: standardize) == nil { throw ValidationError("--standardize must be icss1, icss2 or icss3") }
        if period != nil {
            guard parsedPeriod != nil else { throw ValidationError("--period must be two years, e.g. 2020-2024") }
            guard method == .km, input == nil else { throw ValidationError("--period works with --method km on registry data") }
        }
    }

    var parsedPeriod: ClosedRange<Int>? {
        let parts = (period ?? "").split(separator: "-").compactMap { Int($0) }
        return parts.count == 2 && parts[0] <= parts[1] ? parts[0]...parts[1] : nil
    }

    var parsedTimes: [Double]? {
        let parts = times.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return parts.allSatisfy({ $0 != nil && $0! >= 0 }) && !parts.isEmpty ? parts.map { $0! } : nil
    }

    func run() async throws {
        let (records, exclusions) = try await loadRecords()
        let groups = Dictionary(grouping: records, by: \.group)
        let names = groups.keys.sorted()
        let conf = ConfidenceType(rawValue: confType)!
        var report = SurvivalReport(format: format, method: method.rawValue)
        report.note("\(records.count) cases in \(names.count) group(s)")
        for (reason, count) in exclusions.counts.sorted(by: { $0.key < $1.key }) { report.note("excluded: \(count) \(reason)") }
        var plotCurves: [SurvivalPlot.Curve] = []
        switch method {
        case .km:
            for name in names {
                let curve = try KaplanMeierCurve(groups[name]!.map(\.survivalCase), confidenceType: conf)
                report.kaplanMeier(group: name, curve: curve, times: parsedTimes!)
                plotCurves.append(.init(label: name, curve: curve))
                if let standard = standardize.flatMap(AgeStandard.init(rawValue:)) {
                    try report.standardized(group: name, standard: standard, times: parsedTimes!) { ageGroup, time in
                        let cases = groups[name]!.filter { $0.age.flatMap(AgeStandard.group(ofAge:)) == ageGroup }.map(\.survivalCase)
                        guard !cases.isEmpty else { return nil }
                        let curve = try KaplanMeierCurve(cases)
                        guard let row = curve.rows.last(where: { $0.time <= time }) else { return (1, 0) }
                        return (row.survival, row.stdErr.isFinite ? row.stdErr : 0)
                    }
                }
            }
            if names.count > 1 {
                let stratified = records.contains { !$0.stratum.isEmpty }
                let test = try LogRankTest(records.map(\.survivalCase), groups: records.map(\.group),
                                           strata: stratified ? records.map(\.stratum) : nil)
                report.logRank(test, stratified: stratified)
            }
        case .actuarial:
            for name in names {
                let table = try ActuarialLifeTable(groups[name]!.map { SurvivalCase(time: $0.months, event: $0.event) },
                                                   width: interval, count: intervals)
                report.lifeTable(group: name, table: table, conf: conf)
                plotCurves.append(.init(label: name, steps: [(0, 1)] + table.intervals.map { ($0.end, $0.cumulativeSurvival) }, censorings: []))
            }
        case .relative, .net:
            let table = (try lifeTable.map { try PopulationLifeTable.load(csv: String(contentsOfFile: $0, encoding: .utf8), name: $0) }
                ?? .unitedStates).using(lifeTableConvention)
            report.note("life table: \(lifeTable ?? "built-in US (survexp.us rates)"); \(lifeTableConvention.description)")
            for name in names {
                let cases = groups[name]!.compactMap(\.relative)
                if cases.count < groups[name]!.count {
                    report.note("\(name): \(groups[name]!.count - cases.count) cases without age or sex left out")
                }
                guard !cases.isEmpty else { continue }
                let daysPerMonth = PopulationLifeTable.daysPerYear / 12
                if method == .relative {
                    let estimate = try EdererIIEstimate(cases, table: table, width: interval * daysPerMonth, count: intervals)
                    report.relative(group: name, estimate: estimate, daysPerMonth: daysPerMonth, conf: conf)
                    if let standard = standardize.flatMap(AgeStandard.init(rawValue:)) {
                        let byAge = try (0..<5).map { ageGroup -> EdererIIEstimate? in
                            let subset = groups[name]!.filter { $0.age.flatMap(AgeStandard.group(ofAge:)) == ageGroup }.compactMap(\.relative)
                            return subset.isEmpty ? nil : try EdererIIEstimate(subset, table: table, width: interval * daysPerMonth, count: intervals)
                        }
                        try report.standardized(group: name, standard: standard, times: (1...intervals).map { Double($0) * interval }) { ageGroup, time in
                            guard let estimate = byAge[ageGroup] else { return nil }
                            guard let i = estimate.intervals.last(where: { $0.end / daysPerMonth <= time + 1e-9 }) else { return (1, 0) }
                            return (i.relative, i.relativeStdErr.isFinite ? i.relativeStdErr : 0)
                        }
                    }
                    plotCurves.append(.init(label: name, steps: [(0, 1)] + estimate.intervals.map { ($0.end / daysPerMonth, $0.relative) },
                                            censorings: []))
                } else {
                    let estimate = try PoharPermeEstimate(cases, table: table)
                    report.net(group: name, estimate: estimate, times: parsedTimes!, daysPerMonth: daysPerMonth, conf: conf)
                    plotCurves.append(.init(label: name, steps: [(0, 1)] + estimate.rows.map { ($0.time / daysPerMonth, $0.survival) },
                                            censorings: []))
                }
            }
        }
        let title = ["km": "Observed survival (Kaplan-Meier)", "actuarial": "Observed survival (life table)",
                     "relative": "Relative survival (Ederer II)", "net": "Net survival (Pohar-Perme)"][method.rawValue]!
        var figure = SurvivalPlot(title: title, curves: plotCurves)
        if method == .relative || method == .net { figure.yLabel = method == .net ? "Net survival" : "Relative survival" }
        if format == .html, !plotCurves.isEmpty { report.figure(svg: figure.svg(), caption: title + " by group") }
        report.finish()
        if let plot {
            try figure.svg().write(toFile: plot, atomically: true, encoding: .utf8)
            printErr("plot written to \(plot)")
        }
    }

    private func loadRecords() async throws -> ([SurvivalRecord], Exclusions) {
        if let input { return (try SurvivalInput.readCSV(path: input), Exclusions()) }
        let thisYear = CalendarDate.today.year
        let endPoint = cutoff.flatMap { Int($0.prefix(4)) } ?? thisYear - 1
        let period = parsedPeriod
        var selection = StoreSelection(grouping: StoreSelection.Grouping(rawValue: by)!, strata: strata.flatMap(StoreSelection.Grouping.init),
                                       period: period, fromYear: from ?? (period.map { $0.upperBound - 19 } ?? endPoint - 14),
                                       toYear: to ?? period?.upperBound ?? endPoint, endPointYear: period?.upperBound ?? endPoint,
                                       firstPrimaryOnly: firstPrimaryOnly, presumedAlive: presumedAlive)
        selection.causeSpecific = causeSpecific
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        return try await registry.survivalCohort(selection, by: try await database.actor(registry))
    }
}

extension SurvivalReport.Format: ExpressibleByArgument {}
extension LifeTableConvention: ExpressibleByArgument {}
