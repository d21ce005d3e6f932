import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// Signed tree heads and proofs over real HTTP, checked only with what a reader has: the answers, the
/// export and the server's public key.
@Suite struct TreeRouteTests {
    /// The signed head a tree route answers, checked against the server's key.
    static func signedHead(_ answer: HTTPAnswer, key: PublicKey) throws -> TreeHead {
        #expect(answer.status == 200)
        let object = try #require(try answer.json().objectValue)
        return try #require(TreeHead(signed: object, by: key))
    }

    static func hashes(_ value: JSONValue?) throws -> [SHA256Digest] {
        let hashes = try #require(value?.arrayValue).compactMap { $0.stringValue.flatMap { SHA256Digest(hex: $0) } }
        #expect(hashes.count == value?.arrayValue?.count)
        return hashes
    }

    @Test func headsAndProofsLetAReporterCheckTheLog() async throws {
        var configuration = ServerConfiguration()
        configuration.treeHeadInterval = .zero
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            let auditor = try await server.enroll(.auditor, sendKey: false)
            let key = server.server.publicKey
            var heads: [TreeHead] = []
            var minute: Int64 = 0
            for batch in [1, 7, 2, 16] {
                let events = (0..<batch).map { _ in
                    minute += 1
                    return reporter.nextTurnout(minute: Int(minute))
                }
                #expect(try await server.push(events, as: reporter).status == 200)
                let head = try Self.signedHead(
                    try await HTTP.get(server.url + "/v1/tree/head", token: reporter.token), key: key)
                let export = try await HTTP.get(server.url + "/v1/events", token: auditor.token)
                let stored = try export.lines.map { try StoredEvent(line: $0) }
                #expect(head.size == Int64(stored.count))
                var frontier = TreeFrontier()
                for event in stored { frontier.append(leafHash: MerkleTree.leafHash(chain: event.chain)) }
                #expect(head.root == frontier.root)

                // Each of the batch's events is in the tree the head signs.
                for event in stored.suffix(batch) {
                    let answer = try await HTTP.get(
                        server.url + "/v1/tree/inclusion?position=\(event.position)&size=\(head.size)",
                        token: reporter.token)
                    #expect(answer.status == 200)
                    let proof = InclusionProof(
                        index: event.position - 1, size: head.size, path: try Self.hashes(answer.object["path"]))
                    #expect(proof.verifies(leafHash: MerkleTree.leafHash(chain: event.chain), root: head.root))
                }
                // And the log only grew since every earlier head.
                for earlier in heads {
                    let answer = try await HTTP.get(
                        server.url + "/v1/tree/consistency?from=\(earlier.size)&to=\(head.size)", token: reporter.token)
                    let proof = ConsistencyProof(
                        from: earlier.size, to: head.size, path: try Self.hashes(answer.object["path"]))
                    #expect(proof.verifies(oldRoot: earlier.root, newRoot: head.root))
                    #expect(!proof.verifies(oldRoot: earlier.root, newRoot: SHA256Digest.hash("another log")))
                }
                heads.append(head)
            }

            // Every head shown is kept and listed; `after` pages through them.
            let listed = try await HTTP.get(server.url + "/v1/tree/heads", token: reporter.token)
            #expect(listed.contentType == "application/x-ndjson")
            let kept = try listed.lines.compactMap { line in
                (try JSONParser.parse(line).objectValue).flatMap { TreeHead(signed: $0, by: key) }
            }
            #expect(kept == heads)
            let later = try await HTTP.get(server.url + "/v1/tree/heads?after=\(heads[1].size)", token: reporter.token)
            #expect(later.lines.count == 2)

            // Kept in the database: a store on a new pool, as after a restart, has the same latest head.
            let pool = PostgresPool(configuration: await server.server.pool.configuration, maximumConnections: 1)
            #expect(try await EventStore(pool: pool).latestTreeHead()?.head == heads.last)
            await pool.close()
        }
    }

    /// Within the interval, a growing log is shown the last head; but a batch's receipt gets a head that
    /// covers the batch at once, whatever the interval.
    @Test func headsAreSignedAtMostOnceAnIntervalExceptForReceipts() async throws {
        var configuration = ServerConfiguration()
        configuration.treeHeadInterval = .seconds(3600)
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            let key = server.server.publicKey
            let first = try Self.signedHead(
                try await HTTP.get(server.url + "/v1/tree/head", token: reporter.token), key: key)
            let pushed = try await server.push([reporter.nextTurnout(minute: 1)], as: reporter)
            let signed = try #require(pushed.object["proof"]?["treeHead"]?.objectValue)
            let receiptHead = try #require(TreeHead(signed: signed, by: key))
            #expect(receiptHead.size == first.size + 1)
            let again = try await HTTP.get(server.url + "/v1/tree/head", token: reporter.token)
            #expect(try Self.signedHead(again, key: key) == receiptHead)

            // Events stored without a receipt wait for the interval.
            _ = try await server.server.events.append([EventRecord(event: reporter.nextTurnout(minute: 2))])
            let still = try await HTTP.get(server.url + "/v1/tree/head", token: reporter.token)
            #expect(try Self.signedHead(still, key: key) == receiptHead)
            #expect(try await server.server.events.head().position == receiptHead.size + 1)
            // A proof to the unsigned size is refused, with the signed size.
            let beyond = try await HTTP.get(
                server.url + "/v1/tree/inclusion?position=1&size=\(receiptHead.size + 1)", token: reporter.token)
            beyond.expectProblem(404, "beyond-tree-head", mentioning: ["\(receiptHead.size + 1)"], "beyond the head")
            #expect(beyond.object["treeSize"] == .integer(receiptHead.size))
        }
    }
}
