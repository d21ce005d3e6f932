import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Tokens that expire and are rotated, over real HTTP.
@Suite struct TokenTests {
    /// An expired token is refused on every kind of route with its own problem, saying when it expired.
    @Test func anExpiredTokenIsRefusedSayingWhen() async throws {
        try await TestServer.with { server in
            let reporter = try await server.enroll(tokenSeconds: 3600)
            let editor = try await server.enroll(.editor, sendKey: false, tokenSeconds: 3600)
            #expect(try await HTTP.get(server.url + "/v1/tallies", token: editor.token).status == 200)
            try await server.expireToken(of: reporter.device)
            try await server.expireToken(of: editor.device)
            let calls: [(TestDevice, HTTPMethod, String)] = [
                (reporter, .POST, "/v1/events"), (reporter, .GET, "/v1/reference"), (reporter, .POST, "/v1/token"),
                (editor, .GET, "/v1/tallies"), (editor, .GET, "/v1/live"), (editor, .POST, "/v1/token"),
            ]
            for (device, method, path) in calls {
                let answer = try await HTTP.send(method, server.url + path, token: device.token, body: Array("[]".utf8))
                answer.expectProblem(401, "token-expired", mentioning: ["\(device.device)", "expired at"], path)
                let expired = try #require(answer.object["expired"]?.stringValue.flatMap { Timestamp(rfc3339: $0) })
                #expect(expired < Timestamp.now(), "\(path)")
                #expect(answer.headers.first(name: "www-authenticate")?.contains("invalid_token") == true, "\(path)")
            }
        }
    }

    /// Rotation: the new token works, the old one is refused at once, and the new one's lifetime is the
    /// device's, counted from the rotation.
    @Test func aRotatedTokenReplacesTheOldOneAtOnce() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll(tokenSeconds: 7200)
            let old = reporter.token
            let before = Timestamp.now()
            let rotated = try await HTTP.send(.POST, server.url + "/v1/token", token: old)
            #expect(rotated.status == 200, "\(rotated.text)")
            let new = try #require(rotated.object["token"]?.stringValue)
            #expect(new != old && Base64URL.decode(new)?.count == 32)
            #expect(rotated.object["device"] == .string(reporter.device.rawValue))
            let expires = try #require(rotated.object["tokenExpires"]?.stringValue.flatMap { Timestamp(rfc3339: $0) })
            #expect(expires >= before.adding(seconds: 7190) && expires <= Timestamp.now().adding(seconds: 7210))

            let refused = try await HTTP.get(server.url + "/v1/reference", token: old)
            refused.expectProblem(401, "unauthorized", mentioning: ["not known"], "the old token")
            reporter.token = new
            #expect(try await server.push([reporter.nextTurnout()], as: reporter).status == 200)

            // With a body: only an empty object is taken.
            let again = try await HTTP.post(server.url + "/v1/token", json: [:], token: new)
            #expect(again.status == 200, "\(again.text)")
            #expect(try await HTTP.get(server.url + "/v1/reference", token: new).status == 401)
        }
    }

    /// Many rotations racing with the same token: exactly one wins, and only its token works.
    @Test func racingRotationsLeaveOneToken() async throws {
        try await TestServer.with { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            let answers = try await withThrowingTaskGroup(of: HTTPAnswer.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await HTTP.send(.POST, server.url + "/v1/token", token: editor.token) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let won = answers.filter { $0.status == 200 }
            #expect(won.count == 1, "\(answers.map(\.status))")
            #expect(answers.allSatisfy { $0.status == 200 || $0.status == 401 }, "\(answers.map(\.status))")
            let token = try #require(won.first?.object["token"]?.stringValue)
            #expect(try await HTTP.get(server.url + "/v1/tallies", token: token).status == 200)
            #expect(try await HTTP.get(server.url + "/v1/tallies", token: editor.token).status == 401)
        }
    }

    /// A revoked device cannot rotate its way back in.
    @Test func aRevokedDeviceCannotRotate() async throws {
        try await TestServer.with { server in
            let admin = try await server.enroll(.admin, sendKey: false)
            let reporter = try await server.enroll()
            let revoked = try await HTTP.post(
                server.url + "/v1/devices/\(reporter.device)/revocation", json: ["reason": "stolen"], token: admin.token
            )
            #expect(revoked.status == 200)
            let answer = try await HTTP.send(.POST, server.url + "/v1/token", token: reporter.token)
            answer.expectProblem(403, "device-revoked", mentioning: ["\(reporter.device)"], "rotation after revocation")
        }
    }

    /// How long a token lives: what its code says; else a day for an editor's browser sign-in (no key),
    /// and no expiry for anyone else.
    @Test func tokenLifetimesFollowTheCodeOrTheDefault() async throws {
        var configuration = ServerConfiguration()
        configuration.browserSignInSeconds = 3600
        try await TestServer.with(configuration) { server in
            func enrolled(_ role: DeviceRole, key: Bool, tokenSeconds: Int64? = nil) async throws -> JSONValue? {
                var body: [String: JSONValue] = [
                    "code": .string(try await server.code(role, tokenSeconds: tokenSeconds).description)
                ]
                if key { body["publicKey"] = .string(SigningKey.generate().publicKey.base64URL) }
                let answer = try await HTTP.post(server.url + "/v1/enroll", json: .object(body))
                #expect(answer.status == 201, "\(answer.text)")
                return answer.object["tokenExpires"]
            }
            // The token's lifetime in seconds, as far as the enrolling can tell: its expiry less the time
            // just after the answer, up to its expiry less the time just before the request (a second
            // more either way for the whole seconds of the time written), however long the request took.
            func lifetime(_ role: DeviceRole, key: Bool, seconds: Int64? = nil) async throws -> ClosedRange<Int64> {
                let before = Timestamp.now()
                let answer = try await enrolled(role, key: key, tokenSeconds: seconds)
                let after = Timestamp.now()
                let expires = try #require(answer?.stringValue.flatMap { Timestamp(rfc3339: $0) })
                let shortest = (expires.microseconds - after.microseconds) / 1_000_000 - 1
                let longest = (expires.microseconds - before.microseconds) / 1_000_000 + 1
                return shortest...longest
            }
            #expect(try await enrolled(.reporter, key: true) == .null)
            #expect(try await enrolled(.editor, key: true) == .null)
            #expect(try await enrolled(.auditor, key: false) == .null)
            let browser = try await lifetime(.editor, key: false)
            #expect(browser.contains(3600), "\(browser)")
            let reporter = try await lifetime(.reporter, key: true, seconds: 3 * 86_400)
            #expect(reporter.contains(3 * 86_400), "\(reporter)")
            let editor = try await lifetime(.editor, key: false, seconds: 12 * 3600)
            #expect(editor.contains(12 * 3600), "\(editor)")
        }
    }

    /// `CredentialStore.endedDevices(among:)`: the revoked and the expired, in one query.
    @Test func endedDevicesAreTheRevokedAndTheExpired() async throws {
        try await TestServer.with { server in
            let admin = try await server.enroll(.admin, sendKey: false)
            let live = try await server.enroll(name: "Still Here")
            let expired = try await server.enroll(name: "Out Of Time", tokenSeconds: 3600)
            let revoked = try await server.enroll(name: "Stolen")
            let lasting = try await server.enroll(name: "Long Lived", tokenSeconds: 3600)
            try await server.expireToken(of: expired.device)
            let revocation = try await HTTP.post(
                server.url + "/v1/devices/\(revoked.device)/revocation", json: ["reason": "stolen"], token: admin.token)
            #expect(revocation.status == 200)
            let never = SigningKey.generate().publicKey.deviceID
            let ended = try await server.server.credentials.endedDevices(
                among: [live.device, expired.device, revoked.device, lasting.device, never])
            #expect(ended == [expired.device, revoked.device])
            #expect(try await server.server.credentials.endedDevices(among: []).isEmpty)
        }
    }
}
