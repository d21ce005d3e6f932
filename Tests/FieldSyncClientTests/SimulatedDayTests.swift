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
        #expect(one.pushes == two.pushes)
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

    @Test func pushesCarryEveryEventOnceInEachReportersOrder() {
        let day = SimulatedDay(
            election: KarachiDemo.election, reference: Self.reference, seats: Self.seats, reporters: 30, seed: 5,
            batchSize: 7)
        var next = [Int](repeating: 0, count: day.reporters.count)
        for push in day.pushes {
            #expect(push.range.count <= 7)
            #expect(push.range.lowerBound == next[push.reporter], "out of order or a gap")
            next[push.reporter] = push.range.upperBound
        }
        #expect(next == day.reporters.map(\.events.count))
    }

    /// A slice of a national day over the Pakistan demo: stations from every seat in turn, every assembly's
    /// seats among their Form-45s, one to three reporters a station, and every event valid against the
    /// national reference data and calendar, as the server checks them.
    @Test func aNationalSliceCoversEverySeatAndEveryAssembly() {
        let demo = PakistanDemo()
        let reference = demo.referenceData
        let seats = demo.constituencies.filter {
            $0.assembly == .national && !demo.election.postponed.contains($0.code)
        }
        .map(\.code)
        let day = SimulatedDay(
            election: demo.election, reference: reference, seats: seats, stations: 300, reporters: 600, seed: 3)
        let stations = Set(day.reporters.compactMap(\.station))
        #expect(stations.count <= 300 && stations.count > 250)
        #expect(day.reporters.count > 300 && day.reporters.count <= 600)
        // The first station of each of the 265 seats polled, then the second of the first ones.
        #expect(Set(stations.map(\.national)).count == 265)
        #expect(!stations.contains { $0.national.rawValue == "NA-8" })
        let reported = Set(
            day.reporters.flatMap(\.events).compactMap { event -> SeatPrefix? in
                guard case .resultReported(let result) = event.payload else { return nil }
                return result.constituency.prefix
            })
        #expect(reported == Set(SeatPrefix.allCases))
        var withDevices = reference
        for reporter in day.reporters {
            withDevices.apply(
                .deviceEnrolled(
                    DeviceEnrollment(publicKey: reporter.key.publicKey, reporter: reporter.name, role: .reporter)))
        }
        let validator = EventValidator(reference: withDevices)
        var refused = [String]()
        for event in day.reporters.flatMap(\.events) where event.type != .reportCorrected {
            let errors = validator.validate(event)
            if !errors.isEmpty && refused.count < 5 {
                refused.append("\(event.type) \(event.subject): \(errors.map(\.description))")
            }
        }
        #expect(refused == [])
    }
}
