import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Foundation
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

    /// The roles of each documented operation: `x-roles` in the OpenAPI document (an admin may always
    /// call), nil for an operation without credentials (`security: []`).
    static func documentedRoles(in document: String) -> [String: Set<DeviceRole>?] {
        var operations: [String: Set<DeviceRole>?] = [:]
        var path: String?
        var operation: String?
        var inPaths = false
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path {
                operation = "\(line.trimmingPrefix("    ").dropLast().uppercased()) \(path)"
            } else if let operation, let roles = line.firstMatch(of: /^      x-roles: \[([a-z, ]+)\]$/) {
                operations[operation] = Set(
                    roles.output.1.split(separator: ",").map {
                        DeviceRole(rawValue: $0.trimmingCharacters(in: .whitespaces))!
                    })
            } else if let operation, line == "      security: []" {
                operations[operation] = .some(nil)
            }
        }
        return operations
    }

    /// Every operation of the document, for every role, over real HTTP: without credentials or with
    /// unknown ones 401 `unauthorized`; with a role `x-roles` does not list (an admin always may) 403
    /// `forbidden` from the middleware; with one it lists, neither. Every operation says one or the other.
    @Test func everyOperationAnswersEachRoleAsTheDocumentSays() async throws {
        try await TestServer.with { server in
            let document = try await HTTP.get(server.url + "/v1/openapi.yaml").text
            let roles = Self.documentedRoles(in: document)
            let operations = OpenAPITests.operations(in: document)
            #expect(Set(roles.keys) == operations, "operations without x-roles or security: []")
            #expect(roles.values.count { $0 != nil } >= 12)
            var devices: [DeviceRole: TestDevice] = [:]
            for role in DeviceRole.allCases {
                devices[role] = try await server.enroll(role, name: "The \(role.rawValue)", sendKey: role == .reporter)
            }
            func path(_ operation: String, for device: TestDevice?) -> String {
                String(operation.split(separator: " ")[1])
                    .replacing("{device}", with: (device?.device ?? devices[.admin]!.device).rawValue)
                    .replacing("{constituency}", with: ReferenceFixture.station.national.rawValue)
                    .replacing("{station}", with: ReferenceFixture.station.code.rawValue)
            }
            func call(_ operation: String, as device: TestDevice?, token: String? = nil) async throws -> Int {
                let method = HTTPMethod(rawValue: String(operation.split(separator: " ")[0]))
                let url = server.url + path(operation, for: device)
                let token = token ?? device?.token
                if operation == "GET /v1/live" { return try await HTTP.status(of: url, token: token) }
                let answer = try await HTTP.send(
                    method, url, token: token, body: method == .GET ? nil : Array("{}".utf8))
                if operation == "POST /v1/token", answer.status == 200, let device,
                    let new = answer.object["token"]?.stringValue
                {
                    devices[device.role]!.token = new
                }
                return answer.status
            }
            for (operation, allowed) in roles.sorted(by: { $0.key < $1.key }) {
                guard let allowed else {
                    #expect(![401, 403].contains(try await call(operation, as: nil)), "\(operation) is open")
                    continue
                }
                #expect(try await call(operation, as: nil) == 401, "\(operation) without credentials")
                let unknown = Base64URL.encode(SecureRandom.bytes(32))
                #expect(try await call(operation, as: nil, token: unknown) == 401, "\(operation), unknown token")
                for role in DeviceRole.allCases {
                    let status = try await call(operation, as: devices[role]!)
                    if role == .admin || allowed.contains(role) {
                        #expect(![401, 403].contains(status), "\(role.rawValue) on \(operation): \(status)")
                    } else {
                        #expect(status == 403, "\(role.rawValue) on \(operation): \(status)")
                    }
                }
            }
        }
    }
}
