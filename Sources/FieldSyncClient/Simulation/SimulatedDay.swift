import FieldSyncModel
import FieldSyncTally

/// A polling day of simulated reporters over a server's reference data, deterministic for a seed: the
/// generated day of ``ElectionDay`` (stations opening around 08:00, some late; agents; turnout counts
/// through the day; incidents, Form-45s refused; results at the close, some copied wrong so stations
/// are disputed; corrections), each device's events signed with a key of its own, and the order they
/// reach the server: in bursts, as networks come and go, most of a device's day arriving late.
///
/// Pure: no I/O. `fieldsync simulate` enrolls the reporters and sends the pushes.
public struct SimulatedDay: Sendable {
    /// One simulated reporter's laptop.
    public struct Reporter: Sendable {
        public let name: String
        public let key: SigningKey
        /// Its events, signed and chained, in sequence order.
        public let events: [Event]

        /// The station it reports from, which its enrollment assigns it to.
        public var station: StationCode? { events.first?.station }
    }

    /// A push: events `range` of reporter `reporter`, one batch.
    public struct Push: Sendable, Hashable {
        public let reporter: Int
        public let range: Range<Int>
    }

    public let reporters: [Reporter]
    /// The pushes in order of arrival, each reporter's in its own order. A push may go once the same
    /// reporter's earlier ones are answered; pushes of different reporters may go at once.
    public let pushes: [Push]

    public var eventCount: Int { reporters.reduce(0) { $0 + $1.events.count } }

    /// A day for `reporters` reporters (fewer only when the seats have too few stations) at the stations
    /// of `seats`, taken from each seat in turn, over `reference`, on the day of `election`: at most
    /// `stations` of them when given, one to three reporters each, else one reporter per station.
    public init(
        election: ElectionDefinition, reference: ReferenceData, seats: [ConstituencyCode], stations limit: Int? = nil,
        reporters wanted: Int, seed: UInt64, batchSize: Int = 200
    ) {
        precondition(wanted > 0 && batchSize > 0 && (limit ?? 1) > 0)
        var options = ElectionDay.Options()
        options.seed = seed
        options.turnoutCounts = 8
        // A reporter's own laptop refuses a correction that names no event of its log (the same
        // validation as the server's), so none reaches a server.
        options.strayCorrections = 0
        // The seats' stations in turn (the first of each seat, then the second…), so every seat gets reporters.
        let stations = seats.flatMap { reference.stations(in: $0) }.sorted {
            ($0.code.number, $0.code.rawValue) < ($1.code.number, $1.code.rawValue)
        }
        // One to three devices per station: enough stations for every reporter, the extra devices dropped.
        let chosen = Array(stations.prefix(min(wanted, limit ?? wanted)))
        let codes = Set(chosen.flatMap(\.constituencies))
        // Sorted: the generator draws from its inputs in order, and dictionaries have none.
        let day = ElectionDay(
            election: election,
            constituencies: reference.constituencies.values.filter { codes.contains($0.code) }
                .sorted { $0.code.rawValue < $1.code.rawValue },
            stations: chosen,
            candidates: reference.candidates.values.filter { codes.contains($0.constituency) }
                .sorted { $0.id.rawValue < $1.id.rawValue },
            options: options)
        let devices = Array(day.devices.prefix(wanted))

        var random = SplitMix64(seed: seed ^ 0x5EED_F1E1_D5CC)
        var reporters = [Reporter]()
        var indexOfDevice = [DeviceID: Int]()
        for (index, unsigned) in devices.enumerated() {
            let key = try! SigningKey(rawRepresentation: (0..<4).flatMap { _ in Self.bytes(random.next()) })
            var chain = DeviceChain(device: key.publicKey.deviceID)
            let events = unsigned.map { event in
                // Same ids, so corrections still name the events they correct.
                try! chain.sign(
                    EventDraft(type: event.type, subject: event.subject, time: event.time.text, data: event.data),
                    id: event.id, key: key)
            }
            if let first = unsigned.first { indexOfDevice[first.device] = index }
            reporters.append(Reporter(name: "Simulated reporter \(index + 1)", key: key, events: events))
        }
        self.reporters = reporters
        self.pushes = Self.pushes(
            arrivals: day.syncOrder(seed: seed).compactMap { indexOfDevice[$0.event.device] }, batchSize: batchSize)
    }

    /// Cuts the arrival order (one reporter index per event, each reporter's events in order) into
    /// batches of consecutive events of one reporter.
    static func pushes(arrivals: [Int], batchSize: Int) -> [Push] {
        var next = [Int: Int]()
        var pushes = [Push]()
        for reporter in arrivals {
            let start = next[reporter, default: 0]
            if let last = pushes.last, last.reporter == reporter, last.range.count < batchSize {
                pushes[pushes.count - 1] = Push(reporter: reporter, range: last.range.lowerBound..<(start + 1))
            } else {
                pushes.append(Push(reporter: reporter, range: start..<(start + 1)))
            }
            next[reporter] = start + 1
        }
        return pushes
    }

    private static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
