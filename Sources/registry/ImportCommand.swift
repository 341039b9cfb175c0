import ArgumentParser
import Foundation
import NAACCR
import Registry
import RegistryStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import NAACCR files (XML of versions 14-26, or flat files of versions 12-18; plain or gzip) into the registry.",
        discussion: """
            Each file is imported in one transaction: either all of it is stored or, on any error, none of it. \
            Files of NAACCR versions 12 to 25 (XML, or fixed-width flat records up to v18) are converted to 26 (by \
            item number; values of retired items are kept and counted; Sex becomes Sex Assigned at Birth). \
            Importing the same file again creates no duplicates (patients match on registryId + patientIdNumber, \
            tumors on tumorRecordNumber, else sequence number); when a file repeats a patient the last copy wins. \
            Value problems (bad codes, impossible dates) do not stop the import: values are kept as sent and listed \
            at the end. A patient without patientIdNumber, or with two tumors of the same key, is not stored; it is \
            listed with its line and the command exits 1.
            """)

    @Argument(help: "NAACCR files (XML or flat, plain or .gz).") var files: [String]
    @Flag(help: "Only read and validate; store nothing. Exits non-zero when any problem (not a mere warning) is found.") var dryRun = false
    @Option(help: ArgumentHelp("A central registry receiving from this facility: the file is recorded in the intake ledger, checked with the incoming edit set, and refused when received before.", valueName: "facility"))
    var from: String?
    @Flag(help: "With --from: receive a file whose checksum was received before.") var force = false
    @Option(help: ArgumentHelp("With --from: the central registry's incoming edit set.", valueName: "name")) var incomingSet = "state-submission"
    @OptionGroup var read: ReadOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let options = try read.options()
        let registry = dryRun ? nil : try database.registry(connections: 1)
        defer { registry?.pool.close() }
        var actor: ActingUser?
        if let registry { actor = try await database.actor(registry) }
        var failed = false
        for file in files {
            let progress = ProgressReporter(label: URL(fileURLWithPath: file).lastPathComponent)
            let summary: ImportSummary, header: NaaccrHeader
            if let registry, let actor {
                let imported: FileImport
                if let from {
                    guard let set = registry.editSets.first(where: { $0.name == incomingSet }) else {
                        throw ValidationError("--incoming-set: no edit set \(incomingSet) (\(registry.editSets.map(\.name).joined(separator: ", ")))")
                    }
                    let received: (FileImport, IntakeRecord)
                    do {
                        received = try await registry.receiveFile(path: file, options: options, from: IntakeRequest(facility: from, force: force, editSet: set),
                                                                  by: actor, progress: { progress.update(records: $0, fraction: $1) })
                    } catch let error as IntakeError {
                        printErr("\(file): \(error)")
                        failed = true
                        continue
                    }
                    imported = received.0
                    let r = received.1
                    printErr("\(file): intake \(r.id) from \(r.facility): \(r.tumorsNew) tumors new, \(r.tumorsChanged) changed, \(r.tumorsUnchanged) unchanged; "
                             + "\(r.tumorsFailing) fail the \(r.editSet) edits (registry intake rejections \(r.id))")
                } else {
                    imported = try await registry.importFile(path: file, options: options, by: actor,
                                                             progress: { progress.update(records: $0, fraction: $1) })
                }
                (summary, header) = (imported.summary, imported.header)
                if let sha = imported.sha256 { printErr("\(file): SHA-256 \(sha)") }
                if let version = imported.convertedFrom {
                    print("\(file): converted from NAACCR version \(version) to 260")
                    for (what, count) in imported.conversion.sorted(by: { $0.key < $1.key }) { print("    \(count)\t\(what)") }
                }
            } else {
                let reader = try NaaccrFile.open(path: file, options: options)
                var s = ImportSummary()
                // What the import itself would refuse is reported by the dry run too.
                let converter = try NaaccrVersionConverter.ifNeeded(for: reader.dictionary)
                let check = ImportPreCheck(dictionary: converter?.target ?? reader.dictionary)
                while let read = try reader.next() {
                    let patient = converter?.convert(read) ?? read
                    s.record(patient)
                    if let refusal = check.refusal(of: patient) { s.rejectedPatients.append((patient.line, refusal)) }
                    if s.patientsRead % 1000 == 0 { progress.update(records: s.patientsRead, fraction: reader.fractionRead) }
                }
                (summary, header) = (s, reader.header)
            }
            progress.finish(records: summary.patientsRead)
            report(file: file, summary: summary, header: header)
            if dryRun && (summary.issueCount > summary.warningCount || !header.issues.isEmpty) { failed = true }
            if !summary.rejectedPatients.isEmpty { failed = true }
        }
        if failed { throw ExitCode(1) }
    }

    private func report(file: String, summary s: ImportSummary, header: NaaccrHeader) {
        print("\(file): \(s.patientsRead) patients, \(s.tumorsRead) tumors read")
        if !dryRun {
            print("  stored: \(s.patientsInserted) new and \(s.patientsUpdated) changed patients, "
                  + "\(s.tumorsInserted) new and \(s.tumorsUpdated) changed tumors (unchanged records left as they were)")
        }
        for (line, reason) in s.rejectedPatients.prefix(20) { print("  not stored: patient at line \(line): \(reason)") }
        let all = header.issues + s.issues
        guard !all.isEmpty else { print("  no value problems found"); return }
        print("  value problems (\(s.issueCount + header.issues.count)):")
        for (key, count) in s.issueCounts.sorted(by: { $0.value > $1.value }).prefix(30) { print("    \(count)\t\(key)") }
        for issue in all.prefix(dryRun ? 200 : 20) { print("    \(issue)") }
    }
}

/// A one-line progress display (records/s, elapsed time) on a terminal; silent when standard error is not one.
final class ProgressReporter: @unchecked Sendable {
    let label: String
    let start = Date()
    var lastDraw = Date.distantPast
    let enabled = isatty(2) == 1

    init(label: String) { self.label = label }

    /// Redraws the line (at most five times a second); with `fraction` (0...1 of the input read) it shows an ETA.
    func update(records: Int, fraction: Double? = nil) {
        guard enabled, Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let elapsed = Date().timeIntervalSince(start)
        let rate = Double(records) / max(elapsed, 0.001)
        var line = String(format: "\r%@: %d patients, %.0f/s, %.0f s elapsed", label, records, rate, elapsed)
        if let fraction, fraction > 0.01 {
            line += String(format: ", %.0f%%, about %.0f s to go", fraction * 100, elapsed * (1 - fraction) / fraction)
        }
        FileHandle.standardError.write(Data((line + "   ").utf8))
    }

    func finish(records: Int) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data(String(format: "\r%@: %d patients in %.1f s (%.0f/s)          \n", label, records,
                                                   elapsed, Double(records) / max(elapsed, 0.001)).utf8))
    }
}
