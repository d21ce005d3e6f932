import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync audit verify --tree-head`: the Merkle tree of an export against a signed tree head the server
/// served, with the real program.
@Suite struct TreeHeadVerifyTests {
    /// `object` written to a file beside `file`; its path.
    static func write(_ object: [String: JSONValue], beside file: ExportFile, name: String) throws -> String {
        let path = file.path + "." + name + ".json"
        try Data(CanonicalJSON.bytes(.object(object))).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theExportHasTheRootOfTheServersSignedTreeHead() async throws {
        try await AuditTestServer.with { server in
            let served = try #require(try await server.get("/v1/tree/head").objectValue)
            let file = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", file.path] + server.credentials).status == 0)
            let head = try #require(TreeHead(signed: served, by: server.server.publicKey))
            #expect(head.size == Int64(file.lines.count - 1))

            let good = try Self.write(served, beside: file, name: "head")
            let verify = try await Program.run(["audit", "verify", file.path, "--tree-head", good])
            #expect(verify.status == 0, "\(verify)")
            #expect(verify.output.contains("the signed tree head of \(head.size) events has its root"))

            // An older head (a smaller tree) of the same log verifies too.
            let older = TreeHead(
                size: head.size - 5, root: try await server.server.events.treeRoot(size: head.size - 5), time: .now())
            let olderPath = try Self.write(older.signed(with: server.server.author.key), beside: file, name: "older")
            #expect(try await Program.run(["audit", "verify", file.path, "--tree-head", olderPath]).status == 0)

            // The server's signature on another root: the server showed someone another log.
            let forked = TreeHead(size: head.size, root: SHA256Digest.hash("another log"), time: head.time)
            let forkedPath = try Self.write(forked.signed(with: server.server.author.key), beside: file, name: "forked")
            let split = try await Program.run(["audit", "verify", file.path, "--tree-head", forkedPath])
            #expect(split.status == ExitStatus.finding.rawValue, "\(split)")
            #expect(split.errors.contains("the server showed another log"))

            // The right root signed by another key.
            let stranger = try Self.write(head.signed(with: SigningKey.generate()), beside: file, name: "stranger")
            let unsigned = try await Program.run(["audit", "verify", file.path, "--tree-head", stranger])
            #expect(unsigned.status == ExitStatus.finding.rawValue)
            #expect(unsigned.errors.contains("not signed by the server key"))

            // A head beyond the export.
            let later = TreeHead(size: head.size + 1, root: head.root, time: head.time)
            let laterPath = try Self.write(later.signed(with: server.server.author.key), beside: file, name: "later")
            let beyond = try await Program.run(["audit", "verify", file.path, "--tree-head", laterPath])
            #expect(beyond.status == ExitStatus.finding.rawValue)
            #expect(beyond.errors.contains("covers \(head.size + 1) events"))

            // Not a tree head at all: a usage problem, one line.
            let chainHead = try Self.write(["type": "fieldsync.chain-head.v1"], beside: file, name: "chain")
            let wrong = try await Program.run(["audit", "verify", file.path, "--tree-head", chainHead])
            #expect(wrong.status == 64, "\(wrong)")
            #expect(wrong.errors.contains("is not a signed tree head"))
        }
    }
}
