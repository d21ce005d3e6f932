import FieldSyncModel
import FieldSyncTally
import ServeSupport
import Synchronization

/// A generated polling day sent to the server the way reporters send it: each device is enrolled
/// with a code an admin issued, signs its day's events and pushes them over HTTP in batches; several
/// devices at once.
///
/// It adds `room` events to the log (fewer only if the day has not that many): each device's
/// enrollment and its events, the last device's day cut short to fit.
struct ElectionDayPush: Sendable {
    /// One device's share: which of the day's devices, and how many of its events.
    struct Share: Sendable {
        var device: Int
        var events: Int
    }

    /// What the push did.
    struct Outcome: Sendable {
        var appended = 0
        var refused = 0
        var firstRefusal: String?
        var reporters: [SimulatedReporter] = []
    }

    let day: ElectionDay
    let shares: [Share]
    let batchSize = 500

    init(day: ElectionDay, room: Int) {
        self.day = day
        var room = room
        var shares: [Share] = []
        for (index, chain) in day.devices.enumerated() where room >= 2 && !chain.isEmpty {
            var events = min(chain.count, room - 1)
            // Never leave room for one event only: a device brings its enrollment and at least one event.
            if room - events - 1 == 1 && events > 1 { events -= 1 }
            shares.append(Share(device: index, events: events))
            room -= events + 1
        }
        self.shares = shares
    }

    /// How many events the shares add, enrollments included.
    var eventCount: Int { shares.reduce(0) { $0 + $1.events + 1 } }

    func run(api: FieldSyncAPI, admin: String, concurrency: Int) async throws -> Outcome {
        let shared = Shared()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask {
                    while true {
                        let index = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < shares.count else { return }
                        let (reporter, pushed) = try await send(
                            shares[index], number: index + 1, api: api, admin: admin)
                        shared.outcome.withLock { outcome in
                            outcome.appended += pushed.appended
                            outcome.refused += pushed.refused
                            outcome.firstRefusal = outcome.firstRefusal ?? pushed.firstRefusal
                            outcome.reporters.append(reporter)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return shared.outcome.withLock { $0 }
    }

    /// What the devices pushing at once share: the next share to send, and the outcome so far.
    private final class Shared: Sendable {
        let next = Atomic(0)
        let outcome = Mutex(Outcome())
    }

    /// Enrolls one device and pushes its share of the day.
    private func send(
        _ share: Share, number: Int, api: FieldSyncAPI, admin: String
    ) async throws
        -> (SimulatedReporter, Outcome)
    {
        let events = day.devices[share.device].prefix(share.events)
        guard let station = events.first.flatMap({ StationCode($0.subject) }) else {
            throw BenchmarkFailure("device \(share.device) of the generated day has no station")
        }
        let key = SigningKey.generate()
        let code = try await api.issueCode(
            role: "reporter", name: "Reporter \(number)", admin: admin, stations: [station.rawValue])
        let token = try await api.enroll(code: code, publicKey: key.publicKey)
        var reporter = SimulatedReporter(key: key, token: token, station: station)
        let signed = try reporter.sign(events)
        var outcome = Outcome()
        var start = 0
        while start < signed.count {
            let batch = Array(signed[start..<min(signed.count, start + batchSize)])
            let pushed = try await api.push(batch, token: token)
            outcome.appended += pushed.appended
            outcome.refused += batch.count - pushed.appended
            outcome.firstRefusal = outcome.firstRefusal ?? pushed.refusal
            start += batch.count
        }
        return (reporter, outcome)
    }
}
