// Edit throughput: the full edit sets over generated tumors in memory (batch, all cores) and the latency of
// checking one abstract (the web form's inline check). Usage: EditsBench [PATIENTS]   (default 940,000 ≈ 1,000,000 tumors)
import Edits
import Foundation
import NAACCR
import SyntheticRegistry

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 940_000 : 940_000
let generationStart = Date()
let patients = Array(SyntheticRegistryGenerator(patientCount: count, seed: 2026))
let tumors = patients.reduce(0) { $0 + $1.tumors.count }
print(String(format: "%d patients, %d tumors generated in %.1f s; %d edits in the library", count, tumors,
             Date().timeIntervalSince(generationStart), EditCatalog.all.count))

// What a batch pays once per slice: an engine with closures of its own (EditCatalog.makeLibrary).
let setupStart = DispatchTime.now().uptimeNanoseconds
_ = EditEngine(set: .incomingAbstract, ownEdits: true)
print(String(format: "engine with its own edits built in %.1f ms", Double(DispatchTime.now().uptimeNanoseconds - setupStart) / 1e6))

for set in EditSet.builtIn {
    // EDITS_THREADS=1 measures one core alone (how the batch scales).
    let threads = ProcessInfo.processInfo.environment["EDITS_THREADS"].flatMap(Int.init) ?? System.activeProcessorCount
    let runner = BatchEditRunner(engine: EditEngine(set: set), threads: threads)
    var best = Double.infinity, failures = 0
    for _ in 0..<2 {
        let start = DispatchTime.now().uptimeNanoseconds
        let results = runner.check(patients)
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        failures = results.reduce(0) { $0 + $1.count }
    }
    print(String(format: "batch %@ (%d edits, %d threads): %.2f s = %.0f tumors/s (%d failures)", set.name,
                 set.severities.count, runner.threads, best, Double(tumors) / best, failures))
}

// One abstract at a time, as the form checks a draft: p50/p99 over 20,000 checks.
let engine = EditEngine(set: .incomingAbstract)
var latencies: [Double] = []
for patient in patients.prefix(20_000) {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = engine.check(patient)
    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
}
latencies.sort()
print(String(format: "single abstract (incoming-abstract): p50 %.1f µs, p99 %.1f µs, max %.1f µs", latencies[latencies.count / 2],
             latencies[latencies.count * 99 / 100], latencies.last!))
