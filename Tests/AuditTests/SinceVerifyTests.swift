import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync audit verify FILE --since HEAD_FILE`, with the real program: a log verified against a signed
/// tree head, grown since, is checked in full only after that head; a server that rewrote a line before
/// the head, and made its chain and chain head again, is caught, and a bad signature after it too.
@Suite struct SinceVerifyTests {
    /// The export `lines` (each with or without its line feed) as a server that rewrote them would serve
    /// them, each with its line feed: the event at `position` changed by `change`, every global chain link
    /// from there made again, and the chain head signed again with `key`.
    static func rewritten(
        _ lines: [[UInt8]], at position: Int64, key: SigningKey, _ change: (inout [String: JSONValue]) throws -> Void
    ) throws -> [[UInt8]] {
        var previous = GlobalChain.genesis
        return try lines.map { line in
            var object = try #require(try JSONParser.parse(line.last == 0x0a ? line.dropLast() : line).objectValue)
            if object["type"] == .string(SignedChainHead.type) {
                object["chain"] = .string(previous.hex)
                return CanonicalJSON.bytes(.object(SignedObject.signed(object, with: key))) + [0x0a]
            }
            if object["position"]?.integerValue == position { try change(&object) }
            if object["position"]?.integerValue ?? 0 >= position {
                object["chain"] = .string(try StoredEvent(json: .object(object)).expectedChain(after: previous).hex)
            }
            previous = try StoredEvent(json: .object(object)).chain
            return CanonicalJSON.bytes(.object(object)) + [0x0a]
        }
    }

    /// The same, for the export in `file`: the bytes of the rewritten file.
    static func rewritten(
        _ file: ExportFile, at position: Int64, key: SigningKey, _ change: (inout [String: JSONValue]) throws -> Void
    ) throws -> [UInt8] {
        try rewritten(file.lines, at: position, key: key, change).flatMap { $0 }
    }

    /// Pure: with a trusted head, the signatures of its events are not checked (a bad one passes), every
    /// other check is, and a root other than the head's breaks the log at the head's last event.
    @Test func theEventsOfATrustedHeadAreCheckedButForTheirSignatures() throws {
        let log = SignedLog()
        let key = log.election.serverKey
        let count = log.exportLines.count - 1
        let position = Int64(count - 5)
        // A reporter's event before the head re-signed by a stranger, the chain made again.
        let lines = try Self.rewritten(log.exportLines, at: position, key: key) { object in
            object = SignedObject.signed(object, with: SigningKey.generate())
        }
        /// The signed tree head of the first `size` events of `lines`.
        func treeHead(_ size: Int64) throws -> TreeHead {
            var tree = TreeFrontier()
            for line in lines.prefix(Int(size)) {
                _ = tree.append(leafHash: MerkleTree.leafHash(chain: try StoredEvent(line: line).chain))
            }
            return TreeHead(size: size, root: tree.root, time: .now())
        }
        func verify(trusting head: TreeHead?) -> LogBreak? {
            var verification = ExportVerification(pinnedServerKey: key.publicKey)
            verification.trusted = head
            for line in lines {
                if let found = verification.read(line: line) { return found }
            }
            return verification.finish()
        }
        let head = try treeHead(Int64(count - 2))
        #expect(verify(trusting: nil)?.problems.map(\.code) == [.badSignature])
        #expect(verify(trusting: head) == nil)
        // A head that ends before that event: its signature is checked.
        #expect(verify(trusting: try treeHead(position - 1))?.position == position)
        // Another root: the log breaks at the head's last event.
        let other = try #require(verify(trusting: TreeHead(size: head.size, root: .hash("another"), time: .now())))
        #expect(other.position == head.size)
        #expect(other.problems.map(\.code) == [.chainBroken])
        #expect(other.problems.first?.problem.contains("the log was rewritten before that head") == true)
    }

    @Test func onlyWhatWasAppendedSinceAVerifiedHeadIsCheckedInFullAndARewriteBeforeItIsCaught() async throws {
        try await AuditTestServer.with { server in
            // A reporter enrolled before the head, whose key the events after it are signed with.
            let key = SigningKey.generate()
            let enrolled = try await AuditTestServer.enroll(server.server, url: server.url, role: .reporter, key: key)
            let size = try await server.server.events.head().position
            let head = TreeHead(size: size, root: try await server.server.events.treeRoot(size: size), time: .now())
            let before = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", before.path] + server.credentials).status == 0)
            let headPath = try TreeHeadVerifyTests.write(
                head.signed(with: server.server.author.key), beside: before, name: "head")
            let full = try await Program.run(["audit", "verify", before.path, "--tree-head", headPath])
            #expect(full.status == 0, "\(full)")

            // The log grows: that reporter's turnout, and a reporter enrolled after the head.
            var chain = DeviceChain(device: enrolled.device)
            let time = ObservedTime("2024-02-08T13:00:00+05:00")!
            let turnout = try chain.sign(
                EventDraft(
                    payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: 300)),
                    subject: server.stations[2].code.rawValue, time: time),
                key: key)
            try await server.push([turnout], token: enrolled.token)
            try await server.pushOneMore(votes: 410)
            let after = try ExportFile("later.ndjson")
            #expect(try await Program.run(["audit", "export", "--out", after.path] + server.credentials).status == 0)
            let appended = Int64(after.lines.count - 1) - size
            #expect(appended >= 3)

            let since = try await Program.run(["audit", "verify", after.path, "--since", headPath])
            #expect(since.status == 0, "\(since)")
            #expect(since.output.contains("the signed tree head of \(size) events has its root"), "\(since)")
            #expect(since.output.contains("the \(appended) after it are checked in full"), "\(since)")

            // The server rewrites when an event before the head was received, and makes the global chain and
            // its signed chain head again: every line still verifies on its own, only the tree head catches it.
            let forged = try ExportFile("forged.ndjson")
            try forged.write(
                try Self.rewritten(after, at: 3, key: server.server.author.key) { object in
                    let stored = try StoredEvent(json: .object(object))
                    object["received"] = .string(stored.received.adding(seconds: 1).rfc3339UTC)
                })
            #expect(try await Program.run(["audit", "verify", forged.path]).status == 0)
            let caught = try await Program.run(["audit", "verify", forged.path, "--since", headPath])
            #expect(caught.status == ExitStatus.finding.rawValue, "\(caught)")
            #expect(caught.errors.contains("the log was rewritten before that head"), "\(caught)")
            #expect(caught.errors.contains("position \(size)"), "\(caught)")

            // A signature after the head is checked: the reporter's turnout signed by another key.
            let position = try #require(
                after.lines.compactMap { try? StoredEvent(line: $0) }.first { $0.event.id == turnout.id }?.position)
            #expect(position > size)
            let badSignature = try ExportFile("signature.ndjson")
            try badSignature.write(
                try Self.rewritten(after, at: position, key: server.server.author.key) { object in
                    object = SignedObject.signed(object, with: SigningKey.generate())
                })
            let signature = try await Program.run(["audit", "verify", badSignature.path, "--since", headPath])
            #expect(signature.status == ExitStatus.finding.rawValue, "\(signature)")
            #expect(signature.errors.contains("not a valid Ed25519 signature"), "\(signature)")

            // A head signed by another key is not one verified before.
            let strangerPath = try TreeHeadVerifyTests.write(
                head.signed(with: SigningKey.generate()), beside: before, name: "stranger")
            let stranger = try await Program.run(["audit", "verify", after.path, "--since", strangerPath])
            #expect(stranger.status == ExitStatus.finding.rawValue, "\(stranger)")
            #expect(stranger.errors.contains("not signed by the server key"), "\(stranger)")

            let both = try await Program.run([
                "audit", "verify", after.path, "--since", headPath, "--tree-head", headPath,
            ])
            #expect(both.status == 64, "\(both)")
        }
    }
}
