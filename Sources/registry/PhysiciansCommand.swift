import ArgumentParser
import Foundation
import Registry

/// `registry physicians`: the physician directory follow-up letters are addressed from.
struct PhysiciansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "physicians",
        abstract: "The physician directory (names and addresses for follow-up letters to the following physician).",
        subcommands: [PhysiciansLoadCommand.self, PhysiciansListCommand.self])
}

struct PhysiciansLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Add or update physicians from a CSV file (codes not in the file stay).",
        discussion: """
            CSV (quoted fields allowed) with a header naming code (or npi) and name, and any of address, address2, city, \
            state, zip, phone. The code is what Physician--Follow-Up (2470) holds, usually the NPI. A file with a bad line \
            changes nothing; the error names the line.
            """)

    @Argument(help: ArgumentHelp("The physician file.", valueName: "file")) var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let physicians: [Physician]
        do { physicians = try Physician.read(path: file) } catch let error as PhysicianFileError { throw ValidationError(error.description) }
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let summary = try await registry.loadPhysicians(physicians, source: URL(fileURLWithPath: file).lastPathComponent,
                                                        by: try await database.actor(registry))
        print("physicians: \(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged")
    }
}

struct PhysiciansListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The physician directory as CSV.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        print("code,name,address,address2,city,state,zip,phone")
        for p in try await registry.physicians().values.sorted(by: { $0.code < $1.code }) {
            print([p.code, p.name, p.addressLine, p.addressLine2, p.city, p.state, p.postalCode, p.phone].map(CSVText.field).joined(separator: ","))
        }
    }
}
