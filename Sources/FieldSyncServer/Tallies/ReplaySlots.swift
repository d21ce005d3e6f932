import Hummingbird
import Synchronization

/// How many tallies as of a past moment (`?position=` or `?asOf=`) may be computed at once.
///
/// Each folds the log from the start inside its request: about a second and several hundred MiB per
/// million events. Without a bound, a handful of such requests at once on election night would take the
/// machine's memory from the live tallies and the pushes. A request that finds every slot taken is
/// answered 503 with a `Retry-After` at once, rather than queued behind folds of unknown length.
final class ReplaySlots: Sendable {
    let limit: Int
    private let taken = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `fold` in a slot, or throws `replays-busy` when none is free.
    func run<T: Sendable>(_ fold: () async throws -> T) async throws -> T {
        let entered = taken.withLock { taken in
            guard taken < limit else { return false }
            taken += 1
            return true
        }
        guard entered else {
            var problem = Problem(
                .replaysBusy,
                "\(limit) tall\(limit == 1 ? "y" : "ies") as of a past moment \(limit == 1 ? "is" : "are") being "
                    + "computed already, the most this server computes at once; the live tallies (no position or "
                    + "asOf) are always available")
            problem.headers[.retryAfter] = "5"
            throw problem
        }
        defer { taken.withLock { $0 -= 1 } }
        return try await fold()
    }
}
