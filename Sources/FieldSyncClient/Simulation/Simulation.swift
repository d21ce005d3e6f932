import AsyncHTTPClient
import FieldSyncModel
import Foundation

/// Plays a ``SimulatedDay`` against a server: fetches its reference data, enrolls the reporters with an
/// admin's token, and pushes the day in order of arrival, several pushes at once (``PushQueue``), each reporter's
/// in order.
public struct Simulation: Sendable {
    public let client: HTTPClient
    public let server: String
    public let adminToken: String
    /// Nil for every National Assembly seat the server's election polls (not the postponed ones).
    public let seats: [ConstituencyCode]?
    /// At most this many stations, when given.
    public let stations: Int?
    public let reporters: Int
    public let seed: UInt64
    public let batchSize: Int
    public let concurrency: Int

    public init(
        client: HTTPClient, server: String, adminToken: String, seats: [ConstituencyCode]?, stations: Int? = nil,
        reporters: Int, seed: UInt64, batchSize: Int, concurrency: Int
    ) {
        self.client = client
        self.server = server
        self.adminToken = adminToken
        self.seats = seats
        self.stations = stations
        self.reporters = reporters
        self.seed = seed
        self.batchSize = batchSize
        self.concurrency = concurrency
    }

    /// What happened.
    public struct Summary: Sendable, CustomStringConvertible {
        public var seed: UInt64 = 0
        /// The seats played: those asked for, or every seat the election polls that day.
        public var seats = [ConstituencyCode]()
        public var reporters = 0
        public var stations = 0
        public var events = 0
        public var pushes = 0
        public var appended = 0
        public var duplicates = 0
        /// Events the server refused (conflict, invalid, gap), with the first reason.
        public var refused = 0
        public var firstRefusal: String?
        /// The time the pushes took, from the first sent to the last answered (the enrollments before not in it).
        public var seconds = 0.0
        /// The time the reporters' enrollments took, before the pushes.
        public var enrollmentSeconds = 0.0

        /// Events pushed per second of ``seconds``.
        public var rate: Int { seconds > 0 ? Int(Double(events) / seconds) : 0 }

        public var description: String {
            var text =
                "Simulated day \(seed): \(reporters) reporters at \(stations) stations, \(events) events in \(pushes) pushes, "
                + "\(appended) stored, \(duplicates) already there, \(refused) refused, in "
                + String(format: "%.1f", seconds) + " s (\(rate) events/s)."
            if let firstRefusal { text += " First refusal: \(firstRefusal)" }
            return text
        }

        /// The summary for scripts (`fieldsync simulate --json`): the same figures, seconds to the millisecond.
        public var jsonValue: JSONValue {
            var object: [String: JSONValue] = [
                "seed": seed <= UInt64(Int64.max) ? .integer(Int64(seed)) : .string(String(seed)),
                "seats": .integer(Int64(seats.count)), "reporters": .integer(Int64(reporters)),
                "stations": .integer(Int64(stations)), "events": .integer(Int64(events)),
                "pushes": .integer(Int64(pushes)), "appended": .integer(Int64(appended)),
                "duplicates": .integer(Int64(duplicates)), "refused": .integer(Int64(refused)),
                "milliseconds": .integer(Int64((seconds * 1000).rounded())),
                "enrollmentMilliseconds": .integer(Int64((enrollmentSeconds * 1000).rounded())),
                "eventsPerSecond": .integer(Int64(rate)),
            ]
            if let firstRefusal { object["firstRefusal"] = .string(firstRefusal) }
            return .object(object)
        }

        /// Counts one push's answer.
        mutating func count(_ answer: PushAnswer) {
            pushes += 1
            for result in answer.results {
                switch result.outcome {
                case .appended: appended += 1
                case .duplicate: duplicates += 1
                default:
                    refused += 1
                    if firstRefusal == nil { firstRefusal = "\(result.outcome)" }
                }
            }
        }
    }

    public func run() async throws -> Summary {
        let admin = ServerAPI(client: client, server: server, token: adminToken)
        guard case .changed(let body, _) = try await admin.reference(ifNoneMatch: nil) else {
            throw ServerAPIError.badAnswer("no reference data")
        }
        var events = [Event]()
        for line in body.split(separator: 0x0a) {
            events.append(try StoredEvent(line: line).event)
        }
        let reference = ReferenceData(events: events)
        let unknown = (seats ?? []).filter { reference.constituencies[$0] == nil }
        guard unknown.isEmpty else {
            throw SimulationProblem(
                "the server's reference data has no seat \(unknown.map(\.rawValue).joined(separator: ", "))")
        }
        guard let election = reference.election else {
            throw SimulationProblem("the server's reference data defines no election: load one first (serve --demo)")
        }
        let played =
            seats
            ?? reference.constituencies.keys.filter { $0.assembly == .national && !election.postponed.contains($0) }
            .sorted()
        let day = SimulatedDay(
            election: election, reference: reference, seats: played, stations: stations, reporters: reporters,
            seed: seed, batchSize: batchSize)
        var summary = Summary()
        summary.seed = seed
        summary.seats = played
        summary.reporters = day.reporters.count
        summary.stations = Set(day.reporters.flatMap { $0.events.compactMap(\.station) }).count
        summary.events = day.eventCount

        let enrolling = ContinuousClock.now
        let tokens = try await enroll(day.reporters, admin: admin)
        let started = ContinuousClock.now
        summary.enrollmentSeconds = Self.seconds(started - enrolling)
        // A task group rather than `concurrentMap`, here and in `enroll`: the pushes wait on the network, not
        // on a core, and as many go at once as the simulation says (`concurrency`), whatever the cores. A new
        // push starts as soon as one is answered, so the server always has `concurrency` in hand.
        var queue = PushQueue(day.pushes, concurrency: concurrency)
        try await withThrowingTaskGroup(of: (SimulatedDay.Push, PushAnswer).self) { group in
            func start(_ push: SimulatedDay.Push) {
                let api = ServerAPI(client: client, server: server, token: tokens[push.reporter])
                let batch = Self.batch(day.reporters[push.reporter].events[push.range])
                group.addTask { (push, try await api.push(batch: batch)) }
            }
            while let push = queue.next() { start(push) }
            while let (push, answer) = try await group.next() {
                summary.count(answer)
                if let following = queue.answered(push) { start(following) }
                while let push = queue.next() { start(push) }
            }
        }
        precondition(queue.isFinished, "a push of the simulated day was never sent")
        summary.seconds = Self.seconds(ContinuousClock.now - started)
        return summary
    }

    /// Enrolls each reporter's key with a code made with the admin's token; their bearer tokens.
    private func enroll(_ reporters: [SimulatedDay.Reporter], admin: ServerAPI) async throws -> [String] {
        var tokens = [String](repeating: "", count: reporters.count)
        let anonymous = ServerAPI(client: client, server: server, token: nil)
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            func start(_ index: Int) {
                let reporter = reporters[index]
                group.addTask {
                    let code = try await admin.enrollmentCode(
                        role: .reporter, name: reporter.name, stations: reporter.station.map { [$0] } ?? [])
                    let enrolled = try await anonymous.enroll(code: code, publicKey: reporter.key.publicKey)
                    return (index, enrolled.token)
                }
            }
            var next = 0
            while next < min(reporters.count, concurrency) {
                start(next)
                next += 1
            }
            while let (index, token) = try await group.next() {
                tokens[index] = token
                if next < reporters.count {
                    start(next)
                    next += 1
                }
            }
        }
        return tokens
    }

    /// A push body: the events as a JSON array, each in canonical form.
    static func batch(_ events: ArraySlice<Event>) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, event) in events.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += event.canonicalBytes
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A simulation that cannot run, in one line.
public struct SimulationProblem: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
