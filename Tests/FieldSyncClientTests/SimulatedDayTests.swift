import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import Testing

@Suite struct SimulatedDayTests {
    static let reference = ReferenceData(
        events: ElectionDay(nationalSeats: [ConstituencyCode("NA-235")!, ConstituencyCode("NA-236")!]).reference)
    static let seats = [ConstituencyCode("NA-235")!, ConstituencyCode("NA-236")!]

    @Test func theSameSeedGivesTheSameDay() {
        let one = SimulatedDay(
            election: KarachiDemo.election, reference: Self.reference, seats: Self.seats, reporters: 30, seed: 5)
        let two = SimulatedDay(
            election: KarachiDemo.election, reference: Self.reference, seats: Self.seats, reporters: 30, seed: 5)
        let other = SimulatedDay(
            election: KarachiDemo.election, reference: Self.reference, seats: Self.seats, reporters: 30, seed: 6)
        #expect(one.reporters.map(\.events) == two.reporters.map(\.events))
        #expect(one.waves == two.waves)
        #expect(one.reporters.map(\.key.publicKey) != other.reporters.map(\.key.publicKey))
    }

    @Test func everyReporterSignsAChainOfValidObservations() throws {
        let day = SimulatedDay(
            election: KarachiDemo.election, reference: Self.reference, seats: Self.seats, reporters: 30, seed: 5)
        #expect(day.reporters.count == 30)
        for reporter in day.reporters {
            var chain = DeviceChain(device: reporter.key.publicKey.deviceID)
            for event in reporter.events {
                #expect(event.isSignatureValid(by: reporter.key.publicKey))
                try chain.append(event)
            }
        }
        let kinds = Set(day.reporters.flatMap { $0.events.map(\.type) })
        for kind in [EventType.stationOpened, .agentsObserved, .turnoutCounted, .resultReported, .stationClosed] {
            #expect(kinds.contains(kind), "no \(kind) in the day")
        }
    }

    @Test func wavesPushEveryEventOnceInEachReportersOrder() {
        let day = SimulatedDay(
            election: KarachiDemo.election, reference: Self.reference, seats: Self.seats, reporters: 30, seed: 5,
            batchSize: 7)
        var next = [Int](repeating: 0, count: day.reporters.count)
        for wave in day.waves {
            #expect(Set(wave.map(\.reporter)).count == wave.count, "a reporter twice in one wave")
            for push in wave {
                #expect(push.range.count <= 7)
                #expect(push.range.lowerBound == next[push.reporter], "out of order or a gap")
                next[push.reporter] = push.range.upperBound
            }
        }
        #expect(next == day.reporters.map(\.events.count))
    }
}
