import Foundation

/// A bounded queue from one producer thread to one consumer thread, so that reading a file and storing it
/// overlap. The producer waits while the queue is full; the consumer waits while it is empty.
final class HandoffQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var producerFinished = false
    private var consumerStopped = false
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Hands `element` over, waiting while the queue is full; false when the consumer has stopped (nothing more is taken).
    func put(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !consumerStopped { condition.wait() }
        guard !consumerStopped else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// The next element, waiting while the queue is empty; nil once the producer has finished and all was taken.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !producerFinished { condition.wait() }
        guard !items.isEmpty else { return nil }
        let element = items.removeFirst()
        condition.broadcast()
        return element
    }

    /// The producer has nothing more to hand over.
    func finishProducing() {
        condition.lock()
        producerFinished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer takes nothing more (it failed); a waiting producer is released.
    func stopConsuming() {
        condition.lock()
        consumerStopped = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Work running on its own thread; `join()` waits for it and returns its result or rethrows its error.
final class BackgroundWork<Result: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Swift.Result<Result, any Error>?

    init(name: String, _ body: @escaping @Sendable () throws -> Result) {
        let thread = Thread { [self] in
            outcome = Swift.Result { try body() }
            done.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits for the work to end (the semaphore orders the result's write before this read).
    func join() throws -> Result {
        done.wait()
        done.signal()  // a second join returns at once
        return try outcome!.get()
    }
}
