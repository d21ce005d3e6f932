// Roster benchmark: the memory of the real `fieldsync serve --demo pakistan` with the national day's whole
// roster of reporters' devices enrolled, each assigned to its station, as on the morning of polling day.
//
// The program built beside this one runs as a child process on its embedded PostgreSQL cluster, in a
// temporary folder. Its memory is read idle with the national reference data (90,675 stations; after a
// restart, so that what loading them left behind is not counted), then while
// the reporters enroll over loopback HTTP the way `fieldsync init` enrolls them (an admin's device issues a
// code naming the station, the reporter's device enrolls with it and its own key; several at once), then
// once the projector has folded every enrollment, and last after a restart on that log (the reference
// data read back from the log, with none of the enrollment's garbage). Last, on that restarted server, a
// slice of the national day is played with `fieldsync simulate` (as `Tools/benchmark.sh --only national`
// plays it on a server without the roster), and the memory read once its tallies are folded: the roster and
// the day in one server; then city tallies as of random past positions and times on it.
//
// Memory is read from /proc/<pid>/status of the server process alone: VmRSS (now) and VmHWM (the peak).
//
//     swift run -c release roster-benchmark [reporters, default 181350: two for each station] [at once, default 16]
//         [stations of the day's slice, default 2000; 0 for none]
import BenchmarkSupport
import FieldSyncModel
import Foundation
import ServeSupport
import Synchronization

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let demo = PakistanDemo()
let reporters = arguments.first ?? 2 * demo.stations.count
let concurrency = arguments.dropFirst().first ?? 16
let sliceStations = arguments.dropFirst(2).first ?? 2_000
let clock = ContinuousClock()
let started = clock.now

let bench = try ServeBench(name: "roster-benchmark", connections: concurrency + 2)

say(
    "roster-benchmark: fieldsync serve --demo pakistan, \(reporters) reporters enrolled over loopback, "
        + "\(concurrency) at once, \(ProcessInfo.processInfo.activeProcessorCount) cores")

await bench.run(measure)
say("wall time: \(format(seconds(clock.now - started))) s")

// MARK: -

func measure() async throws {
    // Enrollment is what is measured: the limits on enrollment attempts are set out of its way.
    let limits = ["--enrollment-attempts", "1000000", "--enrollment-attempts-total", "1000000"]
    let loading = try bench.startServer(["--demo", "pakistan"], logName: "serve-load.log")
    var api = try await loading.waitForAPI(client: bench.client)
    let admin = try await api.enroll(code: try await bench.adminEnrollmentCode(name: "Roster benchmark"))
    let auditor = try await api.enroll(
        code: try await api.issueCode(role: "auditor", name: "Roster benchmark auditor", admin: admin))
    try await loading.stop()

    // Idle, read after a restart: the load's own garbage is not the reference data's.
    let server = try bench.startServer(limits, logName: "serve.log")
    api = try await server.waitForAPI(client: bench.client)
    _ = try await server.waitForProjector(api, position: try await api.head(auditor: auditor), auditor: auditor)
    let idle = try await settledMemory(of: server)
    say("idle with the national reference data (\(demo.stations.count) stations): server \(idle.summary)")

    let enrolling = api
    let enrollStarted = clock.now
    let next = NextReporter()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<max(1, concurrency) {
            group.addTask {
                while true {
                    let index = next.take()
                    guard index < reporters else { return }
                    let station = demo.stations[index % demo.stations.count].code.rawValue
                    let code = try await enrolling.issueCode(
                        role: "reporter", name: "Reporter \(index + 1)", admin: admin, stations: [station])
                    _ = try await enrolling.enroll(code: code, publicKey: SigningKey.generate().publicKey)
                    if (index + 1) % max(1, reporters / 10) == 0 {
                        say(
                            "\(index + 1) enrolled in \(format(seconds(clock.now - enrollStarted))) s: server "
                                + "\(try server.memory.summary)")
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    let enrollTime = seconds(clock.now - enrollStarted)
    let head = try await api.head(auditor: auditor)
    _ = try await server.waitForProjector(api, position: head, auditor: auditor)
    let enrolled = try await settledMemory(of: server)
    say(
        "enrolled \(reporters) reporters, each assigned to a station, in \(format(enrollTime)) s "
            + "(\(format(Double(reporters) / enrollTime)) a second); log at position \(head)")
    say(
        "after the roster, folded: server \(enrolled.summary): \(perDevice(enrolled, idle)) bytes a device more "
            + "than idle")
    try await server.stop()

    let restarted = try bench.startServer([], logName: "serve-restart.log")
    let again = try await restarted.waitForAPI(client: bench.client)
    _ = try await restarted.waitForProjector(again, position: head, auditor: auditor)
    let fresh = try await settledMemory(of: restarted)
    say(
        "national roster: server \(fresh.summary) after a restart with \(reporters) reporters enrolled "
            + "(idle without them \(mebibytes(idle.resident))): \(perDevice(fresh, idle)) bytes a device")
    if sliceStations > 0 { try await playSlice(on: restarted, api: again, auditor: auditor) }
    try await restarted.stop()
}

/// Plays `sliceStations` stations' day with `fieldsync simulate` on the server holding the roster, then
/// reads its memory once the projector has folded the day.
func playSlice(on server: ServeProcess, api: FieldSyncAPI, auditor: String) async throws {
    let started = clock.now
    let printed = try await bench.program.run(
        [
            "simulate", "--data-dir", bench.dataDirectory, "--stations", String(sliceStations),
            "--reporters", String(2 * sliceStations), "--seed", "1", "--json",
        ],
        outputFile: bench.folder + "/simulate.json")
    let day = printed.split(separator: "\n").last { $0.hasPrefix("{") }.flatMap {
        try? JSONParser.parse(Array($0.utf8))
    }
    let events = day?["events"]?.integerValue ?? 0
    let pushed = seconds(clock.now - started)
    _ = try await server.waitForProjector(api, position: try await api.head(auditor: auditor), auditor: auditor)
    let caughtUp = seconds(clock.now - started) - pushed
    let after = try await settledMemory(of: server)
    say(
        "national roster and day: server \(after.summary) with \(reporters) reporters enrolled and \(sliceStations) "
            + "stations' day played on them (\(events) events in \(format(pushed)) s, folded \(format(caughtUp)) s "
            + "after the last push)")
    try await travel(
        on: server, api: api, auditor: auditor, since: try await api.head(auditor: auditor) - Int64(events))
}

/// City tallies as of random past positions in the day's slice and random times of polling day (seeded),
/// on the national server: what each request costs with about 100,000 reference events and 90,675 stations.
func travel(on server: ServeProcess, api: FieldSyncAPI, auditor: String, since first: Int64) async throws {
    let head = try await api.head(auditor: auditor)
    var random = SplitMix64(seed: 2024_02_08)
    // Polling day in UTC: polls open at 03:00 (08:00 in Pakistan), the last results come in the evening.
    let opening = Timestamp(rfc3339: "2024-02-08T03:00:00Z")!
    let samples = 9
    var positions: [String] = []
    var times: [String] = []
    for _ in 0..<samples {
        positions.append("position=\(random.next(in: Int(max(1, first))...Int(head)))")
        let time = Timestamp(microseconds: opening.microseconds + Int64(random.next(in: 0...(14 * 3600))) * 1_000_000)
        times.append("asOf=" + time.rfc3339UTC)
    }
    for (name, queries) in [("positions", positions), ("times", times)] {
        let before = try server.memory
        let latencies = try await api.timeTravelLatencies(queries, token: auditor)
        say(
            "national time travel, city tally at random past \(name): p50 \(format(percentile(latencies, 0.5), digits: 2)) s, "
                + "max \(format(latencies.last ?? 0, digits: 2)) s of \(samples); server \(before.summary) before, "
                + "\(try server.memory.summary) after")
    }
    // The last fold is kept 30 s after its last use (`TallyTimeTravel.LastFold`), then freed memory handed back.
    try await Task.sleep(for: .seconds(31))
    say("national time travel: server \(try await settledMemory(of: server).summary) once the last fold is let go")
}

/// The server's memory once it has settled: its projector resumed from its checkpoint, and the memory
/// freed meanwhile handed back (the server does every 10 s).
func settledMemory(of server: ServeProcess) async throws -> ProcessMemory {
    try await Task.sleep(for: .seconds(11))
    return try server.memory
}

/// The resident memory `after` holds beyond `before`, per reporter enrolled, in bytes.
func perDevice(_ after: ProcessMemory, _ before: ProcessMemory) -> Int {
    (after.resident - before.resident) * 1024 / max(1, reporters)
}

/// The next reporter to enroll, shared by the tasks enrolling at once.
final class NextReporter: Sendable {
    private let next = Atomic(0)

    /// The index of a reporter no other task has taken.
    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
