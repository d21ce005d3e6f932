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

            // One range proof for each batch: its events are stored at consecutive positions at one time.
            let kept = try ReceiptBook.keptProofs(home: laptop.home)
            #expect(kept.count == 3)
            #expect(kept.map { $0.proof.ranges.map(\.count) } == [[15], [15], [10]])
            #expect(kept.flatMap(\.seqs) == Array(1...40))

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

        /// A man in the middle alters one hash of a push answer's range proof: the sync stops with exit code
        /// 7 and keeps neither the receipt nor the proof; synced again directly, the events (now duplicates,
        /// one range received at one time) come back with a proof that holds, and `status --prove` proves them,
        /// also with a receipt's proof kept in the earlier form.
        @Test func aProofWithOneHashAlteredIsRefused() async throws {
            // Every read of the head signs one for the log as it stands.
            let server = try await ServerUnderTest.start(options: ["--tree-head-interval", "0"])
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Ayesha Khan")
            try await laptop.recordBacklog(5)
            #expect(try await laptop.run(["sync"]).status == 0)
            let token = try await server.auditorToken()

            // The batch's range proof holds every complete subtree of the log before it (§17.2), the
            // largest of which is the root of the tree of the largest power of two events at most its size.
            let head = try await HTTP.get(server.url + "/v1/tree/head", token: token).json()
            let size = try require(head["size"]?.integerValue, "no size in \(head)")
            let largest: String
            if size & (size - 1) == 0 {
                largest = try require(head["root"]?.stringValue)
            } else {
                let inclusion = try await HTTP.get(
                    server.url + "/v1/tree/inclusion?position=\(size)&size=\(size)", token: token
                ).json()
                largest = try require(inclusion["path"]?.arrayValue?.last?.stringValue, "\(inclusion)")
            }
            let altered = String(largest.prefix(63)) + (largest.hasSuffix("0") ? "1" : "0")
            let proxy = try FaultProxy(
                upstreamPort: server.port,
                faults: Array(
                    repeating: .substituteDownstream(from: Array(largest.utf8), to: Array(altered.utf8)), count: 8))
            defer { proxy.stop() }
            let store = ProfileStore(home: laptop.home)
            var profile = try store.profile()
            let direct = profile.server
            profile.server = proxy.url
            try store.save(profile)

            try await laptop.recordBacklog(12)
            let refused = try await laptop.run(["sync"])
            #expect(refused.status == ExitStatus.untrustedServer.rawValue, "\(refused)")
            #expect(refused.errors.contains("the server's receipt does not hold up"), "\(refused)")
            #expect(refused.errors.contains("does not place seqs 6 to 17 at positions"), "\(refused)")
            #expect(proxy.injected >= 1)
            #expect(try ReceiptBook.keptProofs(home: laptop.home).flatMap(\.seqs).sorted() == Array(1...5))
            let status = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(status["receiptedSeq"] == .integer(5), "\(status)")

            profile.server = direct
            try store.save(profile)
            let synced = try await laptop.run(["sync", "--json"])
            #expect(synced.status == 0, "\(synced)")
            #expect(try JSONParser.parse(synced.output)["duplicates"] == .integer(12), "\(synced)")
            let kept = try ReceiptBook.keptProofs(home: laptop.home)
            #expect(kept.flatMap(\.seqs).sorted() == Array(1...17))
            #expect(kept.last?.proof.ranges.map(\.count) == [12])
            let proved = try await laptop.run(["status", "--prove"])
            #expect(proved.status == 0, "\(proved)")
            #expect(proved.output.contains("all 17 of your events with receipt proofs are in the log"), "\(proved)")

            // The first receipt's proof as an earlier client kept it, an inclusion proof for each event (§17.5,
            // "The earlier form"), proves the same.
            let chains = Dictionary(uniqueKeysWithValues: try await server.export().map { ($0.position, $0.chain) })
            let bytes = try require(try DurableFile.contents(of: laptop.home.receiptProofs))
            var lines = bytes.split(separator: 0x0a).map(Array.init)
            let line = try JSONParser.parse(lines[0])
            let range = try require(line["ranges"]?.arrayValue?.first, "\(line)")
            let first: Int64 = try require(range["first"]?.integerValue)
            let last: Int64 = try require(range["last"]?.integerValue)
            let seq: Int64 = try require(range["seq"]?.integerValue)
            let received: JSONValue = try require(range["received"])
            let treeSize: Int64 = try require(line["treeHead"]?["size"]?.integerValue)
            var entries = [JSONValue]()
            for position in first...last {
                let inclusion = try await HTTP.get(
                    server.url + "/v1/tree/inclusion?position=\(position)&size=\(treeSize)", token: token
                ).json()
                let path: JSONValue = try require(inclusion["path"], "\(inclusion)")
                let previous = (chains[position - 1] ?? GlobalChain.genesis).hex
                entries.append([
                    "position": .integer(position), "seq": .integer(seq + position - first), "received": received,
                    "path": path, "previous": .string(previous),
                ])
            }
            let treeHead: JSONValue = try require(line["treeHead"])
            lines[0] = CanonicalJSON.bytes(["treeHead": treeHead, "events": .array(entries)])
            try DurableFile.replace(laptop.home.receiptProofs, with: Array(lines.joined(separator: [0x0a])) + [0x0a])
            #expect(try ReceiptBook.keptProofs(home: laptop.home).first?.proof.ranges.map(\.count) == [1, 1, 1, 1, 1])
            let earlier = try await laptop.run(["status", "--prove"])
            #expect(earlier.status == 0, "\(earlier)")
            #expect(earlier.output.contains("all 17 of your events with receipt proofs are in the log"), "\(earlier)")
        }

        /// `status --prove --witnesses K --witness-key FILE…`: the reporter trusts the current head only when K
        /// of the witnesses it names cosigned it; with fewer, the head is not trusted (exit code 7).
        @Test func aReporterRequiresKWitnessesOfTheCurrentHead() async throws {
            // Every read of the head signs one for the log as it stands, so the head the witness cosigns is
            // the one the reporter is shown.
            let server = try await ServerUnderTest.start(options: ["--tree-head-interval", "0"])
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Ayesha Khan")
            try await laptop.recordBacklog(12)
            #expect(try await laptop.run(["sync"]).status == 0)

            var keys = [String]()
            for name in ["observers", "newsroom"] {
                let key = server.folder + "/" + name + ".pem"
                #expect(try await Program.run(["audit", "witness", "keygen", "--key", key]).status == 0)
                keys.append(key)
            }
            let added = try await Program.run([
                "admin", "witness", "add", "--name", "Observer group", "--key", keys[0] + ".pub", "--data-dir",
                server.dataDirectory, "--database-url", server.databaseURL,
            ])
            #expect(added.status == 0, "\(added)")
            let token = try await server.auditorToken()
            let witnessed = try await Program.run([
                "audit", "witness", "--server", server.url, "--token", token, "--key", keys[0], "--state",
                server.folder + "/witness-state", "--server-key", try laptop.profile.serverKey.base64URL, "--once",
            ])
            #expect(witnessed.status == 0, "\(witnessed)")

            let one = try await laptop.run(["status", "--prove", "--witnesses", "1", "--witness-key", keys[0] + ".pub"])
            #expect(one.status == 0, "\(one)")
            #expect(one.output.contains("all 12 of your events with receipt proofs are in the log"), "\(one)")
            #expect(one.output.contains("cosigned by at least 1 of the witnesses given"), "\(one)")

            let two = try await laptop.run(
                ["status", "--prove", "--witnesses", "2"] + keys.flatMap { ["--witness-key", $0 + ".pub"] })
            #expect(two.status == ExitStatus.untrustedServer.rawValue, "\(two)")
            #expect(two.errors.contains("NOT PROVEN: the server's current tree head is not trusted"), "\(two)")
            #expect(two.errors.contains("1 valid cosignature from the 2 witness keys given; 2 are required"), "\(two)")
            let json = try await laptop.run(
                ["status", "--prove", "--json", "--witnesses", "2"] + keys.flatMap { ["--witness-key", $0 + ".pub"] })
            #expect(json.status == ExitStatus.untrustedServer.rawValue, "\(json)")
            #expect(try JSONParser.parse(json.output)["proof"]?["proven"] == .bool(false), "\(json)")

            let unproven = try await laptop.run(["status", "--witnesses", "1", "--witness-key", keys[0] + ".pub"])
            #expect(unproven.status == 64, "\(unproven)")
            #expect(unproven.errors.contains("need --prove"), "\(unproven)")
        }
    }
}
