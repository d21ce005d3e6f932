import FieldSyncModel
import FieldSyncProjection
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Logging
import NIOHTTP1

/// A FieldSync server with its projector, running in the test process on a free loopback port, on a fresh
/// database of the shared test cluster (connected as the server's role, as `fieldsync serve` is), with the reference
/// data of NA-248's first four stations. The polling day is pushed over real HTTP by three enrolled
/// reporters; an auditor's token reads it back.
struct AuditTestServer: Sendable {
    let server: FieldSyncServer
    let pool: PostgresPool
    let url: String
    /// An auditor's token: reads events, the signed head and tallies.
    let auditor: String
    let stations: [PollingStation]
    let candidates: [Candidate]

    /// Runs `body` with a started server that has the polling day, and stops it afterwards.
    static func with<T: Sendable>(_ body: (AuditTestServer) async throws -> T) async throws -> T {
        let demo = KarachiDemo()
        let national = ConstituencyCode("NA-248")!
        let stations = Array(demo.stations.filter { $0.national == national }.prefix(4))
        let seats = Set(stations.flatMap(\.constituencies))
        let candidates = demo.candidates.filter { seats.contains($0.constituency) }
        let time = KarachiDemo.referenceTime
        let reference =
            [EventDraft(payload: .electionDefined(KarachiDemo.election), time: time)]
            + demo.constituencies.filter { seats.contains($0.code) }.map {
                EventDraft(payload: .constituencyDefined($0), time: time)
            }
            + stations.map { EventDraft(payload: .stationDefined($0), time: time) }
            + candidates.map { EventDraft(payload: .candidateDefined($0), time: time) }
        return try await InProcessServer.with(
            reference: reference, projector: Projector.Options(), logLevel: .error, label: "fieldsync.audit-test-server"
        ) { started in
            let server = started.server
            let auditor = try await enroll(server, url: started.url, role: .auditor, key: nil).token
            let test = AuditTestServer(
                server: server, pool: server.pool, url: started.url, auditor: auditor, stations: stations,
                candidates: candidates)
            try await test.pushPollingDay()
            try await test.waitForProjector()
            return try await body(test)
        }
    }

    /// Enrolls a device over HTTP; its token.
    static func enroll(
        _ server: FieldSyncServer, url: String, role: DeviceRole, key: SigningKey?
    ) async throws
        -> (token: String, device: DeviceID)
    {
        let code = try await server.testCode(role, name: "Test \(role.rawValue)")
        var body: [String: JSONValue] = ["code": .string(code.description)]
        if let key { body["publicKey"] = .string(key.publicKey.base64URL) }
        let (status, answer) = try await post(url + "/v1/enroll", body: CanonicalJSON.bytes(.object(body)))
        guard status == 201, let token = answer["token"]?.stringValue,
            let device = answer["device"]?.stringValue.flatMap({ DeviceID($0) })
        else { throw AuditTestError("enrollment failed: \(status) \(answer)") }
        return (token, device)
    }

    /// Three reporters enrolled over HTTP push their polling day, each in one batch.
    func pushPollingDay() async throws {
        var keys = [SigningKey]()
        var chains = [DeviceChain]()
        var tokens = [String]()
        for _ in 0..<3 {
            let key = SigningKey.generate()
            let enrolled = try await Self.enroll(server, url: url, role: .reporter, key: key)
            keys.append(key)
            chains.append(DeviceChain(device: enrolled.device))
            tokens.append(enrolled.token)
        }
        var byReporter = [[Event]](repeating: [], count: 3)
        _ = PollingDay.record(stations: stations, candidates: candidates) { index, payload, station, time in
            let event = try! chains[index].sign(
                EventDraft(payload: payload, subject: station.rawValue, time: ObservedTime(time)!), key: keys[index])
            byReporter[index].append(event)
            return event
        }
        for (index, events) in byReporter.enumerated() {
            try await push(events, token: tokens[index])
        }
    }

    /// A new reporter's turnout count at station 3, pushed; the projector has folded it on return.
    func pushOneMore(votes: Int) async throws {
        let key = SigningKey.generate()
        let enrolled = try await Self.enroll(server, url: url, role: .reporter, key: key)
        var chain = DeviceChain(device: enrolled.device)
        let time = ObservedTime("2024-02-08T14:00:00+05:00")!
        let event = try chain.sign(
            EventDraft(
                payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: votes)),
                subject: stations[3].code.rawValue, time: time),
            key: key)
        try await push([event], token: enrolled.token)
        try await waitForProjector()
    }

    /// Pushes events as the device with `token`; every one must be appended.
    func push(_ events: [Event], token: String) async throws {
        let (status, answer) = try await Self.post(
            url + "/v1/events", body: CanonicalJSON.bytes(.array(events.map(\.jsonValue))), token: token,
            contentType: "application/cloudevents-batch+json")
        let outcomes = (answer["results"]?.arrayValue ?? []).map { $0["outcome"]?.stringValue ?? "?" }
        guard status == 200, outcomes == Array(repeating: "appended", count: events.count) else {
            throw AuditTestError("push failed: \(status) \(answer)")
        }
    }

    /// Waits until the projector has folded everything stored.
    func waitForProjector() async throws {
        let head = try await server.events.head().position
        try await waitUntil("the projector at position \(head)") {
            try await get("/v1/tallies")["position"]?.integerValue == head
        }
    }

    /// `GET path` with the auditor's token, parsed.
    func get(_ path: String) async throws -> JSONValue {
        try JSONParser.parse(try await body(path))
    }

    /// The body of `GET path` with the auditor's token.
    func body(_ path: String) async throws -> [UInt8] {
        try await Self.get(url + path, token: auditor).body
    }

    /// `GET url` with `token`: the status and the body.
    static func get(_ url: String, token: String) async throws -> (status: Int, body: [UInt8]) {
        let answer = try await HTTP.get(url, token: token)
        return (answer.status, answer.body)
    }

    /// The stored event at `position`, as the export serves it.
    func storedEvent(at position: Int64) async throws -> StoredEvent {
        try StoredEvent(line: try await body("/v1/events?after=\(position - 1)&limit=1"))
    }

    /// Runs SQL as the PostgreSQL superuser on the server's database.
    func superuser(_ sql: SQL) async throws {
        try await TestCluster.shared.withConnection(as: .superuser, on: pool) { connection in
            _ = try await connection.execute(sql)
        }
    }

    /// The `fieldsync` arguments that name this server and the auditor's token.
    var credentials: [String] { ["--server", url, "--token", auditor] }

    static func post(
        _ url: String, body: [UInt8], token: String? = nil, contentType: String = "application/json"
    ) async throws -> (Int, JSONValue) {
        let answer = try await HTTP.send(.POST, url, token: token, body: body, contentType: contentType)
        return (answer.status, (try? answer.json()) ?? .null)
    }
}
