/// Which lines of a repeated kind to write to the log: at most one per key (a kind of failure and a
/// client address) per interval; the next line written says how many were left out meanwhile. Pure:
/// the caller says what time it is.
///
/// Memory is bounded: past `maximumKeys` keys seen within the interval, further keys share one.
struct LogThrottle: Sendable {
    let interval: Duration
    let maximumKeys: Int
    private var entries: [String: Entry] = [:]

    private struct Entry: Sendable {
        var written: ContinuousClock.Instant
        var skipped: Int
    }

    /// The key lines go under once `maximumKeys` keys are in use.
    static let overflowKey = "(other addresses)"

    init(interval: Duration = .seconds(60), maximumKeys: Int = 4096) {
        self.interval = interval
        self.maximumKeys = maximumKeys
    }

    /// Nil when this line is to be left out; otherwise how many lines of its key were left out since the
    /// last one written.
    mutating func admit(_ key: String, at now: ContinuousClock.Instant) -> Int? {
        var key = key
        if entries[key] == nil, entries.count >= maximumKeys {
            entries = entries.filter { now - $0.value.written < interval || $0.value.skipped > 0 }
            if entries.count >= maximumKeys { key = Self.overflowKey }
        }
        if var entry = entries[key], now - entry.written < interval {
            entry.skipped += 1
            entries[key] = entry
            return nil
        }
        let skipped = entries[key]?.skipped ?? 0
        entries[key] = Entry(written: now, skipped: 0)
        return skipped
    }
}
