import FieldSyncClient
import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync audit replay`: the offline fold equals the server's tallies, and differences are named.
@Suite struct ReplayCommandTests {
    @Test func theReplayEqualsTheServersTalliesLiveAndAtEveryCutoff() async throws {
        try await AuditTestServer.with { server in
            let file = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", file.path] + server.credentials).status == 0)

            // Byte for byte the document the server serves.
            let json = try await Program.run(["audit", "replay", file.path, "--json"])
            #expect(json.status == 0, "\(json)")
            #expect(try JSONParser.parse(Array(json.output.utf8)) == (try await server.get("/v1/tallies")))

            let compare = ["--compare", server.url, "--token", server.auditor]
            let live = try await Program.run(["audit", "replay", file.path] + compare)
            #expect(live.status == 0, "\(live)")
            #expect(live.output.hasPrefix("The server's tallies equal the replay of \(file.path) (live, at position "))

            let head = try #require(file.head?.position)
            for until in ["\(head - 6)", "2024-02-08T18:21:00+05:00", "0"] {
                let cut = try await Program.run(["audit", "replay", file.path, "--until", until] + compare)
                #expect(cut.status == 0, "\(until): \(cut)")
            }

            // The table, as fieldsync tally prints it.
            let table = try await Program.run(["audit", "replay", file.path, "--until", "\(head - 6)"])
            #expect(table.status == 0)
            #expect(
                table.lines[0]
                    == "Pakistan general election 2024, Karachi · polling day 2024-02-08 — as of position \(head - 6)")
            #expect(table.output.contains("NA-248"))
        }
    }

    @Test func aDifferenceIsNamedWithBothValues() async throws {
        try await AuditTestServer.with { server in
            let file = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", file.path] + server.credentials).status == 0)
            let seat = try await server.get("/v1/tallies/NA-248")
            let validVotes = try #require(seat["constituency"]?["validVotes"]?.integerValue)
            // The projection changed behind the projector's back.
            try await server.superuser(
                """
                UPDATE tallies SET document = jsonb_set(document::jsonb, '{validVotes}', '999999')::text
                WHERE kind = 'constituency' AND key = 'NA-248'
                """)
            let compare = try await Program.run(
                ["audit", "replay", file.path, "--compare", server.url, "--token", server.auditor])
            #expect(compare.status == ExitStatus.finding.rawValue, "\(compare)")
            #expect(compare.lines[0] == "constituency NA-248 · validVotes: replay \(validVotes), server 999999")
            #expect(compare.errors.contains("1 difference between the replay of"))
            let json = try await Program.run(
                ["audit", "replay", file.path, "--compare", server.url, "--token", server.auditor, "--json"])
            #expect(json.status == ExitStatus.finding.rawValue)
            let answer = try JSONParser.parse(Array(json.output.utf8))
            #expect(answer["equal"] == false)
            #expect(answer["differences"]?[0]?["path"] == "validVotes")

            // The same cutoff on both sides is recomputed from the log on the server: equal again.
            let head = try #require(file.head?.position)
            let recomputed = try await Program.run(
                [
                    "audit", "replay", file.path, "--until", "\(head)", "--compare", server.url, "--token",
                    server.auditor,
                ])
            #expect(recomputed.status == 0, "\(recomputed)")
        }
    }

    @Test func aTamperedDocumentOfEachKindIsNamedByItsFirstDifference() async throws {
        try await AuditTestServer.with { server in
            let file = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", file.path] + server.credentials).status == 0)
            let overview = try await server.get("/v1/tallies")
            let seats = try #require(overview["city"]?["national"]?["seats"]?.integerValue)
            let district = try #require(overview["districts"]?.objectValue?.keys.first)
            let districtSeats = try #require(overview["districts"]?[district]?["national"]?["seats"]?.integerValue)
            let seat = try #require(overview["constituencies"]?["NA-248"])
            let code = server.stations[0].code.rawValue
            let voters = try #require(
                try await server.get("/v1/stations/\(code)")["station"]?["registeredVoters"]?.integerValue)
            let official = try #require(try await server.get("/v1/official")["stations"]?.integerValue)

            // One stored row of each kind the server serves changed behind the projector's back (the seat's in
            // two members), as the superuser could.
            for (kind, key, path, value) in [
                ("city", "city", "{national,seats}", "999"), ("district", district, "{national,seats}", "999"),
                ("constituency", "NA-248", "{validVotes}", "999999"), ("constituency", "NA-248", "{totalCast}", "1"),
                ("station-summary", "NA-248/" + code, "{registeredVoters}", "1"),
                ("station", code, "{registeredVoters}", "2"),
                ("official", "city", "{stations}", "999"),
            ] {
                try await server.superuser(
                    """
                    UPDATE tallies SET document = jsonb_set(document::jsonb, \(path)::text[], \(value)::jsonb)::text
                    WHERE kind = \(kind) AND key = \(key)
                    """)
            }
            let compare = try await Program.run(
                ["audit", "replay", file.path, "--compare", server.url, "--token", server.auditor])
            #expect(compare.status == ExitStatus.finding.rawValue, "\(compare)")
            let totalCast = try #require(seat["totalCast"]?.integerValue)
            #expect(
                compare.lines.filter { !$0.isEmpty } == [
                    "city · national.seats: replay \(seats), server 999",
                    "district \(district) · national.seats: replay \(districtSeats), server 999",
                    "constituency NA-248 · totalCast: replay \(totalCast), server 1 (and 1 more in this document)",
                    "NA-248 summary of station \(code) · registeredVoters: replay \(voters), server 1",
                    "station \(code) · registeredVoters: replay \(voters), server 2",
                    "official comparison · stations: replay \(official), server 999",
                ], "\(compare)")
            #expect(compare.errors.contains("6 differences between the replay of"), "\(compare)")

            // As of a position, the official comparison (served live only) is left out, and said to be.
            let head = try #require(file.head?.position)
            let cut = try await Program.run(
                [
                    "audit", "replay", file.path, "--until", "\(head)", "--compare", server.url, "--token",
                    server.auditor,
                ])
            #expect(cut.status == 0, "\(cut)")
            #expect(cut.errors.contains("the official comparison (GET /v1/official) is served live only"), "\(cut)")
        }
    }
}
