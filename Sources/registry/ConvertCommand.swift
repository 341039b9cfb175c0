import ArgumentParser
import Foundation
import NAACCR

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a NAACCR file (XML of version 14 to 25, or a flat file of version 12 to 18) into a version 26 XML file.",
        discussion: """
            Values go to the v26 item of the same NAACCR number; Sex (220) becomes Sex Assigned at Birth (225); items that \
            moved to the patient level take the first tumor's value. A v26 file has no place for items NAACCR retired: \
            their values are left out of the output and counted here (registry import keeps them in the store). Values \
            v26 no longer allows are kept as sent and listed.
            """)

    @Argument(help: "The NAACCR file to convert (XML or flat, plain or .gz).") var input: String
    @Argument(help: "The v26 file to write (.gz to compress).") var output: String
    @Option(help: "The version to convert to (only 260, the current one).") var to = "260"
    @OptionGroup var read: ReadOptions

    func validate() throws {
        guard to == NaaccrDictionary.v26.naaccrVersion else { throw ValidationError("--to: conversion is to the current version, 260") }
        guard input != output else { throw ValidationError("write the converted file somewhere else than the input") }
    }

    func run() throws {
        let reader = try NaaccrFile.open(path: input, options: try read.options())
        let converter = try NaaccrVersionConverter(from: reader.dictionary)
        let target = NaaccrDictionary.v26
        var header = NaaccrHeader(baseDictionaryUri: target.uri, recordType: reader.header.recordType)
        for item in reader.dictionary.items[.naaccrData]! {
            guard let from = reader.dictionary.key(item.naaccrId), let value = reader.header.values[from.index],
                  let to = target.key(naaccrNum: item.naaccrNum), to.level == .naaccrData else { continue }
            header.values[to.index] = value
        }
        if let version = target.key("naaccrRecordVersion") { header.values[version.index] = target.naaccrVersion }
        let writer = try NaaccrXMLWriter(sink: try openByteSink(path: output), dictionary: target, header: header)
        var patients = 0, tumors = 0, problems: [NaaccrIssue] = []
        while let patient = try reader.next() {
            let converted = converter.convert(patient)
            try writer.write(converter.currentItemsOnly(converted))
            patients += 1
            tumors += converted.tumors.count
            if problems.count < 200 { problems += converted.issues.prefix(200 - problems.count) }
        }
        try writer.finish()
        print("\(input): \(patients) patients, \(tumors) tumors converted from NAACCR version \(reader.dictionary.naaccrVersion) to \(target.naaccrVersion), written to \(output)")
        for (what, count) in converter.counts.sorted(by: { $0.key < $1.key }) {
            print("    \(count)\t\(what.replacingOccurrences(of: "retired, kept", with: "retired, left out of the v26 file"))")
        }
        for issue in problems { print("    \(issue)") }
    }
}
