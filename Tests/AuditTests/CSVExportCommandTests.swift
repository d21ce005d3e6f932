import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync export csv` against a real server: the server's CSV, byte for byte, on standard output or in
/// a file, read back with ``CSVReader`` and compared with the tally documents; a wrong `--what` refused in
/// one line, with nothing written.
@Suite struct CSVExportCommandTests {
    @Test func seatsToStandardOutputAndStationsIntoAFile() async throws {
        try await AuditTestServer.with { server in
            let seats = try await Program.run(["export", "csv", "--what", "seats"] + server.credentials)
            #expect(seats.status == 0, "\(seats)")
            #expect(Array(seats.output.utf8) == (try await server.body("/v1/exports/seats.csv")))
            let records = try CSVReader().records(seats.output)
            #expect(records.first?.fields == TallyExport.seats.columns)
            let columns = TallyExport.seats.columns
            let rows = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(columns, $0.fields)) }
            let seat = try #require(try await server.get("/v1/tallies")["constituencies"]?["NA-248"])
            let candidates = seat["candidates"]?.arrayValue ?? []
            #expect(rows.count { $0["seat"] == "NA-248" } == candidates.count)
            for candidate in candidates {
                let id = candidate["candidate"]?.stringValue
                let row = try #require(rows.first { $0["candidate"] == id })
                #expect(row["votes"] == candidate["votes"]?.integerValue.map(String.init), "\(row)")
                #expect(row["disputed_maximum"] == candidate["disputedMaximum"]?.integerValue.map(String.init))
            }

            let folder = try makeTemporaryDirectory("fieldsync-csv")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/stations.csv"
            let stations = try await Program.run(
                ["export", "csv", "--what", "stations", "--out", file] + server.credentials)
            #expect(stations.status == 0, "\(stations)")
            #expect(stations.output.isEmpty && stations.errors.contains(file), "\(stations)")
            let written = try #require(FileManager.default.contents(atPath: file))
            #expect(Array(written) == (try await server.body("/v1/exports/stations.csv")))
            let statuses = try CSVReader().records(utf8: Array(written)).dropFirst().filter { $0.fields[2] == "NA-248" }
                .map { $0.fields[3] }
            #expect(statuses == ["confirmed", "disputed", "reported", "unreported"])

            let incidents = try await Program.run(["export", "csv", "--what", "incidents"] + server.credentials)
            #expect(incidents.status == 0, "\(incidents)")
            #expect(incidents.output.contains(",power-outage,low,"), "\(incidents)")
        }
    }

    @Test func anUnknownExportIsRefusedInOneLine() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-csv")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/ballots.csv"
        let refused = try await Program.run(
            ["export", "csv", "--what", "ballots", "--out", file, "--server", "http://127.0.0.1:9", "--token", "t"])
        #expect(refused.status == ExitStatus.usage.rawValue, "\(refused)")
        #expect(refused.errors.split(separator: "\n").count == 1, "\(refused)")
        #expect(refused.errors.contains("stations, seats, incidents or official"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// The `official` export after an editor's import five votes off for one candidate at a confirmed
    /// station: per field report a row per figure, read back with ``CSVReader``; the altered candidate and the
    /// total differ by -5 for every report, the other figures agree, each row names the import and the report.
    @Test func theOfficialComparisonRowByRow() async throws {
        try await AuditTestServer.with { server in
            let station = server.stations[0]
            let document = try await server.get("/v1/stations/\(station.code)")["station"]
            let result = try #require(
                document?["results"]?.arrayValue?.first { $0["status"]?.stringValue == "confirmed" })
            let seat = try #require(result["constituency"]?.stringValue)
            let counted = try #require(result["counted"])
            let votes = (counted["votes"]?.objectValue ?? [:]).mapValues { $0.integerValue ?? 0 }
            let first = try #require(votes.keys.sorted().first)
            var rows = ["station,constituency,candidate,votes"]
            for (candidate, count) in votes.sorted(by: { $0.key < $1.key }) {
                rows.append("\(station.code),\(seat),\(candidate),\(count + (candidate == first ? 5 : 0))")
            }
            rows.append("\(station.code),\(seat),rejected,\(counted["rejected"]?.integerValue ?? 0)")
            rows.append("\(station.code),\(seat),total,\((counted["totalCast"]?.integerValue ?? 0) + 5)")
            let file = try OfficialImportCommandTests.write(rows.joined(separator: "\n"))
            let editor = try await AuditTestServer.enroll(server.server, url: server.url, role: .editor, key: nil)
            let imported = try await Program.run(
                ["official", "import", file, "--form", "45", "--server", server.url, "--token", editor.token])
            #expect(imported.status == 0, "\(imported)")
            try await server.waitForProjector()

            let export = try await Program.run(["export", "csv", "--what", "official"] + server.credentials)
            #expect(export.status == 0, "\(export)")
            #expect(Array(export.output.utf8) == (try await server.body("/v1/exports/official.csv")))
            let records = try CSVReader().records(export.output)
            let columns = TallyExport.official.columns
            #expect(records.first?.fields == columns)
            let table = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(columns, $0.fields)) }
            let devices = (result["reports"]?.arrayValue ?? []).compactMap { $0["device"]?.stringValue }
            #expect(devices.count >= 2)
            #expect(table.count == devices.count * (votes.count + 2), "\(table)")
            for row in table {
                let differs = row["figure"] == first || row["figure"] == "total"
                #expect(row["difference"] == (differs ? "-5" : "0"), "\(row)")
                #expect(row["station"] == station.code.rawValue && row["seat"] == seat && row["equal"] == "false")
                #expect(devices.contains(row["device"] ?? "") && row["official_event"]?.count == 36, "\(row)")
                #expect(row["report_events"]?.isEmpty == false, "\(row)")
                if differs, row["figure"] == first {
                    #expect(Int(row["official"] ?? "") == Int(row["field"] ?? "").map { $0 + 5 }, "\(row)")
                }
            }
        }
    }
}
