import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

/// `fieldsync audit export --photos`, `audit verify --photos` and `audit explain` with photos, with the
/// real program against a real server over HTTP.
@Suite struct PhotoAuditTests {
    /// A new reporter's Form-45 at station 3 naming `photo`, pushed; the reporter's token.
    static func pushResult(on server: AuditTestServer, photo: PhotoReference) async throws -> String {
        let key = SigningKey.generate()
        let enrolled = try await AuditTestServer.enroll(server.server, url: server.url, role: .reporter, key: key)
        var chain = DeviceChain(device: enrolled.device)
        let station = server.stations[3]
        var result = PollingDay.form45(station, server.candidates, total: 240)
        result.photo = photo
        let event = try chain.sign(
            EventDraft(
                payload: .resultReported(result), subject: station.code.rawValue, time: PollingDay.time("18:40")),
            key: key)
        try await server.push([event], token: enrolled.token)
        return enrolled.token
    }

    static func upload(_ bytes: [UInt8], on server: AuditTestServer, token: String) async throws {
        let answer = try await HTTP.send(
            .PUT, server.url + "/v1/photos/\(SHA256Digest.hash(bytes).hex)", token: token, body: bytes,
            contentType: "image/jpeg")
        #expect(answer.status == 201)
    }

    @Test func anAuditorTakesThePhotosAwayAndChecksThem() async throws {
        try await AuditTestServer.with { server in
            let first = TestPhoto.jpeg(size: 150_000, seed: 1)
            let second = TestPhoto.jpeg(size: 90_000, seed: 2)
            let firstToken = try await Self.pushResult(on: server, photo: try PhotoReference(of: first))
            let secondToken = try await Self.pushResult(on: server, photo: try PhotoReference(of: second))
            try await Self.upload(first, on: server, token: firstToken)
            try await server.waitForProjector()

            let file = try ExportFile()
            let folder = try makeTemporaryDirectory("audit-photos")
            let export = try await Program.run(
                ["audit", "export", "--out", file.path, "--photos", folder] + server.credentials)
            #expect(export.status == 0, "\(export)")
            #expect(export.output.contains("Photos: 2 named by the log; 1 downloaded"), "\(export)")
            #expect(export.output.contains("pending: \(SHA256Digest.hash(second).hex)"), "\(export)")
            #expect(FileManager.default.contents(atPath: folder + "/" + SHA256Digest.hash(first).hex) == Data(first))

            let incomplete = try await Program.run(["audit", "verify", file.path, "--photos", folder])
            #expect(incomplete.status == ExitStatus.finding.rawValue, "\(incomplete)")
            #expect(incomplete.errors.contains("photo \(SHA256Digest.hash(second).hex)"), "\(incomplete)")
            #expect(incomplete.errors.contains("missing"), "\(incomplete)")

            // A download that broke off left the first 50,000 bytes as the part: only the rest is asked for.
            try await Self.upload(second, on: server, token: secondToken)
            let part = folder + "/" + SHA256Digest.hash(second).hex + ".part"
            try Data(second.prefix(50_000)).write(to: URL(fileURLWithPath: part))
            let again = try await Program.run(
                ["audit", "export", "--out", file.path, "--photos", folder] + server.credentials)
            #expect(again.output.contains("1 downloaded") && again.output.contains("1 there already"), "\(again)")
            #expect(
                again.output.contains("(40,000 bytes)") && again.output.contains("1 went on from a part"), "\(again)")
            #expect(FileManager.default.contents(atPath: folder + "/" + SHA256Digest.hash(second).hex) == Data(second))
            #expect(!FileManager.default.fileExists(atPath: part))
            let whole = try await Program.run(["audit", "verify", file.path, "--photos", folder])
            #expect(whole.status == 0, "\(whole)")
            #expect(whole.output.contains("all 2 photos the log names are there"), "\(whole)")

            try Data(TestPhoto.jpeg(size: 150_000, seed: 3)).write(
                to: URL(fileURLWithPath: folder + "/" + SHA256Digest.hash(first).hex))
            let tampered = try await Program.run(["audit", "verify", file.path, "--photos", folder])
            #expect(tampered.status == ExitStatus.finding.rawValue, "\(tampered)")
            #expect(tampered.errors.contains("its bytes hash to"), "\(tampered)")

            let explain = try await Program.run(["audit", "explain", server.stations[3].code.rawValue, file.path])
            #expect(explain.status == 0, "\(explain)")
            #expect(explain.output.contains("photo of the signed sheet: \(SHA256Digest.hash(first).hex)"), "\(explain)")
            #expect(
                explain.output.contains("photo of the signed sheet: \(SHA256Digest.hash(second).hex)"), "\(explain)")
        }
    }
}
