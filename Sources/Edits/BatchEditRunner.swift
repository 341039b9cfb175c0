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
        let slices = SliceResults<[EditFailure]>(count: sliceCount)
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

    /// Work running on other threads (`start`): `wait` gives its results.
    public final class Running<Output: Sendable>: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var results: [Output] = []
        fileprivate func finish(_ value: [Output]) { results = value; done.signal() }
        /// Blocks until the work is done; call once.
        public func wait() -> [Output] { done.wait(); return results }
    }

    /// Starts checking `patients` on other threads and returns at once (the caller reads or writes meanwhile); one
    /// check at a time per checker (wait for it before starting the next).
    public func start(_ patients: [NaaccrPatient]) -> Running<[EditFailure]> {
        start(patients) { engine, patient in engine.check(patient) }
    }

    /// Starts `work` on each input on other threads, each slice with its thread's engine, and returns at once; results
    /// come in input order. One piece of work at a time per checker (wait for it before starting the next).
    public func start<Input: Sendable, Output: Sendable>(_ inputs: [Input],
                                                         _ work: @escaping @Sendable (EditEngine, Input) -> Output) -> Running<Output> {
        let running = Running<Output>()
        let checker = self
        DispatchQueue.global(qos: .userInitiated).async { running.finish(checker.map(inputs, work)) }
        return running
    }

    /// The failures of each patient, in the order given.
    public func check(_ patients: [NaaccrPatient]) -> [[EditFailure]] {
        map(patients) { engine, patient in engine.check(patient) }
    }

    /// `work` on each input, slices of the inputs in parallel (each with an engine of its own), results in input order.
    public func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ work: @Sendable (EditEngine, Input) -> Output) -> [Output] {
        let engines = self.engines
        guard inputs.count > 16, engines.count > 1 else { return inputs.map { work(engines[0], $0) } }
        let slices = SliceResults<Output>(count: engines.count)
        DispatchQueue.concurrentPerform(iterations: engines.count) { slice in
            let start = inputs.count * slice / engines.count, end = inputs.count * (slice + 1) / engines.count
            slices.store(slice, inputs[start..<end].map { work(engines[slice], $0) })
        }
        return slices.joined()
    }
}

/// One result array per slice, each written once by the thread that computed it, under a lock.
private final class SliceResults<Output>: @unchecked Sendable {
    private let lock = NSLock()
    private var slices: [[Output]]
    init(count: Int) { slices = Array(repeating: [], count: count) }
    func store(_ slice: Int, _ value: [Output]) { lock.withLock { slices[slice] = value } }
    func joined() -> [Output] { lock.withLock { Array(slices.joined()) } }
}

public enum System {
    /// Cores available to this process.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}

import Foundation
