import ArgumentParser
import Foundation
import Staging

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Find a tumor's staging schema, check its inputs and derive its stage (SEER EOD, 2018+).",
        discussion: """
            The schema comes from primary site, histology and, where the schema needs them, year of diagnosis, behavior, \
            sex and the schema discriminators (items 3926, 3927). Every input of the schema (EOD Primary Tumor, Regional \
            Nodes and Mets, the site-specific data items, Grade) is checked against the schema's table; blank ones take \
            the schema's default. Outputs: Schema ID (3800), Derived Summary Stage 2018 (762), Derived Summary Grade \
            (1975) and the other derived items of the schema. Exit 1 when no schema is found or an input is not valid.
            """)

    @Option(help: "Primary site (item 400), e.g. C509.") var site: String
    @Option(help: "Histologic type ICD-O-3 (item 522), e.g. 8500.") var histology: String
    @Option(help: "Behavior code ICD-O-3 (item 523).") var behavior: String?
    @Option(help: "Year of diagnosis.") var year: Int?
    @Option(name: .customLong("item"), help: ArgumentHelp("Another item, as naaccrId=value (repeat), e.g. eodPrimaryTumor=100.", valueName: "id=value"))
    var items: [String] = []
    @Option(help: "table or json.") var format: Format = .table

    enum Format: String, ExpressibleByArgument { case table, json }

    func validate() throws {
        for item in items where !item.contains("=") { throw ValidationError("--item \(item.prefix(40)): write naaccrId=value") }
        if let year, !(1900...2100).contains(year) { throw ValidationError("--year: a year of diagnosis such as 2022") }
    }

    func run() throws {
        var values: [String: String] = ["primarySite": site.uppercased(), "histologicTypeIcdO3": histology]
        if let behavior { values["behaviorCodeIcdO3"] = behavior }
        if let year { values["dateOfDiagnosis"] = String(year) }
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1)
            values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let stager = Stager()
        let result = stager.stage(values.filter { !$0.value.isEmpty })
        if format == .json {
            let document: [String: Any] = [
                "algorithm": "\(stager.algorithm.algorithm) \(stager.algorithm.version)",
                "schema": result.schema as Any, "schemaName": result.schemaName as Any, "schemaId": result.schemaId as Any,
                "candidates": result.candidates,
                "inputs": result.inputs.map { ["key": $0.key, "item": $0.item as Any, "value": $0.value, "valid": $0.valid,
                                               "label": $0.label as Any, "defaulted": $0.defaulted] },
                "outputs": result.outputs, "errors": result.errors,
            ]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("algorithm: \(stager.algorithm.algorithm) \(stager.algorithm.version)")
            if let schema = result.schema {
                print("schema: \(schema) (\(result.schemaName ?? "")), Schema ID \(result.schemaId ?? "-")")
                print("inputs:")
                for input in result.inputs {
                    let shown = input.value.isEmpty ? "(blank)" : input.value
                    print("  \(input.valid ? "ok     " : "INVALID") \((input.item ?? input.key).padding(toLength: 34, withPad: " ", startingAt: 0)) "
                          + "\(shown)\(input.defaulted ? " (default)" : "")\(input.label.map { "  \($0.prefix(70))" } ?? "")")
                }
                print("derived:")
                for (item, value) in result.outputs.sorted(by: { $0.key < $1.key }) { print("  \(item.padding(toLength: 34, withPad: " ", startingAt: 0)) \(value)") }
            }
            for error in result.errors { print("error: \(error)") }
        }
        if result.schema == nil || result.inputs.contains(where: { !$0.valid }) { throw ExitCode(1) }
    }
}
