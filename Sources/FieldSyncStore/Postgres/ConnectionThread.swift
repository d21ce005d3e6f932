import Foundation

/// A serial executor backed by one dedicated operating-system thread.
///
/// libpq's calls block. A ``PostgresConnection`` runs on its own `ConnectionThread`, so a blocking
/// call never holds up Swift's cooperative thread pool or an event loop: callers simply `await`.
///
/// `@unchecked Sendable` because it owns an operating-system thread: its mutable state (the queue of jobs
/// and the stop flag) is read and written only while `condition`, an `NSCondition`, is locked. A
/// `Mutex` does not fit, as the thread must also wait on the condition for the next job.
final class ConnectionThread: SerialExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    init(name: String) {
        // The thread keeps `self` alive until `stop()` lets `run()` return.
        let thread = Thread { self.run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread finish the jobs it has and end.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping {
                condition.wait()
            }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch {
                job.runSynchronously(on: asUnownedSerialExecutor())
            }
        }
    }
}
