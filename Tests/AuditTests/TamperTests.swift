import FieldSyncClient
import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// Changes made behind the server's back, as the PostgreSQL superuser with the immutability trigger
/// disabled, are found by `audit verify` on the export, at their position.
@Suite struct TamperTests {
    /// The position of the second Form-45 of the disputed station: a reporter's event in the middle of the log.
    static func target(_ server: AuditTestServer) async throws -> StoredEvent {
        let station = server.stations[1].code.rawValue
        let answer = try await server.get("/v1/stations/\(station)")
        let results = (answer["events"]?.arrayValue ?? []).filter {
            $0["type"]?.stringValue == EventType.resultReported.rawValue
        }
        let position = try #require(results.last?["position"]?.integerValue)
        return try await server.storedEvent(at: position)
    }

    static func disableImmutability(_ server: AuditTestServer) async throws {
        try await server.superuser("ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete")
    }

    @Test func aChangedPayloadIsFoundAtItsPosition() async throws {
        try await AuditTestServer.with { server in
            let stored = try await Self.target(server)
            let event = stored.event
            // Move 50 votes between two candidates: the form still adds up, and the stored hash is made to
            // match the new content, so that the server itself serves the row without noticing.
            var data = try #require(event.data.objectValue)
            var votes = try #require(data["votes"]?.objectValue)
            let ids = votes.keys.sorted()
            let signed = try #require(votes[ids[0]]?.integerValue)
            votes[ids[0]] = .integer(signed + 50)
            votes[ids[1]] = .integer(try #require(votes[ids[1]]?.integerValue) - 50)
            data["votes"] = .object(votes)
            var scratch = [UInt8]()
            let hash = EventHash.compute(
                id: event.id, source: event.source, type: event.type, time: event.time.text, subject: event.subject,
                data: .object(data), seq: event.seq, prevHash: event.prevHash, scratch: &scratch)
            try await Self.disableImmutability(server)
            try await server.superuser(
                """
                UPDATE events SET payload = \(CanonicalJSON.string(.object(data)))::jsonb, event_hash = \(hash)
                WHERE position = \(stored.position)
                """)

            let file = try ExportFile()
            let export = try await Program.run(["audit", "export", "--out", file.path] + server.credentials)
            #expect(export.status == 0, "\(export)")
            let verify = try await Program.run(["audit", "verify", file.path])
            #expect(verify.status == ExitStatus.finding.rawValue, "\(verify)")
            #expect(
                verify.errors.hasPrefix(
                    "fieldsync: \(file.path) does not verify: line \(stored.position) (position \(stored.position), "
                        + "event \(event.id)): "))
            #expect(verify.errors.contains("signature: not a valid Ed25519 signature"))
            #expect(verify.errors.contains("chain: "))
            #expect(verify.errors.split(separator: "\n").count == 1)

            // The projector folded the votes as they were signed; a replay of the export shows the change in
            // the station's disputed range (the seat's answer carries its stations' summaries, which keep the
            // range and not the reports' figures) and in the seat's.
            let replay = try await Program.run(
                ["audit", "replay", file.path, "--compare", server.url, "--token", server.auditor])
            #expect(replay.status == ExitStatus.finding.rawValue, "\(replay)")
            #expect(replay.output.contains(".range.maximum.\(ids[0]): replay \(signed + 50), server \(signed)"))
            #expect(replay.output.contains("constituency NA-248 · candidates[\(ids[0])].disputedMaximum: replay "))
        }
    }

    @Test func aPayloadChangedWithoutItsHashIsRefusedByTheServerItself() async throws {
        try await AuditTestServer.with { server in
            let stored = try await Self.target(server)
            try await Self.disableImmutability(server)
            try await server.superuser(
                """
                UPDATE events SET payload = jsonb_set(payload, '{rejected}', '11') WHERE position = \(stored.position)
                """)
            let file = try ExportFile()
            let export = try await Program.run(["audit", "export", "--out", file.path] + server.credentials)
            #expect(export.status == ExitStatus.unreachable.rawValue, "\(export)")
            #expect(export.errors.contains("the download broke off"))
            let verify = try await Program.run(["audit", "verify", file.path])
            #expect(verify.status == ExitStatus.finding.rawValue, "\(verify)")
        }
    }

    @Test func aDeletedRowIsFoundAtTheLineWhereItWas() async throws {
        try await AuditTestServer.with { server in
            let stored = try await Self.target(server)
            let position = stored.position
            try await Self.disableImmutability(server)
            try await server.superuser("DELETE FROM events WHERE position = \(position)")

            let file = try ExportFile()
            let export = try await Program.run(["audit", "export", "--out", file.path] + server.credentials)
            #expect(export.status == 0, "\(export)")
            let verify = try await Program.run(["audit", "verify", file.path])
            #expect(verify.status == ExitStatus.finding.rawValue, "\(verify)")
            #expect(verify.errors.contains("line \(position) (position \(position + 1), event "))
            #expect(verify.errors.contains("position: \(position + 1) does not follow \(position - 1)"))
        }
    }
}
