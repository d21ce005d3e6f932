import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Testing

@testable import FieldSyncProjection
@testable import FieldSyncStore

/// A tally as of a past position or time folds from the nearest snapshot the projector wrote, and
/// equals a fresh fold of the log up to the same cutoff: the city, every district and seat, and the
/// stations asked for.
@Suite struct TallyTimeTravelTests {
    static func options(batch: Int, snapshotEvery: Int) -> Projector.Options {
        var options = Projector.Options()
        options.batchSize = batch
        options.snapshotEvery = snapshotEvery
        return options
    }

    /// Seeded cutoffs: positions across the whole log (and past its end), and times across the day
    /// (the observation times of random events, and one before everything).
    static func cutoffs(of day: [StoredEvent], seed: UInt64, count: Int) -> [TallyCutoff] {
        var random = SplitMix64(seed: seed)
        var cutoffs: [TallyCutoff] = [.position(0), .position(Int64(day.count + 5))]
        for _ in 0..<count { cutoffs.append(.position(Int64(random.next(in: 1...day.count)))) }
        let times = day.map(\.event.time.instant).sorted()
        cutoffs.append(.observedAtOrBefore(times[0].adding(seconds: -1)))
        for _ in 0..<count { cutoffs.append(.observedAtOrBefore(times[random.next(in: 0...(times.count - 1))])) }
        return cutoffs
    }

    /// Checks every cutoff against a fresh fold; returns how many were folded from a snapshot after
    /// position `after`.
    @discardableResult
    static func expectEqualToFreshFolds(
        _ cutoffs: [TallyCutoff], day: [StoredEvent], store: EventStore, seed: UInt64,
        travel: TallyTimeTravel? = nil, after: Int64 = 0
    ) async throws -> Int {
        let travel = travel ?? TallyTimeTravel(events: store)
        var random = SplitMix64(seed: seed)
        var fromSnapshots = 0
        for cutoff in cutoffs {
            let fold = ElectionTally(replaying: day, asOf: cutoff)
            var asked = Set<StationCode>()
            let codes = fold.stationCodes
            if !codes.isEmpty {
                for _ in 0..<8 { asked.insert(codes[random.next(in: 0...(codes.count - 1))]) }
            }
            let travelled = try await travel.tally(asOf: cutoff, stations: asked)
            #expect(travelled.lastPosition == fold.lastPosition, "\(cutoff)")
            #expect(travelled.city == fold.city, "\(cutoff)")
            #expect(travelled.reference.devices == fold.reference.devices, "\(cutoff)")
            #expect(travelled.districtNames == fold.districtNames, "\(cutoff)")
            for name in fold.districtNames { #expect(travelled.district(name) == fold.district(name), "\(cutoff)") }
            #expect(travelled.constituencyCodes == fold.constituencyCodes, "\(cutoff)")
            for code in fold.constituencyCodes {
                #expect(travelled.constituency(code) == fold.constituency(code), "\(cutoff) \(code)")
            }
            for code in asked { #expect(travelled.station(code) == fold.station(code), "\(cutoff) \(code)") }
            if let snapshot = try await TallySnapshotStore(pool: store.pool).nearest(to: cutoff),
                snapshot.position > after
            {
                fromSnapshots += 1
            }
        }
        return fromSnapshots
    }

    @Test func talliesAsOfRandomPositionsAndTimesEqualAFreshFoldUpToThem() async throws {
        let day = ProjectorStateTests.messyDay(seed: 71)
        let fixture = try await ProjectorStateTests.store(holding: day)
        let projector = Projector(events: fixture.store, options: Self.options(batch: 37, snapshotEvery: 100))
        try await projector.applyPending()

        let positions = try await TallySnapshotStore(pool: fixture.pool).positions()
        #expect(positions.count >= day.count / 100 - 1)
        for (earlier, later) in zip(positions, positions.dropFirst()) { #expect(later - earlier >= 100 - 37) }

        let cutoffs = Self.cutoffs(of: day, seed: 73, count: 12)
        let fromSnapshots = try await Self.expectEqualToFreshFolds(cutoffs, day: day, store: fixture.store, seed: 79)
        // Most cutoffs, by position and by time, continue from a snapshot: the test crosses many.
        #expect(fromSnapshots >= cutoffs.count / 2, "\(fromSnapshots) of \(cutoffs.count)")
    }

    @Test func aDeviceEnrolledOrRevokedLateLeavesTheSnapshotsAfterItToEarlierTimes() async throws {
        // Without official Form-45s: published in the evening, they come with the reference data and would
        // keep every snapshot after them from a time of the day themselves.
        var options = ElectionDay.Options.messy(seed: 151)
        options.officialResults = 0
        let messy = ElectionDay(demo: KarachiDemo(), nationalSeats: [ConstituencyCode("NA-235")!], options: options)
            .syncOrder(seed: 152)
        let references = messy.prefix { $0.event.device == .server }.count
        // The server's chain continued just after its reference data: an editor's laptop enrolled after
        // everything the day observed, and revoked (the store refuses a revoked device's later events).
        // Neither moves a figure; a snapshot's time that took them would serve no cutoff of the day, and a
        // tally as of a time before them names no such editor.
        var server = UnsignedChain(device: .server)
        for stored in messy.prefix(references) {
            let event = stored.event
            _ = try server.append(
                EventDraft(type: event.type, subject: event.subject, time: event.time.text, data: event.data),
                id: event.id)
        }
        let late = ObservedTime("2024-02-12T12:00:00+05:00")!
        #expect(messy.allSatisfy { $0.event.time.instant < late.instant })
        let key = try SigningKey(rawRepresentation: Array(repeating: 9, count: 32))
        let devices = [
            try server.append(
                EventDraft(
                    payload: .deviceEnrolled(
                        DeviceEnrollment(publicKey: key.publicKey, reporter: "Night desk (synthetic)", role: .editor)),
                    time: late),
                id: EventID(high: 0x4000, low: 1 << 63 | 1)),
            try server.append(
                EventDraft(
                    payload: .deviceRevoked(
                        DeviceRevocation(device: key.publicKey.deviceID, reason: "enrolled in error")), time: late),
                id: EventID(high: 0x4000, low: 1 << 63 | 2)),
        ]
        let events = messy.prefix(references).map(\.event) + devices + messy.dropFirst(references).map(\.event)
        let day = events.enumerated().map { index, event in
            StoredEvent(event: event, position: Int64(index + 1), received: event.time.instant, chain: .zero)
        }
        let fixture = try await ProjectorStateTests.store(holding: day)
        try await Projector(events: fixture.store, options: Self.options(batch: 37, snapshotEvery: 100)).applyPending()

        let times = Self.cutoffs(of: day, seed: 157, count: 12).filter {
            if case .observedAtOrBefore = $0 { true } else { false }
        }
        // From snapshots after the editor's enrollment, most of them.
        let fromSnapshots = try await Self.expectEqualToFreshFolds(
            times, day: day, store: fixture.store, seed: 163, after: Int64(references + 2))
        #expect(fromSnapshots >= times.count / 2, "\(fromSnapshots) of \(times.count)")
    }

    @Test func withoutSnapshotsTheTalliesFoldedStationByStationEqualAFreshFold() async throws {
        let day = ProjectorStateTests.messyDay(seed: 107)
        let fixture = try await ProjectorStateTests.store(holding: day)
        try await Projector(events: fixture.store, options: Self.options(batch: 50, snapshotEvery: 0)).applyPending()
        #expect(try await TallySnapshotStore(pool: fixture.pool).positions().isEmpty)

        // Shares of a few stations each: corrections name events in other shares, reviews and official
        // Form-45s come with their stations, and every share is let go but those asked for.
        let travel = TallyTimeTravel(events: fixture.store, shareEvents: 40)
        let cutoffs = Self.cutoffs(of: day, seed: 109, count: 10)
        try await Self.expectEqualToFreshFolds(cutoffs, day: day, store: fixture.store, seed: 113, travel: travel)
        let whole = try await travel.tally(asOf: .position(Int64(day.count)), stations: [])
        #expect(whole.heldStations.isEmpty)
    }

    @Test func aCorrectionNamingAnEventInAnotherShareIsJudgedAsInAFreshFold() async throws {
        var day = ProjectorStateTests.messyDay(seed: 139)
        let codes = ElectionTally(replaying: day).stationCodes
        let (first, last) = (codes.first!, codes.last!)
        // A device assigned to the first and the last station, which retracts at the last a count it made
        // at the first: a correction the fold refuses as about another station, once it knows where the
        // count is. The two stations fall in different shares.
        var random = SplitMix64(seed: 149)
        func id() -> EventID {
            EventID(high: random.next() & ~0xf000 | 0x4000, low: random.next() & ~(3 << 62) | 1 << 63)
        }
        func time(_ hour: String) -> ObservedTime { ObservedTime("2024-02-08T\(hour):00:00+05:00")! }
        let roamer = DeviceID("f1000000000000000001")!
        // The server's chain, continued: its events again (the same bytes), then the assignment.
        var admin = UnsignedChain(device: .server)
        for stored in day where stored.event.device == .server {
            let event = stored.event
            _ = try admin.append(
                EventDraft(type: event.type, subject: event.subject, time: event.time.text, data: event.data),
                id: event.id)
        }
        #expect(admin.lastHash == day.last { $0.event.device == .server }?.event.hash)
        var chain = UnsignedChain(device: roamer)
        let count = try chain.append(
            EventDraft(
                payload: .turnoutCounted(TurnoutCount(asOf: time("09"), votesCast: 40)), subject: first.rawValue,
                time: time("09")),
            id: id())
        let events = [
            try admin.append(
                EventDraft(
                    payload: .deviceAssigned(
                        StationAssignment(device: roamer, stations: [first, last], constituencies: [])),
                    time: time("07")),
                id: id()),
            count,
            try chain.append(
                EventDraft(
                    payload: .reportCorrected(
                        Correction(corrects: count.id, reason: "wrong station", change: .retraction)),
                    subject: last.rawValue, time: time("11")),
                id: id()),
        ]
        for event in events {
            day.append(
                StoredEvent(event: event, position: Int64(day.count + 1), received: event.time.instant, chain: .zero))
        }
        let fixture = try await ProjectorStateTests.store(holding: day)
        try await Projector(events: fixture.store, options: Self.options(batch: 50, snapshotEvery: 0)).applyPending()

        let travel = TallyTimeTravel(events: fixture.store, shareEvents: 40)
        for cutoff in [TallyCutoff.position(Int64(day.count)), .observedAtOrBefore(time("12").instant)] {
            let fold = ElectionTally(replaying: day, asOf: cutoff)
            let refused = fold.station(last)?.corrections.filter { $0.corrects == count.id }.map(\.outcome)
            #expect(refused == [.notApplied(.otherStation(first))], "\(cutoff)")
            let travelled = try await travel.tally(asOf: cutoff, stations: [first, last])
            #expect(travelled.station(last) == fold.station(last), "\(cutoff)")
            #expect(travelled.station(first) == fold.station(first), "\(cutoff)")
            #expect(travelled.city == fold.city, "\(cutoff)")
        }
    }

    @Test func theLastFoldAnswersTheNextRequestsAtItsCutoffWithTheirStations() async throws {
        let day = ProjectorStateTests.messyDay(seed: 151)
        let fixture = try await ProjectorStateTests.store(holding: day)
        try await Projector(events: fixture.store, options: Self.options(batch: 50, snapshotEvery: 0)).applyPending()
        let lastFold = TallyTimeTravel.LastFold()
        let travel = TallyTimeTravel(events: fixture.store, lastFold: lastFold, shareEvents: 60)
        let times = day.map(\.event.time.instant).sorted()
        for cutoff in [TallyCutoff.position(Int64(day.count / 2)), .observedAtOrBefore(times[times.count * 2 / 3])] {
            let fold = ElectionTally(replaying: day, asOf: cutoff)
            let city = try await travel.tally(asOf: cutoff)
            #expect(city.city == fold.city)
            let bound = if case .position(let position) = cutoff { position } else { Int64(day.count) }
            let remembered = lastFold.tally(for: TallyTimeTravel.LastFold.Key(cutoff: cutoff, bound: bound))
            #expect(remembered?.heldStations == [])
            // Every station, a few at a time, each request loading its own from the remembered fold.
            let codes = fold.stationCodes
            for start in stride(from: 0, to: codes.count, by: 7) {
                let asked = Set(codes[start..<min(start + 7, codes.count)])
                let travelled = try await travel.tally(asOf: cutoff, stations: asked)
                #expect(travelled.heldStations == asked)
                for code in asked { #expect(travelled.station(code) == fold.station(code), "\(cutoff) \(code)") }
                #expect(travelled.constituencyCodes == fold.constituencyCodes)
                for code in fold.constituencyCodes {
                    #expect(travelled.constituency(code) == fold.constituency(code), "\(cutoff) \(code)")
                }
            }
        }
    }

    @Test func theLastFoldsReferenceDataStartsOnlyRequestsTakingTheSameReferenceEvents() async throws {
        let day = ProjectorStateTests.messyDay(seed: 163)
        let fixture = try await ProjectorStateTests.store(holding: day)
        try await Projector(events: fixture.store, options: Self.options(batch: 50, snapshotEvery: 100)).applyPending()
        let lastFold = TallyTimeTravel.LastFold()
        let travel = TallyTimeTravel(events: fixture.store, lastFold: lastFold, shareEvents: 60)
        // Positions inside the reference data (the log's first events) take fewer of them than the day's
        // cutoffs, and a time before everything takes none: back and forth between them, from snapshots
        // and station by station, a start kept for other reference events must not be used.
        let references = day.prefix { $0.event.type.isReference }.count
        #expect(references > 40)
        let inside = [1, references / 3, references / 2, references - 1].map { TallyCutoff.position(Int64($0)) }
        let across = Self.cutoffs(of: day, seed: 167, count: 6)
        var cutoffs: [TallyCutoff] = []
        for (index, cutoff) in across.enumerated() {
            cutoffs += [cutoff, inside[index % inside.count], cutoff]
        }
        try await Self.expectEqualToFreshFolds(cutoffs, day: day, store: fixture.store, seed: 173, travel: travel)

        // A time in the middle of the day, folded station by station: its reference data is kept, with
        // the fold holding no station made from it, for the next request taking the same reference events.
        let times = day.map(\.event.time.instant).sorted()
        let time = TallyCutoff.observedAtOrBefore(times[times.count / 2])
        let key = try await fixture.pool.withConnection {
            try await TallyTimeTravel.referenceKey(including: time, upTo: Int64(day.count), on: $0)
        }
        #expect(key.count > 0)
        _ = try await TallyTimeTravel(events: fixture.store, lastFold: lastFold, eventsAfterSnapshot: 0)
            .tally(asOf: time)
        #expect(lastFold.start(for: key)?.stationless != nil)
    }

    /// The stations with facts are kept with the last fold: a request at a later bound reads only the
    /// events after the kept one and folds as a fresh fold does; one at an earlier bound reads them afresh.
    @Test func theStationsWithFactsAreKeptAndALaterBoundReadsOnlyTheEventsAfter() async throws {
        let day = ProjectorStateTests.messyDay(seed: 181)
        let first = day.prefix { $0.event.type.isReference }.count + 10
        let fixture = try await ProjectorStateTests.store(holding: day.prefix(first))
        let lastFold = TallyTimeTravel.LastFold()
        let travel = TallyTimeTravel(events: fixture.store, lastFold: lastFold, eventsAfterSnapshot: 0, shareEvents: 60)
        func withFacts(upTo bound: Int) async throws -> Set<StationCode> {
            try await fixture.pool.withConnection {
                try await StationStateStore.stationsWithFacts(upTo: Int64(bound), on: $0)
            }
        }
        let late = TallyCutoff.observedAtOrBefore(day.map(\.event.time.instant).max()!)
        _ = try await travel.tally(asOf: late)
        #expect(lastFold.observedStations.position == Int64(first))
        #expect(lastFold.observedStations.stations == (try await withFacts(upTo: first)))

        try await ProjectorStateTests.append(day.dropFirst(first), to: fixture.store)
        let whole = try await travel.tally(asOf: late)
        let all = try await withFacts(upTo: day.count)
        #expect(all.count > (try await withFacts(upTo: first)).count, "the rest of the day observes more stations")
        #expect(lastFold.observedStations.position == Int64(day.count))
        #expect(lastFold.observedStations.stations == all)
        let fold = ElectionTally(replaying: day, asOf: late)
        #expect(whole.city == fold.city)
        #expect(whole.constituencyCodes == fold.constituencyCodes)
        for code in fold.constituencyCodes { #expect(whole.constituency(code) == fold.constituency(code), "\(code)") }

        // An earlier bound: read afresh, the kept stations left as they are.
        let early = TallyCutoff.position(Int64(first + (day.count - first) / 3))
        let earlier = try await travel.tally(asOf: early)
        let earlyFold = ElectionTally(replaying: day, asOf: early)
        #expect(earlier.city == earlyFold.city)
        for code in earlyFold.constituencyCodes {
            #expect(earlier.constituency(code) == earlyFold.constituency(code), "\(code)")
        }
        #expect(lastFold.observedStations.position == Int64(day.count))
    }

    @Test func theLastFoldIsKeptForItsKeyAndForgottenOnceUnused() async throws {
        let key = TallyTimeTravel.LastFold.Key(cutoff: .position(3), bound: 3)
        let kept = TallyTimeTravel.LastFold(keptFor: .seconds(600))
        kept.remember(ElectionTally(), for: key)
        #expect(kept.forgetIfUnused())
        #expect(kept.tally(for: key) != nil)
        #expect(kept.tally(for: TallyTimeTravel.LastFold.Key(cutoff: .position(3), bound: 2)) == nil)
        #expect(kept.tally(for: TallyTimeTravel.LastFold.Key(cutoff: .position(4), bound: 3)) == nil)

        let brief = TallyTimeTravel.LastFold(keptFor: .milliseconds(20))
        brief.remember(ElectionTally(), for: key)
        try await Task.sleep(for: .milliseconds(50))
        #expect(!brief.forgetIfUnused())
        #expect(brief.tally(for: key) == nil)
    }

    @Test func aSnapshotFollowedByTooManyEventsGivesWayToAFoldStationByStation() async throws {
        let day = ProjectorStateTests.messyDay(seed: 127)
        let fixture = try await ProjectorStateTests.store(holding: day)
        try await Projector(events: fixture.store, options: Self.options(batch: 40, snapshotEvery: 80)).applyPending()
        let travel = TallyTimeTravel(events: fixture.store, eventsAfterSnapshot: 30, shareEvents: 200)
        let cutoffs = Self.cutoffs(of: day, seed: 131, count: 10)
        try await Self.expectEqualToFreshFolds(cutoffs, day: day, store: fixture.store, seed: 137, travel: travel)
    }

    @Test func aSnapshotHoldsOnlyTheSeatsThatChangedSinceTheOneBefore() async throws {
        let day = ProjectorStateTests.messyDay(seed: 83)
        let fixture = try await ProjectorStateTests.store(holding: day)
        try await Projector(events: fixture.store, options: Self.options(batch: 20, snapshotEvery: 20)).applyPending()
        let (rows, seats, snapshots) = try await fixture.pool.withConnection { connection in
            (
                try await connection.query("SELECT count(*) FROM tally_snapshot_sums").first!.decode(
                    Int64.self, column: 0),
                try await connection.query("SELECT count(*) FROM seat_sums").first!.decode(Int64.self, column: 0),
                try await connection.query("SELECT count(*) FROM tally_snapshots").first!.decode(Int64.self, column: 0)
            )
        }
        #expect(snapshots > 10)
        #expect(rows >= seats)
        #expect(rows < seats * snapshots)
    }

    @Test func aRestartAndARebuildKeepTheSnapshotsConsistent() async throws {
        let day = ProjectorStateTests.messyDay(seed: 89)
        let third = day.count / 3
        let fixture = try await ProjectorStateTests.store(holding: day.prefix(third))
        try await Projector(events: fixture.store, options: Self.options(batch: 29, snapshotEvery: 60)).applyPending()

        // A restart, with a failure on the way: the snapshot of a batch that failed is not kept.
        try await ProjectorStateTests.append(day[third..<(2 * third)], to: fixture.store)
        let restarted = Projector(events: fixture.store, options: Self.options(batch: 29, snapshotEvery: 60))
        struct Crash: Error {}
        await restarted.injectFault(at: .stateWritten) { throw Crash() }
        await #expect(throws: Crash.self) { try await restarted.applyPending() }
        await restarted.injectFault(at: .stateWritten, nil)
        try await restarted.applyPending()
        try await ProjectorStateTests.append(day[(2 * third)...], to: fixture.store)
        try await Projector(events: fixture.store, options: Self.options(batch: 29, snapshotEvery: 60)).applyPending()

        let snapshots = TallySnapshotStore(pool: fixture.pool)
        let checkpoint = try await TallyStore(pool: fixture.pool).checkpoint(of: "tallies")
        #expect(try await snapshots.positions().count >= day.count / 60 - 1)
        let cutoffs = Self.cutoffs(of: day, seed: 97, count: 8)
        try await Self.expectEqualToFreshFolds(cutoffs, day: day, store: fixture.store, seed: 101)

        // A rebuild forgets the snapshots of the fold it replaces and keeps one at its checkpoint.
        try await Projector(events: fixture.store, options: Self.options(batch: 29, snapshotEvery: 60)).rebuild()
        #expect(try await snapshots.positions() == [checkpoint])
        try await Self.expectEqualToFreshFolds(cutoffs, day: day, store: fixture.store, seed: 103)
    }
}
