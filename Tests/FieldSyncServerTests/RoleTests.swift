import FieldSyncModel
import FieldSyncServer
import NIOHTTP1
import Testing

@Suite struct RoleTests {
    /// What each role gets from each endpoint that asks for credentials.
    @Test func eachRoleHasItsRights() async throws {
        try await TestServer.with { server in
            var devices: [DeviceRole: TestDevice] = [:]
            for role in DeviceRole.allCases {
                devices[role] = try await server.enroll(role, sendKey: role == .reporter)
            }
            let reporter = devices[.reporter]!
            let victim = try await server.enroll(name: "Someone Else")

            struct Call {
                var method: HTTPMethod
                var path: String
                var body: JSONValue?
                var allowed: Set<DeviceRole>
            }
            let calls = [
                Call(method: .POST, path: "/v1/events", body: [], allowed: [.reporter, .admin]),
                Call(method: .GET, path: "/v1/events", allowed: [.editor, .auditor, .admin]),
                Call(method: .GET, path: "/v1/devices/\(victim.device)/head", allowed: [.editor, .auditor, .admin]),
                Call(method: .GET, path: "/v1/chain/head", allowed: [.auditor, .admin]),
                Call(method: .GET, path: "/v1/reference", allowed: Set(DeviceRole.allCases)),
                Call(
                    method: .POST, path: "/v1/enrollment-codes", body: ["role": "editor", "name": "New Editor"],
                    allowed: [.admin]),
            ]
            for call in calls {
                let body = call.body.map { CanonicalJSON.bytes($0) }
                let anonymous = try await HTTP.send(call.method, server.url + call.path, body: body)
                #expect(anonymous.status == 401, "\(call.method) \(call.path) without credentials")
                #expect(anonymous.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true)
                let unknown = try await HTTP.send(
                    call.method, server.url + call.path, token: Base64URL.encode(SecureRandom.bytes(32)), body: body)
                #expect(unknown.status == 401, "\(call.method) \(call.path) with an unknown token")
                #expect(unknown.object["type"] == "urn:fieldsync:problem:unauthorized")
                for role in DeviceRole.allCases {
                    let answer = try await HTTP.send(
                        call.method, server.url + call.path, token: devices[role]!.token, body: body)
                    if call.allowed.contains(role) {
                        #expect(
                            [200, 201].contains(answer.status), "\(role) on \(call.method) \(call.path): \(answer.text)"
                        )
                    } else {
                        #expect(answer.status == 403, "\(role) on \(call.method) \(call.path)")
                        #expect(answer.object["type"] == "urn:fieldsync:problem:forbidden")
                    }
                }
            }
            // A reporter reads its own head.
            let own = try await HTTP.get(server.url + "/v1/devices/\(reporter.device)/head", token: reporter.token)
            #expect(own.status == 200)
            // Only an admin revokes.
            for role in [DeviceRole.reporter, .editor, .auditor] {
                let answer = try await HTTP.post(
                    server.url + "/v1/devices/\(victim.device)/revocation", json: ["reason": "test"],
                    token: devices[role]!.token)
                #expect(answer.status == 403)
            }
            let revoked = try await HTTP.post(
                server.url + "/v1/devices/\(victim.device)/revocation", json: ["reason": "test"],
                token: devices[.admin]!.token)
            #expect(revoked.status == 200)
        }
    }
}
