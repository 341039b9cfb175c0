import ArgumentParser
import Edits
import Foundation
import NAACCR
import Registry
import RegistryStore

/// `registry submit`: a destination's file, gated by its edits and recorded in the submission ledger.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Write a submission file for a destination (state, ncdb, npcr, seer, research), gated by its edit set.",
        discussion: """
            Sends the tumors the destination takes that are new or changed since its last accepted submission; holds \
            back those failing its edit set and refuses the whole file when more than the destination's share fails. \
            The file, its checksum and every tumor sent are recorded (registry submissions list|show|mark). \
            Destinations are data: schema/submissions/destinations.json, overridden with --destinations FILE.
            """)

    @Option(help: ArgumentHelp("Destination name.", valueName: "name")) var to: String?
    @Flag(help: "Count and check only: write and record nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Folder for the file (default: the current one); with --resend, the file to write.", valueName: "path")) var out: String?
    @Option(help: ArgumentHelp("Re-create the file of an earlier submission byte for byte.", valueName: "id")) var resend: Int?
    @Option(help: ArgumentHelp("A registry's destinations file (JSON; same names replace the built-in ones).", valueName: "file")) var destinations: String?
    @Option(help: ArgumentHelp("The registry's own edits and sets (a file, or a directory of *.edits files).", valueName: "file|dir")) var edits: String?
    @Option(help: "text or json.") var format: EditsCommand.Format = .text
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if resend == nil, to == nil { throw ValidationError("--to DESTINATION is needed (or --resend ID)") }
        if resend != nil, dryRun { throw ValidationError("--resend re-creates a file; --dry-run does not apply") }
    }

    func run() async throws {
        let registryEdits = try edits.map { try RegistryEdits.load(path: $0) }
        let registry = try database.registry(connections: 1, edits: registryEdits)
        defer { registry.pool.close() }
        let actor = try await database.actor(registry)
        if let resend {
            let path = out ?? "."
            let record = try await registry.submission(resend).record
            let target = FileManager.default.isDirectory(path) ? (path as NSString).appendingPathComponent(record.fileName) : path
            _ = try await registry.resend(submission: resend, to: target, by: actor)
            printErr("re-created submission \(resend) (\(record.destination), \(record.fileName)) as \(target); SHA-256 \(record.sha256) verified")
            return
        }
        let all: [Destination]
        do { all = try Destination.load(overrides: destinations) } catch { throw ValidationError("\(error)") }
        guard let destination = all.first(where: { $0.name == to }) else {
            throw ValidationError("\(DestinationError.unknown(to ?? "", all.map(\.name)))")
        }
        if !registry.editSets.contains(where: { $0.name == destination.editSet }) {
            throw ValidationError("destination \(destination.name) names the edit set \(destination.editSet), which is not defined")
        }
        do {
            let summary = try await registry.submit(to: destination, dryRun: dryRun, directory: out ?? ".", by: actor)
            print(format == .json ? Self.json(summary) : Self.text(summary))
            if summary.refused { throw ExitCode(2) }  // a dry run whose file would be refused
        } catch SubmissionError.refused(let summary) {
            if format == .json { print(Self.json(summary)) } else { printErr(Self.text(summary)) }
            printErr("\(SubmissionError.refused(summary))")
            throw ExitCode(2)
        }
    }

    static func text(_ s: SubmissionSummary) -> String {
        var lines: [String] = []
        let verb = s.dryRun ? (s.refused ? "would be refused; it would send" : "would send") : s.refused ? "refused" : "sent"
        lines.append("\(s.destination): \(verb) \(s.tumorsSent) tumors of \(s.patients) patients (\(s.tumorsNew) new, \(s.tumorsChanged) changed"
                     + (s.tumorsResent > 0 ? ", \(s.tumorsResent) of the newest year again" : "") + "); \(s.tumorsUnchanged) unchanged not sent; "
                     + "\(s.tumorsHeld) held back by the \(s.editSet) edits; \(s.tumorsNotEligible) not taken by the destination; "
                     + "\(s.tumorsInProgress) abstract(s) in progress, sent once complete")
        for (edit, count) in s.heldByEdit.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).prefix(20) {
            lines.append("  held by \(edit): \(count)")
        }
        if let file = s.fileName, let sha = s.sha256 { lines.append("file \(file) (submission \(s.id ?? 0)), SHA-256 \(sha)") }
        if let m = s.changedRecords {
            let where_ = m.fileName.map { "in \($0) (submission \(m.id ?? 0), marked with \(s.id ?? 0)), SHA-256 \(m.sha256 ?? "")" } ?? "in a file of their own"
            lines.append("\(s.dryRun ? "would send" : "sent") the \(m.tumors) changed tumors of \(m.patients) patients as record type \(m.recordType) \(where_)")
        }
        if !s.pending.isEmpty {
            lines.append("note: submission(s) \(s.pending.map(String.init).joined(separator: ", ")) to \(s.destination) not marked accepted; "
                         + "their tumors count as not yet received (registry submissions mark ID --accepted)")
        }
        if s.deletedSinceSent > 0 { lines.append("deletion report: \(s.deletedSinceSent) tumors sent earlier are no longer in the registry (registry submissions show)") }
        if let quality = s.quality, quality.tumors > 0 {
            lines.append("data quality of the \(quality.tumors) tumors the destination takes (NPCR standards):")
            for f in quality.figures {
                lines.append(String(format: "  %-24@ %6.2f%%  %@  %@", f.name as NSString, f.percent, f.standard as NSString, f.meets ? "meets" : "DOES NOT MEET"))
            }
        }
        if s.smallCells > 0 { lines.append("warning: \(s.smallCells) site-by-sex counts of this extract are under 16; suppress them in anything published") }
        return lines.joined(separator: "\n")
    }

    static func json(_ s: SubmissionSummary) -> String {
        (try? prettyJSON(s)) ?? "{}"
    }
}

/// `registry submissions list|show|mark`.
struct SubmissionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submissions",
        abstract: "The submission ledger: what was sent to each destination, what was held back, and its status.",
        subcommands: [List.self, Show.self, Mark.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submissions, newest first.")
        @Option(help: ArgumentHelp("Only this destination's.", valueName: "name")) var to: String?
        @Option(help: "text or json.") var format: EditsCommand.Format = .text
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let registry = try database.registry(connections: 1)
            defer { registry.pool.close() }
            let records = try await registry.submissions(to: to)
            if format == .json { print(SubmissionsCommand.json(records)); return }
            print("id\tdestination\ttype\tcreated\tstatus\tsent\theld\tfile")
            for r in records {
                print("\(r.id)\t\(r.destination)\t\(r.recordType)\(r.companionOf.map { " (with \($0))" } ?? "")\t\(ISO8601DateFormatter().string(from: r.createdAt))\t\(r.status)\t"
                      + "\(r.tumorsNew + r.tumorsChanged)\t\(r.tumorsHeld)\t\(r.fileName)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One submission: counts, the tumors held back and why, the deletion report.")
        @Argument(help: "Submission id.") var id: Int
        @Option(help: "text or json.") var format: EditsCommand.Format = .text
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let registry = try database.registry(connections: 1)
            defer { registry.pool.close() }
            let (r, sent, held, deleted) = try await registry.submission(id)
            if format == .json {
                struct Row: Encodable { let tumorId: Int, patientIdNumber: String, tumorKey: String, detail: String }
                struct Document: Encodable { let submission: SubmissionRecord; let sent: [Row]; let held: [Row]; let deleted: [Row] }
                func rows(_ list: [SubmissionTumorRow], _ detail: (SubmissionTumorRow) -> String) -> [Row] {
                    list.map { Row(tumorId: $0.tumorId, patientIdNumber: $0.patientIdNumber, tumorKey: $0.tumorKey, detail: detail($0)) }
                }
                let document = Document(submission: r, sent: rows(sent) { $0.change }, held: rows(held) { $0.failures }, deleted: rows(deleted) { $0.change })
                print(try prettyJSON(document))
                return
            }
            print("submission \(r.id) to \(r.destination): \(r.status)" + (r.statusReason.map { " (\($0))" } ?? ""))
            print("created \(ISO8601DateFormatter().string(from: r.createdAt)) by \(r.createdBy); file \(r.fileName), SHA-256 \(r.sha256)")
            print("record type \(r.recordType), NAACCR \(r.naaccrVersion), edit set \(r.editSet)"
                  + (r.companionOf.map { "; the changed records of submission \($0), marked with it" } ?? ""))
            print("\(r.patients) patients; tumors: \(r.tumorsNew) new, \(r.tumorsChanged) changed or sent again, \(r.tumorsUnchanged) unchanged, \(r.tumorsHeld) held back")
            for h in held { print("  held: patient \(h.patientIdNumber), tumor \(h.tumorKey): \(h.failures)") }
            for d in deleted { print("  deleted since sent: patient \(d.patientIdNumber), tumor \(d.tumorKey) (\(d.change))") }
        }
    }

    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a submission was sent, accepted or rejected.")
        @Argument(help: "Submission id.") var id: Int
        @Flag(help: "The file was sent.") var sent = false
        @Flag(help: "The destination accepted it: the next submission compares with it.") var accepted = false
        @Flag(help: "The destination rejected it: its tumors are sent again.") var rejected = false
        @Option(help: "Why (the destination's words).") var reason: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard [sent, accepted, rejected].filter({ $0 }).count == 1 else { throw ValidationError("give one of --sent, --accepted, --rejected") }
        }

        func run() async throws {
            let registry = try database.registry(connections: 1)
            defer { registry.pool.close() }
            let status = sent ? "sent" : accepted ? "accepted" : "rejected"
            let marked = try await registry.markSubmission(id, status: status, reason: reason, by: try await database.actor(registry))
            printErr("submission \(marked.map(String.init).joined(separator: " and ")) marked \(status)")
        }
    }

    static func json(_ records: [SubmissionRecord]) -> String {
        (try? prettyJSON(records)) ?? "[]"
    }
}

/// Indented JSON with sorted keys and ISO 8601 dates, as the ledger commands print it.
func prettyJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

/// `registry intake list|rejections`: the files a central registry received.
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Files received from facilities (registry import --from FACILITY), and their rejection reports.",
        subcommands: [List.self, Rejections.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Received files, newest first.")
        @Option(help: ArgumentHelp("Only this facility's.", valueName: "facility")) var from: String?
        @Option(help: "text or json.") var format: EditsCommand.Format = .text
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let registry = try database.registry(connections: 1)
            defer { registry.pool.close() }
            let records = try await registry.intakes(from: from)
            if format == .json {
                print(try prettyJSON(records))
                return
            }
            print("id\tfacility\treceived\tfile\tversion\tnew\tchanged\tunchanged\tfailing edits")
            for r in records {
                print("\(r.id)\t\(r.facility)\t\(ISO8601DateFormatter().string(from: r.receivedAt))\t\(r.fileName)\t\(r.naaccrVersion)\t"
                      + "\(r.tumorsNew)\t\(r.tumorsChanged)\t\(r.tumorsUnchanged)\t\(r.tumorsFailing)")
            }
        }
    }

    struct Rejections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The records of a received file that fail the central edits: NAACCR XML to send back, and CSV for people.")
        @Argument(help: "Intake id.") var id: Int
        @Option(help: ArgumentHelp("Write the failing records as NAACCR XML (record type A; .gz to compress).", valueName: "file")) var xml: String?
        @Option(help: ArgumentHelp("Write the list (patient, tumor, edit, message) as CSV; default standard output.", valueName: "file")) var csv: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let registry = try database.registry(connections: 1)
            defer { registry.pool.close() }
            let actor = try await database.actor(registry)
            let (record, rejections) = try await registry.rejectionReport(intake: id, xmlPath: xml, by: actor)
            let text = Registry.rejectionCSV(rejections)
            if let csv { try text.write(toFile: csv, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
            printErr("intake \(record.id) from \(record.facility): \(rejections.count) records fail the \(record.editSet) edits"
                     + (xml.map { "; written to \($0)" } ?? ""))
        }
    }
}
