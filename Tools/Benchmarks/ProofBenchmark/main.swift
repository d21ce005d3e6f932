// Proof benchmark: what checking the transparency log costs a reader, at a given size of the log, over real
// HTTP to a server running in this process on an embedded PostgreSQL cluster (default settings).
//
// The log is filled through the event store's API (its global chain and Merkle tree kept batch by batch, as
// on a push), with rows made for it; halfway, a reporter enrolled as `fieldsync init` enrolls one syncs 200
// signed events with the client's sync engine (its receipts carry the heads and proofs it keeps). Then:
//
// 1. `GET /v1/tree/inclusion` for random positions at the current size, and `GET /v1/tree/consistency` for
//    random pairs of sizes, one request at a time: p50 and p99 latency (goal: p99 under 10 ms) and the
//    bytes of the answers. The first few answers of each kind are checked against the tree's roots.
// 2. The real `fieldsync status --prove` of that reporter, through a relay that counts the bytes on the
//    wire both ways (HTTP headers included).
//
//     swift run -c release proof-benchmark [events, default 100000] [requests of each kind, default 2000]
import AsyncHTTPClient
import BenchmarkSupport
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import Foundation
import NIOCore
import ServeSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let target = arguments.first ?? 100_000
let requests = arguments.dropFirst().first ?? 2_000
let reporterEvents = 200
let clock = ContinuousClock()

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-proof-benchmark-\(getpid())")
    .path
// Readable by the unprivileged user that runs the cluster when this runs as root.
try FileManager.default.createDirectory(
    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
defer { try? FileManager.default.removeItem(atPath: folder) }

say(
    "proof-benchmark: a log of \(target) events, \(requests) proofs of each kind, a reporter with \(reporterEvents) "
        + "events, \(ProcessInfo.processInfo.activeProcessorCount) cores")
let running = try await InProcessServer.start(dataDirectory: folder + "/data", label: "fieldsync.proof-benchmark")
let store = running.database.events
let proxy = try CountingProxy(upstreamPort: Int(running.url.split(separator: ":").last!)!)
let proxied = "http://127.0.0.1:\(proxy.port)"
let client = HTTPClient(eventLoopGroupProvider: .singleton)
let api = FieldSyncAPI(base: running.url, client: client)
let auditor = try await api.enroll(
    code: try await running.server.codes.issue(role: .auditor, name: "Proof benchmark auditor", validForSeconds: 3600)
        .code.description)

/// Appends rows through the store until the log holds `size` events.
var synthetic = SyntheticRecords()
@MainActor func fill(to size: Int) async throws {
    while true {
        let missing = size - Int(try await store.head().position)
        guard missing > 0 else { return }
        _ = try await store.append(synthetic.next(min(5_000, missing)))
    }
}

let fillStarted = clock.now
try await fill(to: (target - reporterEvents) / 2)

// The reporter, set up through the relay so that its later `status --prove` goes through it.
let home = ClientHome(path: folder + "/reporter")
let seat = ConstituencyCode("NA-235")!
let code = try await running.server.codes.issue(
    role: .reporter, name: "Proof benchmark reporter", validForSeconds: 3600,
    assignment: CodeAssignment(constituencies: [seat]))
let profile = try await ServerAPI.withClient { client in
    try await DeviceSetup(home: home, server: proxied, code: code.code.description, force: false).run(client: client)
        .profile
}
let key = try ProfileStore(home: home).deviceKey()
let station = try CachedReference.load(home: home)!.data.stations(in: seat)[0]
var log = try await LocalLog.open(home: home, key: key)
var chain = log.chain
let opens = Timestamp(rfc3339: "2024-02-08T08:00:00+05:00")!
try log.append(
    (0..<reporterEvents).map { minute in
        let time = ObservedTime(opens.adding(minutes: Int64(minute)), offsetMinutes: 300)
        let turnout = TurnoutCount(asOf: time, votesCast: minute, male: nil, female: nil)
        return try chain.sign(
            EventDraft(payload: .turnoutCounted(turnout), subject: station.code.rawValue, time: time), key: key)
    })
let synced = try await ServerAPI.withClient { client in
    await SyncEngine(home: home, profile: profile, key: key).run(
        api: ServerAPI(client: client, server: proxied, token: profile.token))
}
guard synced.outcome == .synced, synced.appended == Int64(reporterEvents) else {
    throw BenchmarkFailure("the reporter's sync: \(synced.outcome.rawValue): \(synced.message)")
}
try await fill(to: target)
say(
    "filled the log to \(try await store.head().position) events through the store, the reporter's \(reporterEvents) "
        + "synced halfway (\(synced.batches) batches), in \(format(seconds(clock.now - fillStarted), digits: 1)) s "
        + "(not timed)")

// 1. Proofs at the current size, one request at a time. The server signs a head at most once an interval
// (`treeHeadInterval`), and the fill may end within one: ask until the head covers the whole log.
let filled = try await store.head().position
var size: Int64 = 0
let asked = clock.now
while size < filled {
    if size > 0 { try await Task.sleep(for: .milliseconds(250)) }
    let head = try await api.get("/v1/tree/head", token: auditor)
    guard head.status == 200, let signed = try head.json["size"]?.integerValue, signed >= 2 else {
        throw BenchmarkFailure("GET /v1/tree/head: \(head.status) \(head.text)")
    }
    guard clock.now - asked < .seconds(60) else {
        throw BenchmarkFailure("the signed head stays at \(signed) events of \(filled) after a minute")
    }
    size = signed
}
var random = SystemRandomNumberGenerator()

/// Asks for `path` `requests` times, one after the other, each time with the query `query()` makes:
/// the latencies in milliseconds and the answers' bytes, sorted, and the first few answers.
func measure(
    _ path: String, _ query: () -> String
) async throws -> (milliseconds: [Double], bytes: [Double], samples: [(query: String, json: JSONValue)]) {
    var milliseconds: [Double] = []
    var bytes: [Double] = []
    var samples: [(query: String, json: JSONValue)] = []
    for _ in 0..<requests {
        let query = query()
        let started = clock.now
        let answer = try await api.get(path + "?" + query, token: auditor)
        milliseconds.append(seconds(clock.now - started) * 1000)
        guard answer.status == 200 else {
            throw BenchmarkFailure("GET \(path)?\(query): \(answer.status) \(answer.text)")
        }
        bytes.append(Double(answer.body.count))
        if samples.count < 20 { samples.append((query, try answer.json)) }
    }
    return (milliseconds.sorted(), bytes.sorted(), samples)
}

/// The path of a proof's answer.
func path(_ json: JSONValue) throws -> [SHA256Digest] {
    let path = json["path"]?.arrayValue?.compactMap { $0.stringValue.flatMap { SHA256Digest(hex: $0) } }
    guard let path, path.count == json["path"]?.arrayValue?.count else {
        throw BenchmarkFailure("a proof's path cannot be read: \(json)")
    }
    return path
}

let inclusion = try await measure("/v1/tree/inclusion") {
    "position=\(Int64.random(in: 1...size, using: &random))&size=\(size)"
}
let root = try await store.treeRoot(size: size)
for (query, json) in inclusion.samples {
    guard let position = json["position"]?.integerValue,
        let stored = try await store.events(after: position - 1, limit: 1).first,
        InclusionProof(index: position - 1, size: size, path: try path(json)).verifies(
            leafHash: MerkleTree.leafHash(chain: stored.chain), root: root)
    else { throw BenchmarkFailure("the inclusion proof for \(query) does not lead to the tree's root") }
}
let consistency = try await measure("/v1/tree/consistency") {
    let to = Int64.random(in: 2...size, using: &random)
    return "from=\(Int64.random(in: 1..<to, using: &random))&to=\(to)"
}
for (query, json) in consistency.samples {
    guard let from = json["from"]?.integerValue, let to = json["to"]?.integerValue,
        ConsistencyProof(from: from, to: to, path: try path(json)).verifies(
            oldRoot: try await store.treeRoot(size: from), newRoot: try await store.treeRoot(size: to))
    else { throw BenchmarkFailure("the consistency proof for \(query) does not hold") }
}
for (name, measured, asked) in [
    ("inclusion", inclusion, "random positions"), ("consistency", consistency, "random pairs of sizes"),
] {
    say(
        "GET /v1/tree/\(name): \(requests) requests one at a time, \(asked), at \(size) events; the first "
            + "\(measured.samples.count) answers checked against the tree's roots")
    say(
        "\(name) proofs: p50 \(format(percentile(measured.milliseconds, 0.5), digits: 2)) ms, p99 "
            + "\(format(percentile(measured.milliseconds, 0.99), digits: 2)) ms (goal: p99 under 10 ms), answers "
            + "\(Int(percentile(measured.bytes, 0.5))) bytes (p50), largest \(Int(measured.bytes.last ?? 0)), "
            + "at \(size) events")
}

// 2. `fieldsync status --prove`, through the relay.
let before = proxy.bytes
let printed = try await FieldSyncProgram().run(
    ["status", "--prove", "--json", "--home", home.path], outputFile: folder + "/status.json")
let after = proxy.bytes
guard let line = printed.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
    let proof = try JSONParser.parse(Array(line.utf8))["proof"], proof["proven"] == .bool(true)
else { throw BenchmarkFailure("fieldsync status --prove did not prove: \(printed)") }
let sent = after.sent - before.sent
let received = after.received - before.received
say(
    "fieldsync status --prove through a counting relay: \(proof["bytes"]?.integerValue ?? 0) bytes of answers' "
        + "bodies by its own count; proven at size \(proof["size"] ?? "?")")
say(
    "status --prove bytes on the wire: \(sent + received) (\(sent) sent, \(received) received) in "
        + "\(proof["requests"]?.integerValue ?? 0) requests, \(reporterEvents) events in a log of \(size)")

proxy.stop()
try await client.shutdown().get()
try await running.stop()
