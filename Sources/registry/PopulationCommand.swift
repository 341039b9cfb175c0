import ArgumentParser
import Foundation
import Registry
import Reports

/// `registry population`: the population estimates incidence rates are per.
struct PopulationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "Population estimates (the denominators of incidence rates).",
        subcommands: [PopulationLoadCommand.self])
}

struct PopulationLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load population estimates, replacing the years the file covers.",
        discussion: """
            CSV with a header naming year,county,sex,race,population and age_group (0-18: <1, 1-4, 5-9, ..., 85+) or \
            age (single years); or SEER's county population file with 19 age groups (fixed width, e.g. \
            us.1990_2023.19ages.adjusted.txt), summed over Hispanic origin; --state keeps one state's counties.
            """)

    @Argument(help: ArgumentHelp("The population file.", valueName: "file")) var file: String
    @Option(help: ArgumentHelp("Only this state's counties (postal code, SEER files).", valueName: "XX")) var state: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let estimates: PopulationEstimates
        do { estimates = try PopulationEstimates.read(path: file, state: state?.uppercased()) } catch let error as PopulationFileError {
            throw ValidationError(error.description)
        }
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let summary = try await registry.loadPopulation(estimates, source: file, by: try await database.actor(registry))
        print("population: \(summary.rows) rows, \(summary.people.formatted()) people over \(summary.years.count) year(s) "
              + "(\(summary.years.first ?? 0)-\(summary.years.last ?? 0)); \(summary.replaced) earlier rows of those years replaced")
    }
}

extension IncidenceRequest.Grouping: ExpressibleByArgument {}

/// `registry report incidence --from Y --to Y [--by site|sex|county|race]`.
struct IncidenceReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidence",
        abstract: "Incidence rates per 100,000: crude and age-adjusted (2000 US standard), Tiwari 95% intervals, annual percent change.",
        discussion: """
            Cases: malignant tumors and in situ urinary bladder diagnosed in the years, in residents of the population \
            file's counties (registry population load). --public hides counts under 16 and the rates based on them.
            """)

    @Option(help: "First diagnosis year.") var from: Int
    @Option(help: "Last diagnosis year.") var to: Int
    @Option(help: "all, site, sex, county or race.") var by: IncidenceRequest.Grouping = .all
    @Flag(help: "Public statistics (USCS suppression).") var `public` = false
    @Option(help: ArgumentHelp("Folder for the files.", valueName: "dir")) var out = "."
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Formats: html pdf csv json xlsx (default: csv json xlsx html).", valueName: "format"))
    var format: [ReportFormat] = [.csv, .json, .xlsx, .html]
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1900...2100).contains(from), (1900...2100).contains(to), from <= to else {
            throw ValidationError("--from and --to are diagnosis years, --from not after --to")
        }
        guard to - from < 50 else { throw ValidationError("at most 50 years at once") }
    }

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let document: ReportDocument
        do {
            document = try await registry.incidenceReport(IncidenceRequest(years: from...to, grouping: by, isPublic: `public`),
                                                          by: try await database.actor(registry))
        } catch let error as MissingPopulationError { throw ValidationError(error.description) }
        let base = "incidence-\(from)-\(to)\(by == .all ? "" : "-by-\(by.rawValue)")\(`public` ? "-public" : "")"
        let written = try document.write(to: URL(fileURLWithPath: out, isDirectory: true), base: base, formats: format)
        for url in written { print(url.path) }
        // The rates on the terminal too: the first table as aligned text.
        if let rates = document.tables.first { printErr(rates.textTable()) }
    }
}
