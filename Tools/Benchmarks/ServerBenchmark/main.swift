// Server benchmark: signed events pushed by many simulated reporters at once, in batches of 500, over
// loopback HTTP, to a server running in this process on an embedded PostgreSQL cluster with the Karachi
// demo reference data. Every event is signed and every batch serialised before the clock starts.
// Compared, in the same run, with `openssl speed -multi 2 ed25519` verifications per second: checking a
// signature is the floor of the server's work per event, so that rate is the ceiling of its throughput.
//
//     swift run -c release server-benchmark [devices] [batches-per-device] [events-per-batch]

import AsyncHTTPClient
import BenchmarkSupport
import FieldSyncModel
import FieldSyncProjection
import FieldSyncServer
import FieldSyncStore
import Foundation
import NIOCore
import ServeSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let devices = arguments.count > 0 ? arguments[0] : 16
let batchesPerDevice = arguments.count > 1 ? arguments[1] : 4
let batchSize = arguments.count > 2 ? arguments[2] : 500
let cores = ProcessInfo.processInfo.activeProcessorCount

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-server-benchmark-\(getpid())")
    .path
try FileManager.default.createDirectory(
    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
defer { try? FileManager.default.removeItem(atPath: folder) }

// The ceiling, measured first, on a quiet process.
let ceiling = OpenSSLSpeed.ed25519VerifyRate(processes: cores, seconds: 3)

say(
    "server-benchmark: \(devices) devices × \(batchesPerDevice) batches × \(batchSize) events over loopback, \(cores) cores"
)
let running = try await InProcessServer.start(dataDirectory: folder + "/data", label: "server-benchmark")

var clientConfiguration = HTTPClient.Configuration()
clientConfiguration.connectionPool = .init(
    idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: devices)
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
let api = FieldSyncAPI(base: running.url, client: client)

// Enroll the devices, then sign and serialise every batch.
struct SimulatedReporter {
    var token: String
    var batches: [[UInt8]]
}
let stations = KarachiDemo().stations
// Every national seat: a reporter of the benchmark may observe anywhere in the city.
let everySeat = CodeAssignment(
    constituencies: KarachiDemo().constituencies.filter { $0.assembly == .national }.map(\.code))
let opens = Timestamp(rfc3339: "2024-02-08T08:30:00+05:00")!
var reporters: [SimulatedReporter] = []
let signingStarted = ContinuousClock.now
for index in 0..<devices {
    let key = SigningKey.generate()
    let code = try await running.server.codes.issue(
        role: .reporter, name: "Reporter \(index + 1)", validForSeconds: 3600, assignment: everySeat
    ).code
    let token = try await api.enroll(code: code.description, publicKey: key.publicKey)
    var chain = DeviceChain(device: key.publicKey.deviceID)
    var batches: [[UInt8]] = []
    for batch in 0..<batchesPerDevice {
        let events = (0..<batchSize).map { offset -> JSONValue in
            let number = batch * batchSize + offset
            let station = stations[(index * 997 + number * 31) % stations.count]
            let time = ObservedTime(opens.adding(seconds: Int64(number % 30_000)), offsetMinutes: 300)
            let turnout = TurnoutCount(asOf: time, votesCast: number % max(1, station.voters.total))
            let draft = EventDraft(payload: .turnoutCounted(turnout), subject: station.code.rawValue, time: time)
            return try! chain.sign(draft, key: key).jsonValue
        }
        batches.append(CanonicalJSON.bytes(.array(events)))
    }
    reporters.append(SimulatedReporter(token: token, batches: batches))
}
let totalEvents = devices * batchesPerDevice * batchSize
say("signed \(totalEvents) events in \(seconds(ContinuousClock.now - signingStarted)) s (not timed)")

// The timed part: every device pushes its batches one after the other, all devices at once.
let started = ContinuousClock.now
let results = try await withThrowingTaskGroup(of: [(latency: Duration, answer: FieldSyncAPI.Answer)].self) { group in
    for reporter in reporters {
        group.addTask {
            var answers: [(latency: Duration, answer: FieldSyncAPI.Answer)] = []
            for body in reporter.batches {
                let sent = ContinuousClock.now
                let answer = try await api.post(
                    "/v1/events", token: reporter.token, body: body, contentType: "application/cloudevents-batch+json")
                answers.append((ContinuousClock.now - sent, answer))
            }
            return answers
        }
    }
    var all: [(latency: Duration, answer: FieldSyncAPI.Answer)] = []
    for try await answers in group { all += answers }
    return all
}
let elapsed = ContinuousClock.now - started

// Every event must have been stored.
var appended = 0
for (_, answer) in results {
    guard answer.status == 200 else { fatalError("a batch failed: \(answer.status) \(answer.text)") }
    for item in try answer.json["results"]?.arrayValue ?? [] where item["outcome"] == "appended" {
        appended += 1
    }
}
precondition(appended == totalEvents, "only \(appended) of \(totalEvents) events were appended")

let latencies = results.map(\.latency).sorted()
let p50 = latencies[latencies.count / 2]
let p99 = latencies[min(latencies.count - 1, Int((Double(latencies.count) * 0.99).rounded(.up)) - 1)]
let rate = Double(totalEvents) / seconds(elapsed)

// Reads of a seat's document (`GET /v1/tallies/{seat}`: the seat and every station voting in it), once
// the projector has folded every event: as many readers as devices, for five seconds.
let editorCode = try await running.server.codes.issue(role: .editor, name: "Editor", validForSeconds: 3600).code
let editor = try await api.enroll(code: editorCode.description, publicKey: SigningKey.generate().publicKey)
// The server of this benchmark runs no projector: the tallies are folded here, once, before the reads.
try await Projector(events: running.database.events).applyPending()
let seatPage = "/v1/tallies/NA-248"
let seatBytes = try await api.get(seatPage, token: editor).body.count
let readsEnd = ContinuousClock.now + .seconds(5)
let readsStarted = ContinuousClock.now
let reads = try await withThrowingTaskGroup(of: Int.self) { group in
    for _ in 0..<devices {
        group.addTask {
            var count = 0
            while ContinuousClock.now < readsEnd {
                let answer = try await api.get(seatPage, token: editor)
                guard answer.status == 200 else { fatalError("GET \(seatPage): \(answer.status) \(answer.text)") }
                count += 1
            }
            return count
        }
    }
    var total = 0
    for try await count in group { total += count }
    return total
}
let readRate = Double(reads) / seconds(ContinuousClock.now - readsStarted)

try await running.stop()
try await client.shutdown().get()

say("pushed \(totalEvents) events in \(latencies.count) batches in \(format(seconds(elapsed))) s")
say("server throughput:              \(format(rate)) events/s")
say("batch latency:                  p50 \(format(seconds(p50) * 1000)) ms, p99 \(format(seconds(p99) * 1000)) ms")
say(
    "seat document reads:            \(format(readRate)) reads/s (GET \(seatPage), \(seatBytes / 1024) KiB, \(devices) readers)"
)
if let ceiling {
    say("openssl speed -multi \(cores) -seconds 3 ed25519: \(format(ceiling)) verify/s")
    say("ratio, events/s / openssl verify/s: \(format(rate / ceiling, digits: 2)) (goal ≥ 0.6)")
} else {
    say("openssl speed: not available, no ratio")
}
