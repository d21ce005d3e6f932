import FieldSyncModel
import FieldSyncProjection
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1

/// A FieldSync server running in the test process on a free loopback port, on a fresh database of the
/// shared test cluster, with the reference fixture loaded. Requests go over real HTTP.
struct TestServer: Sendable {
    let server: FieldSyncServer
    let url: String

    /// Runs `body` with a started server, and stops the server afterwards.
    static func with<T: Sendable>(
        _ configuration: ServerConfiguration = ServerConfiguration(), reference: Bool = true, projector: Bool = false,
        log: CapturedLog? = nil, _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await InProcessServer.with(
            configuration, reference: reference ? ReferenceFixture.drafts : [],
            projector: projector ? Projector.Options() : nil, logger: log?.logger
        ) { started in
            try await body(TestServer(server: started.server, url: started.url))
        }
    }

    /// A one-time code, made as `fieldsync admin enroll` makes it; a reporter's is assigned to every NA seat
    /// of the fixture unless `assignment` is given. The device's token lives `tokenSeconds`.
    func code(
        _ role: DeviceRole, name: String = "Test Person", seconds: Int64 = 3600, assignment: CodeAssignment? = nil,
        tokenSeconds: Int64? = nil
    ) async throws -> EnrollmentCode {
        try await server.testCode(
            role, name: name, seconds: seconds, assignment: assignment, tokenSeconds: tokenSeconds)
    }

    /// Enrolls a new device over HTTP and returns it with its credentials.
    func enroll(
        _ role: DeviceRole = .reporter, name: String = "Test Person", sendKey: Bool = true,
        assignment: CodeAssignment? = nil, tokenSeconds: Int64? = nil
    ) async throws
        -> TestDevice
    {
        let key = SigningKey.generate()
        var body: [String: JSONValue] = [
            "code": .string(
                try await code(role, name: name, assignment: assignment, tokenSeconds: tokenSeconds).description)
        ]
        if sendKey { body["publicKey"] = .string(key.publicKey.base64URL) }
        let answer = try await HTTP.post(url + "/v1/enroll", json: .object(body))
        guard answer.status == 201, case .string(let token)? = answer.object["token"],
            case .string(let id)? = answer.object["device"], let device = DeviceID(id)
        else { throw TestServerError("enrollment failed: \(answer.status) \(answer.text)") }
        return TestDevice(key: key, token: token, device: device, role: role)
    }

    /// Makes `device`'s token expire a second ago, as its lifetime running out would.
    func expireToken(of device: DeviceID) async throws {
        _ = try await TestCluster.shared.withConnection(as: .owner, on: server.pool) { connection in
            try await connection.execute(
                """
                UPDATE device_credentials SET token_lifetime_seconds = 60, expires_at = now() - interval '1 second'
                WHERE device_id = \(device.rawValue)
                """)
        }
    }

    /// Pushes events as `device` and returns the answer.
    func push(_ events: [Event], as device: TestDevice) async throws -> HTTPAnswer {
        try await HTTP.send(
            .POST, url + "/v1/events", token: device.token, body: TestDevice.batch(events),
            contentType: "application/cloudevents-batch+json")
    }

    /// The Prometheus text of `/metrics`, read with a new admin's token.
    func metrics() async throws -> String {
        try await HTTP.get(url + "/metrics", token: try await enroll(.admin, sendKey: false).token).text
    }

    /// The outcome names of a push's results, in order.
    static func outcomes(_ answer: HTTPAnswer) -> [String] {
        (answer.object["results"]?.arrayValue ?? []).map { $0["outcome"]?.stringValue ?? "?" }
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
