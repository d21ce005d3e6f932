import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation

/// A reporter's laptop: a home folder set up with the real `fieldsync init`, commands run against it,
/// and a quick way to fill its log with many observations through the client library.
struct ReporterLaptop: Sendable {
    let home: ClientHome
    let server: ServerUnderTest

    /// Polling day, mid-morning: the clock for the CLI's `record` commands.
    static let pollingDay = "2024-02-08T09:30:00+05:00"

    /// `fieldsync admin enroll --name`, then `fieldsync init --server --code --home`, with the server
    /// reached at `url` (a proxy in front of it, say) when given.
    static func enroll(
        on server: ServerUnderTest, name: String, via url: String? = nil, seats: [String]? = nil
    ) async throws -> ReporterLaptop {
        let code = try await server.code(name: name, seats: seats)
        let home = ClientHome(path: server.folder + "/home-" + name.replacingOccurrences(of: " ", with: "-"))
        let laptop = ReporterLaptop(home: home, server: server)
        let outcome = try await laptop.run(["init", "--server", url ?? server.url, "--code", code])
        guard outcome.status == 0 else { throw E2EError("init failed: \(outcome)") }
        return laptop
    }

    /// Runs `fieldsync arguments… --home HOME`, the clock set to `now` when given.
    func run(
        _ arguments: [String], now: String? = nil, timeout: Duration = .seconds(300)
    ) async throws -> Program.Outcome {
        try await Program.run(
            arguments + ["--home", home.path], environment: now.map { ["FIELDSYNC_NOW": $0] } ?? [:],
            logFolder: server.folder, timeout: timeout)
    }

    /// Starts `fieldsync arguments… --home HOME` without waiting for it, the clock set to `now` when given.
    func start(_ arguments: [String], now: String? = nil) throws -> Program.Running {
        try Program.start(
            arguments + ["--home", home.path], environment: now.map { ["FIELDSYNC_NOW": $0] } ?? [:],
            logFolder: server.folder)
    }

    var profile: Profile { get throws { try ProfileStore(home: home).profile() } }
    var key: SigningKey { get throws { try ProfileStore(home: home).deviceKey() } }

    /// Points the profile at `url`, such as a proxy in front of the server: later commands go there.
    func useServer(_ url: String) throws {
        var profile = try profile
        profile.server = url
        try ProfileStore(home: home).save(profile)
    }

    func log() async throws -> LocalLog {
        try await LocalLog.open(home: home, key: key)
    }

    /// The first station of NA-235 in the cached reference data, and its data.
    func station() throws -> PollingStation {
        let reference = try require(try CachedReference.load(home: home), "no reference data")
        return reference.data.stations(in: ConstituencyCode("NA-235")!).first!
    }

    /// Appends `count` valid observations (turnout counts, with an incident every tenth) through the
    /// client library, in one write: a day's backlog recorded offline.
    func recordBacklog(_ count: Int, at station: PollingStation? = nil) async throws {
        let station = try station ?? self.station()
        let key = try key
        var log = try await log()
        var chain = log.chain
        var events = [Event]()
        events.reserveCapacity(count)
        let start = Timestamp(rfc3339: "2024-02-08T08:00:00+05:00")!
        for index in 0..<count {
            let time = ObservedTime(start.adding(seconds: Int64(index % 32_000)), offsetMinutes: 300)
            let payload: Payload =
                index % 10 == 9
                ? .incidentObserved(Incident(kind: .other, severity: .low, description: "Queue note \(index)"))
                : .turnoutCounted(TurnoutCount(asOf: time, votesCast: index % station.voters.total))
            events.append(
                try chain.sign(EventDraft(payload: payload, subject: station.code.rawValue, time: time), key: key))
        }
        try log.append(events)
    }
}

/// `#require` for plain functions that are not tests.
func require<T>(_ value: T?, _ message: String = "missing") throws -> T {
    guard let value else { throw E2EError(message) }
    return value
}
