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
        let file = folder + "/official.csv"
        let refused = try await Program.run(
            ["export", "csv", "--what", "official", "--out", file, "--server", "http://127.0.0.1:9", "--token", "t"])
        #expect(refused.status == ExitStatus.usage.rawValue, "\(refused)")
        #expect(refused.errors.split(separator: "\n").count == 1, "\(refused)")
        #expect(refused.errors.contains("stations, seats or incidents"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: file))
    }
}
