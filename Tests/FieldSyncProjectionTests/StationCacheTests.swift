import FieldSyncModel
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

/// The projector's cache lets the stations least recently touched go first, until both its bounds hold:
/// the number of stations and the events their facts hold.
@Suite struct StationCacheTests {
    static let stations = (1...4).map { StationCode("NA-235-00\($0)")! }
    /// Each station's facts: 10, 20, 30 and 40 events.
    static func facts(_ code: StationCode) -> Int { (stations.firstIndex(of: code)! + 1) * 10 }

    /// A cache that saw the four stations touched one batch each, the first station first.
    static func touched(limit: Int, factLimit: Int) -> StationCache {
        var cache = StationCache(limit: limit, factLimit: factLimit)
        for station in stations { cache.touch([station]) }
        return cache
    }

    /// What `cache` evicts of the four stations, which hold 100 events.
    static func overflow(_ cache: inout StationCache) -> [StationCode] {
        cache.overflow(factsHeld: 100, facts: facts)
    }

    @Test func withinBothBoundsNothingIsEvicted() {
        var cache = Self.touched(limit: 4, factLimit: 100)
        #expect(Self.overflow(&cache).isEmpty)
    }

    @Test func theStationBoundEvictsTheLeastRecentlyTouched() {
        var cache = Self.touched(limit: 2, factLimit: 100)
        #expect(Self.overflow(&cache) == Array(Self.stations.prefix(2)))
    }

    @Test func theEventBoundEvictsTheLeastRecentlyTouchedUntilTheirFactsFit() {
        // 100 events held; at most 75: the first two stations (10 and 20 events) go.
        var cache = Self.touched(limit: 4, factLimit: 75)
        #expect(Self.overflow(&cache) == Array(Self.stations.prefix(2)))
        // At most 39: only the first station is touched last now, and it alone fits.
        var again = Self.touched(limit: 4, factLimit: 39)
        again.touch([Self.stations[0]])
        #expect(Self.overflow(&again) == Array(Self.stations.dropFirst()))
    }

    @Test func onlyTheStationsEvictedAreCounted() {
        // After every batch, over thousands of stations held: the total comes from the fold, and only
        // the stations that go are counted one by one.
        var cache = Self.touched(limit: 3, factLimit: 1_000)
        var counted: [StationCode] = []
        let evicted = cache.overflow(factsHeld: 100) { station in
            counted.append(station)
            return Self.facts(station)
        }
        #expect(evicted == [Self.stations[0]])
        #expect(counted == evicted)
        var within = Self.touched(limit: 4, factLimit: 1_000)
        #expect(
            within.overflow(factsHeld: 100) { _ in
                Issue.record("counted")
                return 0
            } == [])
    }

    @Test func evictsAsSortingEveryStationHeldWould() {
        // The cache lists stations by the batch that touched them; what it evicts is what sorting every
        // station held by its last batch, then its code, would evict, over batches that touch stations
        // again, evict some and list so many that the listings are made again.
        let codes = (100...399).map { StationCode("NA-235-\($0)")! }
        var random = SplitMix64(seed: 29)
        let factsOf = Dictionary(uniqueKeysWithValues: codes.map { ($0, Int(random.next() % 40)) })
        var cache = StationCache(limit: 60, factLimit: 900)
        var lastTouched: [StationCode: Int] = [:]
        for batch in 1...450 {
            // First a few stations touched again and again, within the bounds, until the listings are
            // made again; then half of them left alone while the others are touched; then all stations.
            let pool = UInt64(batch <= 80 ? 20 : batch <= 150 ? 10 : 300)
            let touched = (0..<Int(random.next() % 30)).map { _ in codes[Int(random.next() % pool)] }
            cache.touch(touched)
            for station in touched { lastTouched[station] = batch }
            let factsHeld = lastTouched.keys.reduce(0) { $0 + factsOf[$1]! }
            let evicted = cache.overflow(factsHeld: factsHeld) { factsOf[$0]! }
            var expected: [StationCode] = []
            var remaining = factsHeld
            for (station, _) in lastTouched.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) })
            where lastTouched.count - expected.count > 60 || remaining > 900 {
                expected.append(station)
                remaining -= factsOf[station]!
            }
            #expect(evicted == expected, "batch \(batch)")
            guard evicted == expected else { return }
            for station in evicted { lastTouched[station] = nil }
            #expect(cache.count == lastTouched.count)
        }
    }
}
