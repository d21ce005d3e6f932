// Memory benchmark: the memory of the real `fieldsync serve` process with a million events in its log.
//
// The program built beside this one runs as a child process on its embedded PostgreSQL cluster, in a
// temporary folder, three times:
//
// 1. `serve --demo` on an empty log (the server's identity and the Karachi reference data): its memory
//    once the projector has folded what there is.
// 2. `serve --no-projector`: a generated polling day (`ElectionDay`) is pushed over loopback HTTP by its
//    reporters' devices, several at once, each enrolled first with a code from an admin's device and
//    signing its own events, until the log holds the given number of events.
// 3. `serve` on that log: the projector catches up from where the first run left it, folding and
//    writing the whole day; then the server is used a little (every tally read, the whole log exported
//    through `GET /v1/events`, a few pushes) and its memory read again; last, city tallies as of random
//    past positions and times (p50, p99, and the server's memory before and after).
// 4. `serve` again on that log: the time from its start until one more pushed event is in the tallies.
//
// Memory is read from /proc/<pid>/status of the server process alone: VmRSS (now) and VmHWM (the peak
// since it started). PostgreSQL runs in processes of its own and is reported apart, by their private
// memory (RssAnon): summing their RSS would count the shared buffers once per process.
//
// `Tools/benchmark.sh` runs it twice, at 1,000,000 and at 3,000,000 events: the memory must not grow with
// the log between them, and the restart is timed on the larger log.
//
//     swift run -c release memory-benchmark [events, default 1000000] [devices pushing at once, default 16]
import AsyncHTTPClient
import BenchmarkSupport
import FieldSyncModel
import FieldSyncTally
import Foundation
import NIOCore
import ServeSupport
import Synchronization

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let target = arguments.first ?? 1_000_000
let concurrency = arguments.dropFirst().first ?? 16
let cores = ProcessInfo.processInfo.activeProcessorCount
let clock = ContinuousClock()
let benchmarkStarted = clock.now

let bench = try ServeBench(name: "memory-benchmark", connections: concurrency + 2)
let client = bench.client
let dataDirectory = bench.dataDirectory

say("memory-benchmark: fieldsync serve on embedded PostgreSQL, \(target) events pushed over loopback, \(cores) cores")

// The day, generated before any server runs: about two devices per station, each recording a day.
let demo = KarachiDemo()
var options = ElectionDay.Options()
options.turnoutCounts = max(1, Int((Double(target) / Double(demo.stations.count * 2)).rounded(.up)) - 4)
// The server refuses corrections that name another device's event: every event sent here is stored.
options.strayCorrections = 0
let generationStarted = clock.now
let day = ElectionDay(demo: demo, options: options)
say(
    "generated a polling day: \(day.devices.count) devices, \(day.eventCount - day.reference.count) events, "
        + "in \(format(seconds(clock.now - generationStarted), digits: 1)) s (not timed)")

await bench.run(measure)
say("wall time: \(format(seconds(clock.now - benchmarkStarted))) s")

// MARK: -

/// The three runs of the server, and what is measured in each.
func measure() async throws {
    // MARK: 1. The empty log

    let emptyServer = try startServer(["--demo"], logName: "serve-empty.log")
    var api = try await emptyServer.waitForAPI(client: client)
    let adminCode = try await adminEnrollmentCode()
    let admin = try await api.enroll(code: adminCode)
    let auditor = try await api.enroll(
        code: try await api.issueCode(role: "auditor", name: "Memory benchmark auditor", admin: admin))
    let emptyHead = try await api.head(auditor: auditor)
    _ = try await waitForProjector(api, position: emptyHead, server: emptyServer, auditor: auditor)
    let emptyMemory = try emptyServer.memory
    say(
        "empty log (\(emptyHead) events: identity, reference data, an admin and an auditor): "
            + "server \(emptyMemory.summary)")
    try await emptyServer.stop()

    // MARK: 2. The fill, over HTTP, with no projector running

    let ingestServer = try startServer(["--no-projector"], logName: "serve-ingest.log")
    api = try await ingestServer.waitForAPI(client: client)
    let push = ElectionDayPush(day: day, room: target - Int(emptyHead))
    if push.eventCount < target - Int(emptyHead) {
        say(
            "warning: the generated day holds \(push.eventCount) events, fewer than the \(target - Int(emptyHead)) asked"
        )
    }
    let fillStarted = clock.now
    let filled = try await push.run(api: api, admin: admin, concurrency: concurrency)
    let fillTime = seconds(clock.now - fillStarted)
    let fullHead = try await api.head(auditor: auditor)
    say(
        "filled: \(push.shares.count) devices enrolled and \(filled.appended) of their events pushed over HTTP, "
            + "\(concurrency) devices at once, in \(format(fillTime, digits: 1)) s "
            + "(\(format(Double(fullHead - emptyHead) / fillTime)) events/s, enrollments included); log at position \(fullHead)"
    )
    if filled.refused > 0 {
        say("warning: \(filled.refused) events were refused; the first: \(filled.firstRefusal ?? "?")")
    }
    say("ingest server (--no-projector) after the fill: \(try ingestServer.memory.summary)")
    try await ingestServer.stop()

    // MARK: 3. The server on the full log

    let serveStarted = clock.now
    let server = try startServer([], logName: "serve.log")
    api = try await server.waitForAPI(client: client)
    let listening = seconds(clock.now - serveStarted)
    let caughtUpTo = try await waitForProjector(api, position: fullHead, server: server, auditor: auditor)
    let catchUp = seconds(clock.now - serveStarted)
    say(
        "server started on the log: listening after \(format(listening, digits: 1)) s, projector caught up to position "
            + "\(caughtUpTo) after \(format(catchUp, digits: 1)) s "
            + "(\(format(Double(fullHead - emptyHead) / catchUp)) events/s folded and written)")
    say("after the catch-up: server \(try server.memory.summary)")

    let readsStarted = clock.now
    let overview = try await api.get("/v1/tallies", token: auditor)
    guard overview.status == 200 else { throw BenchmarkFailure("GET /v1/tallies: \(overview.status) \(overview.text)") }
    var constituencyBytes = 0
    var largestConstituency = (code: "", bytes: 0)
    for constituency in demo.constituencies {
        let answer = try await api.get("/v1/tallies/\(constituency.code.rawValue)", token: auditor)
        guard answer.status == 200 else {
            throw BenchmarkFailure("GET /v1/tallies/\(constituency.code.rawValue): \(answer.status) \(answer.text)")
        }
        constituencyBytes += answer.body.count
        if answer.body.count > largestConstituency.bytes {
            largestConstituency = (constituency.code.rawValue, answer.body.count)
        }
    }
    say(
        "read /v1/tallies (\(overview.body.count / 1024) KiB) and /v1/tallies/{constituency} of all "
            + "\(demo.constituencies.count) in \(format(seconds(clock.now - readsStarted), digits: 1)) s; "
            + "server then \(try server.memory.summary)")
    // The seat documents as a dashboard pulls them: each seat with its stations' summaries.
    say(
        "seat documents: the largest \(format(Double(largestConstituency.bytes) / 1000, digits: 1)) KB "
            + "(\(largestConstituency.code)), all \(demo.constituencies.count) "
            + "\(format(Double(constituencyBytes) / 1_048_576, digits: 1)) MiB, "
            + "as GET /v1/tallies/{constituency} answers them at \(caughtUpTo) events; goal: the largest ≤ 500 KB")

    let exportStarted = clock.now
    let exported = try await api.stream("/v1/events?after=0", token: auditor)
    guard exported.lines == fullHead else {
        throw BenchmarkFailure("the export has \(exported.lines) lines, the log \(fullHead) events")
    }
    say(
        "exported the whole log over GET /v1/events: \(exported.lines) lines, \(mebibytes(exported.bytes / 1024)) "
            + "in \(format(seconds(clock.now - exportStarted), digits: 1)) s; server then \(try server.memory.summary)")

    let voters = Dictionary(demo.stations.map { ($0.code, $0.voters.total) }) { first, _ in first }
    let pushers = Array(filled.reporters.prefix(100))
    let morePerDevice = 20
    let servingAPI = api
    var pushed = 0
    try await withThrowingTaskGroup(of: Int.self) { group in
        for reporter in pushers {
            group.addTask {
                var reporter = reporter
                let events = try reporter.turnoutCounts(morePerDevice, voters: voters[reporter.station] ?? 1000)
                let result = try await servingAPI.push(events, token: reporter.token)
                guard result.appended == events.count else {
                    throw BenchmarkFailure("a push was refused: \(result.refusal ?? "?")")
                }
                return result.appended
            }
        }
        for try await appended in group { pushed += appended }
    }
    let finalHead = try await api.head(auditor: auditor)
    _ = try await waitForProjector(api, position: finalHead, server: server, auditor: auditor)
    say("pushed \(pushed) more events from \(pushers.count) devices; projector at position \(finalHead)")

    let exercised = try server.memory
    say("after tallies, export and pushes: server \(exercised.summary)")
    say("server memory: \(exercised.summary) with \(fullHead) events (empty log: \(emptyMemory.summary))")

    // Tallies as of random past positions and times (seeded), each folded from the nearest snapshot the
    // projector wrote (`serve --snapshot-every`), or from the log's start when there is none for a time.
    var travelRandom = SplitMix64(seed: 2024_02_08)
    let observed = push.shares.flatMap { day.devices[$0.device].prefix($0.events).map(\.time.instant) }
    let travelSamples = 15
    var positions: [String] = []
    var times: [String] = []
    for _ in 0..<travelSamples {
        positions.append("position=\(travelRandom.next(in: 1...Int(fullHead)))")
        times.append("asOf=" + observed[travelRandom.next(in: 0...(observed.count - 1))].rfc3339UTC)
    }
    for (name, queries) in [("positions", positions), ("times", times)] {
        let beforeTravel = try server.memory
        let latencies = try await api.timeTravelLatencies(queries, token: auditor)
        say(
            "time-travel city tally at random past \(name): "
                + "p50 \(format(percentile(latencies, 0.5), digits: 2)) s, "
                + "p99 \(format(percentile(latencies, 0.99), digits: 2)) s of \(travelSamples); "
                + "server \(beforeTravel.summary) before, \(try server.memory.summary) after")
    }

    if let postgres = server.postgresMemory {
        say(
            "PostgreSQL, apart (\(postgres.processes) processes): \(mebibytes(postgres.anonymous)) private memory "
                + "(RssAnon summed), \(mebibytes(postgres.sharedMemory)) of shared memory touched (largest RssShmem)")
    }
    try await server.stop()

    // MARK: 4. A restart on the full log, to live tallies that move on the next push
    let restartStarted = clock.now
    let restarted = try startServer([], logName: "serve-restart.log")
    let restartedAPI = try await restarted.waitForAPI(client: client)
    let restartListening = seconds(clock.now - restartStarted)
    var latecomer = filled.reporters[min(pushers.count, filled.reporters.count - 1)]
    let late = try latecomer.turnoutCounts(1, voters: voters[latecomer.station] ?? 1000)
    let latePush = try await restartedAPI.push(late, token: latecomer.token)
    guard latePush.appended == late.count else { throw BenchmarkFailure("a push was refused after the restart") }
    let restartHead = try await restartedAPI.head(auditor: auditor)
    _ = try await waitForProjector(restartedAPI, position: restartHead, server: restarted, auditor: auditor)
    say(
        "restart to live tallies: \(format(seconds(clock.now - restartStarted), digits: 1)) s from start to a pushed "
            + "event in the tallies with \(restartHead) events in the log (listening after "
            + "\(format(restartListening, digits: 1)) s); server then \(try restarted.memory.summary)")
    try await restarted.stop()

    // MARK: 5. What the log and the projector's tables take on disk
    for line in try await storageSizes(dataDirectory: dataDirectory) { say("storage " + line) }
}

/// Starts `fieldsync serve` on the benchmark's data folder, with what it prints in `logName` beside it.
func startServer(_ arguments: [String], logName: String) throws -> ServeProcess {
    try bench.startServer(arguments, logName: logName)
}

/// An admin's enrollment code, made by `fieldsync admin enroll` beside the running server.
func adminEnrollmentCode() async throws -> String {
    try await bench.adminEnrollmentCode(name: "Memory benchmark")
}

/// Waits until `GET /v1/tallies` is as of `position` or later; returns its position.
func waitForProjector(_ api: FieldSyncAPI, position: Int64, server: ServeProcess, auditor: String) async throws -> Int64
{
    try await server.waitForProjector(api, position: position, auditor: auditor)
}
