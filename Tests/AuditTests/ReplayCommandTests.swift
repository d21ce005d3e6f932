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
}
