import ArgumentParser
import Foundation
import NAACCR
import Registry
import RegistryStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write patients and tumors from the registry as a NAACCR XML file.",
        discussion: """
            The record type decides which items are written: I (incidence) leaves out names, addresses, text and \
            other confidential items; C adds the confidential items; A (full abstract) writes everything. \
            Reading the file back with 'registry import' gives the same records. Each export is recorded in the \
            audit log.
            """)

    @Option(help: "Record type: I (incidence), C (confidential), A (full abstract) or M (modified).") var recordType = "I"
    @Option(help: ArgumentHelp("Only patients changed on or after this date (YYYY-MM-DD, or an ISO 8601 time).", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("Write here (.gz to compress); default standard output.", valueName: "file")) var out = "-"
    @Option(help: "Only this registry's patients (item 40); needed when the store holds several.") var registryId: String?
    @Option(name: .customLong("user-dictionary"), help: "A user dictionary whose items should be exported too.")
    var userDictionaries: [String] = []
    @Flag(help: "No indentation (smaller files).") var compact = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard ["A", "M", "C", "I"].contains(recordType) else {
            throw ValidationError("--record-type must be A, M, C or I, not '\(recordType)'")
        }
        if let since, Self.parseDate(since) == nil {
            throw ValidationError("--since '\(since)' is not a date: use YYYY-MM-DD or an ISO 8601 time such as 2026-01-31T12:00:00Z")
        }
    }

    func run() async throws {
        let dictionary = try NaaccrDictionary.v26.merging(userDictionaries.map { try NaaccrDictionary.load(path: $0) })
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let actor = try await database.actor(registry)
        let selection = ExportSelection(changedSince: since.flatMap(Self.parseDate), registryId: registryId)
        var header = NaaccrHeader(baseDictionaryUri: dictionary.uri, recordType: recordType)
        header.userDictionaryUris = dictionary.userDictionaryUris
        header.values[dictionary.key("registryId")!.index] = try await registry.registryId(for: selection)
        header.values[dictionary.key("recordType")!.index] = recordType
        let writer = CommandLocal(try NaaccrXMLWriter(sink: try openByteSink(path: out), dictionary: dictionary, header: header, indent: !compact))
        let progress = ProgressReporter(label: "export")
        let summary = try await registry.export(selection, dictionary: dictionary, recordType: recordType, by: actor) { patient in
            try writer.value.write(patient)
            if writer.value.patientCount % 1000 == 0 { progress.update(records: writer.value.patientCount) }
        }
        try writer.value.finish()
        progress.finish(records: summary.patients)
        printErr("exported \(summary.patients) patients, \(summary.tumors) tumors (record type \(recordType))"
                 + (out == "-" ? "" : " to \(out)"))
        for (id, count) in summary.unknownItems.sorted(by: { $0.key < $1.key }) {
            printErr("  left out: \(count) values of \(id), which the export dictionary does not have (add its user dictionary)")
        }
    }

    /// A calendar day (midnight UTC) or an ISO 8601 time.
    static func parseDate(_ text: String) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
