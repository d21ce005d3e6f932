import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    @Suite struct Simulate {
        /// `fieldsync simulate` on the server's machine: a token made through the data folder, a day of
        /// reporters pushed in bursts; the server then holds every event of the day exactly once, in
        /// intact chains, and its tallies fold them.
        @Test func aSimulatedDayIsStoredExactlyOnce() async throws {
            let server = try await ServerUnderTest.start()
            let outcome = try await Program.run(
                [
                    "simulate", "--data-dir", server.dataDirectory, "--database-url", server.databaseURL,
                    "--seats", "NA-235", "--reporters", "24", "--seed", "11", "--batch-size", "50",
                ],
                logFolder: server.folder)
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.output.contains("24 reporters"), "\(outcome)")
            #expect(outcome.output.contains(" 0 refused"), "\(outcome)")

            let stored = try await server.export()
            let observations = stored.filter { $0.event.type.isObservation }
            let summary = try #require(
                outcome.output.firstMatch(of: /, (\d+) events in/).flatMap { Int($0.output.1) })
            #expect(observations.count == summary)
            #expect(Set(observations.map(\.event.id)).count == observations.count, "an event stored twice")
            #expect(Set(observations.map(\.event.device)).count == 24)
            expectChainIntact(stored)

            // The same seed again: the same devices, refused (their keys are enrolled), no observation
            // stored (the log gains only the simulator's own admin enrollment).
            let again = try await Program.run(
                [
                    "simulate", "--data-dir", server.dataDirectory, "--database-url", server.databaseURL,
                    "--seats", "NA-235", "--reporters", "24", "--seed", "11",
                ],
                logFolder: server.folder)
            #expect(again.status == ExitStatus.failure.rawValue, "\(again)")
            #expect(again.errors.contains("409"), "\(again)")
            #expect(try await server.export().filter { $0.event.type.isObservation }.count == observations.count)
            try await server.stop()
        }

        /// Without --seats, the election the server defines: stations from each of its seats in turn, bounded
        /// by --stations.
        @Test func withoutSeatsEverySeatOfTheServersElectionIsPlayed() async throws {
            let server = try await ServerUnderTest.start()
            let outcome = try await Program.run(
                [
                    "simulate", "--data-dir", server.dataDirectory, "--database-url", server.databaseURL,
                    "--stations", "22", "--reporters", "66", "--seed", "12",
                ],
                logFolder: server.folder)
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.output.contains(" reporters at 22 stations"), "\(outcome)")
            let stations = Set(
                try await server.export().filter { $0.event.type.isObservation }.compactMap(\.event.station))
            #expect(stations.count == 22)
            #expect(Set(stations.map(\.national)).count == 22, "one station in each of Karachi's 22 seats")
            let refused = try await Program.run(
                ["simulate", "--data-dir", server.dataDirectory, "--stations", "0"], logFolder: server.folder)
            #expect(refused.status != 0 && refused.errors.contains("--stations must be from 1 to 100000"), "\(refused)")
            // A demo's name without --demo is a mistake, said in one line.
            let stray = try await Program.run(
                ["serve", "pakistan", "--data-dir", server.dataDirectory], logFolder: server.folder)
            #expect(
                stray.status != 0 && stray.errors.contains("'pakistan' names a demo: give it after --demo"), "\(stray)")
            try await server.stop()
        }
    }
}
