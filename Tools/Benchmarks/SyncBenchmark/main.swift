// Sync benchmark: a reporter's backlog of signed events, made with the client library before the clock
// starts, synced over loopback to a real server (the FieldSync server in this process, on an embedded
// PostgreSQL cluster with its default durability settings). The timed part is what `fieldsync sync`
// does: open and verify the whole local log, ask the server's head, push in batches, verify and keep
// each signed receipt, save the sync state, refresh the reference data (304).
//
//     swift run -c release sync-benchmark [events] [batch size] [rounds]
//
// Each round enrolls a fresh device (with the client's own `init` code) and syncs its whole backlog. Then
// two more fresh devices with a backlog of the same size each have it carried in a bundle, made before the
// clock starts: one pushed by another device over loopback (`fieldsync bundle push`), one imported straight
// into the database (`fieldsync admin import`, the same code without HTTP). The goal is that carrying a
// day is no slower than syncing it.
import BenchmarkSupport
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import Foundation
import ServeSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let eventCount = arguments.first ?? 10_000
let batchSize = arguments.dropFirst().first ?? 500
let rounds = arguments.dropFirst(2).first ?? 3

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-sync-benchmark-\(getpid())").path
try FileManager.default.createDirectory(
    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
defer { try? FileManager.default.removeItem(atPath: folder) }

let running = try await InProcessServer.start(
    dataDirectory: folder + "/data", label: "fieldsync.sync-benchmark", maximumConnections: 8)
let server = running.server
let url = running.url

print("sync-benchmark: \(eventCount) events per backlog, batches of \(batchSize), \(rounds) rounds, server \(url)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")

// Every national seat: a reporter of the benchmark may observe anywhere in the city.
let everySeat = CodeAssignment(
    constituencies: KarachiDemo().constituencies.filter { $0.assembly == .national }.map(\.code))
/// A fresh device, set up exactly as `fieldsync init` sets one up, with a backlog of `eventCount` turnout
/// counts and incidents at one station, signed and written to its log.
func enrollWithBacklog(
    _ name: String, station index: Int, server: FieldSyncServer, url: String, folder: String,
    assignment: CodeAssignment, eventCount: Int
) async throws -> (home: ClientHome, profile: Profile, key: SigningKey, events: [Event]) {
    let home = ClientHome(path: folder + "/home-" + name)
    let code = try await server.codes.issue(
        role: .reporter, name: "Benchmark Reporter \(name)", validForSeconds: 3600, assignment: assignment)
    let setup = DeviceSetup(home: home, server: url, code: code.code.description, force: false)
    let profile = try await ServerAPI.withClient { client in try await setup.run(client: client).profile }
    let key = try ProfileStore(home: home).deviceKey()
    let reference = try CachedReference.load(home: home)!
    let station = reference.data.stations(in: ConstituencyCode("NA-235")!)[index]
    var log = try await LocalLog.open(home: home, key: key)
    var chain = log.chain
    var events = [Event]()
    events.reserveCapacity(eventCount)
    let start = Timestamp(rfc3339: "2024-02-08T08:00:00+05:00")!
    for index in 0..<eventCount {
        let time = ObservedTime(start.adding(seconds: Int64(index % 32_000)), offsetMinutes: 300)
        let payload: Payload =
            index % 10 == 9
            ? .incidentObserved(Incident(kind: .other, severity: .low, description: "Queue note \(index)"))
            : .turnoutCounted(TurnoutCount(asOf: time, votesCast: index % station.voters.total, male: nil, female: nil))
        events.append(
            try chain.sign(EventDraft(payload: payload, subject: station.code.rawValue, time: time), key: key))
    }
    try log.append(events)
    return (home, profile, key, events)
}

var results = [(total: Double, open: Double, pushed: Double, imported: Double)]()
for round in 1...rounds {
    let (home, profile, key, _) = try await enrollWithBacklog(
        "sync-\(round)", station: round, server: server, url: url, folder: folder, assignment: everySeat,
        eventCount: eventCount)

    // For the record: how long opening and verifying the log takes on its own.
    let clock = ContinuousClock()
    let openStarted = clock.now
    let verified = try await LocalLog.open(home: home, key: key)
    let openSeconds = seconds(clock.now - openStarted)
    precondition(verified.isIntact && verified.lastSeq == Int64(eventCount))

    let engine = SyncEngine(home: home, profile: profile, key: key, options: .init(batchSize: batchSize))
    let started = clock.now
    let report = try await ServerAPI.withClient { client in
        await engine.run(api: ServerAPI(client: client, server: url, token: profile.token))
    }
    let total = seconds(clock.now - started)
    guard report.outcome == .synced, report.appended == Int64(eventCount) else {
        print("round \(round): \(report.outcome.rawValue): \(report.message)")
        exit(1)
    }

    // The same number of events carried: pushed by the synced device, and imported.
    let carried = try EventBundle(
        events: try await enrollWithBacklog(
            "push-\(round)", station: round + 10, server: server, url: url, folder: folder, assignment: everySeat,
            eventCount: eventCount
        ).events, photos: [])
    let carriedBytes = carried.bytes
    let pushStarted = clock.now
    let pushed = try await ServerAPI.withClient { client in
        try await ServerAPI(client: client, server: url, token: profile.token).pushBundle(carriedBytes)
    }
    let pushSeconds = seconds(clock.now - pushStarted)
    let imported = try EventBundle(
        events: try await enrollWithBacklog(
            "import-\(round)", station: round + 20, server: server, url: url, folder: folder, assignment: everySeat,
            eventCount: eventCount
        ).events, photos: []
    ).bytes
    let importStarted = clock.now
    let stored = try await server.storeBundle(imported)
    let importSeconds = seconds(clock.now - importStarted)
    guard pushed.appended == eventCount, stored.appended == eventCount else {
        print("round \(round): a bundle was not stored whole: \(pushed.summary); \(stored.summary)")
        exit(1)
    }
    results.append((total, openSeconds, pushSeconds, importSeconds))
    print(
        "round \(round): \(eventCount) events synced in \(format(total, digits: 2)) s"
            + " = \(Int(Double(eventCount) / total)) events/s"
            + " (\(report.batches) batches, \(report.receiptsKept) receipts; opening and verifying the log alone:"
            + " \(format(openSeconds, digits: 2)) s); a bundle of as many (\(carriedBytes.count) bytes) pushed in"
            + " \(format(pushSeconds, digits: 2)) s, imported in \(format(importSeconds, digits: 2)) s")
}

let totals = results.map(\.total).sorted()
let best = totals.first!
let median = totals[totals.count / 2]
print(
    "best \(format(best, digits: 2)) s (\(Int(Double(eventCount) / best)) events/s), median \(format(median, digits: 2)) s"
        + " (\(Int(Double(eventCount) / median)) events/s); goal: under 3 s for 10,000 events")
let bestPush = results.map(\.pushed).min()!
let bestImport = results.map(\.imported).min()!
print(
    "bundle pushed: best \(format(bestPush, digits: 2)) s (\(Int(Double(eventCount) / bestPush)) events/s),"
        + " imported: best \(format(bestImport, digits: 2)) s (\(Int(Double(eventCount) / bestImport)) events/s)")
print(
    "ratio sync / bundle import \(format(best / bestImport, digits: 2)), sync / bundle push"
        + " \(format(best / bestPush, digits: 2)) (goal: ≥ 1, carrying no slower than syncing)")

try await running.stop()
