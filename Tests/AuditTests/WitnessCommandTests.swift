import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync audit witness` and `audit verify --witnesses`, with the real program against servers over
/// real HTTP: a witness cosigns a log that grows, catches a forked server, and readers require K witnesses.
@Suite struct WitnessCommandTests {
    /// A witness key made by `audit witness keygen` in `folder`; the private key's path.
    static func witnessKey(in folder: String, name: String) async throws -> String {
        let path = (folder as NSString).appendingPathComponent(name + ".pem")
        let made = try await Program.run(["audit", "witness", "keygen", "--key", path])
        #expect(made.status == 0, "\(made)")
        #expect(made.output.contains("admin witness add --name NAME --key \(path).pub"))
        return path
    }

    /// The public key beside a private witness key.
    static func publicKey(_ path: String) throws -> PublicKey {
        let pem = try String(contentsOfFile: path + ".pub", encoding: .utf8)
        return try PublicKey(pemRepresentation: pem)
    }

    /// Two servers with the same key and the same first events, then each its own: a forked log. A witness
    /// that cosigned a head of one and then asks the other catches it, cosigns nothing, keeps both heads,
    /// and brings the split view to the second server.
    @Test func aWitnessTalkingToBothHalvesOfAForkedServerCatchesIt() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-witness")
        let state = (folder as NSString).appendingPathComponent("state")
        let witness = try await Self.witnessKey(in: folder, name: "observer")
        let key = SigningKey.generate()
        var configuration = ServerConfiguration()
        configuration.treeHeadInterval = .zero

        // The common prefix: the server's identity and an auditor's enrollment, whose token both halves know.
        let prefix = try await TestCluster.shared.makeMigratedPool()
        let auditor = try await InProcessServer.with(configuration, key: key, pool: prefix) { started in
            try await AuditTestServer.enroll(started.server, url: started.url, role: .auditor, key: nil).token
        }
        let halves = [
            try await TestCluster.shared.copyDatabase(of: prefix),
            try await TestCluster.shared.copyDatabase(of: prefix),
        ]
        func run(_ url: String) async throws -> Program.Outcome {
            try await Program.run([
                "audit", "witness", "--server", url, "--token", auditor, "--key", witness, "--state", state,
                "--server-key", key.publicKey.base64URL, "--once",
            ])
        }

        // The first half grows by one enrollment; the witness cosigns it, twice without harm.
        let cosigned = try await InProcessServer.with(configuration, key: key, pool: halves[0]) { started in
            try await started.server.events.addWitness(name: "Observer group", key: try Self.publicKey(witness))
            _ = try await AuditTestServer.enroll(started.server, url: started.url, role: .editor, key: nil)
            let first = try await run(started.url)
            #expect(first.status == 0, "\(first)")
            #expect(first.output.contains("Cosigned the tree head of"))
            #expect(try await run(started.url).status == 0)
            let head = try #require(try await started.server.events.latestTreeHead())
            #expect(try await started.server.events.cosignatures(of: [head.head.size])[head.head.size]?.count == 1)
            return head
        }

        // The second half grows by another enrollment (the same size, another root), signs a head of it, and
        // grows once more.
        try await InProcessServer.with(configuration, key: key, pool: halves[1]) { started in
            try await started.server.events.addWitness(name: "Observer group", key: try Self.publicKey(witness))
            _ = try await AuditTestServer.enroll(started.server, url: started.url, role: .editor, key: nil)
            let (status, _) = try await AuditTestServer.get(started.url + "/v1/tree/head", token: auditor)
            #expect(status == 200)
            let other = try #require(try await started.server.events.treeHead(size: cosigned.head.size))
            #expect(other.head.root != cosigned.head.root)
            _ = try await AuditTestServer.enroll(started.server, url: started.url, role: .editor, key: nil)

            let caught = try await run(started.url)
            #expect(caught.status == ExitStatus.finding.rawValue, "\(caught)")
            #expect(caught.errors.contains("split view"))
            #expect(caught.errors.contains("not cosigned"))
            let evidence = try FileManager.default.contentsOfDirectory(
                atPath: (state as NSString).appendingPathComponent("evidence"))
            #expect(evidence.count == 1 && evidence.first?.hasSuffix("-split-view.json") == true, "\(evidence)")
            #expect(try await started.server.events.splitViews().map(\.size) == [cosigned.head.size])
            #expect(try await started.server.events.cosignatures(of: [cosigned.head.size + 1]).isEmpty)
            // The state still holds the head cosigned: the next run catches it again.
            #expect(try await run(started.url).status == ExitStatus.finding.rawValue)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A reader who requires K of the witnesses it trusts: the head verifies with K valid cosignatures of
    /// those keys and is a finding with fewer.
    @Test func verifyRequiresKCosignaturesFromTheWitnessKeysGiven() async throws {
        try await AuditTestServer.with { server in
            let folder = try makeTemporaryDirectory("fieldsync-witnesses")
            let keys = [
                try await Self.witnessKey(in: folder, name: "first"),
                try await Self.witnessKey(in: folder, name: "second"),
                try await Self.witnessKey(in: folder, name: "third"),
            ]
            for (index, path) in keys.prefix(2).enumerated() {
                try await server.server.events.addWitness(name: "Witness \(index)", key: try Self.publicKey(path))
                let state = (folder as NSString).appendingPathComponent("state-\(index)")
                let run = try await Program.run(
                    [
                        "audit", "witness", "--key", path, "--state", state, "--server-key",
                        server.server.publicKey.base64URL,
                    ] + server.credentials)
                #expect(run.status == 0, "\(run)")
            }
            // The third is not registered: the server refuses its cosignature.
            let refused = try await Program.run(
                [
                    "audit", "witness", "--key", keys[2], "--state", (folder as NSString).appendingPathComponent("s"),
                    "--server-key", server.server.publicKey.base64URL,
                ] + server.credentials)
            #expect(refused.status == ExitStatus.refused.rawValue, "\(refused)")
            #expect(refused.errors.contains("is not registered"))

            let served = try #require(try await server.get("/v1/tree/head").objectValue)
            #expect(served["cosignatures"]?.arrayValue?.count == 2)
            let file = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", file.path] + server.credentials).status == 0)
            let head = try TreeHeadVerifyTests.write(served, beside: file, name: "head")
            func verify(_ required: Int, _ trusted: [String]) async throws -> Program.Outcome {
                try await Program.run(
                    ["audit", "verify", file.path, "--tree-head", head, "--witnesses", String(required)]
                        + trusted.flatMap { ["--witness-key", $0 + ".pub"] })
            }
            let both = try await verify(2, Array(keys.prefix(2)))
            #expect(both.status == 0, "\(both)")
            #expect(both.output.contains("cosigned by at least 2 of the witnesses given"))
            #expect(try await verify(1, [keys[1], keys[2]]).status == 0)
            let short = try await verify(2, [keys[0], keys[2]])
            #expect(short.status == ExitStatus.finding.rawValue, "\(short)")
            #expect(short.errors.contains("1 valid cosignature from the 2 witness keys given; 2 are required"))
            let tooMany = try await verify(3, Array(keys.prefix(2)))
            #expect(tooMany.status == 64, "\(tooMany)")
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// With --interval, a server it cannot reach does not end the witness: it says so and tries again.
    @Test func aWitnessThatRunsOnTriesAnUnreachableServerAgain() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-witness-interval")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try await Self.witnessKey(in: folder, name: "observer")
        let running = try Program.start([
            "audit", "witness", "--server", "http://127.0.0.1:1", "--token", "abc", "--key", key, "--state",
            folder + "/state", "--server-key", SigningKey.generate().publicKey.base64URL, "--interval", "1",
        ])
        try? await waitUntil("two tries again") {
            running.outputSoFar.components(separatedBy: "trying again in 1 s").count >= 3 || !running.isRunning
        }
        #expect(running.isRunning)
        running.signal(SIGTERM)
        let outcome = try await running.wait()
        #expect(outcome.errors.components(separatedBy: "trying again in 1 s").count >= 3, "\(outcome)")
    }
}
