import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    @Suite struct OfflineDay {
        /// A day recorded with the server down (a handful through the CLI, a backlog of 1,000 through the
        /// library), then synced: the server holds each event once, the chain verifies.
        @Test func aDayRecordedOfflineIsSyncedExactlyOnce() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Ayesha Khan")
            try await server.stop()

            let station = try laptop.station()
            let reference = try require(try CachedReference.load(home: laptop.home))
            let parties = reference.data.parties(in: station.national).sorted()
            let candidates = reference.data.candidates(in: station.national)
            let day: [(arguments: [String], now: String)] = [
                (
                    [
                        "record", "opened", "--station", station.code.rawValue.lowercased(), "--at", "08:05",
                        "--materials", "complete",
                        "--staff", "present",
                    ], "2024-02-08T08:10:00+05:00"
                ),
                (["record", "agents", "\(parties[0])=present", "\(parties[1])=absent"], "2024-02-08T09:00:00+05:00"),
                (
                    ["record", "turnout", "412", "--male", "230", "--female", "182", "--as-of", "13:00"],
                    "2024-02-08T13:05:00+05:00"
                ),
                (
                    ["record", "incident", "violence", "--severity", "high", "Clash outside gate 2"],
                    "2024-02-08T14:00:00+05:00"
                ),
                (["record", "closed", "--at", "17:00", "--queue", "35"], "2024-02-08T17:05:00+05:00"),
                (
                    ["record", "result", "--seat", station.national.rawValue]
                        + candidates.enumerated().map {
                            "C\($0.element.id.rawValue.suffix(2))=\(($0.offset * 37) % 90)"
                        }
                        + ["--rejected", "12"], "2024-02-08T18:30:00+05:00"
                ),
                (
                    [
                        "record", "correct", "3", "--reason", "copied the wrong row", "415", "--male", "231",
                        "--female", "184",
                    ],
                    "2024-02-08T18:40:00+05:00"
                ),
            ]
            for (index, step) in day.enumerated() {
                let outcome = try await laptop.run(step.arguments, now: step.now)
                #expect(outcome.status == 0, "\(step.arguments): \(outcome)")
                #expect(
                    outcome.output.hasPrefix("Recorded #\(index + 1) \(step.arguments[1]) at \(station.code)"),
                    "\(outcome)")
            }

            // Mistakes are refused offline, in the reporter's words, one line each, nothing written.
            let mistyped = try await laptop.run(
                ["record", "turnout", "10", "--station", "NA-253-001"], now: ReporterLaptop.pollingDay)
            #expect(mistyped.status == ExitStatus.invalid.rawValue)
            #expect(mistyped.errors.contains("--station: NA-253-001 is not a polling station of this election"))
            #expect(mistyped.errors.contains("did you mean NA-235-001"))
            let incomplete = try await laptop.run(
                ["record", "opened", "--materials", "complet"], now: ReporterLaptop.pollingDay)
            #expect(incomplete.status == ExitStatus.invalid.rawValue)
            #expect(
                incomplete.errors.split(separator: "\n") == [
                    "fieldsync: --materials: \"complet\" is not one of the choices (allowed: complete or incomplete);"
                        + " did you mean complete?",
                    "fieldsync: --staff: missing (allowed: present or absent)",
                ])
            #expect(!incomplete.errors.contains("Error:"))

            try await laptop.recordBacklog(1_000, at: station)
            let pending = try await laptop.run(["status", "--json"])
            #expect(try JSONParser.parse(pending.output)["pending"] == .integer(1_007))

            try await server.start()
            let sync = try await laptop.run(["sync"])
            #expect(sync.status == 0, "\(sync)")
            #expect(sync.output.contains("Synced: 1007 new events stored"), "\(sync)")

            let status = try await laptop.run(["status", "--json"])
            let json = try JSONParser.parse(status.output)
            #expect(status.status == 0)
            #expect(json["pending"] == .integer(0))
            #expect(json["serverSeq"] == .integer(1_007))
            #expect(json["receiptedSeq"] == .integer(1_007))
            let waiting = try await laptop.run(["log", "--pending"])
            #expect(waiting.output.contains("Nothing waiting"))
            let log = try await laptop.run(["log"])
            #expect(
                log.output.contains(
                    "   3  13:05        turnout   \(station.code)   synced   412 votes as of 13:00 (230 men, 182 women)"
                ))
            #expect(
                log.output.contains("corrects #3 to 415 votes as of 13:00 (231 men, 184 women): copied the wrong row"))

            let stored = try await server.export()
            try await expectServerHoldsExactlyOnce(laptop, stored)
            expectChainIntact(stored)

            let again = try await laptop.run(["sync", "--json"])
            let report = try JSONParser.parse(again.output)
            #expect(again.status == 0)
            #expect(report["outcome"] == "synced")
            #expect(report["sent"] == .integer(0))
            #expect(report["reference"]?["status"] == "unchanged")
            try await server.stop()
        }

        /// Receipts: every batch's receipt is kept and verifies against the pinned server key.
        @Test func everyBatchLeavesAVerifiedReceipt() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Bilal Ahmed")
            try await laptop.recordBacklog(250)
            let sync = try await laptop.run(["sync", "--batch-size", "100"])
            #expect(sync.status == 0, "\(sync)")
            let lines = try require(try DurableFile.contents(of: laptop.home.receipts)).split(separator: 0x0a)
            #expect(lines.count == 3)
            let profile = try laptop.profile
            var seqs = [Int64]()
            for line in lines {
                let receipt = try require(try JSONParser.parse(line).objectValue)
                #expect(SignedObject.isValid(receipt, signedBy: profile.serverKey))
                seqs += (receipt["events"]?.arrayValue ?? []).compactMap { $0["seq"]?.integerValue }
            }
            #expect(seqs == Array(1...250))
            try await server.stop()
        }
    }
}
