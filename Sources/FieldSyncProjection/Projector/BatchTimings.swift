import FieldSyncStore
import Logging

/// How long each phase of one projector batch took, and how much it loaded: the debug log line that
/// says where a slow batch's time went.
struct BatchTimings: Sendable {
    /// The phases of a batch, in order.
    enum Phase: Int, CaseIterable, Sendable {
        /// Reading and decoding the batch's events.
        case read
        /// Reading the facts of the stations the batch touches that the cache does not hold.
        case load
        /// Folding the batch into the held stations and the seats' sums.
        case apply
        /// Rendering the documents of what changed.
        case render
        /// In the transaction: the seats' sums, and a snapshot when one is due.
        case sums
        /// In the transaction: the rows of what changed.
        case rows
        /// The checkpoint, and the commit.
        case commit
        /// Letting the least recently touched stations go.
        case evict

        var name: String { ["read", "load", "apply", "render", "sums", "rows", "commit", "evict"][rawValue] }
    }

    private var started: ContinuousClock.Instant
    private var times = [Duration](repeating: .zero, count: Phase.allCases.count)
    /// The position the batch reached, and its events.
    var position: Int64 = 0
    var events = 0
    /// The stations the batch touched that had to be read from the database, and their events.
    var stationsLoaded = 0
    var factsLoaded = 0
    /// The rows written, and the bytes of their documents.
    var rows = 0
    var bytes = 0

    /// Timings whose first phase began at `start`.
    init(since start: ContinuousClock.Instant) { started = start }

    /// The next phase begins now (after a wait that belongs to none).
    mutating func restart() { started = ContinuousClock.now }

    /// Ends `phase`, which began when the one before ended.
    mutating func end(_ phase: Phase) {
        let now = ContinuousClock.now
        let time = now - started
        started = now
        times[phase.rawValue] += time
    }

    /// The time spent in `phase`.
    func time(of phase: Phase) -> Duration {
        times[phase.rawValue]
    }

    /// The batch's figures as log metadata, the times in milliseconds.
    var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "position": "\(position)", "events": "\(events)", "stations-loaded": "\(stationsLoaded)",
            "facts-loaded": "\(factsLoaded)", "rows": "\(rows)", "bytes": "\(bytes)",
        ]
        for phase in Phase.allCases {
            let milliseconds = time(of: phase) / .milliseconds(1)
            metadata["\(phase.name)-ms"] = "\((milliseconds * 10).rounded() / 10)"
        }
        return metadata
    }
}
