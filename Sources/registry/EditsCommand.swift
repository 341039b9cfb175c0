import ArgumentParser
import Edits
import Foundation
import NAACCR
import Postgres
import Registry
import RegistryStore

struct EditsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edits",
        abstract: "Data-quality edits: list them, check a NAACCR XML file, or run them over the registry.",
        subcommands: [ListEdits.self, CheckFile.self, RunOverStore.self])

    /// `--set NAME`, shared by the subcommands.
    struct SetOption: ParsableArguments {
        @Option(name: .customLong("set"), help: ArgumentHelp("Edit set: \(EditSet.builtIn.map(\.name).joined(separator: ", ")), or one an --edits file defines.", valueName: "name"))
        var name = EditSet.incomingAbstract.name
        @Option(help: ArgumentHelp("The registry's own edits and sets: a file, or a directory of *.edits files (format: schema/edits/README.md).", valueName: "file|dir"))
        var edits: String?

        func validate() throws {
            let registryEdits: RegistryEdits
            do { registryEdits = try loaded() } catch { throw ValidationError("--edits: \(error)") }
            guard registryEdits.set(named: name) != nil else {
                throw ValidationError("unknown edit set '\(name)'; the sets are \(registryEdits.allSets.map(\.name).joined(separator: ", "))")
            }
        }

        func loaded() throws -> RegistryEdits { try edits.map { try RegistryEdits.load(path: $0) } ?? RegistryEdits() }

        /// The set, the library and the registry's edits, the files read once (validate() has checked them).
        struct Resolved {
            let set: EditSet
            /// The built-in edits and the registry's, nil when there are none of the registry's.
            let library: [Edit]?
            /// The registry's edits, nil without --edits.
            let registryEdits: RegistryEdits?
            var allSets: [EditSet] { registryEdits?.allSets ?? EditSet.builtIn }
        }

        func resolve() throws -> Resolved {
            let registryEdits = try loaded()
            guard let set = registryEdits.set(named: name) else { throw ValidationError("unknown edit set '\(name)'") }
            return Resolved(set: set, library: edits == nil ? nil : registryEdits.library, registryEdits: edits == nil ? nil : registryEdits)
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
}

struct ListEdits: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list",
                                                    abstract: "Each edit: id, name, source, years, kind, items, over-ride, severity in the set, the sets it is in.")
    @OptionGroup var editSet: EditsCommand.SetOption
    @Option(help: "text or json.") var format: EditsCommand.Format = .text

    func run() throws {
        let resolved = try editSet.resolve()
        let set = resolved.set
        let all = resolved.library ?? EditCatalog.all
        let sets = resolved.allSets
        let rows = all.map { edit -> [String: String] in
            ["id": edit.id, "name": edit.name, "kind": edit.kind.rawValue, "source": EditCatalog.source(of: edit),
             "years": EditCatalog.years(of: edit.id), "sets": sets.filter { $0.severities[edit.id] != nil }.map(\.name).joined(separator: " "), "items": edit.items.map(\.naaccrId).joined(separator: " "),
             "override": ([edit.overrideItem.map { "\($0.naaccrId)=\(edit.overrideCodes.sorted().joined(separator: "/"))" }]
                          + [edit.alsoOverriddenBy.map { "\($0.item.naaccrId)=\($0.codes.sorted().joined(separator: "/"))" }])
                .compactMap { $0 }.joined(separator: " or "),
             "severity": set.severities[edit.id]?.rawValue ?? "not in set", "note": edit.note]
        }
        // The severities: the standard's two and the registry's own levels, with what each does.
        let levels: [(name: String, blocks: Bool, description: String)] = [("error", true, "must be corrected or over-ridden"),
                                                                             ("warning", false, "to review")]
            + (resolved.registryEdits?.levels ?? []).map { ($0.severity.name, $0.severity.blocks, $0.description) }
        if format == .json {
            let data = try JSONSerialization.data(withJSONObject: [
                "set": set.name, "edits": rows,
                "severities": levels.map { ["name": $0.name, "blocks": $0.blocks, "description": $0.description] as [String: Any] },
            ], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(all.count) edits; set \(set.name): \(set.description)")
        print("severities: " + levels.map { "\($0.name) (\($0.blocks ? "blocks" : "informs")\($0.description.isEmpty ? "" : ": \($0.description)"))" }.joined(separator: "; "))
        for row in rows {
            print("\(row["id"]!.padding(toLength: 8, withPad: " ", startingAt: 0)) \(row["severity"]!.padding(toLength: 8, withPad: " ", startingAt: 0)) \(row["name"]!)")
            print("         \(row["source"]!), years \(row["years"]!); items: \(row["items"]!)\(row["override"]!.isEmpty ? "" : "; over-ride: \(row["override"]!)"); sets: \(row["sets"]!)")
        }
    }
}

struct CheckFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Run an edit set over NAACCR files (XML v14-v26 or flat v12-v18), like the standard batch tool.",
        discussion: "Prints the failures by record and a summary by edit; exits 1 when any error (not overridden) is found.")
    @Argument(help: "NAACCR files (XML or flat, plain or .gz).") var files: [String]
    @OptionGroup var editSet: EditsCommand.SetOption
    @Option(help: "text or json.") var format: EditsCommand.Format = .text
    @Option(help: "Print at most this many failures (the summary counts all).") var limit = 1000
    @OptionGroup var read: ReadOptions

    func run() throws {
        let options = try read.options()
        let resolved = try editSet.resolve()
        var summary: [String: (name: String, errors: Int, warnings: Int, overridden: Int)] = [:]
        var patients = 0, tumors = 0, tumorsFailing = 0, printed = 0
        var jsonFailures: [[String: Any]] = []
        for file in files {
            let reader = try NaaccrFile.open(path: file, options: options)
            // The engine reads items by id through the file's own dictionary (any NAACCR version).
            let runner = BatchEditRunner(engine: EditEngine(set: resolved.set, dictionary: reader.dictionary, library: resolved.library))
            var batch: [NaaccrPatient] = []
            func flush() {
                for (patient, failures) in zip(batch, runner.check(batch)) {
                    patients += 1
                    tumors += patient.tumors.count
                    tumorsFailing += Set(failures.filter { !$0.overridden && $0.severity.blocks }.map(\.tumorIndex)).count
                    for f in failures {
                        var entry = summary[f.editId] ?? (f.name, 0, 0, 0)
                        if f.overridden { entry.overridden += 1 } else if f.severity.blocks { entry.errors += 1 } else { entry.warnings += 1 }
                        summary[f.editId] = entry
                        guard printed < limit else { continue }
                        printed += 1
                        let line = patient.tumors[f.tumorIndex].line
                        let status = f.overridden ? "overridden" : f.severity.rawValue
                        if format == .json {
                            jsonFailures.append(["file": file, "line": line, "patient": patients, "tumor": f.tumorIndex + 1, "edit": f.editId,
                                                 "name": f.name, "severity": status, "message": f.message, "items": f.items])
                        } else {
                            print("\(file):\(line): patient \(patients), tumor \(f.tumorIndex + 1): [\(status.uppercased())] \(f.editId) \(f.name): \(f.message)")
                        }
                    }
                }
                batch.removeAll(keepingCapacity: true)
            }
            while let patient = try reader.next() {
                batch.append(patient)
                if batch.count == 4000 { flush() }
            }
            flush()
        }
        let errors = summary.values.reduce(0) { $0 + $1.errors }
        if format == .json {
            let bySummary = summary.keys.sorted().map { id -> [String: Any] in
                let s = summary[id]!
                return ["edit": id, "name": s.name, "errors": s.errors, "warnings": s.warnings, "overridden": s.overridden]
            }
            let document: [String: Any] = ["set": resolved.set.name, "patients": patients, "tumors": tumors, "tumorsWithErrors": tumorsFailing,
                                           "failures": jsonFailures, "summary": bySummary]
            print(String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
        } else {
            print("\nedit set \(resolved.set.name): \(patients) patients, \(tumors) tumors, \(tumorsFailing) tumors with errors")
            print("  errors  warnings  overridden  edit")
            for (id, s) in summary.sorted(by: { $0.value.errors + $0.value.warnings > $1.value.errors + $1.value.warnings }) {
                print(String(format: "  %6d  %8d  %10d  %@ %@", s.errors, s.warnings, s.overridden, id, s.name))
            }
            if summary.isEmpty { print("  no edit failed") }
        }
        if errors > 0 { throw ExitCode(1) }
    }
}

struct RunOverStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run an edit set over the registry and save the results per tumor (work lists show failing edits).")
    @OptionGroup var editSet: EditsCommand.SetOption
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let resolved = try editSet.resolve()
        let registry = try database.registry(connections: 1, edits: resolved.registryEdits)
        defer { registry.pool.close() }
        let progress = ProgressReporter(label: "edits")
        let run = try await registry.runEdits(resolved.set, by: try await database.actor(registry), progress: { progress.update(records: $0) })
        progress.finish(records: run.tumorsChecked)
        print("edit run \(run.runId) (\(resolved.set.name)): \(run.tumorsChecked) tumors checked, \(run.tumorsWithErrors) with errors, "
              + "\(run.tumorsWithWarnings) with warnings; results saved per tumor")
    }
}
