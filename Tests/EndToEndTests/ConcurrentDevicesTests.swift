import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    @Suite struct ConcurrentDevices {
        /// Ten reporters' laptops, each at its own station, syncing at the same moment.
        @Test func tenDevicesSyncAtOnce() async throws {
            let server = try await ServerUnderTest.start()
            var laptops = [ReporterLaptop]()
            for index in 0..<10 {
                laptops.append(try await ReporterLaptop.enroll(on: server, name: "Reporter \(index + 1)"))
            }
            let stations = try require(try CachedReference.load(home: laptops[0].home))
                .data.stations(in: ConstituencyCode("NA-235")!)
            for (index, laptop) in laptops.enumerated() {
                try await laptop.recordBacklog(200 + index, at: stations[index])
            }

            let outcomes = try await withThrowingTaskGroup(of: Program.Outcome.self) { group in
                for laptop in laptops { group.addTask { try await laptop.run(["sync", "--batch-size", "100"]) } }
                var outcomes = [Program.Outcome]()
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            for outcome in outcomes { #expect(outcome.status == 0, "\(outcome)") }

            let stored = try await server.export()
            for laptop in laptops { try await expectServerHoldsExactlyOnce(laptop, stored) }
            #expect(stored.filter { $0.event.type.isObservation }.count == (0..<10).reduce(0) { $0 + 200 + $1 })
            expectChainIntact(stored)
            try await server.stop()
        }
    }
}
