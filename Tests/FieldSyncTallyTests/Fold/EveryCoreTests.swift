import FieldSyncModel
import Testing

@testable import FieldSyncTally

/// A replay finished on every core (stations derived in child tasks, their contributions then added to
/// the seats' sums) gives the tallies of the fold on one core, byte for byte, and the same rows.
@Suite("Fold on every core")
struct EveryCoreTests {
    @Test("a messy day folded on every core equals the fold on one", arguments: [3, 29, 71] as [UInt64])
    func messyDay(seed: UInt64) async {
        let day = ElectionDay(
            demo: TallyFixtures.demo, nationalSeats: [ConstituencyCode("NA-235")!, ConstituencyCode("NA-236")!],
            options: .messy(seed: seed))
        let events = day.syncOrder(seed: seed + 1)
        var once = TallyReplay(onto: ElectionTally())
        var everyCore = TallyReplay(onto: ElectionTally())
        for page in stride(from: 0, to: events.count, by: 997) {
            let slice = events[page..<min(events.count, page + 997)]
            once.add(Array(slice))
            everyCore.add(Array(slice))
        }
        let sequential = once.finish()
        let parallel = await everyCore.finishOnEveryCore()
        // Enough stations that the derivations are shared between child tasks.
        #expect(sequential.changes.stations.count > 2 * ElectionTally.stationsPerTask)
        #expect(parallel.changes == sequential.changes)
        #expect(parallel.tally.canonicalBytes == sequential.tally.canonicalBytes)
        #expect(parallel.tally.takingSums() == sequential.tally.takingSums())
        let rows = sequential.tally.rows(for: sequential.changes)
        #expect(await parallel.tally.rowsOnEveryCore(for: parallel.changes) == rows)
        #expect(
            await sequential.tally.rowsOnEveryCore(for: sequential.tally.allChanges)
                == sequential.tally.rows(for: sequential.tally.allChanges))
    }
}

extension ElectionTally {
    /// Every seat's sums, as a partial fold made of this one would write them.
    fileprivate func takingSums() -> [String: [UInt8]] {
        var partial = self
        partial.makePartial()
        var sums = [String: [UInt8]]()
        for (code, bytes) in partial.takeChangedSums() { sums[code.rawValue] = bytes }
        return sums
    }
}
