import Dispatch
import NAACCR

/// Runs an edit set over many patients on every core: one engine per thread, built once with the runner (each with
/// closures of its own, so threads never contend on their reference counts); the threads take chunks of patients in
/// turn until none is left, and results come back in input order.
public struct BatchEditRunner: Sendable {
    public let engine: EditEngine
    public let threads: Int
    /// The per-thread engines (none on one thread: `engine` checks alone).
    let checker: StreamingEditChecker?

    public init(engine: EditEngine, threads: Int = System.activeProcessorCount) {
        self.engine = engine
        self.threads = Swift.max(1, threads)
        checker = self.threads > 1 ? StreamingEditChecker(engine: engine, threads: self.threads) : nil
    }

    /// The failures of each patient, in the order given.
    public func check(_ patients: [NaaccrPatient]) -> [[EditFailure]] {
        guard patients.count > 64, let checker else { return patients.map(engine.check) }
        return checker.check(patients)
    }
}

/// Checks batch after batch of patients (or does other work on them) on every core with engines made once, one per
/// thread, each with closures of its own: `BatchEditRunner` checks with it, and a submission judges its patients with
/// it while its cursor reads the next batch (`start`).
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

    /// `work` on each input on every engine's thread, results in input order: the threads take chunks of the inputs
    /// in turn (a thread slowed by other work takes fewer).
    public func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], _ work: @Sendable (EditEngine, Input) -> Output) -> [Output] {
        let engines = self.engines
        guard inputs.count > 16, engines.count > 1 else { return inputs.map { work(engines[0], $0) } }
        let chunk = Swift.max(8, Swift.min(256, inputs.count / (engines.count * 8)))
        let results = SliceResults<Output>(count: (inputs.count + chunk - 1) / chunk)
        DispatchQueue.concurrentPerform(iterations: engines.count) { thread in
            let engine = engines[thread]
            while let c = results.claim() {
                let start = c * chunk, end = Swift.min(inputs.count, start + chunk)
                results.store(c, inputs[start..<end].map { work(engine, $0) })
            }
        }
        return results.joined()
    }
}

/// One result array per slice, each claimed by one thread and written once by it, under a lock.
private final class SliceResults<Output>: @unchecked Sendable {
    private let lock = NSLock()
    private var slices: [[Output]]
    private var claimed = 0
    init(count: Int) { slices = Array(repeating: [], count: count) }
    /// The next slice nobody has taken, nil when all are.
    func claim() -> Int? { lock.withLock { guard claimed < slices.count else { return nil }; claimed += 1; return claimed - 1 } }
    func store(_ slice: Int, _ value: [Output]) { lock.withLock { slices[slice] = value } }
    func joined() -> [Output] { lock.withLock { Array(slices.joined()) } }
}

public enum System {
    /// Cores available to this process.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}

import Foundation
