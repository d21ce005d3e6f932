// Photo benchmark: a polling-day burst in which every reporter's Form-45 carries a photo, synced over
// loopback to a real server (the FieldSync server in this process, on an embedded PostgreSQL cluster).
//
//     swift run -c release photo-benchmark [reporters] [photo bytes] [events per reporter]
//
// 1. The burst: every reporter (100 by default) holds a backlog of turnout counts and one Form-45 naming
//    a photo of 2 MB, written before the clock starts; all run `fieldsync sync`'s engine at once. Sync
//    sends each device's events before its photos; printed: when the last event of the burst was stored
//    and when the first photo was, both from the database's own clock.
// 2. Throughput: one photo of the same size sent by the sync engine (a sync with nothing else to send)
//    against a plain `curl` PUT of the same number of bytes (another photo whose event is stored).
import BenchmarkSupport
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import Foundation
import ServeSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let reporters = arguments.first ?? 100
let photoBytes = arguments.dropFirst().first ?? 2_000_000
let eventsPerReporter = max(2, arguments.dropFirst(2).first ?? 20)

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-photo-benchmark-\(getpid())")
    .path
try FileManager.default.createDirectory(
    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
defer { try? FileManager.default.removeItem(atPath: folder) }

let running = try await InProcessServer.start(dataDirectory: folder + "/data", label: "fieldsync.photo-benchmark")
let server = running.server
let pool = running.database.pool
let url = running.url

print(
    "photo-benchmark: \(reporters) reporters, \(eventsPerReporter) events each, one \(photoBytes)-byte photo per "
        + "Form-45, server \(url)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")

let seat = ConstituencyCode("NA-235")!
let everySeat = CodeAssignment(
    constituencies: KarachiDemo().constituencies.filter { $0.assembly == .national }.map(\.code))

/// A JPEG-looking photo of `size` bytes, different for each `seed`.
func photo(size: Int, seed: UInt64) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
    bytes.reserveCapacity(size)
    while bytes.count < size {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        withUnsafeBytes(of: state) { bytes.append(contentsOf: $0.prefix(size - bytes.count)) }
    }
    return bytes
}

/// A reporter set up as `fieldsync init` sets one up, with a backlog of `count` events at a station of the
/// seat: turnout counts, then a Form-45 naming the photo `bytes` (kept in the profile as `record --photo`
/// keeps it).
struct Reporter: Sendable {
    let home: ClientHome
    let profile: Profile
    let key: SigningKey
    let photo: PhotoReference
}

func reporter(_ index: Int, events count: Int, photo bytes: [UInt8]) async throws -> Reporter {
    let home = ClientHome(path: folder + "/home-\(index)")
    let code = try await server.codes.issue(
        role: .reporter, name: "Benchmark Reporter \(index)", validForSeconds: 3600, assignment: everySeat)
    let setup = DeviceSetup(home: home, server: url, code: code.code.description, force: false)
    let profile = try await ServerAPI.withClient { client in try await setup.run(client: client).profile }
    let key = try ProfileStore(home: home).deviceKey()
    let reference = try CachedReference.load(home: home)!
    let stations = reference.data.stations(in: seat)
    let station = stations[index % stations.count]
    let file = folder + "/photo-\(index).jpg"
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    let photo = try PhotoFolder(home: home).add(file: file)
    var log = try await LocalLog.open(home: home, key: key)
    var chain = log.chain
    var events = [Event]()
    let start = Timestamp(rfc3339: "2024-02-08T09:00:00+05:00")!
    for turnout in 0..<(count - 1) {
        let time = ObservedTime(start.adding(seconds: Int64(turnout * 60)), offsetMinutes: 300)
        events.append(
            try chain.sign(
                EventDraft(
                    payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: turnout, male: nil, female: nil)),
                    subject: station.code.rawValue, time: time), key: key))
    }
    let candidates = reference.data.candidates(in: seat)
    var result = Form45Result(
        constituency: seat, registeredVoters: station.voters.total,
        votes: Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, 1) }), rejected: 0, totalCast: candidates.count
    )
    result.photo = photo
    events.append(
        try chain.sign(
            EventDraft(
                payload: .resultReported(result), subject: station.code.rawValue,
                time: ObservedTime("2024-02-08T18:30:00+05:00")!), key: key))
    try log.append(events)
    return Reporter(home: home, profile: profile, key: key, photo: photo)
}

func sync(_ reporter: Reporter) async throws -> SyncReport {
    let engine = SyncEngine(home: reporter.home, profile: reporter.profile, key: reporter.key)
    return try await ServerAPI.withClient { client in
        await engine.run(api: ServerAPI(client: client, server: url, token: reporter.profile.token))
    }
}

// 1. The burst.
var burst: [Reporter] = []
for index in 0..<reporters {
    burst.append(
        try await reporter(index, events: eventsPerReporter, photo: photo(size: photoBytes, seed: UInt64(index))))
}
let clock = ContinuousClock()
let burstStarted = clock.now
let reports = try await withThrowingTaskGroup(of: SyncReport.self) { group in
    for reporter in burst { group.addTask { try await sync(reporter) } }
    var reports: [SyncReport] = []
    for try await report in group { reports.append(report) }
    return reports
}
let burstSeconds = seconds(clock.now - burstStarted)
let failed = reports.filter { $0.outcome != .synced || $0.photosSent != 1 }
if !failed.isEmpty {
    print("\(failed.count) reporters did not sync everything: \(failed.first!.message)")
    exit(1)
}
let moments = try await pool.withConnection { connection in
    try await connection.query(
        """
        SELECT extract(epoch FROM (SELECT max(received_at) FROM events WHERE type = 'fieldsync.result.reported.v1')),
               extract(epoch FROM (SELECT min(stored_at) FROM photos)),
               extract(epoch FROM (SELECT max(stored_at) FROM photos)),
               (SELECT count(*) FROM photos)
        """)
}
let lastEvent = try moments[0].decode(Double.self, column: 0)
let firstPhoto = try moments[0].decode(Double.self, column: 1)
let lastPhoto = try moments[0].decode(Double.self, column: 2)
let eventsFirst = lastEvent < firstPhoto
print(
    "burst: \(reporters * eventsPerReporter) events and \(reporters) photos of \(photoBytes) bytes synced by "
        + "\(reporters) reporters at once in \(format(burstSeconds, digits: 2)) s "
        + "(\(format(Double(reporters * photoBytes) / burstSeconds / 1e6, digits: 1)) MB/s of photos)")
print(
    "events first: the last event of the burst was stored \(format(abs(firstPhoto - lastEvent), digits: 3)) s "
        + (eventsFirst ? "before" : "after") + " the first photo completed; the last photo "
        + "\(format(lastPhoto - lastEvent, digits: 2)) s after the last event; every event before the first photo: "
        + (eventsFirst ? "yes" : "no"))

// 2. One photo by the sync engine against curl.
let bySync = try await reporter(reporters, events: 2, photo: photo(size: photoBytes, seed: 1_000_001))
let kept = PhotoFolder(home: bySync.home).path(of: bySync.photo.sha256)
try FileManager.default.moveItem(atPath: kept, toPath: kept + ".aside")
_ = try await sync(bySync)  // the events only: the photo is not in the profile
try FileManager.default.moveItem(atPath: kept + ".aside", toPath: kept)
let byCurl = try await reporter(reporters + 1, events: 2, photo: photo(size: photoBytes, seed: 1_000_002))
let curlFile = PhotoFolder(home: byCurl.home).path(of: byCurl.photo.sha256)
try FileManager.default.moveItem(atPath: curlFile, toPath: curlFile + ".aside")
_ = try await sync(byCurl)

let syncStarted = clock.now
let single = try await sync(bySync)
let syncSeconds = seconds(clock.now - syncStarted)
guard single.photosSent == 1 else {
    print("the sync engine did not send its photo: \(single.message)")
    exit(1)
}
let curlArguments = [
    "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H", "Content-Type: image/jpeg", "-H",
    "Authorization: Bearer \(byCurl.profile.token)",
    // Without `Expect: 100-continue`, which curl sends for a large body and then waits a second for.
    "-H", "Expect:", "--data-binary", "@\(curlFile).aside",
    url + "/v1/photos/\(byCurl.photo.sha256.hex)",
]
let curlStarted = clock.now
let status = try ChildProcess.output(of: "/usr/bin/env", curlArguments).output
let curlSeconds = seconds(clock.now - curlStarted)
guard status == "201" else {
    print("curl's upload was answered \(status)")
    exit(1)
}
print(
    "one photo of \(photoBytes) bytes: fieldsync sync \(format(syncSeconds, digits: 3)) s "
        + "(\(format(Double(photoBytes) / syncSeconds / 1e6, digits: 1)) MB/s), curl PUT \(format(curlSeconds, digits: 3)) s "
        + "(\(format(Double(photoBytes) / curlSeconds / 1e6, digits: 1)) MB/s); ratio "
        + "\(format(curlSeconds / syncSeconds, digits: 2)) (goal ≥ 0.8)")

try await running.stop()
