import FieldSyncModel
import FieldSyncStore

/// Which stations a projector's partial fold keeps between batches: the most recently touched, up to
/// a number of stations and a number of events held as their facts. The others are evicted, and
/// loaded again from the database when a batch touches them.
///
/// Both bounds matter: a station's facts are its events, so a cache bounded by stations alone grows
/// with the log (each station holds more events as the day goes on); the bound on events keeps the
/// memory flat however long the log.
struct StationCache: Sendable {
    /// The most stations kept between batches; a batch may touch more, which are evicted after it.
    let limit: Int
    /// The most events, summed over the stations kept, held as their facts between batches.
    let factLimit: Int
    private var batch = 0
    private var lastTouched: [StationCode: Int] = [:]

    init(limit: Int, factLimit: Int = .max) {
        self.limit = max(0, limit)
        self.factLimit = max(0, factLimit)
    }

    /// Notes the stations one batch touched.
    mutating func touch(_ stations: some Sequence<StationCode>) {
        batch += 1
        for station in stations { lastTouched[station] = batch }
    }

    /// The stations to evict from `held`, the least recently touched first, to keep at most ``limit``
    /// of them and at most ``factLimit`` events among their facts (`facts` counts a station's).
    mutating func overflow(of held: Set<StationCode>, facts: (StationCode) -> Int) -> [StationCode] {
        var factsHeld = held.reduce(0) { $0 + facts($1) }
        guard held.count > limit || factsHeld > factLimit else { return [] }
        let oldestFirst = held.sorted { a, b in
            let (ta, tb) = (lastTouched[a] ?? 0, lastTouched[b] ?? 0)
            return ta != tb ? ta < tb : a < b
        }
        var evicted: [StationCode] = []
        for station in oldestFirst where held.count - evicted.count > limit || factsHeld > factLimit {
            evicted.append(station)
            factsHeld -= facts(station)
            lastTouched[station] = nil
        }
        return evicted
    }

    /// Forgets every station (the fold was dropped).
    mutating func removeAll() {
        lastTouched = [:]
    }
}
