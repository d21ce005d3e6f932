import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Incremental application")
struct IncrementalTests {
    /// Every row of a tally but the stations' summaries (written with their station, see
    /// `rowsAreDocuments`), by kind and key, in canonical bytes.
    static func rows(_ tally: ElectionTally) -> [String: [UInt8]] {
        var rows = [String: [UInt8]]()
        for row in tally.rows(for: tally.allChanges) where row.kind != .stationSummary {
            rows[row.kind.rawValue + " " + row.key] = row.canonicalBytes
        }
        return rows
    }

    /// The rows a batch names, but the stations' summaries.
    static func named(_ tally: ElectionTally, _ changes: TallyChanges) -> Set<String> {
        Set(tally.rows(for: changes).filter { $0.kind != .stationSummary }.map { $0.kind.rawValue + " " + $0.key })
    }

    /// A polling day in NA-235 with copying mistakes and stray corrections, in the order a server
    /// might receive it.
    static func messyDay(seed: UInt64, syncOrder: UInt64) -> [StoredEvent] {
        var options = ElectionDay.Options()
        options.seed = seed
        options.copyingMistakes = 0.3
        options.strayCorrections = 0.2
        return ElectionDay(demo: TallyFixtures.demo, nationalSeats: [ConstituencyCode("NA-235")!], options: options)
            .syncOrder(seed: syncOrder)
    }

    @Test("batches of any size give the tallies of one fold from scratch, and name exactly the rows they change")
    func batchesMatchScratch() {
        let events = Self.messyDay(seed: 11, syncOrder: 3)
        let scratch = ElectionTally(replaying: events)
        var random = SplitMix64(seed: 5)
        var tally = ElectionTally()
        var before = Self.rows(tally)
        var start = 0
        while start < events.count {
            let size = random.pick([1, 2, 7, 50, 300])
            let batch = events[start..<min(events.count, start + size)]
            start += batch.count
            let changes = tally.apply(Array(batch))
            let after = Self.rows(tally)
            let changed = Set(after.keys.filter { after[$0] != before[$0] })
            let named = Self.named(tally, changes)
            #expect(named == changed, "batch ending at \(start)")
            if named != changed { return }
            before = after
        }
        #expect(tally.canonicalBytes == scratch.canonicalBytes)
    }

    @Test("a replay added page by page gives the tallies of one fold, and names the rows it changed")
    func replayMatchesScratch() {
        let events = Self.messyDay(seed: 12, syncOrder: 4)
        let scratch = ElectionTally(replaying: events)
        // Onto a tally that holds the first third, as a projector resuming from its checkpoint.
        let third = events.count / 3
        let start = ElectionTally(replaying: events[..<third])
        var replay = TallyReplay(onto: start)
        var random = SplitMix64(seed: 6)
        var next = third
        while next < events.count {
            let page = events[next..<min(events.count, next + random.pick([1, 13, 500]))]
            replay.add(Array(page))
            next += page.count
        }
        #expect(replay.lastPosition == scratch.lastPosition)
        let (tally, changes) = replay.finish()
        #expect(tally.canonicalBytes == scratch.canonicalBytes)
        let before = Self.rows(start)
        let after = Self.rows(tally)
        let changed = Set(after.keys.filter { after[$0] != before[$0] })
        #expect(Self.named(tally, changes) == changed)
        #expect(!changed.isEmpty)
    }

    @Test("rows of a batch are the documents of the tallies")
    func rowsAreDocuments() {
        var log = TestLog()
        log.record(TestLog.deviceA, TestLog.s1, at: "19:00", TestLog.form45(TestLog.na248, [1, 2, 3, 4]))
        var tally = ElectionTally(replaying: log.stored.dropLast())
        let changes = tally.apply(log.stored.last!)
        #expect(changes.stations == [TestLog.s1])
        #expect(changes.constituencies == [TestLog.na248])
        #expect(changes.districts == ["Central"])
        #expect(changes.city)
        let rows = tally.rows(for: changes)
        #expect(rows.map(\.kind) == [.station, .stationSummary, .stationSummary, .constituency, .district, .city])
        #expect(rows[0].canonicalBytes == tally.station(TestLog.s1)!.canonicalBytes)
        #expect(rows[1].key == "NA-248/NA-248-001" && rows[2].key == "PS-125/NA-248-001")
        #expect(
            rows[1].canonicalBytes == StationSummary(tally.station(TestLog.s1)!, seat: TestLog.na248).canonicalBytes)
        #expect(
            rows[2].canonicalBytes == StationSummary(tally.station(TestLog.s1)!, seat: TestLog.ps125).canonicalBytes)
        #expect(rows[3].canonicalBytes == tally.constituency(TestLog.na248)!.canonicalBytes)
    }

    @Test("a station defined again in another provincial seat has its summary moved, and the old seat's removed")
    func aStationMovedOutOfASeatLosesItsSummaryThere() {
        var log = TestLog()
        log.record(TestLog.deviceA, TestLog.s1, at: "19:00", TestLog.form45(TestLog.na248, [1, 2, 3, 4]))
        var tally = ElectionTally(replaying: log.stored)
        log.define(.stationDefined(TestLog.station(TestLog.s1, TestLog.ps122, 1000)))
        let changes = tally.apply(log.stored.last!)
        #expect(changes.summariesRemoved == ["PS-125/NA-248-001"])
        let summaries = tally.rows(for: changes).filter { $0.kind == .stationSummary }
        #expect(summaries.map(\.key) == ["NA-248/NA-248-001", "PS-122/NA-248-001", "PS-125/NA-248-001"])
        #expect(summaries.map { $0.canonicalBytes == nil } == [false, false, true])
        #expect(tally.summarySeats(of: TestLog.s1) == [TestLog.na248, TestLog.ps122])

        // Moved back, the two batches' changes taken together: the summary kept is written, the other removed.
        log.define(.stationDefined(TestLog.station(TestLog.s1, TestLog.ps125, 1000)))
        var both = changes
        both.formUnion(tally.apply(log.stored.last!))
        let removed = tally.rows(for: both).filter { $0.kind == .stationSummary && $0.canonicalBytes == nil }
        #expect(removed.map(\.key) == ["PS-122/NA-248-001"])
    }
}

/// Shared, expensive fixtures.
enum TallyFixtures {
    static let demo = KarachiDemo()
}
