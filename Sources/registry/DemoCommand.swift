import ArgumentParser
import Foundation
import NAACCR
import RegistryStore
import SyntheticRegistry

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load a synthetic demo registry (no real patients) into the database, or write it as NAACCR XML.",
        discussion: "The same --seed and --patients always give the same registry. Loading it twice changes nothing.")

    @Option(help: "How many patients.") var patients = 20_000
    @Option(help: "Random seed.") var seed: UInt64 = 2026
    @Option(help: ArgumentHelp("Write NAACCR XML to this file (.gz to compress) instead of loading the database.", valueName: "file"))
    var xml: String?
    @Option(help: "Record type of the XML file: A, M, C or I.") var recordType = "A"
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let generator = SyntheticRegistryGenerator(patientCount: patients, seed: seed)
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
        let db = try database.connect()
        var iterator = generator.makeIterator()
        let progress = ProgressReporter(label: "demo registry")
        let summary = try NaaccrImporter(connection: db).importPatients(
            header: generator.header(), dictionary: generator.dictionary, source: "registry demo --seed \(seed)",
            actor: "demo", next: { iterator.next() }, progress: { progress.update(records: $0) })
        progress.finish(records: summary.patientsRead)
        print("demo registry: \(summary.patientsRead) patients, \(summary.tumorsRead) tumors "
              + "(\(summary.patientsInserted) patients and \(summary.tumorsInserted) tumors new) "
              + "in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        if database.externalURL == nil {
            print("data in \(database.embeddedCluster.home.path); 'registry db status' shows it, 'registry db stop' stops the server")
        }
    }
}
