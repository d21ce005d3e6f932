import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync audit explain` on an export from a real server.
@Suite struct ExplainCommandTests {
    @Test func aStationAndAConstituencyAreTracedToTheirEvents() async throws {
        try await AuditTestServer.with { server in
            let file = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", file.path] + server.credentials).status == 0)
            let disputed = server.stations[1].code.rawValue
            let answer = try await server.get("/v1/stations/\(disputed)")
            let reports = (answer["events"]?.arrayValue ?? []).filter {
                $0["type"]?.stringValue == EventType.resultReported.rawValue
            }
            #expect(reports.count == 2)

            let station = try await Program.run(["audit", "explain", disputed, file.path])
            #expect(station.status == 0, "\(station)")
            #expect(station.lines[0].hasPrefix("Station \(disputed) "))
            #expect(station.output.contains("NA-248: disputed — 2 devices reported different figures"))
            for report in reports {
                let position = try #require(report["position"]?.integerValue)
                let time = try #require(report["time"]?.stringValue)
                let id = try #require(report["id"]?.stringValue)
                #expect(station.output.contains("position \(position) · \(time) · device "))
                #expect(station.output.contains("result.reported · \(id)"))
            }

            let corrected = try await Program.run(["audit", "explain", server.stations[2].code.rawValue, file.path])
            #expect(corrected.status == 0)
            #expect(corrected.output.contains("replacement of "))
            #expect(corrected.output.contains(": applied"))

            let seat = try await Program.run(["audit", "explain", "NA-248", file.path])
            #expect(seat.status == 0, "\(seat)")
            #expect(seat.output.contains("Counted stations — their figures make the counted totals:"))
            #expect(seat.output.contains("Disputed stations — left out of the counted totals"))
            #expect(seat.output.contains("  \(server.stations[0].code) confirmed: "))
            #expect(seat.output.contains("  \(disputed): "))

            let json = try await Program.run(["audit", "explain", "NA-248", file.path, "--json"])
            #expect(json.status == 0)
            let document = try JSONParser.parse(Array(json.output.utf8))
            #expect(document["provenance"]?["counted"]?.arrayValue?.count == 2)
            #expect((document["events"]?.arrayValue ?? []).allSatisfy { $0["time"]?.stringValue != nil })

            let unknown = try await Program.run(["audit", "explain", "NA-250", file.path])
            #expect(unknown.status == ExitStatus.failure.rawValue)
            #expect(unknown.errors.contains("has no tally for NA-250"))
            let city = try await Program.run(["audit", "explain", "karachi", file.path])
            #expect(city.status == ExitStatus.usage.rawValue)
        }
    }

    /// An editor imports the seat's Form-47 twice: `audit explain` traces it to both imports, the editor, the
    /// source and the file's hash, and `tally SEAT --official` compares it with the field, per candidate, before
    /// listing the stations.
    @Test func anOfficialForm47IsTracedToItsImport() async throws {
        try await AuditTestServer.with { server in
            let editor = try await AuditTestServer.enroll(server.server, url: server.url, role: .editor, key: nil)
            let seat = server.stations[0].national
            let standing = server.candidates.filter { $0.constituency == seat }
            let folder = try makeTemporaryDirectory("official")
            var files = [String]()
            for votes in [1000, 1001] {
                let rows =
                    ["constituency,candidate,votes"] + standing.map { "\(seat),\($0.id),\(votes)" }
                    + ["\(seat),rejected,40", "\(seat),total,\(standing.count * votes + 40)"]
                let path = folder + "/form47-\(votes).csv"
                try Data(rows.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
                files.append(path)
                let source = "https://www.ecp.gov.pk/results/\(seat)/form47.csv"
                let run = try await Program.run(
                    [
                        "official", "import", path, "--form", "47", "--source", source, "--server", server.url,
                        "--token", editor.token,
                    ])
                #expect(run.status == 0, "\(run)")
            }
            try await server.waitForProjector()
            let file = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", file.path] + server.credentials).status == 0)
            let explained = try await Program.run(["audit", "explain", seat.rawValue, file.path])
            #expect(explained.status == 0, "\(explained)")
            let hash = SHA256Digest.hash(Array(try Data(contentsOf: URL(fileURLWithPath: files[1]))))
            #expect(
                explained.output.contains(
                    "    standing: imported by editor \(editor.device) (") == true, "\(explained.output)")
            #expect(
                explained.output.contains(
                    "from https://www.ecp.gov.pk/results/\(seat)/form47.csv, file SHA-256 \(hash.hex)"))
            #expect(explained.output.contains("    superseded: imported by editor \(editor.device)"))
            #expect(explained.output.contains("· device server · official.published · "))
            #expect(explained.output.contains("the field's 2 counted stations of "), "\(explained.output)")

            let listed = try await Program.run(["tally", seat.rawValue, "--official"] + server.credentials)
            #expect(listed.status == 0, "\(listed)")
            #expect(
                listed.lines.first?.hasPrefix("\(seat): official figures — the standing ones are the Form-47") == true)
            #expect(listed.lines.contains { $0.hasPrefix("  Form-47: event ") && $0.contains(hash.hex) })
            #expect(listed.output.contains("1 earlier import superseded"))
            let candidate = try #require(standing.first?.id)
            #expect(listed.lines.contains { $0.hasPrefix("  \(candidate) ") && $0.contains(" 1001 ") })
            #expect(listed.output.contains("\(seat): official Form-45s at 0 stations"), "\(listed.output)")
        }
    }
}
