import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// Witnesses' cosignatures and evidence of split views over real HTTP: what is taken, what is refused and
/// why, how heads are served with their cosignatures, and that all of it is kept across a restart.
@Suite struct WitnessRouteTests {
    /// The head `GET /v1/tree/head` serves, as served (with its cosignatures), signed by the server's key.
    static func servedHead(_ server: TestServer, token: String) async throws -> (TreeHead, [String: JSONValue]) {
        let answer = try await HTTP.get(server.url + "/v1/tree/head", token: token)
        #expect(answer.status == 200)
        let object = answer.object
        return (try #require(TreeHead(signed: object, by: server.server.publicKey)), object)
    }

    @Test func registeredWitnessesCosignHeadsTheServerSignedAndNothingElse() async throws {
        var configuration = ServerConfiguration()
        configuration.treeHeadInterval = .zero
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            let serverKey = server.server.publicKey
            let (alice, bob, stranger) = (SigningKey.generate(), SigningKey.generate(), SigningKey.generate())
            try await server.server.events.addWitness(name: "Observer group", key: alice.publicKey)
            try await server.server.events.addWitness(name: "Other newsroom", key: bob.publicKey)
            await #expect(throws: WitnessAlreadyRegistered.self) {
                try await server.server.events.addWitness(name: "Again", key: alice.publicKey)
            }
            _ = try await server.push([reporter.nextTurnout(minute: 1)], as: reporter)
            let (head, served) = try await Self.servedHead(server, token: reporter.token)
            #expect(served["cosignatures"] == .array([]))

            func post(_ cosignature: [String: JSONValue]) async throws -> HTTPAnswer {
                try await HTTP.post(
                    server.url + "/v1/tree/cosignatures", json: .object(cosignature), token: reporter.token)
            }
            let byAlice = Cosignature.signed(head, serverKey: serverKey, with: alice)
            let kept = try await post(byAlice)
            #expect(kept.status == 201, "\(kept.text)")
            #expect(kept.object["name"] == "Observer group")
            #expect(try await post(byAlice).status == 200)
            #expect(try await post(Cosignature.signed(head, serverKey: serverKey, with: bob)).status == 201)

            // Served with the head, which still verifies; each cosignature verifies on its own.
            let (again, cosigned) = try await Self.servedHead(server, token: reporter.token)
            #expect(again == head)
            let cosignatures = try #require(cosigned["cosignatures"]?.arrayValue)
            #expect(cosignatures.count == 2)
            let both = WitnessPolicy(trusted: [alice.publicKey, bob.publicKey], required: 2)
            #expect(both.problem(with: cosigned, serverKey: serverKey) == nil)
            let listed = try await HTTP.get(server.url + "/v1/tree/heads", token: reporter.token)
            let last = try #require(try listed.lines.last.map { try JSONParser.parse($0).objectValue })
            #expect(last?["cosignatures"]?.arrayValue?.count == 2)

            // Refused, each with its own problem, and nothing kept.
            let unknown = try await post(Cosignature.signed(head, serverKey: serverKey, with: stranger))
            unknown.expectProblem(403, "witness-unknown", mentioning: [stranger.publicKey.base64URL], "unknown key")
            var forged = Cosignature.signed(head, serverKey: serverKey, with: alice)
            forged["signature"] = Cosignature.signed(head, serverKey: serverKey, with: bob)["signature"]
            (try await post(forged)).expectProblem(422, "cosignature-invalid", mentioning: ["Observer group"], "forged")
            let otherServer = SigningKey.generate().publicKey
            (try await post(Cosignature.signed(head, serverKey: otherServer, with: alice))).expectProblem(
                422, "cosignature-invalid", mentioning: [otherServer.fingerprint.hex], "another server's key")
            let never = TreeHead(size: head.size + 5, root: head.root, time: head.time)
            (try await post(Cosignature.signed(never, serverKey: serverKey, with: alice))).expectProblem(
                409, "tree-head-unknown", mentioning: ["\(head.size + 5) events"], "a size never signed")
            let otherRoot = TreeHead(size: head.size, root: SHA256Digest.hash("another log"), time: head.time)
            (try await post(Cosignature.signed(otherRoot, serverKey: serverKey, with: bob))).expectProblem(
                409, "tree-head-unknown", mentioning: [head.root.hex, otherRoot.root.hex], "another root")
            var extra = byAlice
            extra["note"] = "unsigned words"
            (try await post(extra)).expectProblem(422, "cosignature-invalid", mentioning: ["exactly"], "extra member")
            #expect(try await server.server.events.cosignatures(of: [head.size])[head.size]?.count == 2)
            let witnessed = try await HTTP.get(server.url + "/v1/tree/witnessed?position=1", token: reporter.token)
            #expect(witnessed.object == ["position": 1, "witnesses": 2, "treeSize": .integer(head.size)])
            let beyondHead = try await HTTP.get(
                server.url + "/v1/tree/witnessed?position=\(head.size + 1)", token: reporter.token)
            #expect(beyondHead.object == ["position": .integer(head.size + 1), "witnesses": 0, "treeSize": .null])

            // Kept in the database: a store on a new pool, as after a restart, serves the same.
            let pool = PostgresPool(configuration: await server.server.pool.configuration, maximumConnections: 1)
            let store = EventStore(pool: pool)
            #expect(try await store.cosignatures(of: [head.size])[head.size]?.count == 2)
            #expect(try await store.witnesses().map(\.name) == ["Observer group", "Other newsroom"])
            let covering = try await store.witnessCount(covering: head.size)
            #expect(covering.witnesses == 2 && covering.head == head.size)
            let beyond = try await store.witnessCount(covering: head.size + 1)
            #expect(beyond.witnesses == 0 && beyond.head == nil)
            await pool.close()
        }
    }

    @Test func twoSignedHeadsOfOneSizeWithDifferentRootsAreKeptAsASplitView() async throws {
        try await TestServer.with { server in
            let reporter = try await server.enroll()
            let (head, served) = try await Self.servedHead(server, token: reporter.token)
            // What a forked server (the same key, another database) signed for someone else.
            let other = TreeHead(size: head.size, root: SHA256Digest.hash("the other log"), time: .now())
                .signed(with: server.server.author.key)
            let evidence: JSONValue = ["heads": [.object(served), .object(other)]]
            let kept = try await HTTP.post(server.url + "/v1/tree/split-views", json: evidence, token: reporter.token)
            #expect(kept.status == 201, "\(kept.text)")
            #expect(
                try await HTTP.post(server.url + "/v1/tree/split-views", json: evidence, token: reporter.token).status
                    == 200)

            let listed = try await HTTP.get(server.url + "/v1/tree/split-views", token: reporter.token)
            #expect(listed.status == 200)
            #expect(listed.contentType == "application/x-ndjson")
            #expect(listed.lines.count == 1)
            let line = try #require(listed.lines.first)
            let view = try #require(try JSONParser.parse(line).objectValue)
            #expect(view["size"] == .integer(head.size))
            let heads = try #require(view["heads"]?.arrayValue).compactMap {
                $0.objectValue.flatMap { TreeHead(signed: $0, by: server.server.publicKey) }
            }
            #expect(Set(heads.map(\.root)) == [head.root, SHA256Digest.hash("the other log")])

            // The same root twice, or two sizes, is no split view.
            let same: JSONValue = ["heads": [.object(served), .object(served)]]
            (try await HTTP.post(server.url + "/v1/tree/split-views", json: same, token: reporter.token))
                .expectProblem(400, "invalid-request", mentioning: ["no split view"], "the same head twice")
            let larger = TreeHead(size: head.size + 1, root: head.root, time: head.time)
                .signed(with: server.server.author.key)
            let sizes: JSONValue = ["heads": [.object(served), .object(larger)]]
            (try await HTTP.post(server.url + "/v1/tree/split-views", json: sizes, token: reporter.token))
                .expectProblem(400, "invalid-request", mentioning: ["sizes differ"], "two sizes")

            let pool = PostgresPool(configuration: await server.server.pool.configuration, maximumConnections: 1)
            #expect(try await EventStore(pool: pool).splitViews().map(\.size) == [head.size])
            await pool.close()
        }
    }
}
