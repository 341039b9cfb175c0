// NAACCR XML throughput: writing and reading + validating a generated file of full (~100-item) abstracts.
// Usage: NaaccrBench FILE [PATIENTS]   (writes FILE, then reads it three times; prints the best rates)
import Foundation
import NAACCR
import SyntheticRegistry

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: NaaccrBench FILE [PATIENTS]\n".utf8))
    exit(2)
}
let path = arguments[1]
let patientCount = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func report(_ label: String, tumors: Int, bytes: Int, seconds: Double) {
    print(String(format: "%@: %d tumors in %.2f s = %.0f tumors/s, %.0f MB/s", label, tumors, seconds,
                 Double(tumors) / seconds, Double(bytes) / seconds / 1e6))
}

// Generate the records first, so that writing is timed on its own.
let generator = SyntheticRegistryGenerator(patientCount: patientCount, seed: 2026)
let patients = Array(generator)
let tumorCount = patients.reduce(0) { $0 + $1.tumors.count }
let itemCount = patients.reduce(0) { $0 + $1.values.entries.count + $1.tumors.reduce(0) { $0 + $1.values.entries.count } }
print(String(format: "%d patients, %d tumors, %.1f items per patient with one tumor", patientCount, tumorCount,
             Double(itemCount) / Double(tumorCount)))

var bestWrite = Double.infinity
for _ in 0..<2 {
    bestWrite = min(bestWrite, try seconds {
        let writer = try NaaccrXMLWriter(sink: try FileByteSink(path: path), dictionary: generator.dictionary,
                                         header: generator.header())
        for patient in patients { try writer.write(patient) }
        try writer.finish()
    })
}
let fileSize = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
report("write", tumors: tumorCount, bytes: fileSize, seconds: bestWrite)

var bestRead = Double.infinity
var problems = 0
for _ in 0..<3 {
    bestRead = min(bestRead, try seconds {
        let reader = try NaaccrXMLReader(path: path)
        var tumors = 0
        problems = 0
        while let patient = try reader.next() {
            tumors += patient.tumors.count
            problems += patient.issues.count
        }
        precondition(tumors == tumorCount, "read \(tumors) tumors, wrote \(tumorCount)")
    })
}
report("read+validate", tumors: tumorCount, bytes: fileSize, seconds: bestRead)
print("value problems found: \(problems)")

// Converting reads: the same registry as a NAACCR v25 XML file and as a v18 flat file, each read, validated against
// its own version and converted to v26 record by record (what `registry import` does with such files).
/// A v26 patient in an older dictionary, item by item number (Sex Assigned at Birth, 225, written as Sex, 220).
func older(_ patient: NaaccrPatient, _ dictionary: NaaccrDictionary) -> NaaccrPatient {
    func move(_ values: NaaccrValues, _ level: NaaccrLevel) -> NaaccrValues {
        var out = NaaccrValues()
        for entry in values.entries {
            var number = NaaccrDictionary.v26.items[level]![entry.index].naaccrNum
            if number == 225 { number = 220 }
            if let key = dictionary.key(naaccrNum: number), key.level == level { out[key.index] = entry.value }
        }
        return out
    }
    var out = NaaccrPatient(dictionary: dictionary)
    out.values = move(patient.values, .patient)
    out.tumors = patient.tumors.map { tumor in
        var converted = NaaccrTumor(dictionary: dictionary)
        converted.values = move(tumor.values, .tumor)
        return converted
    }
    return out
}

func timeConvertingRead(_ label: String, path: String) throws {
    var best = Double.infinity
    for _ in 0..<3 {
        best = min(best, try seconds {
            let reader = try NaaccrFile.open(path: path)
            let converter = try NaaccrVersionConverter(from: reader.dictionary)
            var tumors = 0
            while let patient = try reader.next() { tumors += converter.convert(patient).tumors.count }
            precondition(tumors == tumorCount, "read \(tumors) tumors, wrote \(tumorCount)")
        })
    }
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    report(label, tumors: tumorCount, bytes: size, seconds: best)
}

let v25 = NaaccrDictionary.builtIn(uri: "http://naaccr.org/naaccrxml/naaccr-dictionary-250.xml")!
let v25Path = path + ".v25.xml"
do {
    var header = NaaccrHeader(baseDictionaryUri: v25.uri, recordType: "A")
    header.values = generator.header().values
    let writer = try NaaccrXMLWriter(sink: try FileByteSink(path: v25Path), dictionary: v25, header: header)
    for patient in patients { try writer.write(older(patient, v25)) }
    try writer.finish()
}
try timeConvertingRead("v25 XML read+validate+convert to v26", path: v25Path)

let v18 = NaaccrDictionary.flatVersions.first { $0.naaccrVersion == "180" }!
let flatPath = path + ".v18.txt"
do {
    let sink = try FileByteSink(path: flatPath)
    let width = v18.allItems.compactMap { item in item.startColumn.map { $0 + item.length - 1 } }.max()!
    let fixed: [(NaaccrItem, String)] = [("recordType", "A"), ("naaccrRecordVersion", "180"), ("registryId", "0000009999")].map { (v18.item($0.0)!, $0.1) }
    func place(_ value: String, _ item: NaaccrItem, into line: inout [UInt8]) {
        guard let start = item.startColumn else { return }
        let bytes = Array(value.utf8)
        guard bytes.count <= item.length, bytes.allSatisfy({ $0 < 0x80 }) else { return }
        line.replaceSubrange((start - 1)..<(start - 1 + bytes.count), with: bytes)
    }
    for patient in patients {
        let old = older(patient, v18)
        for tumor in old.tumors {
            var line = [UInt8](repeating: 0x20, count: width)
            for (item, value) in fixed { place(value, item, into: &line) }
            for entry in old.values.entries { place(entry.value, v18.items[.patient]![entry.index], into: &line) }
            for entry in tumor.values.entries { place(entry.value, v18.items[.tumor]![entry.index], into: &line) }
            line.append(0x0A)
            try line.withUnsafeBytes { try sink.write($0) }
        }
    }
    try sink.finish()
}
try timeConvertingRead("v18 flat read+validate+convert to v26", path: flatPath)
try? FileManager.default.removeItem(atPath: v25Path)
try? FileManager.default.removeItem(atPath: flatPath)
