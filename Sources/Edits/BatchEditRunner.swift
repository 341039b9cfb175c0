import Dispatch
import NAACCR

/// Runs an edit set over many patients on every core: the patients are split into slices that run in parallel,
/// results come back in input order.
public struct BatchEditRunner: Sendable {
    public let engine: EditEngine
    public let threads: Int

    public init(engine: EditEngine, threads: Int = System.activeProcessorCount) {
        self.engine = engine
        self.threads = Swift.max(1, threads)
    }

    /// The failures of each patient, in the order given.
    public func check(_ patients: [NaaccrPatient]) -> [[EditFailure]] {
        guard patients.count > 64, threads > 1 else { return patients.map(engine.check) }
        let slices = threads * 4
        let results = ResultSlots(count: patients.count)
        let engine = self.engine
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let start = patients.count * slice / slices, end = patients.count * (slice + 1) / slices
            for i in start..<end { results.set(i, engine.check(patients[i])) }
        }
        return results.values
    }
}

/// Per-index result storage written by parallel slices that never share an index.
private final class ResultSlots: @unchecked Sendable {
    private var storage: [[EditFailure]]
    init(count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ index: Int, _ value: [EditFailure]) { storage[index] = value }
    var values: [[EditFailure]] { storage }
}

public enum System {
    /// Cores available to this process.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}

import Foundation
