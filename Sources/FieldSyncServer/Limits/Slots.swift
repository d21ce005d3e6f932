import Synchronization

/// At most ``limit`` of one kind of costly work at once: tallies as of a past moment (each folds the log
/// in memory), full exports (each holds a database connection and streams the whole log).
///
/// Without a bound, a handful of such requests at once on election night would take the machine's memory
/// and connections from the live tallies and the pushes. A request that finds every slot taken is answered
/// at once with the problem `busy` makes (503 with `Retry-After`), rather than queued behind work of
/// unknown length.
final class Slots: Sendable {
    let limit: Int
    private let busy: @Sendable (_ limit: Int) -> Problem
    private let taken = Mutex(0)

    init(limit: Int, busy: @escaping @Sendable (_ limit: Int) -> Problem) {
        self.limit = limit
        self.busy = busy
    }

    /// One slot, held until ``release()``: for work that outlives its handler, such as a response body
    /// written after the handler returned. A slot no longer referenced is released too, so that a
    /// response dropped before its body ran gives its slot back.
    final class Slot: Sendable {
        private let slots: Slots
        private let held = Mutex(true)

        fileprivate init(_ slots: Slots) {
            self.slots = slots
        }

        /// Gives the slot back; only the first call counts.
        func release() {
            guard
                held.withLock({ held in
                    defer { held = false }
                    return held
                })
            else { return }
            slots.taken.withLock { $0 -= 1 }
        }

        deinit { release() }
    }

    /// How many slots are taken now.
    var inUse: Int { taken.withLock { $0 } }

    /// Takes a slot, or throws the `busy` problem when none is free.
    func take() throws -> Slot {
        let entered = taken.withLock { taken in
            guard taken < limit else { return false }
            taken += 1
            return true
        }
        guard entered else { throw busy(limit) }
        return Slot(self)
    }

    /// Runs `work` in a slot, or throws the `busy` problem when none is free.
    func run<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        let slot = try take()
        defer { slot.release() }
        return try await work()
    }
}
