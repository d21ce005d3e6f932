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

    @Test func withinBothBoundsNothingIsEvicted() {
        var cache = Self.touched(limit: 4, factLimit: 100)
        #expect(cache.overflow(of: Set(Self.stations), facts: Self.facts).isEmpty)
    }

    @Test func theStationBoundEvictsTheLeastRecentlyTouched() {
        var cache = Self.touched(limit: 2, factLimit: 100)
        #expect(cache.overflow(of: Set(Self.stations), facts: Self.facts) == Array(Self.stations.prefix(2)))
    }

    @Test func theEventBoundEvictsTheLeastRecentlyTouchedUntilTheirFactsFit() {
        // 100 events held; at most 75: the first two stations (10 and 20 events) go.
        var cache = Self.touched(limit: 4, factLimit: 75)
        #expect(cache.overflow(of: Set(Self.stations), facts: Self.facts) == Array(Self.stations.prefix(2)))
        // At most 39: only the first station is touched last now, and it alone fits.
        var again = Self.touched(limit: 4, factLimit: 39)
        again.touch([Self.stations[0]])
        #expect(again.overflow(of: Set(Self.stations), facts: Self.facts) == Array(Self.stations.dropFirst()))
    }
}
