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
    /// of them and at most ``factLimit`` events among their facts: `factsHeld` in all, `facts` counts a
    /// station's (asked only of the stations evicted).
    ///
    /// It runs after every batch, over every station held (thousands): nothing here hashes a station
    /// more than once, or asks `facts` of a station it keeps.
    mutating func overflow(
        of held: Set<StationCode>, factsHeld: Int, facts: (StationCode) -> Int
    ) -> [StationCode] {
        guard held.count > limit || factsHeld > factLimit else { return [] }
        let oldestFirst = held.map { (touched: lastTouched[$0] ?? 0, station: $0) }.sorted {
            $0.touched != $1.touched ? $0.touched < $1.touched : $0.station < $1.station
        }
        var factsHeld = factsHeld
        var evicted: [StationCode] = []
        for (_, station) in oldestFirst where held.count - evicted.count > limit || factsHeld > factLimit {
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
