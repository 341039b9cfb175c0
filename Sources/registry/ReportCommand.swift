import ArgumentParser
import Foundation
import Registry
import Reports

/// `registry report`: the reports a cancer committee and a central registry read.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for the cancer committee and for publication (HTML, PDF, CSV, JSON, XLSX).",
        subcommands: [AnnualReportCommand.self, IncidenceReportCommand.self, FollowUpReportCommand.self, QualityReportCommand.self])
}

extension ReportFormat: ExpressibleByArgument {}

/// `registry report annual --year YYYY`.
struct AnnualReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annual",
        abstract: "The cancer committee's annual report for a diagnosis year.",
        discussion: """
            Primary site table (SEER site recode x sex, class of case, Summary Stage 2018), stage of the top sites, \
            ten-year trend, age by sex, county, survival at 1/3/5 years of the top five sites by stage with curves, \
            and the accession register. --public applies the U.S. Cancer Statistics rule (counts of 1-15 and figures \
            based on them not shown, with complementary cells so none can be worked out from the totals) and leaves \
            out the register and every identifier. Writes annual-YYYY.{html,pdf,json,xlsx} and one CSV per table.
            """)

    @Option(help: "Diagnosis year.") var year: Int
    @Option(help: ArgumentHelp("Folder for the files (created if needed).", valueName: "dir")) var out = "."
    @Flag(help: "Public statistics: suppression, no register, no identifiers.") var `public` = false
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Formats to write: html pdf csv json xlsx (default: all; pdf needs Chromium).", valueName: "format"))
    var format: [ReportFormat] = ReportFormat.allCases
    @Option(help: ArgumentHelp("Name on the title page.", valueName: "name")) var registryName = ""
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1900...2100).contains(year) else { throw ValidationError("--year must be a diagnosis year from 1900 to 2100") }
    }

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let actor = try await database.actor(registry)
        let start = Date()
        // At the command line the operator runs the registry: names appear in the internal register.
        let document = try await registry.annualReport(
            AnnualReportRequest(year: year, isPublic: `public`, includeNames: !`public`, registryName: registryName), by: actor)
        let base = "annual-\(year)\(`public` ? "-public" : "")"
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        do {
            let written = try document.write(to: directory, base: base, formats: format)
            report(written, start: start)
        } catch let error as ReportOutputError {
            // PDF could not be made: the other formats were written; say what to do.
            let written = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.lastPathComponent.hasPrefix(base) }
            report(written, start: start)
            printErr("no PDF: \(error)")
            throw ExitCode(3)
        }
    }

    private func report(_ written: [URL], start: Date) {
        for url in written.sorted(by: { $0.path < $1.path }) { print(url.path) }
        printErr("annual report \(year)\(`public` ? " (public)" : ""): \(written.count) file(s) in "
                 + "\(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }
}
