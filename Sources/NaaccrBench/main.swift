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
