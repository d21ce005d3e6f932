import FieldSyncClient
import FieldSyncModel
import FieldSyncStore
import FieldSyncTally
import FieldSyncTestSupport
import Foundation
import Synchronization

/// A polling day under fire: reporters record, photograph their Form-45s and sync through a proxy that
/// delays, cuts, resets and damages their connections, while the server is killed mid-batch and
/// mid-photo, PostgreSQL crashes and restarts, reporters' own processes die while recording and syncing,
/// and colleagues carry their days and photos in bundles. One fault at a time, the kinds in turn (``FaultKind/schedule``);
/// after every fault the reporters sync until they are up to date and the same invariant is checked
/// (see ``check()``).
///
/// Everything is real: the project's embedded PostgreSQL (a cluster of the campaign's own, since it
/// crashes it), `fieldsync serve`, `fieldsync init`, `record`, `sync`, `audit export`, `audit verify`
/// and `audit replay`. Deterministic choices from a seed; the timing of kills is the machine's.
struct FaultCampaign {
    struct Options: Sendable {
        /// Stop once this many faults have landed.
        var faults = 200
        var seed: UInt64 = 2024_02_08
        var reporters = 6
        /// Run `fieldsync audit export`, `verify` and `replay --compare` over the whole log every this many faults.
        var wholeLogCheckEvery = 100
        /// Compare the city's, the districts' and every seat's tallies with the fold every this many checks
        /// (the first included); the reporters' own seats are compared at every check. Every event of the
        /// campaign is in those seats, so a lost or doubled event shows there at once; the roll-ups above
        /// them cost most of a check.
        var overviewCheckEvery = 10

        /// The defaults, or `FIELDSYNC_FAULTS` and `FIELDSYNC_FAULT_SEED` from the environment.
        static func fromEnvironment() -> Options {
            var options = Options()
            let environment = ProcessInfo.processInfo.environment
            if let faults = environment["FIELDSYNC_FAULTS"].flatMap({ Int($0) }), faults > 0 { options.faults = faults }
            if let seed = environment["FIELDSYNC_FAULT_SEED"].flatMap({ UInt64($0) }) { options.seed = seed }
            return options
        }
    }

    let options: Options
    let database: EmbeddedPostgres
    let server: ServerUnderTest
    let proxy: FaultProxy
    private var reporters: [CampaignReporter]
    private var auditor: CampaignAuditor
    private var photoCheck: CampaignPhotoCheck
    private var random: SplitMix64
    private(set) var summary: CampaignSummary
    /// How long an uninterrupted `fieldsync record` takes here: kills are timed within it.
    private var recordDuration: Duration?
    /// Each reporter's log as last read: seq → event hash.
    private var logs: [DeviceID: [Int64: SHA256Digest]] = [:]

    /// Starts the campaign's PostgreSQL and server, the proxy, and enrolls the reporters through it.
    static func prepare(_ options: Options) async throws -> FaultCampaign {
        let folder = try makeTemporaryDirectory("fieldsync-faults")
        var settings = EmbeddedPostgres.Options(dataDirectory: folder + "/postgres")
        // A crash of the PostgreSQL process, not of the machine: what reached the kernel survives, so fsync
        // buys nothing here. Commits stay synchronous, as in production.
        settings.settings = ["fsync": "off"]
        let database = EmbeddedPostgres(options: settings)
        let configuration = try await database.start()
        do {
            let password = try String(contentsOfFile: folder + "/postgres/postgres-password", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let url =
                "postgresql://\(configuration.user):\(password)@\(configuration.host):\(configuration.port)/"
                + configuration.database
            let server = try await ServerUnderTest.start(databaseURL: url)
            let proxy = try FaultProxy(upstreamPort: server.port)
            var laptops = [ReporterLaptop]()
            // Assigned to the campaign's two seats: what they record at a station of NA-237 is held.
            let seats = [ConstituencyCode("NA-235")!, ConstituencyCode("NA-236")!]
            for index in 1...options.reporters {
                laptops.append(
                    try await ReporterLaptop.enroll(
                        on: server, name: "Reporter \(index)", via: proxy.url, seats: seats.map(\.rawValue)))
            }
            let reference = try require(try CachedReference.load(home: laptops[0].home), "no reference data").data
            let day = SimulatedDay(
                election: try require(reference.election, "no election in the reference data"), reference: reference,
                seats: seats, reporters: options.reporters, seed: options.seed)
            let stray = try require(
                reference.stations(in: ConstituencyCode("NA-237")!).first, "no station of NA-237 in the reference data")
            let reporters = try zip(laptops, day.reporters).enumerated().map { index, reporter in
                try CampaignReporter(
                    laptop: reporter.0, day: reporter.1.events, reference: reference, stray: stray,
                    photoSeed: options.seed &+ UInt64(index))
            }
            let token = try await server.auditorToken()
            let auditor = CampaignAuditor(server: server, token: token, folder: server.folder)
            return FaultCampaign(
                options: options, database: database, server: server, proxy: proxy, reporters: reporters,
                auditor: auditor, photoCheck: CampaignPhotoCheck(database: configuration, server: server, token: token),
                random: SplitMix64(seed: options.seed),
                summary: CampaignSummary(
                    seed: options.seed, reporters: reporters.count, overviewEvery: options.overviewCheckEvery))
        } catch {
            await database.stop()
            throw error
        }
    }

    private init(
        options: Options, database: EmbeddedPostgres, server: ServerUnderTest, proxy: FaultProxy,
        reporters: [CampaignReporter], auditor: CampaignAuditor, photoCheck: CampaignPhotoCheck, random: SplitMix64,
        summary: CampaignSummary
    ) {
        self.options = options
        self.database = database
        self.server = server
        self.proxy = proxy
        self.reporters = reporters
        self.auditor = auditor
        self.photoCheck = photoCheck
        self.random = random
        self.summary = summary
    }

    /// Injects faults until ``Options/faults`` have landed or a check fails; then checks the whole log.
    mutating func run() async throws -> CampaignSummary {
        let clock = ContinuousClock()
        let started = clock.now
        try await timeOneRecording()
        var turn = 0
        while summary.totalInjected < options.faults && summary.failures.isEmpty && turn < options.faults * 2 {
            let kind = FaultKind.schedule[turn % FaultKind.schedule.count]
            turn += 1
            let landed = try await self.turn(kind, reporter: random.next(below: reporters.count))
            if landed && summary.failures.isEmpty && summary.totalInjected % options.wholeLogCheckEvery == 0 {
                try await checkWholeLog()
            }
        }
        if summary.failures.isEmpty && summary.totalInjected % options.wholeLogCheckEvery != 0 {
            try await checkWholeLog()
        }
        if summary.failures.isEmpty { try await checkNothingPending() }
        summary.quarantined = reporters.reduce(0) {
            $0 + ((try? FileManager.default.contentsOfDirectory(atPath: $1.home.quarantine))?.count ?? 0)
        }
        summary.elapsed = clock.now - started
        return summary
    }

    /// One turn: the reporter records a few observations (and takes a photo, for a fault that strikes one),
    /// the fault strikes, the reporter syncs until up to date, and the invariant is checked; whether the
    /// fault landed.
    @discardableResult
    mutating func turn(_ kind: FaultKind, reporter: Int) async throws -> Bool {
        let clock = ContinuousClock()
        let recorded = kind.needsBacklog ? random.next(in: 25...60) : random.next(in: 1...8)
        try await reporters[reporter].recordOffline(recorded)
        let photo =
            kind.strikesPhoto
            ? try await reporters[reporter].recordIncidentPhoto(
                size: random.next(in: CampaignReporter.form45PhotoSizes), seed: random.next()) : nil
        let began = clock.now
        let landed = try await inject(kind, reporter: reporter, pending: recorded, photo: photo)
        if landed {
            summary.injected[kind, default: 0] += 1
        } else {
            summary.missed[kind, default: 0] += 1
        }
        try await bringUpToDate(reporter)
        try await check()
        summary.time[kind, default: .zero] += clock.now - began
        return landed
    }

    /// Stops the server, the proxy and PostgreSQL.
    func stop() async {
        proxy.stop()
        try? await server.stop()
        await database.stop()
    }

    // MARK: - Faults

    /// Injects one fault of `kind` into a sync (or a recording) of `reporter`, whose log holds `pending`
    /// events the server lacks and names `photo`, taken for the fault, the server lacks too; whether the
    /// fault landed.
    private mutating func inject(
        _ kind: FaultKind, reporter index: Int, pending: Int, photo: PhotoReference?
    ) async throws -> Bool {
        let laptop = reporters[index].laptop
        let requestBytes = max(400, pending * 700)
        // A photo goes up in pieces of 1 MiB: a fault aimed at a photo's upload strikes its first piece.
        let firstPiece = min(photo?.size ?? 0, 1 << 20)
        let photoUpload = FaultProxy.Fault.photoUpload
        switch kind {
        case .slowNetwork:
            return try await syncThrough(laptop, .delay(milliseconds: random.next(in: 10...120)))
        case .resetConnection:
            return try await syncThrough(laptop, .reset)
        case .requestCut:
            return try await syncThrough(laptop, .cutUpstream(afterBytes: random.next(in: 1...requestBytes)))
        case .answerCut:
            return try await syncThrough(laptop, .cutDownstream(afterBytes: random.next(in: 1...(400 + pending * 120))))
        case .serverKilled, .photoServerKilled:
            guard let pid = server.running?.pid else { throw E2EError("the server is not running") }
            let marker = kind == .photoServerKilled ? photoUpload : []
            let bytes = kind == .photoServerKilled ? 1_000...firstPiece * 3 / 4 : 400...requestBytes * 3 / 4
            return try await syncInterrupted(laptop, after: marker, bytes: random.next(in: bytes)) {
                kill(pid, SIGKILL)
            } recover: { [server] in
                try await server.stop(signal: SIGKILL)
                try await server.start()
            }
        case .databaseCrashed, .photoDatabaseCrashed:
            guard let pid = await database.serverProcessID else { throw E2EError("PostgreSQL is not running") }
            let marker = kind == .photoDatabaseCrashed ? photoUpload : []
            let bytes = kind == .photoDatabaseCrashed ? 1_000...firstPiece * 3 / 4 : 400...requestBytes * 3 / 4
            return try await syncInterrupted(laptop, after: marker, bytes: random.next(in: bytes)) {
                kill(pid, SIGQUIT)
            } recover: { [database] in
                try await database.crashAndRestart()
            }
        case .syncKilled:
            return try await syncKilled(laptop, after: [], bytes: random.next(in: 400...requestBytes * 3 / 4))
        case .photoSyncKilled:
            return try await syncKilled(laptop, after: photoUpload, bytes: random.next(in: 1_000...firstPiece * 3 / 4))
        case .photoCut:
            // The first cut somewhere in the photo's first piece, then one every 200 KB: no connection
            // carries the whole photo, which arrives only if each try goes on from what the server kept.
            let first = FaultProxy.Fault.afterUpstream(
                marker: photoUpload, .cutUpstream(afterBytes: random.next(in: 1_000...firstPiece - 1)))
            let cuts = Array(repeating: FaultProxy.Fault.cutUpstream(afterBytes: 200_000), count: firstPiece / 100_000)
            return try await syncThrough(laptop, [first] + cuts)
        case .photoDamaged:
            let fault = FaultProxy.Fault.afterUpstream(
                marker: photoUpload, .corruptUpstream(atByte: random.next(in: 1_000...firstPiece - 1)))
            return try await syncThrough(laptop, [fault], photoResent: true)
        case .photoBundled:
            return try await carryBundle(of: index, cutShort: false, photo: photo)
        case .recorderKilled:
            return try await recordingKilled(reporters[index])
        case .bundleCarried:
            return try await carryBundle(of: index, cutShort: false, photo: nil)
        case .bundleCutShort:
            return try await carryBundle(of: index, cutShort: true, photo: nil)
        }
    }

    /// The reporter's unacknowledged events written to a bundle (`fieldsync bundle create`) and pushed by
    /// the next reporter's laptop (`fieldsync bundle push`); cut short on the way when `cutShort`, and
    /// then refused, with nothing of it stored. A `photo` the events name must arrive with them, before the
    /// reporter's own sync.
    private mutating func carryBundle(of index: Int, cutShort: Bool, photo: PhotoReference?) async throws -> Bool {
        let author = reporters[index].laptop
        let colleague = reporters[(index + 1) % reporters.count].laptop
        let device = try author.profile.device
        let file = server.folder + "/campaign-\(summary.totalInjected)-\(index).bundle"
        let created = try await author.run(["bundle", "create", "--out", file])
        guard created.status == 0 else {
            fail("bundle create failed: \(created)")
            return false
        }
        if cutShort {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            try bytes.prefix(random.next(in: 1...(bytes.count - 1))).write(to: URL(fileURLWithPath: file))
        }
        for problem in try await auditor.catchUp() { fail(problem) }
        let held = auditor.held[device]?.count ?? 0
        let pushed = try await colleague.run(["bundle", "push", file], timeout: .seconds(180))
        if cutShort == (pushed.status == 0) {
            fail("bundle push\(cutShort ? " of a bundle cut short" : ""): \(pushed)")
        }
        for problem in try await auditor.catchUp() { fail(problem) }
        if cutShort && auditor.held[device]?.count ?? 0 != held {
            fail("a bundle cut short stored \((auditor.held[device]?.count ?? 0) - held) events")
        }
        if let photo {
            let stored = try await HTTP.get(server.url + "/v1/photos/\(photo.sha256.hex)", token: auditor.token)
            if stored.status != 200 || SHA256Digest.hash(stored.body) != photo.sha256 {
                fail("the photo \(photo.sha256.hex) carried in a bundle did not arrive: HTTP \(stored.status)")
            }
        }
        return true
    }

    /// A `fieldsync sync` whose first connection suffers `fault`: it must still end well.
    private mutating func syncThrough(_ laptop: ReporterLaptop, _ fault: FaultProxy.Fault) async throws -> Bool {
        try await syncThrough(laptop, [fault])
    }

    /// A `fieldsync sync` whose first connections suffer `faults`, one each: it must still end well, and,
    /// when `photoResent`, have sent again the photo the server refused, leaving none behind.
    private mutating func syncThrough(
        _ laptop: ReporterLaptop, _ faults: [FaultProxy.Fault], photoResent: Bool = false
    ) async throws -> Bool {
        let before = proxy.injected
        proxy.arm(faults)
        let sync = try await laptop.run(["sync", "--json", "--batch-size", "4"], timeout: .seconds(180))
        proxy.disarm()
        if sync.status != 0 { fail("sync through \(faults.first.map { "\($0)" } ?? "") did not end well: \(sync)") }
        if photoResent {
            let report = try? JSONParser.parse(sync.output)
            if report?["photoProblems"]?.arrayValue?.isEmpty != true || report?["photosPending"] != .integer(0)
                || (report?["retries"]?.integerValue ?? 0) == 0
            {
                fail("the photo damaged on the way was not sent again in the same sync: \(sync)")
            }
        }
        return proxy.injected > before
    }

    /// A `fieldsync sync` during which `action` strikes once `bytes` have gone up its connection after
    /// `marker` (from its start, when empty); `recover` then puts things right while the sync keeps
    /// trying, and the sync must end well.
    private mutating func syncInterrupted(
        _ laptop: ReporterLaptop, after marker: [UInt8], bytes: Int, action: @escaping @Sendable () -> Void,
        recover: () async throws -> Void
    ) async throws -> Bool {
        let before = proxy.injected
        proxy.arm([Self.aimed(.trigger(afterUpstreamBytes: bytes, action: action), after: marker)])
        let sync = try laptop.start(["sync", "--json", "--batch-size", "5", "--give-up-after", "600s"])
        try await waitUntil(timeout: .seconds(120)) { proxy.injected > before || !sync.isRunning }
        proxy.disarm()
        let landed = proxy.injected > before
        if landed { try await recover() }
        let outcome = try await sync.wait(timeout: .seconds(180))
        if outcome.status != 0 { fail("the sync did not end well after the fault: \(outcome)") }
        return landed
    }

    /// A `fieldsync sync` killed (SIGKILL) once `bytes` have gone up its connection after `marker` (from
    /// its start, when empty).
    private mutating func syncKilled(_ laptop: ReporterLaptop, after marker: [UInt8], bytes: Int) async throws -> Bool {
        let target = KillTarget()
        let before = proxy.injected
        proxy.arm([Self.aimed(.trigger(afterUpstreamBytes: bytes) { target.kill() }, after: marker)])
        let sync = try laptop.start(["sync", "--json", "--batch-size", "5"])
        target.aim(at: sync.pid)
        try await waitUntil(timeout: .seconds(120)) { proxy.injected > before || !sync.isRunning }
        proxy.disarm()
        _ = try await sync.wait(timeout: .seconds(180))
        return target.killed
    }

    /// `fault`, counting from the end of `marker` once it has gone up, or from the connection's start.
    private static func aimed(_ fault: FaultProxy.Fault, after marker: [UInt8]) -> FaultProxy.Fault {
        marker.isEmpty ? fault : .afterUpstream(marker: marker, fault)
    }

    /// A `fieldsync record` killed (SIGKILL) at a random moment of its run, late more often than early.
    private mutating func recordingKilled(_ reporter: CampaignReporter) async throws -> Bool {
        let now = "2024-02-08T16:00:00+05:00"
        let record = [
            "record", "turnout", "\(random.next(in: 1...300))", "--station", reporter.station.code.rawValue,
            "--as-of", "15:\(String(format: "%02d", random.next(in: 0...59)))",
        ]
        let duration = try require(recordDuration, "the recording was not timed")
        let process = try reporter.laptop.start(record, now: now)
        let aim = duration * random.next(in: 0.3..<0.95)
        try await Task.sleep(for: aim)
        process.signal(SIGKILL)
        let outcome = try await process.wait()
        if outcome.status != 0 && outcome.status != SIGKILL { fail("fieldsync record failed: \(outcome)") }
        let landed = process.child.termination == .signalled(SIGKILL)
        // Finished before the kill: recordings are quicker now than the one timed (on a machine busier at
        // the start), so the next kill aims within this shorter time.
        if !landed { recordDuration = aim }
        return landed
    }

    /// Times one `fieldsync record` left to finish (then synced), to know when to kill the others.
    private mutating func timeOneRecording() async throws {
        let reporter = reporters[0]
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await reporter.laptop.run(
            [
                "record", "incident", "other", "--severity", "low", "Campaign starts", "--station",
                reporter.station.code.rawValue,
            ],
            now: "2024-02-08T09:00:00+05:00")
        recordDuration = clock.now - started
        if outcome.status != 0 { fail("fieldsync record failed: \(outcome)") }
        try await bringUpToDate(0)
    }

    // MARK: - The invariant

    /// A plain `fieldsync sync` of the reporter, which must leave nothing behind, photos included.
    private mutating func bringUpToDate(_ index: Int) async throws {
        let sync = try await reporters[index].laptop.run(["sync", "--json"], timeout: .seconds(180))
        if sync.status != 0 { fail("the sync after the fault failed: \(sync)") }
        let report = try? JSONParser.parse(sync.output)
        if report?["photosPending"] != .integer(0) || report?["photoProblems"]?.arrayValue?.isEmpty != true {
            fail("the sync after the fault left photos behind: \(sync)")
        }
        let log = try await reporters[index].laptop.log()
        logs[log.device] = Dictionary(uniqueKeysWithValues: log.entries.map { ($0.seq, $0.event.hash) })
    }

    /// Every event in every reporter's log is on the server exactly once and identical; the export's new
    /// lines verify; the server's tallies equal the auditor's own fold; every photo a stored event names is
    /// stored once and intact, and nothing else of photos is kept (``CampaignPhotoCheck``).
    private mutating func check() async throws {
        summary.checks += 1
        for problem in try await auditor.catchUp() { fail(problem) }
        for problem in try await checkPhotos() { fail(problem) }
        var events = 0
        for reporter in reporters {
            let device = try reporter.laptop.profile.device
            let local = logs[device] ?? [:]
            let held = auditor.held[device] ?? [:]
            events += local.count
            summary.lost += local.filter { held[$0.key] != $0.value }.count
            summary.unexpected += held.keys.filter { local[$0] == nil }.count
        }
        summary.events = events
        summary.duplicated = auditor.duplicated
        summary.serverPosition = auditor.head
        if summary.lost > 0 || summary.duplicated > 0 || summary.unexpected > 0 {
            fail("lost \(summary.lost), duplicated \(summary.duplicated), unexpected \(summary.unexpected)")
        }
        let seats = Set(reporters.map(\.station.national) + reporters.map(\.stray.national))
        let overview = summary.checks % options.overviewCheckEvery == 1
        for difference in try await auditor.compareTallies(seats: seats, overview: overview).prefix(5) {
            fail("tallies differ from the fold: \(difference)")
        }
        // The assignment rule: what the reporters recorded at a station they are not assigned to is held,
        // never counted.
        for stray in Set(reporters.map(\.stray.code)) {
            guard let tally = auditor.tally.station(stray) else { continue }
            if !tally.turnout.isEmpty || tally.opening != nil || tally.results.contains(where: { !$0.reports.isEmpty })
            {
                fail("observations at \(stray), where no reporter is assigned, were counted")
            }
            summary.held = tally.held.reduce(0) { $0 + $1.events.count }
        }
    }

    /// The photos' half of the invariant, after the export has caught up; the problems found.
    mutating func checkPhotos() async throws -> [String] {
        let problems = try await photoCheck.check(named: auditor.photos)
        summary.photos = auditor.photos.count
        summary.photosFetched = photoCheck.fetched.count
        return problems
    }

    /// At the end, every reporter's `fieldsync status` shows no photo pending.
    private mutating func checkNothingPending() async throws {
        for reporter in reporters {
            let status = try await reporter.laptop.run(["status", "--json"])
            let pending = (try? JSONParser.parse(status.output))?["photosPending"]?.integerValue
            guard let pending else {
                fail("fieldsync status of the reporter at \(reporter.station.code) says nothing of photos: \(status)")
                continue
            }
            summary.photosPendingAtEnd += Int(pending)
            if pending != 0 {
                fail("fieldsync status of the reporter at \(reporter.station.code) shows \(pending) photos pending")
            }
        }
    }

    private mutating func checkWholeLog() async throws {
        summary.wholeLogChecks += 1
        for failure in try await auditor.verifyWholeLog(summary.wholeLogChecks) { fail(failure) }
    }

    private mutating func fail(_ message: String) {
        let at = summary.totalInjected + summary.missed.values.reduce(0, +)
        summary.failures.append("turn \(at): \(message)")
    }
}

/// The process a trigger kills: known only once the process is started, which may be after the trigger
/// is armed. Kills nothing until aimed.
final class KillTarget: Sendable {
    private let state = Mutex<(pid: Int32, killed: Bool)>((0, false))

    func aim(at pid: Int32) {
        state.withLock { $0.pid = pid }
    }

    func kill() {
        state.withLock { state in
            guard state.pid > 0, !state.killed else { return }
            Glibc.kill(state.pid, SIGKILL)
            state.killed = true
        }
    }

    var killed: Bool { state.withLock { $0.killed } }
}
