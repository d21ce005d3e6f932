import FieldSyncModel
import FieldSyncStore

/// Which stations a projector's partial fold keeps between batches: the most recently touched, up to
/// a number of stations and a number of events held as their facts. The others are evicted, and
/// loaded again from the database when a batch touches them.
///
/// Both bounds matter: a station's facts are its events, so a cache bounded by stations alone grows
/// with the log (each station holds more events as the day goes on); the bound on events keeps the
/// memory flat however long the log.
///
/// The stations it holds are those touched and not evicted since (the fold's held stations). It runs
/// after every batch with thousands of them: it keeps them listed by the batch that last touched them,
/// so that finding the least recently touched reads only those, never every station held.
struct StationCache: Sendable {
    /// The most stations kept between batches; a batch may touch more, which are evicted after it.
    let limit: Int
    /// The most events, summed over the stations kept, held as their facts between batches.
    let factLimit: Int
    private var batch = 0
    private var lastTouched: [StationCode: Int] = [:]
    /// The stations each batch touched, oldest batch first, each batch's in code order. A station
    /// touched again is listed again; its earlier listings are skipped (``lastTouched`` says which
    /// counts), and dropped when the listings outnumber the stations twice over.
    private var listings: [(batch: Int, stations: [StationCode])] = []
    private var listed = 0

    init(limit: Int, factLimit: Int = .max) {
        self.limit = max(0, limit)
        self.factLimit = max(0, factLimit)
    }

    /// How many stations the cache holds.
    var count: Int { lastTouched.count }

    /// Notes the stations one batch touched.
    mutating func touch(_ stations: some Sequence<StationCode>) {
        batch += 1
        var touched: [StationCode] = []
        for station in stations where lastTouched.updateValue(batch, forKey: station) != batch {
            touched.append(station)
        }
        guard !touched.isEmpty else { return }
        listings.append((batch, touched.sorted()))
        listed += touched.count
        if listed > 2 * lastTouched.count + 1_024 { relist() }
    }

    /// The stations to evict, the least recently touched first (in code order among those of one batch),
    /// to keep at most ``limit`` of them and at most ``factLimit`` events among their facts: `factsHeld`
    /// in all, `facts` counts a station's (asked only of the stations evicted).
    mutating func overflow(factsHeld: Int, facts: (StationCode) -> Int) -> [StationCode] {
        guard lastTouched.count > limit || factsHeld > factLimit else { return [] }
        var factsHeld = factsHeld
        var evicted: [StationCode] = []
        var drained = 0
        listing: for (listedBatch, stations) in listings {
            for station in stations where lastTouched[station] == listedBatch {
                guard lastTouched.count > limit || factsHeld > factLimit else { break listing }
                evicted.append(station)
                factsHeld -= facts(station)
                lastTouched[station] = nil
            }
            drained += 1
        }
        if drained > 0 {
            listed -= listings.prefix(drained).reduce(0) { $0 + $1.stations.count }
            listings.removeFirst(drained)
        }
        return evicted
    }

    /// Lists each station once again, under the batch that last touched it.
    private mutating func relist() {
        var byBatch: [Int: [StationCode]] = [:]
        for (station, touched) in lastTouched { byBatch[touched, default: []].append(station) }
        listings = byBatch.keys.sorted().map { ($0, byBatch[$0]!.sorted()) }
        listed = lastTouched.count
    }

    /// Forgets every station (the fold was dropped).
    mutating func removeAll() {
        lastTouched = [:]
        listings = []
        listed = 0
    }
}
