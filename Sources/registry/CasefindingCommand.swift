import ArgumentParser
import Foundation
import Registry
import RegistryStore

/// `registry casefinding`: the suspense list of possible cases.
struct CasefindingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "casefinding",
        abstract: "Casefinding (suspense): reports of possible cases awaiting a decision.",
        subcommands: [CasefindingImportCommand.self, CasefindingListCommand.self])
}

struct CasefindingImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Put the reports of a CSV file on the list (disease-index or pathology hits).",
        discussion: """
            CSV (quoted fields allowed) with a header naming any of nameLast, nameFirst, dateOfBirth, sex, \
            medicalRecordNumber, reportedOn, source, suspectedSite, suspectedHistology, diagnosis. Rows without a source \
            take --source; without reportedOn, today. A bad line changes nothing; the error names the line and field.
            """)

    @Argument(help: ArgumentHelp("The report file.", valueName: "file")) var file: String
    @Option(help: "Source of rows without one: disease index, pathology, radiation oncology, medical oncology, admission, physician office, other.")
    var source = "disease index"
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let entries: [CasefindingEntry]
        do { entries = try Registry.readCasefinding(path: file, source: source) } catch let error as CasefindingFileError {
            throw ValidationError(error.description)
        }
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let count = try await registry.importCasefinding(entries, sourceFile: URL(fileURLWithPath: file).lastPathComponent,
                                                         by: try await database.actor(registry))
        print("casefinding: \(count) report(s) added to the list")
    }
}

struct CasefindingListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The reports of a status (pending by default), oldest first, as CSV.")

    @Option(help: "pending, reportable, not reportable or duplicate.") var status = "pending"
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let (entries, total) = try await registry.casefinding(status: status, limit: 10_000, offset: 0, by: try await database.actor(registry))
        print("id,reportedOn,source,nameLast,nameFirst,dateOfBirth,medicalRecordNumber,suspectedSite,suspectedHistology,status,tumorId")
        for e in entries {
            let fields: [String] = [String(e.id), e.reportedOn, e.source, e.nameLast ?? "", e.nameFirst ?? "", e.dateOfBirth ?? "",
                                    e.medicalRecordNumber ?? "", e.suspectedSite ?? "", e.suspectedHistology ?? "", e.status,
                                    e.tumorId.map(String.init) ?? ""]
            print(fields.map(CSVText.field).joined(separator: ","))
        }
        if total > entries.count { FileHandle.standardError.write(Data("(\(total - entries.count) more not listed)\n".utf8)) }
    }
}
