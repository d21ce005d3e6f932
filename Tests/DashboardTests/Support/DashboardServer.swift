import FieldSyncModel
import FieldSyncProjection
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import NIOHTTP1

/// A FieldSync server for dashboard tests: in this process, on a free loopback port, on a fresh
/// database of the shared test cluster, with the projector folding tallies as the real `serve` does.
struct DashboardServer: Sendable {
    let server: FieldSyncServer
    let url: String

    /// Runs `body` with a started server loaded with `reference` (signed by the server, as
    /// `serve --demo` loads it), and stops the server afterwards.
    static func with<T: Sendable>(
        reference: [EventDraft], heartbeatSeconds: Int = 15, _ body: (DashboardServer) async throws -> T
    ) async throws -> T {
        var projector = Projector.Options()
        projector.pollMilliseconds = 200
        return try await InProcessServer.with(
            ServerConfiguration(heartbeatSeconds: heartbeatSeconds), reference: reference, projector: projector,
            label: "fieldsync.dashboard-test"
        ) { started in
            try await body(DashboardServer(server: started.server, url: started.url))
        }
    }

    /// A one-time code, as `fieldsync admin enroll --role … --name …` makes it. A reporter's covers every
    /// National Assembly seat unless `assignment` names what it covers.
    func code(_ role: DeviceRole, name: String, assignment: CodeAssignment? = nil) async throws -> String {
        try await server.testCode(role, name: name, assignment: assignment).description
    }

    /// An editor's token: a code exchanged over HTTP, as the dashboard's sign-in does.
    func editorToken(name: String = "Newsroom") async throws -> String {
        let answer = try await HTTP.post(
            url + "/v1/enroll", json: ["code": .string(try await code(.editor, name: name))])
        guard answer.status == 201, let token = try answer.json()["token"]?.stringValue else {
            throw DashboardTestError("editor enrollment failed: \(answer.status) \(answer.text)")
        }
        return token
    }

    /// A reporter's device: a new key, enrolled over HTTP, assigned to every NA seat or to `assignment`.
    func reporter(name: String = "Reporter", assignment: CodeAssignment? = nil) async throws -> Reporter {
        let key = SigningKey.generate()
        let body: JSONValue = [
            "code": .string(try await code(.reporter, name: name, assignment: assignment)),
            "publicKey": .string(key.publicKey.base64URL),
        ]
        let answer = try await HTTP.post(url + "/v1/enroll", json: body)
        guard answer.status == 201, let token = try answer.json()["token"]?.stringValue,
            let id = try answer.json()["device"]?.stringValue, let device = DeviceID(id)
        else { throw DashboardTestError("reporter enrollment failed: \(answer.status) \(answer.text)") }
        return Reporter(key: key, token: token, chain: DeviceChain(device: device))
    }

    /// Signs and pushes observations as `reporter`; returns the position of the last one stored.
    @discardableResult
    func push(_ drafts: [EventDraft], as reporter: inout Reporter) async throws -> Int64 {
        var events: [Event] = []
        for draft in drafts { events.append(try reporter.chain.sign(draft, key: reporter.key)) }
        let answer = try await HTTP.send(
            .POST, url + "/v1/events", token: reporter.token,
            body: CanonicalJSON.bytes(.array(events.map(\.jsonValue))),
            contentType: "application/cloudevents-batch+json")
        let results = try answer.json()["results"]?.arrayValue ?? []
        let outcomes = results.compactMap { $0["outcome"]?.stringValue }
        guard answer.status == 200, outcomes.count == drafts.count, outcomes.allSatisfy({ $0 == "appended" }) else {
            throw DashboardTestError("push failed: \(answer.status) \(answer.text)")
        }
        return results.compactMap { $0["position"]?.integerValue }.max() ?? 0
    }

    /// Waits until the projector has folded the log up to `position`.
    func waitForTallies(upTo position: Int64, token: String) async throws {
        try await waitUntil("the projector at position \(position)") {
            let answer = try await HTTP.get(url + "/v1/tallies", token: token)
            guard answer.status == 200 else { return false }
            return try answer.json()["position"]?.integerValue ?? 0 >= position
        }
    }
}

/// A reporter's enrolled device: its key, credentials and chain.
struct Reporter: Sendable {
    let key: SigningKey
    let token: String
    var chain: DeviceChain
}

struct DashboardTestError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
