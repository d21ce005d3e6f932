import FieldSyncModel

/// Which stations a projector's partial fold keeps between batches: the most recently touched, up to
/// a limit. The others are evicted, and loaded again from the database when a batch touches them.
struct StationCache: Sendable {
    /// The most stations kept between batches; a batch may touch more, which are evicted after it.
    let limit: Int
    private var batch = 0
    private var lastTouched: [StationCode: Int] = [:]

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Notes the stations one batch touched.
    mutating func touch(_ stations: some Sequence<StationCode>) {
        batch += 1
        for station in stations { lastTouched[station] = batch }
    }

    /// The stations to evict from `held` to keep at most ``limit``: the least recently touched first.
    mutating func overflow(of held: Set<StationCode>) -> [StationCode] {
        guard held.count > limit else { return [] }
        let oldest = held.sorted { a, b in
            let (ta, tb) = (lastTouched[a] ?? 0, lastTouched[b] ?? 0)
            return ta != tb ? ta < tb : a < b
        }.prefix(held.count - limit)
        for station in oldest { lastTouched[station] = nil }
        return Array(oldest)
    }

    /// Forgets every station (the fold was dropped).
    mutating func removeAll() {
        lastTouched = [:]
    }
}
