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
    ///
    /// Each slice fills an array of its own (no two threads ever write one array), and the slices are joined in order.
    public func check(_ patients: [NaaccrPatient]) -> [[EditFailure]] {
        guard patients.count > 64, threads > 1 else { return patients.map(engine.check) }
        let sliceCount = threads * 4
        let slices = SliceResults(count: sliceCount)
        let engine = self.engine
        DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
            let start = patients.count * slice / sliceCount, end = patients.count * (slice + 1) / sliceCount
            // An engine per slice: its edits' closures are its own, so threads never contend on their reference counts.
            let own = EditEngine(set: engine.set, dictionary: engine.dictionary, today: engine.today, ownEdits: true, library: engine.library)
            slices.store(slice, patients[start..<end].map(own.check))
        }
        return slices.joined()
    }
}

/// Checks batch after batch of patients on every core with engines made once (one per thread, each with closures of
/// its own): for streams (a submission's patients come from a cursor), where a `BatchEditRunner` would build its
/// engines again for every batch.
public struct StreamingEditChecker: Sendable {
    let engines: [EditEngine]

    public init(engine: EditEngine, threads: Int = System.activeProcessorCount) {
        engines = (0..<Swift.max(1, threads)).map { _ in
            EditEngine(set: engine.set, dictionary: engine.dictionary, today: engine.today, ownEdits: true, library: engine.library)
        }
    }

    /// A check running on other threads (`start`): `wait` gives its results.
    public final class Running: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var results: [[EditFailure]] = []
        fileprivate func finish(_ value: [[EditFailure]]) { results = value; done.signal() }
        /// Blocks until the check is done; call once.
        public func wait() -> [[EditFailure]] { done.wait(); return results }
    }

    /// Starts checking `patients` on other threads and returns at once (the caller reads or writes meanwhile); one
    /// check at a time per checker (wait for it before starting the next).
    public func start(_ patients: [NaaccrPatient]) -> Running {
        let running = Running()
        let checker = self
        DispatchQueue.global(qos: .userInitiated).async { running.finish(checker.check(patients)) }
        return running
    }

    /// The failures of each patient, in the order given.
    public func check(_ patients: [NaaccrPatient]) -> [[EditFailure]] {
        guard patients.count > 16, engines.count > 1 else { return patients.map(engines[0].check) }
        let slices = SliceResults(count: engines.count)
        let engines = self.engines
        DispatchQueue.concurrentPerform(iterations: engines.count) { slice in
            let start = patients.count * slice / engines.count, end = patients.count * (slice + 1) / engines.count
            slices.store(slice, patients[start..<end].map(engines[slice].check))
        }
        return slices.joined()
    }
}

/// One result array per slice, each written once by the thread that computed it, under a lock.
private final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slices: [[[EditFailure]]]
    init(count: Int) { slices = Array(repeating: [], count: count) }
    func store(_ slice: Int, _ value: [[EditFailure]]) { lock.withLock { slices[slice] = value } }
    func joined() -> [[EditFailure]] { lock.withLock { Array(slices.joined()) } }
}

public enum System {
    /// Cores available to this process.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}

import Foundation
