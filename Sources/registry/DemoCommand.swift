import ArgumentParser
import Foundation
import NAACCR
import Registry
import RegistryStore
import SyntheticRegistry

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load a synthetic demo registry (no real patients) into the database, or write it as NAACCR XML.",
        discussion: "The same --seed and --patients always give the same registry. Loading it twice changes nothing.")

    @Option(help: "How many patients.") var patients = 20_000
    @Option(help: "Random seed.") var seed: UInt64 = 2026
    @Option(help: "Patient ID Number of the first patient (the others follow), e.g. to make a second file of new patients.")
    var firstPatientId = 1
    @Option(help: ArgumentHelp("Write NAACCR XML to this file (.gz to compress) instead of loading the database.", valueName: "file"))
    var xml: String?
    @Option(help: "Record type of the XML file: A, M, C or I.") var recordType = "A"
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...99_999_999).contains(firstPatientId), firstPatientId + patients - 1 <= 99_999_999 else {
            throw ValidationError("--first-patient-id: Patient ID Numbers are 8 digits (1 to 99999999)")
        }
    }

    func run() async throws {
        let generator = SyntheticRegistryGenerator(patientCount: patients, seed: seed, firstPatientNumber: firstPatientId)
        let start = Date()
        if let xml {
            let writer = try NaaccrXMLWriter(sink: try openByteSink(path: xml), dictionary: generator.dictionary,
                                             header: generator.header(recordType: recordType))
            var tumors = 0
            for patient in generator { try writer.write(patient); tumors += patient.tumors.count }
            try writer.finish()
            printErr("wrote \(patients) patients, \(tumors) tumors to \(xml) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            return
        }
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let summary = try await Self.load(generator, into: registry, source: "registry demo --seed \(seed)", by: try await database.actor(registry))
        // Population estimates for the demo's counties, so incidence rates can be computed (registry report incidence).
        var population = PopulationEstimates()
        for row in SyntheticPopulation(for: generator).rows {
            population.add(year: row.year, county: row.county, sex: row.sex, ageGroup: row.ageGroup, race: row.race, population: row.population)
        }
        let loaded = try await registry.loadPopulation(population, source: "registry demo --seed \(seed)", by: try await database.actor(registry))
        print("demo population: \(loaded.people.formatted()) person-years over \(loaded.years.count) years (synthetic)")
        print("demo registry: \(summary.patientsRead) patients, \(summary.tumorsRead) tumors "
              + "(\(summary.patientsInserted) patients and \(summary.tumorsInserted) tumors new) "
              + "in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        if database.externalURL == nil {
            print("data in \(database.embeddedCluster.home.path); 'registry db status' shows it, 'registry db stop' stops the server")
        }
    }

    /// Loads a synthetic registry through the import workflow (audited like any import).
    static func load(_ generator: SyntheticRegistryGenerator, into registry: Registry, source: String, by actor: ActingUser) async throws -> ImportSummary {
        let iterator = CommandLocal(generator.makeIterator())
        let progress = ProgressReporter(label: "demo registry")
        let summary = try await registry.importPatients(header: generator.header(), dictionary: generator.dictionary, source: source, by: actor,
                                                        patients: { iterator.value.next() }, progress: { progress.update(records: $0) })
        progress.finish(records: summary.patientsRead)
        return summary
    }
}
