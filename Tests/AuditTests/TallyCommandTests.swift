import FieldSyncClient
import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Logging
import Testing

/// `fieldsync tally` against a real server: the city, a constituency, a station, JSON, time travel, bad input.
@Suite struct TallyCommandTests {
    @Test func theCityAConstituencyAndAStationReadAsTables() async throws {
        try await AuditTestServer.with { server in
            let live = try await server.get("/v1/tallies")
            let position = try #require(live["position"]?.integerValue)

            let city = try await Program.run(["tally"] + server.credentials)
            #expect(city.status == 0, "\(city)")
            #expect(
                city.lines[0]
                    == "Pakistan general election 2024, Karachi · polling day 2024-02-08 — position \(position) (live)")
            let row = try #require(city.lines.first { $0.hasPrefix("NA-248 ") })
            let seat = try #require(live["constituencies"]?["NA-248"])
            let leader = try #require(seat["lead"]?["leader"]?.stringValue)
            let candidate = try #require(
                seat["candidates"]?.arrayValue?.first { $0["candidate"]?.stringValue == leader })
            #expect(row.contains(String(try #require(candidate["name"]?.stringValue).prefix(8))))
            #expect(city.output.contains("National Assembly: 1 seats, 1 with a leader"))

            let constituency = try await Program.run(["tally", "NA-248"] + server.credentials)
            #expect(constituency.status == 0, "\(constituency)")
            #expect(constituency.lines[0].hasPrefix("NA-248 "))
            #expect(constituency.output.contains(leader))
            let statuses = ["confirmed", "disputed", "reported", "unreported"]
            for (station, status) in zip(server.stations, statuses) {
                #expect(constituency.lines.contains { $0.hasPrefix(station.code.rawValue + "  " + status) })
            }

            let station = try await Program.run(
                ["tally", server.stations[1].code.rawValue.lowercased()] + server.credentials)
            #expect(station.status == 0, "\(station)")
            #expect(station.lines[0].hasPrefix(server.stations[1].code.rawValue + " "))
            #expect(station.output.contains("NA-248: disputed (2 devices)"))
            #expect(station.output.contains("power-outage (low)"))
            #expect(station.output.contains("Events about this station: 4"))
        }
    }

    @Test func theOverviewIsHeadedByTheElectionTheLogDefines() async throws {
        let election = EventDraft(payload: .electionDefined(.otherDayAndZone), time: KarachiDemo.referenceTime)
        try await InProcessServer.with(
            reference: [election], projector: Projector.Options(), logLevel: .error,
            label: "fieldsync.audit-test-server"
        ) { started in
            let auditor = try await AuditTestServer.enroll(started.server, url: started.url, role: .auditor, key: nil)
            let credentials = ["--server", started.url, "--token", auditor.token]
            try await waitUntil("the city names the election") {
                try await Program.run(["tally", "--json"] + credentials).output.contains(#""id":"test-2031""#)
            }
            let city = try await Program.run(["tally"] + credentials)
            #expect(city.status == 0, "\(city)")
            #expect(
                city.lines[0].hasPrefix(
                    "Test general election 2031, Northern Province (synthetic) · polling day 2031-11-04 — position "))
            #expect(!city.output.contains("Karachi"))
        }
    }

    @Test func jsonTimeTravelAndTheEnvironment() async throws {
        try await AuditTestServer.with { server in
            let environment = ["FIELDSYNC_SERVER": server.url, "FIELDSYNC_TOKEN": server.auditor]
            let json = try await Program.run(["tally", "--json"], environment: environment)
            #expect(json.status == 0, "\(json)")
            #expect(try JSONParser.parse(Array(json.output.utf8)) == (try await server.get("/v1/tallies")))

            let early = try await Program.run(["tally", "NA-248", "--position", "3"], environment: environment)
            #expect(early.status == 0, "\(early)")
            #expect(early.lines[0].hasSuffix("as of position 3"))
            let observed = try await Program.run(
                ["tally", server.stations[0].code.rawValue, "--as-of", "2024-02-08T11:00:00+05:00"],
                environment: environment)
            #expect(observed.status == 0, "\(observed)")
            #expect(observed.lines[0].contains("as observed by 2024-02-08T06:00:00.000000Z"))
            #expect(observed.output.contains("100 votes cast as of 2024-02-08T10:00:00+05:00"))
        }
    }

    @Test func badInputIsOneLineWithWhatIsAllowed() async throws {
        let credentials = ["--server", "http://127.0.0.1:9", "--token", "t"]
        for (arguments, expected) in [
            (["tally", "NA248"] + credentials, "'NA248' is neither a constituency nor a polling station"),
            (["tally", "--position", "x"] + credentials, "--position 'x' is not a position"),
            (["tally", "--as-of", "noon"] + credentials, "--as-of 'noon' is not a time"),
            (["tally", "--position", "1", "--as-of", "2024-02-08T12:00:00Z"] + credentials, "were both given"),
            (["tally", "--official", "--position", "3"] + credentials, "--official for every seat shows the live"),
            (["tally"], "no server given"),
            (["tally", "--server", "127.0.0.1:8080", "--token", "t"], "is not a server URL"),
        ] {
            let outcome = try await Program.run(arguments)
            #expect(outcome.status == ExitStatus.usage.rawValue, "\(arguments): \(outcome)")
            #expect(outcome.errors.contains(expected), "\(arguments): \(outcome)")
            #expect(outcome.errors.split(separator: "\n").count == 1, "\(arguments): \(outcome)")
            #expect(outcome.errors.contains("allowed") || outcome.errors.contains("one of them"))
        }
    }

    @Test func aRefusalIsOneLineFromTheServersProblem() async throws {
        try await AuditTestServer.with { server in
            let wrong = try await Program.run(["tally", "--server", server.url, "--token", "not-a-token"])
            #expect(wrong.status == ExitStatus.refused.rawValue, "\(wrong)")
            #expect(wrong.errors.hasPrefix("fieldsync: the server refused GET /v1/tallies: 401 "))
            let unknown = try await Program.run(["tally", "NA-999"] + server.credentials)
            #expect(unknown.status == ExitStatus.failure.rawValue, "\(unknown)")
            #expect(unknown.errors.contains("404"))
        }
    }
}
