// Live benchmark: the real `fieldsync serve --demo` holding thousands of live streams (`GET /v1/live`)
// while reporters push at a steady rate.
//
// The program built beside this one runs as a child process on its embedded PostgreSQL cluster, in a
// temporary folder, with its projector. Editors' devices open the streams, a share each; then reporters'
// devices push pre-signed turnout counts across Karachi's stations at the given rate, in small batches
// spread over each second, for the given time. Measured:
//
// - the server's memory per stream: its RSS (/proc) before and after the streams are opened, over their
//   number;
// - for each pushed batch, from its answer (the append has committed) to the moment the last of the
//   watched streams received an event whose id (a log position) covers it: p50, p99, max. Every stream
//   asks for gzip, as browsers do; one in `watchEvery` decodes what it gets (the others only take the
//   bytes), because decoding every stream here would take more of the machine than the server;
// - meanwhile, the seat page an editor's dashboard reads (`GET /v1/tallies/NA-248`) every 200 ms: its
//   latency, before the load and during it.
//
//     swift run -c release live-benchmark [streams, default 5000] [events/s, default 2000] [seconds, default 30]
//         [the server's --live-interval in milliseconds, default 1000]

import AsyncHTTPClient
import BenchmarkSupport
import FieldSyncModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ServeSupport
import Synchronization

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let streamCount = arguments.count > 0 ? arguments[0] : 5_000
let rate = arguments.count > 1 ? arguments[1] : 2_000
let duration = arguments.count > 2 ? arguments[2] : 30
let liveInterval = Double(arguments.count > 3 ? arguments[3] : 1000) / 1000
let cores = ProcessInfo.processInfo.activeProcessorCount
let clock = ContinuousClock()

// Each stream is one open file here and one in the server.
var fileLimit = rlimit()
getrlimit(Int32(RLIMIT_NOFILE.rawValue), &fileLimit)
fileLimit.rlim_cur = fileLimit.rlim_max
setrlimit(Int32(RLIMIT_NOFILE.rawValue), &fileLimit)
guard Int(fileLimit.rlim_cur) > streamCount + 1_000 else {
    say("live-benchmark: the open file limit (\(fileLimit.rlim_cur)) is too low for \(streamCount) streams")
    exit(1)
}

let program = try FieldSyncProgram()
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-live-benchmark-\(getpid())").path
try FileManager.default.createDirectory(
    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
defer { try? FileManager.default.removeItem(atPath: folder) }
let dataDirectory = folder + "/data"

let editors = max(1, min(50, streamCount / 100))
let streamsPerEditor = (streamCount + editors - 1) / editors
let reporters = max(4, rate / 100)
let batchesPerSecond = 4
let batchSize = max(1, rate / reporters / batchesPerSecond)
let watchEvery = 25

let client = HTTPClient(eventLoopGroupProvider: .singleton)
say(
    "live-benchmark: fieldsync serve --demo, \(streamCount) live streams (\(editors) editors), \(reporters) reporters "
        + "pushing \(reporters * batchSize * batchesPerSecond) events/s in batches of \(batchSize) for \(duration) s, "
        + "--live-interval \(liveInterval) s, \(cores) cores")

let server = try program.serve(
    dataDirectory: dataDirectory,
    arguments: [
        "--demo", "--live-limit", String(streamCount + 100), "--live-per-device", String(streamsPerEditor),
        "--live-interval", String(liveInterval),
    ],
    logFile: folder + "/serve.log")
do {
    try await measure()
} catch {
    if server.isRunning { try? await server.stop() }
    try? await client.shutdown().get()
    say("live-benchmark failed: \(error)\nthe end of fieldsync serve's log:\n\(server.log)")
    exit(1)
}
try await server.stop()
try await client.shutdown().get()

// MARK: -

func measure() async throws {
    let api = try await server.waitForAPI(client: client)
    let admin = try await api.enroll(
        code: try await program.enrollmentCode(
            role: "admin", name: "Live benchmark", dataDirectory: dataDirectory, outputFile: folder + "/admin.txt"))
    do {
        try await measure(api, admin: admin)
    } catch {
        // What the server says of its connections and streams, to tell why.
        let metrics = (try? await api.get("/metrics", token: admin))?.text ?? ""
        say(
            metrics.split(separator: "\n").filter { $0.contains("timed_out") || $0.contains("live") }.joined(
                separator: "\n"))
        throw error
    }
}

func measure(_ api: FieldSyncAPI, admin: String) async throws {
    let auditor = try await api.enroll(
        code: try await api.issueCode(role: "auditor", name: "Live benchmark auditor", admin: admin))
    var enrolled = [String]()
    for index in 0..<editors {
        enrolled.append(
            try await api.enroll(
                code: try await api.issueCode(role: "editor", name: "Editor \(index + 1)", admin: admin)))
    }
    let editorTokens = enrolled
    let pushers = try await enrollReporters(api, admin: admin)
    _ = try await server.waitForProjector(api, position: try await api.head(auditor: auditor), auditor: auditor)
    let seatPage = "/v1/tallies/NA-248"
    let idleSeat = try await seatLatencies(api, path: seatPage, token: editorTokens[0], until: clock.now + .seconds(3))

    // The streams, opened a hundred at a time.
    try await Task.sleep(for: .seconds(1))
    let before = try server.memory
    guard let port = URLComponents(string: api.base)?.port else { throw BenchmarkFailure("no port in \(api.base)") }
    let logs = (0..<streamCount).map { _ in LiveStreamLog() }
    var channels = [any Channel]()
    for start in stride(from: 0, to: streamCount, by: 100) {
        let opening = (start..<min(streamCount, start + 100)).map { index in
            ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            LiveStreamClient(
                                log: logs[index], token: editorTokens[index / streamsPerEditor],
                                watching: index % watchEvery == 0))
                    }
                }
                .connect(host: "127.0.0.1", port: port)
        }
        for future in opening { channels.append(try await future.get()) }
        while logs[start..<min(streamCount, start + 100)].contains(where: { !$0.hello }) {
            if let refused = logs.first(where: { $0.status != 0 && $0.status != 200 }) {
                throw BenchmarkFailure("a live stream was answered \(refused.status)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
    try await Task.sleep(for: .seconds(2))
    let held = try server.memory
    let perStream = Double(held.resident - before.resident) / Double(streamCount)
    say(
        "memory per stream: \(format(perStream, digits: 1)) KiB (server RSS \(mebibytes(before.resident)) before the "
            + "streams, \(mebibytes(held.resident)) with \(streamCount) held)")

    // The load: every reporter pushes `batchesPerSecond` batches a second, each at its own moment.
    let started = clock.now
    let stop = started + .seconds(duration)
    let seatDuringLoad = Task { try await seatLatencies(api, path: seatPage, token: editorTokens[0], until: stop) }
    let batches = try await withThrowingTaskGroup(of: [PushedBatch].self) { group in
        for (index, pusher) in pushers.enumerated() {
            group.addTask {
                var pushed = [PushedBatch]()
                for (number, body) in pusher.batches.enumerated() {
                    let due =
                        started + .milliseconds(number * 1000 / batchesPerSecond)
                        + .milliseconds(index * 1000 / (reporters * batchesPerSecond))
                    guard due < stop else { break }
                    try await Task.sleep(until: due, clock: clock)
                    let answer: FieldSyncAPI.Answer
                    do {
                        answer = try await api.post(
                            "/v1/events", token: pusher.token, body: body,
                            contentType: "application/cloudevents-batch+json")
                    } catch {
                        throw BenchmarkFailure(
                            "push \(number) of reporter \(index) at \(clock.now - started): \(error)")
                    }
                    let answered = clock.now
                    guard answer.status == 200 else {
                        throw BenchmarkFailure("a push was answered \(answer.status): \(answer.text)")
                    }
                    let positions = try (answer.json["results"]?.arrayValue ?? []).compactMap {
                        $0["position"]?.integerValue
                    }
                    pushed.append(
                        PushedBatch(position: positions.max() ?? 0, answered: answered, events: positions.count))
                }
                return pushed
            }
        }
        var all = [PushedBatch]()
        for try await pushed in group { all += pushed }
        return all
    }
    let pushTime = clock.now - started
    let seatUnderLoad = try await seatDuringLoad.value
    let pushedEvents = batches.reduce(0) { $0 + $1.events }
    let last = batches.map(\.position).max() ?? 0

    // Every watched stream gets to the last position, or the benchmark says how many did not.
    let watched = stride(from: 0, to: streamCount, by: watchEvery).map { logs[$0] }
    let drainEnd = clock.now + .seconds(60)
    while clock.now < drainEnd, watched.contains(where: { $0.position < last }) {
        try await Task.sleep(for: .milliseconds(100))
    }
    let lagging = watched.filter { $0.position < last }.count
    let peak = try server.memory
    for channel in channels { try? await channel.close() }

    // For each batch: when the last stream heard of it.
    let arrivals = watched.map(\.arrivals)
    var latencies = [Double]()
    var unseen = 0
    for batch in batches where batch.position > 0 {
        var latest = batch.answered
        var seen = true
        for stream in arrivals {
            guard let arrival = firstArrival(in: stream, covering: batch.position) else {
                seen = false
                break
            }
            if arrival.at > latest { latest = arrival.at }
        }
        if seen { latencies.append(seconds(latest - batch.answered) * 1000) } else { unseen += 1 }
    }
    latencies.sort()
    let bytes = logs.reduce(0) { $0 + $1.bytes }
    say(
        "pushed \(pushedEvents) events in \(batches.count) batches in \(format(seconds(pushTime), digits: 1)) s "
            + "(\(format(Double(pushedEvents) / seconds(pushTime))) events/s); log at position \(last)")
    let eventsPerStream = Double(arrivals.reduce(0) { $0 + $1.count }) / Double(max(1, watched.count))
    say(
        "live events per stream: \(format(eventsPerStream, digits: 1)); gzip-encoded, "
            + "\(format(Double(bytes) / Double(streamCount) / seconds(pushTime) / 1024, digits: 1)) KiB/s each, "
            + "\(format(Double(bytes) / seconds(pushTime) / 1_048_576, digits: 1)) MiB/s in all")
    say(
        "append to every stream's update: p50 \(format(percentile(latencies, 0.5))) ms, "
            + "p99 \(format(percentile(latencies, 0.99))) ms, max \(format(latencies.last ?? 0)) ms, \(streamCount) streams "
            + "(watched: \(watched.count), one in \(watchEvery); \(latencies.count) batches; \(unseen) not seen by every "
            + "watched stream, \(lagging) behind at the end)")
    let underLoad = [0.5, 0.99].map { format(percentile(seatUnderLoad, $0), digits: 1) }
    say(
        "seat page for an editor: under load p50 \(underLoad[0]) ms, p99 \(underLoad[1]) ms, "
            + "max \(format(seatUnderLoad.last ?? 0, digits: 1)) ms; idle p50 \(format(percentile(idleSeat, 0.5), digits: 1)) "
            + "ms (GET \(seatPage)) (goal: p99 under 200 ms)")
    say("server memory at the end: \(peak.summary)")
}

/// One pushed batch: the highest position it was stored at, when its answer came, and how many events.
struct PushedBatch: Sendable {
    var position: Int64
    var answered: ContinuousClock.Instant
    var events: Int
}

/// A reporter of the benchmark: its token and its batches, signed and serialised before the clock starts.
struct Pusher: Sendable {
    var token: String
    var batches: [[UInt8]]
}

/// Enrolls the reporters and signs their turnout counts: each its own stations, a count a second of
/// polling day.
func enrollReporters(_ api: FieldSyncAPI, admin: String) async throws -> [Pusher] {
    let demo = KarachiDemo()
    let stations = demo.stations
    // Each reporter counts turnout all over the city: it is assigned every national seat.
    let seats = demo.constituencies.filter { $0.assembly == .national }.map(\.code.rawValue)
    let opens = Timestamp(rfc3339: "2024-02-08T08:30:00+05:00")!
    var pushers = [Pusher]()
    for index in 0..<reporters {
        let key = SigningKey.generate()
        let token = try await api.enroll(
            code: try await api.issueCode(
                role: "reporter", name: "Reporter \(index + 1)", admin: admin, seats: seats),
            publicKey: key.publicKey)
        var chain = DeviceChain(device: key.publicKey.deviceID)
        let batches = try (0..<(duration * batchesPerSecond)).map { batch in
            let events = try (0..<batchSize).map { offset -> JSONValue in
                let number = batch * batchSize + offset
                let station = stations[(index * 997 + number * 31) % stations.count]
                let time = ObservedTime(opens.adding(seconds: Int64(number % 30_000)), offsetMinutes: 300)
                let turnout = TurnoutCount(asOf: time, votesCast: number % max(1, station.voters.total))
                let draft = EventDraft(payload: .turnoutCounted(turnout), subject: station.code.rawValue, time: time)
                return try chain.sign(draft, key: key).jsonValue
            }
            return CanonicalJSON.bytes(.array(events))
        }
        pushers.append(Pusher(token: token, batches: batches))
    }
    return pushers
}

/// Reads `path` every 200 ms until `end`; the latencies in milliseconds, sorted.
func seatLatencies(
    _ api: FieldSyncAPI, path: String, token: String, until end: ContinuousClock.Instant
) async throws
    -> [Double]
{
    var latencies = [Double]()
    while clock.now < end {
        let sent = clock.now
        let answer: FieldSyncAPI.Answer
        do {
            answer = try await api.get(path, token: token)
        } catch {
            throw BenchmarkFailure("GET \(path) after \(latencies.count) reads: \(error)")
        }
        guard answer.status == 200 else { throw BenchmarkFailure("GET \(path): \(answer.status) \(answer.text)") }
        latencies.append(seconds(clock.now - sent) * 1000)
        try await Task.sleep(until: sent + .milliseconds(200), clock: clock)
    }
    return latencies.sorted()
}

/// The first arrival of a stream at or past `position` (a stream's positions only grow).
func firstArrival(in arrivals: [LiveStreamLog.Arrival], covering position: Int64) -> LiveStreamLog.Arrival? {
    var low = 0
    var high = arrivals.count
    while low < high {
        let middle = (low + high) / 2
        if arrivals[middle].position >= position { high = middle } else { low = middle + 1 }
    }
    return low < arrivals.count ? arrivals[low] : nil
}
