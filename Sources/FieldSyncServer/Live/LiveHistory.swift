import NIOCore

/// The live events sent lately, each encoded once, kept so that a stream that falls behind, or a client
/// that resumes with `Last-Event-ID`, is served from memory rather than by a query of its own.
///
/// Complete from ``floor`` to ``position``: a client that saw everything up to a position in that range
/// is sent the events after it; one further back is told to read the tallies again (a `reload` event).
/// The oldest events are let go beyond ``maximumEvents`` or ``maximumBytes`` (their texts and compressed
/// copies together), moving the floor up.
struct LiveHistory: Sendable {
    /// One event, as every stream sends it: what changed after `after`, up to `position`.
    struct Entry: Sendable {
        var after: Int64
        var position: Int64
        /// The changes for a client whose documents are as of `after`: only the members that changed.
        var event: LiveEvent
        /// The same changes with every changed document whole, for a client whose documents are as of a
        /// position inside the range (it read them between `after` and `position`); nil when `event`
        /// already carries them whole.
        var whole: LiveEvent? = nil

        /// The memory it holds: each form's text and its compressed copy (``LiveEvent/bytes``).
        var bytes: Int { event.bytes + (whole?.bytes ?? 0) }
    }

    /// What a stream that has sent everything up to a position sends next.
    enum CatchUp: Sendable, Equatable {
        /// Nothing: it is up to date (or ahead, waiting for the feed to get there).
        case upToDate
        /// These events, after which it is at `through`.
        case events([LiveEvent], through: Int64)
        /// What changed since its position is no longer kept: the client reads the tallies again, and
        /// continues from `at`.
        case reload(at: Int64)
    }

    /// The position of the last event; every change up to it has been sent.
    private(set) var position: Int64
    /// The history holds every change after this position.
    private(set) var floor: Int64
    private var entries: [Entry] = []
    private var bytes = 0
    let maximumEvents: Int
    let maximumBytes: Int

    /// An empty history, complete from `position` on.
    init(position: Int64, maximumEvents: Int = 256, maximumBytes: Int = 16 << 20) {
        self.position = position
        self.floor = position
        self.maximumEvents = maximumEvents
        self.maximumBytes = maximumBytes
    }

    /// Keeps the next event, whose changes follow ``position``; lets the oldest go beyond the bounds.
    mutating func append(_ entry: Entry) {
        entries.append(entry)
        bytes += entry.bytes
        position = entry.position
        var dropped = 0
        while entries.count - dropped > 1 && (entries.count - dropped > maximumEvents || bytes > maximumBytes) {
            bytes -= entries[dropped].bytes
            floor = entries[dropped].position
            dropped += 1
        }
        entries.removeFirst(dropped)
    }

    /// Forgets every event: from now on the history is complete only after `position` (when a change was
    /// too large to send as one event).
    mutating func restart(at position: Int64) {
        entries.removeAll()
        bytes = 0
        self.position = position
        floor = position
    }

    /// What to send a stream that has sent everything up to `cursor`: the events after it, the first
    /// whole when `cursor` falls inside its range.
    func catchUp(after cursor: Int64) -> CatchUp {
        if cursor >= position { return .upToDate }
        if cursor < floor { return .reload(at: position) }
        let first = entries.firstIndex { $0.position > cursor } ?? entries.endIndex
        var events = entries[first...].map(\.event)
        if first < entries.endIndex, entries[first].after < cursor, let whole = entries[first].whole {
            events[0] = whole
        }
        return .events(events, through: position)
    }
}
