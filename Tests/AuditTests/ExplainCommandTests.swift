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
}
