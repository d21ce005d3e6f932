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

        /// The newsroom's story end to end, on the demo: a simulated day, the commission's Form-45 file made
        /// from it with six deliberate differences (`--official-differences`), an editor's import of it; then
        /// `tally --official` lists exactly those differences (one per field report of each altered result),
        /// the most decisive first, each with its evidence, and the `official` CSV export holds them.
        @Test func officialDifferencesAreListedExactlyAfterAnImport() async throws {
            let server = try await ServerUnderTest.start()
            let folder = try makeTemporaryDirectory("fieldsync-official")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/form45.csv"
            let simulated = try await Program.run(
                [
                    "simulate", "--data-dir", server.dataDirectory, "--database-url", server.databaseURL,
                    "--seats", "NA-235,NA-248", "--reporters", "40", "--seed", "7", "--official-differences", "6",
                    "--official-file", file,
                ],
                logFolder: server.folder)
            #expect(simulated.status == 0, "\(simulated)")
            // "  NA-235-003  NA-235  NA-235-C02 -12: official 140, field 128; the seat's margin 9; device abc"
            let altered = simulated.lines.compactMap {
                $0.wholeMatch(
                    of: #/  (NA-\d+-\d+)  (NA-\d+)  (\S+) ([+-]\d+): official \d+, field \d+; (.*); devices? (.+)/#)
            }
            #expect(altered.count == 6, "\(simulated.output)")
            var expected = Set<String>()
            for match in altered {
                for device in match.output.6.split(separator: ", ") {
                    expected.insert("\(match.output.1) \(device) \(match.output.2) \(match.output.3) \(match.output.4)")
                }
            }
            #expect(altered.contains { $0.output.5.contains("margin") })

            let editorCode = try await server.code(role: "editor", name: "Newsroom")
            let enrolled = try await HTTP.post(server.url + "/v1/enroll", json: ["code": .string(editorCode)])
            let editor = try #require((try enrolled.json())["token"]?.stringValue)
            let credentials = ["--server", server.url, "--token", editor]
            let imported = try await Program.run(["official", "import", file, "--form", "45"] + credentials)
            #expect(imported.status == 0, "\(imported)")
            let last = try #require(imported.output.firstMatch(of: /–(\d+)\)/).flatMap { Int64($0.output.1) })
            try await waitUntil("the tallies at the import") {
                try await HTTP.get(server.url + "/v1/official", token: editor).json()["position"]?.integerValue
                    ?? 0 >= last
            }

            let listed = try await Program.run(["tally", "--official", "--json"] + credentials)
            #expect(listed.status == 0, "\(listed)")
            let differences = try JSONParser.parse(Array(listed.output.utf8))["differences"]?.arrayValue ?? []
            let found = differences.map { difference in
                let (candidate, by) = difference["differences"]?.objectValue?.first ?? ("?", .null)
                let signed = (by.integerValue ?? 0) > 0 ? "+\(by.integerValue!)" : "\(by.integerValue ?? 0)"
                return "\(difference["station"]?.stringValue ?? "?") \(difference["device"]?.stringValue ?? "?") "
                    + "\(difference["constituency"]?.stringValue ?? "?") \(candidate) \(signed)"
            }
            #expect(found.count == expected.count && Set(found) == expected, "\(found) against \(expected)")
            #expect(differences.allSatisfy { $0["differences"]?.objectValue?.count == 1 && $0["rejected"] == 0 })
            // Most decisive first: without a margin, then by size ÷ margin (never rising).
            let shares = differences.map { difference -> Double in
                let size = Double(difference["size"]?.integerValue ?? 0)
                guard let margin = difference["margin"]?.integerValue, margin > 0 else { return .infinity }
                return size / Double(margin)
            }
            #expect(shares == shares.sorted(by: >), "\(shares)")
            #expect(differences.first?["couldChangeWinner"] == .bool(true))
            #expect(differences.allSatisfy { ($0["events"]?.arrayValue?.count ?? 0) >= 1 && $0["official"] != nil })

            let lines = try await Program.run(["tally", "--official"] + credentials)
            #expect(lines.status == 0, "\(lines)")
            #expect(lines.lines.filter { $0.hasPrefix("      evidence: official ") }.count == expected.count)
            let seat = try await Program.run(["tally", "NA-248", "--official", "--json"] + credentials)
            let ofSeat = try JSONParser.parse(Array(seat.output.utf8))["differences"]?.arrayValue ?? []
            #expect(ofSeat.count == found.filter { $0.contains(" NA-248 NA-248-") }.count)

            // The export: the altered figures differ, every other figure of the imported results agrees.
            let export = try await Program.run(["export", "csv", "--what", "official"] + credentials)
            #expect(export.status == 0, "\(export)")
            let records = try CSVReader().records(export.output)
            #expect(records.first?.fields.first == "station")
            let differing = records.dropFirst().filter { !["0", ""].contains($0.fields[7]) }.map {
                let difference = Int($0.fields[7]) ?? 0
                return "\($0.fields[0]) \($0.fields[3]) \($0.fields[2]) \($0.fields[4]) "
                    + (difference > 0 ? "+\(difference)" : "\(difference)")
            }
            // Each altered candidate's row, and the total's row of the same report.
            #expect(Set(differing.filter { !$0.contains(" total ") }) == expected, "\(differing)")
            #expect(differing.filter { $0.contains(" total ") }.count == expected.count)
            try await server.stop()
        }

        /// `--json`: the summary as one object whose figures are the server's: as many events as it stored,
        /// pushes that carried them, a rate from the time the pushes took. With `--official-file` it is a
        /// mistake said in one line.
        @Test func theSummaryInJSONCountsWhatTheServerStored() async throws {
            let server = try await ServerUnderTest.start()
            let outcome = try await Program.run(
                [
                    "simulate", "--data-dir", server.dataDirectory, "--database-url", server.databaseURL,
                    "--seats", "NA-236", "--reporters", "12", "--seed", "21", "--concurrency", "3", "--json",
                ],
                logFolder: server.folder)
            #expect(outcome.status == 0, "\(outcome)")
            let summary = try JSONParser.parse(Array(outcome.output.utf8))
            let observations = try await server.export().filter { $0.event.type.isObservation }
            let events = try #require(summary["events"]?.integerValue)
            #expect(events == Int64(observations.count) && events > 0, "\(summary)")
            #expect(summary["appended"]?.integerValue == events && summary["refused"] == 0)
            #expect(summary["reporters"] == 12 && summary["seed"] == 21 && summary["seats"] == 1)
            #expect(Int64(Set(observations.compactMap(\.event.station)).count) == summary["stations"]?.integerValue)
            let pushes = try #require(summary["pushes"]?.integerValue)
            #expect(pushes > 0 && pushes <= events)
            let milliseconds = try #require(summary["milliseconds"]?.integerValue)
            #expect(milliseconds > 0 && summary["enrollmentMilliseconds"]?.integerValue ?? 0 > 0)
            // The rate is of the unrounded time: within a rounded millisecond of the one of `milliseconds`.
            let rate = try #require(summary["eventsPerSecond"]?.integerValue)
            #expect(abs(rate - events * 1000 / milliseconds) <= 1 + rate / 50, "\(summary)")

            let refused = try await Program.run(
                [
                    "simulate", "--data-dir", server.dataDirectory, "--json", "--official-file",
                    server.folder + "/f.csv",
                ],
                logFolder: server.folder)
            #expect(refused.status != 0 && refused.errors.contains("--json and --official-file"), "\(refused)")
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
