import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    /// `fieldsync status --prove`: a reporter's receipts carry a signed tree head and inclusion proofs, and
    /// later prove, in a few requests, that the events are still in the log and that it only grew; a server
    /// forked from a copy of the database is caught.
    @Suite struct Prove {
        @Test func aReporterProvesItsEventsAndCatchesAForkedServer() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Ayesha Khan")
            try await laptop.recordBacklog(40)
            let synced = try await laptop.run(["sync", "--batch-size", "15"])
            #expect(synced.status == 0, "\(synced)")

            let kept = try ReceiptBook.keptProofs(home: laptop.home)
            #expect(kept.count == 3)
            #expect(Set(kept.flatMap(\.seqs)) == Set(1...40))

            let proved = try await laptop.run(["status", "--prove"])
            #expect(proved.status == 0, "\(proved)")
            #expect(proved.output.contains("all 40 of your events with receipt proofs are in the log at size"))

            // The log forks: a copy of the database, with the same key, goes its own way.
            let fork = try await server.fork()
            try await laptop.recordBacklog(10)
            #expect(try await laptop.run(["sync"]).status == 0)
            let other = try await ReporterLaptop.enroll(on: fork, name: "Bilal Ahmed")
            try await other.recordBacklog(30)
            #expect(try await other.run(["sync"]).status == 0)

            let grown = try await laptop.run(["status", "--prove", "--json"])
            #expect(grown.status == 0, "\(grown)")
            let answer = try JSONParser.parse(grown.output)
            #expect(answer["proof"]?["proven"] == .bool(true))
            #expect(answer["proof"]?["events"] == .integer(50))
            #expect(answer["proof"]?["requests"]?.integerValue.map { $0 <= 5 } == true, "\(grown)")
            // A head and a consistency proof per receipt head: kilobytes, not an inclusion proof per event.
            #expect(answer["proof"]?["bytes"]?.integerValue.map { $0 < 8_000 } == true, "\(grown)")

            // The reporter is shown the other log (its token, copied with the database, works there too).
            let store = ProfileStore(home: laptop.home)
            var profile = try store.profile()
            profile.server = fork.url
            try store.save(profile)
            let caught = try await laptop.run(["status", "--prove"])
            #expect(caught.status == ExitStatus.finding.rawValue, "\(caught)")
            #expect(caught.errors.contains("NOT PROVEN"), "\(caught)")
            let json = try await laptop.run(["status", "--prove", "--json"])
            #expect(json.status == ExitStatus.finding.rawValue)
            #expect(try JSONParser.parse(json.output)["proof"]?["proven"] == .bool(false), "\(json)")
        }
    }
}
