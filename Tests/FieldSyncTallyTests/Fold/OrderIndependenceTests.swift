import FieldSyncModel
import FieldSyncTally
import Testing

@Suite("Order independence")
struct OrderIndependenceTests {
    /// A generated election day over two NA seats (and their PS seats): many devices, turnout
    /// series, agreements and disagreements, corrections, retractions, stray corrections, late
    /// reports, incidents and refusals.
    static let day: ElectionDay = {
        var options = ElectionDay.Options()
        options.seed = 2024
        options.devicesPerStation = 1...3
        options.turnoutCounts = 3
        options.copyingMistakes = 0.35
        options.mistakesCorrected = 0.5
        options.retractions = 0.2
        options.strayCorrections = 0.2
        options.incidents = 0.3
        options.refusals = 0.1
        options.lateReports = 0.25
        options.lowCounts = 0.1
        options.missingResults = 0.1
        options.unassignedDevices = 0.1
        options.reviews = 1
        options.officialResults = 0.5
        return day(options)
    }()

    /// A day where every station's one device reports a Form-45 and the commission publishes every seat's
    /// Form-47 (and every second seat's Form-49): with the field complete, its figures can overturn an official
    /// leader.
    static let officialDay: ElectionDay = {
        var options = ElectionDay.Options()
        options.seed = 2026
        options.devicesPerStation = 1...1
        options.copyingMistakes = 0
        options.missingResults = 0
        options.refusals = 0
        options.officialResults = 1
        return day(options)
    }()

    /// A generated day over two NA seats and their PS seats.
    static func day(_ options: ElectionDay.Options) -> ElectionDay {
        let demo = TallyFixtures.demo
        let seats: Set<ConstituencyCode> = [ConstituencyCode("NA-235")!, ConstituencyCode("NA-229")!]
        // A few stations of each seat keep the day small enough for hundreds of folds.
        let stations = demo.stations.filter { seats.contains($0.national) && $0.code.number <= 9 }
        let provincial = Set(stations.map(\.provincial))
        return ElectionDay(
            election: KarachiDemo.election,
            constituencies: demo.constituencies.filter { seats.contains($0.code) || provincial.contains($0.code) },
            stations: stations,
            candidates: demo.candidates.filter {
                seats.contains($0.constituency) || provincial.contains($0.constituency)
            },
            options: options)
    }

    @Test("the day has what the property needs")
    func dayIsRich() {
        let tally = ElectionTally(replaying: Self.day.syncOrder(seed: 1))
        let stations = tally.stationCodes.compactMap { tally.station($0) }
        let statuses = Set(stations.flatMap { $0.results.map(\.status) })
        #expect(statuses == Set(ResultStatus.allCases))
        let outcomes = stations.flatMap(\.corrections).map { report -> String in
            switch report.outcome {
            case .applied: report.isRetraction ? "retracted" : "replaced"
            case .superseded: "superseded"
            case .notApplied: "not-applied"
            }
        }
        #expect(Set(outcomes).isSuperset(of: ["retracted", "replaced", "not-applied"]))
        let codes = Set(stations.flatMap(\.flags).map(\.code))
        #expect(
            codes.isSuperset(of: [
                .turnoutDecreased, .closedWithoutResult, .form45Refused, .correctionNotApplied, .reportHeld,
                .verificationOutdated, .officialDiffersFromField, .officialForRefusedStation,
            ]))
        let official = stations.flatMap(\.official)
        #expect(official.contains { !$0.superseded.isEmpty })
        #expect(official.contains { !$0.differs && !$0.reports.isEmpty })
        #expect(tally.constituencyCodes.contains { tally.constituency($0)?.official?.form47 != nil })
        let held = Set(stations.flatMap(\.held).map(\.reason))
        #expect(held == Set(HoldReason.allCases))
        #expect(Self.day.devices.count > 20)
    }

    @Test("the official day raises both seat flags of official figures, and has a superseded Form-49")
    func officialDayIsRich() {
        let tally = ElectionTally(replaying: Self.officialDay.syncOrder(seed: 1))
        let seats = tally.constituencyCodes.compactMap { tally.constituency($0) }
        #expect(seats.allSatisfy { $0.stations.counted == $0.stations.total })
        let seatFlags = Set(seats.flatMap(\.flags).map(\.code))
        #expect(seatFlags.isSuperset(of: [.fieldChangesWinner, .officialExceedsStations]))
        let seatForms = seats.compactMap(\.official).flatMap(\.seatForms)
        #expect(seatForms.contains { $0.form == .form49 && !$0.result.superseded.isEmpty })
        #expect(seatForms.contains { $0.form == .form47 && $0.result.field.isEqual })
        #expect(seatForms.contains { $0.form == .form47 && !$0.result.field.isEqual })
    }

    @Test("the same events in 300 interleavings that keep each device's order give the same bytes")
    func interleavings() {
        Self.checkInterleavings(Self.day, rounds: 300)
    }

    @Test("the official day's events in 100 interleavings give the same bytes")
    func officialInterleavings() {
        Self.checkInterleavings(Self.officialDay, rounds: 100)
    }

    /// Folds `day` in `rounds` interleavings, half of them in batches, and records the first that differs.
    static func checkInterleavings(_ day: ElectionDay, rounds: Int) {
        let scratch = ElectionTally(replaying: day.syncOrder(seed: 1))
        let reference = scratch.canonicalBytes
        var random = SplitMix64(seed: 77)
        for round in 0..<rounds {
            let events = day.interleaved(seed: UInt64(round))
            // Half the rounds fold in batches of random sizes, as a projector would.
            var tally = ElectionTally()
            if round % 2 == 0 {
                tally.apply(events)
            } else {
                var start = 0
                while start < events.count {
                    let end = min(events.count, start + 1 + random.next(below: 40))
                    tally.apply(Array(events[start..<end]))
                    start = end
                }
            }
            guard tally.canonicalBytes != reference else { continue }
            Issue.record("interleaving \(round) differs, first at \(firstDifference(tally, scratch))")
            break
        }
    }

    /// The first row whose bytes differ between two tallies.
    static func firstDifference(_ a: ElectionTally, _ b: ElectionTally) -> String {
        let rowsA = IncrementalTests.rows(a)
        let rowsB = IncrementalTests.rows(b)
        let key = Set(rowsA.keys).union(rowsB.keys).sorted().first { rowsA[$0] != rowsB[$0] } ?? "none"
        let text = rowsA[key].map { String(decoding: $0, as: UTF8.self) } ?? "missing"
        return key + ": " + text
    }

    @Test("corrections are judged by sequence numbers, not by arrival")
    func sequenceNotArrival() {
        // Even delivered before its target, a correction of an earlier event of its device applies.
        var log = TestLog()
        let count = log.record(TestLog.deviceA, TestLog.s1, at: "10:05", TestLog.turnout(100, asOf: "10:00"))
        log.correct(TestLog.deviceA, TestLog.s1, at: "10:10", count.id)
        var swapped = log.stored
        swapped.swapAt(swapped.count - 1, swapped.count - 2)
        let inOrder = ElectionTally(replaying: log.stored).canonicalBytes
        let outOfOrder = ElectionTally(replaying: swapped).canonicalBytes
        #expect(inOrder == outOfOrder)
        #expect(ElectionTally(replaying: swapped).station(TestLog.s1)!.turnout.isEmpty)
    }
}
