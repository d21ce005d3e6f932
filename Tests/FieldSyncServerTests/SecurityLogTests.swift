import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Foundation
import Logging
import NIOHTTP1
import Testing

/// What the server's log says about sign-ins, enrollments and revocations, and what it leaves out: a
/// client trying tokens or codes in a loop gets a line a minute, a dropped connection none above debug.
@Suite struct SecurityLogTests {
    @Test func failedSignInsAreLoggedOnceAMinutePerClient() async throws {
        let log = CapturedLog()
        try await TestServer.with(log: log) { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            let clock = ContinuousClock()
            let started = clock.now
            for _ in 0..<30 {
                let answer = try await HTTP.get(
                    server.url + "/v1/tallies", token: Base64URL.encode(SecureRandom.bytes(32)),
                    headers: [("X-Forwarded-For", "203.0.113.5")])
                #expect(answer.status == 401)
            }
            for _ in 0..<5 {
                let answer = try await HTTP.send(
                    .POST, server.url + "/v1/events", token: editor.token, body: Array("[]".utf8),
                    headers: [("X-Forwarded-For", "203.0.113.6")])
                #expect(answer.status == 403)
            }
            // One line a minute per client: one each, and one more for each minute a busy machine took.
            let minutes = Int((clock.now - started) / .seconds(60))
            let refused = log.lines("authentication refused")
            let first = refused.filter { $0.metadata["client"] == "203.0.113.5" }
            let second = refused.filter { $0.metadata["client"] == "203.0.113.6" }
            #expect(first.count + second.count == refused.count, "\(refused)")
            #expect((1...1 + minutes).contains(first.count), "\(refused)")
            #expect((1...1 + minutes).contains(second.count), "\(refused)")
            #expect(refused.allSatisfy { $0.level == .warning })
            #expect(first.first?.metadata["problem"] == "unauthorized")
            #expect(second.first?.metadata["detail"]?.contains("\(editor.device)") == true)
            // A token is a secret: no line carries one.
            #expect(!log.lines.contains { $0.description.contains(editor.token) })
        }
    }

    @Test func enrollmentsAndRevocationsAreLoggedWithWhoDidIt() async throws {
        let log = CapturedLog()
        try await TestServer.with(log: log) { server in
            let admin = try await server.enroll(.admin, name: "Night Admin", sendKey: false)
            let made = try await HTTP.post(
                server.url + "/v1/enrollment-codes",
                json: [
                    "role": "reporter", "name": "Amina Shah",
                    "constituencies": [.string(ReferenceFixture.station.national.rawValue)],
                ], token: admin.token)
            let code = try #require(made.object["code"]?.stringValue)
            let key = SigningKey.generate().publicKey
            let enrolled = try await HTTP.send(
                .POST, server.url + "/v1/enroll",
                body: CanonicalJSON.bytes(["code": .string(code), "publicKey": .string(key.base64URL)]),
                headers: [("X-Forwarded-For", "198.51.100.23")])
            #expect(enrolled.status == 201)
            for _ in 0..<4 {
                let wrong = try await HTTP.post(
                    server.url + "/v1/enroll",
                    json: ["code": .string(EnrollmentCode.make(boundTo: server.server.publicKey).description)])
                #expect(wrong.status == 403)
            }
            let revoked = try await HTTP.post(
                server.url + "/v1/devices/\(key.deviceID)/revocation", json: ["reason": "laptop stolen"],
                token: admin.token)
            #expect(revoked.status == 200)

            let codeLine = try #require(log.lines("enrollment code made").first)
            #expect(codeLine.metadata["by"] == "device \(admin.device) (Night Admin)")
            let enrollment = try #require(log.lines("device enrolled").last)
            #expect(enrollment.metadata["device"] == key.deviceID.rawValue)
            #expect(enrollment.metadata["name"] == "Amina Shah")
            #expect(enrollment.metadata["codeMadeBy"] == "device \(admin.device) (Night Admin)")
            #expect(enrollment.metadata["client"] == "198.51.100.23")
            let revocation = try #require(log.lines("device revoked").first)
            #expect(revocation.metadata["by"] == "device \(admin.device) (Night Admin)")
            #expect(revocation.metadata["reason"] == "laptop stolen")
            #expect(log.lines("enrollment code refused").count == 1, "\(log.lines("enrollment code refused"))")
            // A code is a secret: no line carries one.
            #expect(!log.lines.contains { $0.description.contains(code) })
        }
    }

    /// Clients that reset their connection mid-body: nothing above debug, the server answers on.
    @Test func droppedConnectionsDoNotFillTheLog() async throws {
        let log = CapturedLog()
        try await TestServer.with(log: log) { server in
            let reporter = try await server.enroll()
            let port = try #require(Int(server.url.split(separator: ":").last ?? ""))
            let push = Array(
                ("POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(reporter.token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{\"id\":").utf8)
            let enroll = Array(
                ("POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"co").utf8)
            for _ in 0..<10 {
                try await DroppedRequest.send(push, port: port)
                try await DroppedRequest.send(enroll, port: port)
            }
            try? await waitUntil("the dropped requests logged") {
                log.lines("the client closed the connection").count >= 10
            }
            #expect(try await HTTP.get(server.url + "/healthz").status == 200)
            let loud = log.lines.filter { $0.level >= .warning }
            #expect(loud.isEmpty, "\(loud)")
            #expect(log.lines("the client closed the connection").count >= 10)
        }
    }
}
