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
        cache.overflow(of: Set(stations), factsHeld: 100, facts: facts)
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
        let evicted = cache.overflow(of: Set(Self.stations), factsHeld: 100) { station in
            counted.append(station)
            return Self.facts(station)
        }
        #expect(evicted == [Self.stations[0]])
        #expect(counted == evicted)
        var within = Self.touched(limit: 4, factLimit: 1_000)
        #expect(
            within.overflow(of: Set(Self.stations), factsHeld: 100) { _ in
                Issue.record("counted")
                return 0
            } == [])
    }
}
