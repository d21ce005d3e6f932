import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync audit export` and `verify` against a real server over HTTP, with the real program.
@Suite struct ExportCommandTests {
    @Test func anExportHoldsEveryEventAsServedThenTheSignedHeadAndVerifies() async throws {
        try await AuditTestServer.with { server in
            let file = try ExportFile()
            let export = try await Program.run(["audit", "export", "--out", file.path] + server.credentials)
            #expect(export.status == 0, "\(export)")
            let served = try await server.body("/v1/events")
            let lines = file.lines
            #expect(Array(lines.dropLast().joined(separator: [0x0a])) + [0x0a] == served)
            let head = try #require(file.head)
            #expect(head.position == Int64(lines.count - 1))
            #expect(export.output.hasPrefix("Exported \(lines.count - 1) events to \(file.path) (positions 1…"))

            // A token that begins with '-' (one in 64 do) is still the option's value: the server refuses it,
            // the command line does not.
            let refused = try ExportFile()
            let dashedToken = try await Program.run(
                ["audit", "export", "--out", refused.path, "--server", server.url, "--token", "-x"])
            #expect(
                dashedToken.status != ExitStatus.usage.rawValue && dashedToken.errors.contains("401"), "\(dashedToken)")

            let verify = try await Program.run(["audit", "verify", file.path])
            #expect(verify.status == 0, "\(verify)")
            #expect(verify.output.hasPrefix("\(file.path) verifies: \(lines.count - 1) events from 3 devices"))
            #expect(verify.output.contains("events/s"))
            let key = server.server.publicKey.base64URL
            let pinned = try await Program.run(["audit", "verify", file.path, "--server-key", key])
            #expect(pinned.status == 0, "\(pinned)")
            let other = SigningKey.generate().publicKey.base64URL
            // A key that begins with '-', as one in 64 does, is still the option's value.
            let dashedKey = try await Program.run([
                "audit", "verify", file.path, "--server-key", "-" + other.dropFirst(),
            ])
            #expect(dashedKey.status == ExitStatus.finding.rawValue, "\(dashedKey)")
            let wrongKey = try await Program.run(["audit", "verify", file.path, "--server-key", other])
            #expect(wrongKey.status == ExitStatus.finding.rawValue)
            #expect(wrongKey.errors.contains("line 1 (position 1, event "))
        }
    }

    @Test func anExportCutMidLineGoesOnToTheSameFileAsAFreshOne() async throws {
        try await AuditTestServer.with { server in
            let fresh = try ExportFile()
            #expect(try await Program.run(["audit", "export", "--out", fresh.path] + server.credentials).status == 0)

            let cut = try ExportFile()
            let bytes = fresh.bytes
            try cut.write(Array(bytes.prefix(bytes.count * 3 / 5)))
            #expect(cut.bytes.last != 0x0a)
            let resumed = try await Program.run(["audit", "export", "--out", cut.path] + server.credentials)
            #expect(resumed.status == 0, "\(resumed)")
            #expect(resumed.output.contains("dropped a torn last line"))
            // The same events, byte for byte; the heads differ only by when they were signed.
            #expect(cut.lines.dropLast() == fresh.lines.dropLast())
            #expect(cut.head?.position == fresh.head?.position && cut.head?.chain == fresh.head?.chain)
            #expect(try await Program.run(["audit", "verify", cut.path]).status == 0)

            // A finished export brought up to date after more events: the old head is replaced.
            try await server.pushOneMore(votes: 40)
            let update = try await Program.run(["audit", "export", "--out", cut.path] + server.credentials)
            #expect(update.status == 0, "\(update)")
            #expect(update.output.contains("replaced the previous signed head"))
            // The new reporter's enrollment, its assignment and its event.
            #expect(update.output.hasPrefix("Exported 3 events"))
            #expect(cut.lines.count == fresh.lines.count + 3)
            #expect(try await Program.run(["audit", "verify", cut.path]).status == 0)

            // A file that is not this server's export is not continued.
            let foreign = try ExportFile()
            var changed = try #require(try JSONParser.parse(fresh.lines[4]).objectValue)
            changed["position"] = 2
            try foreign.write(Array(fresh.lines[0]) + [0x0a] + CanonicalJSON.bytes(.object(changed)) + [0x0a])
            let refused = try await Program.run(["audit", "export", "--out", foreign.path] + server.credentials)
            #expect(refused.status == ExitStatus.failure.rawValue, "\(refused)")
            #expect(refused.errors.contains("is not the one the file ends with"))
        }
    }

    @Test func badCommandLinesAreOneLineAndExit64() async throws {
        let file = try ExportFile()
        let noServer = try await Program.run(["audit", "export", "--out", file.path])
        #expect(noServer.status == ExitStatus.usage.rawValue)
        #expect(noServer.errors.hasPrefix("fieldsync: no server given (allowed: --server URL or FIELDSYNC_SERVER"))
        #expect(noServer.errors.split(separator: "\n").count == 1)
        let badKey = try await Program.run(["audit", "verify", file.path, "--server-key", "nope"])
        #expect(badKey.status == ExitStatus.usage.rawValue)
        #expect(badKey.errors.contains("is not a public key"))
        let missing = try await Program.run(["audit", "verify", file.path + ".missing"])
        #expect(missing.status == ExitStatus.usage.rawValue)
        #expect(missing.errors.split(separator: "\n").count == 1)
        let unreachable = try await Program.run(
            ["audit", "export", "--out", file.path, "--server", "http://127.0.0.1:9", "--token", "x"])
        #expect(unreachable.status == ExitStatus.unreachable.rawValue)
        #expect(unreachable.errors.hasPrefix("fieldsync: cannot reach http://127.0.0.1:9"))
    }
}
