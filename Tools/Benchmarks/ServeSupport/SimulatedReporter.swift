import FieldSyncModel

/// One reporter's device of the benchmark: its key, where its chain stands, its bearer token and its
/// polling station.
public struct SimulatedReporter: Sendable {
    public let key: SigningKey
    public var chain: DeviceChain
    public let token: String
    public let station: StationCode

    public init(key: SigningKey, token: String, station: StationCode) {
        self.key = key
        self.chain = DeviceChain(device: key.publicKey.deviceID)
        self.token = token
        self.station = station
    }

    /// Signs generated events (made without signatures) again as this device's next events. Their ids
    /// stay, so that a correction still names the event it corrects.
    public mutating func sign(_ events: some Sequence<Event>) throws -> [JSONValue] {
        try events.map { event in
            let draft = EventDraft(type: event.type, subject: event.subject, time: event.time.text, data: event.data)
            return try chain.sign(draft, id: event.id, key: key).jsonValue
        }
    }

    /// `count` more turnout counts at its station, a minute apart from 10:00 on polling day.
    public mutating func turnoutCounts(_ count: Int, voters: Int) throws -> [JSONValue] {
        let start = Timestamp(rfc3339: "2024-02-08T10:00:00+05:00")!
        return try (0..<count).map { minute in
            let time = ObservedTime(start.adding(minutes: Int64(minute)), offsetMinutes: 300)
            let turnout = TurnoutCount(asOf: time, votesCast: min(voters, 100 + minute))
            let draft = EventDraft(payload: .turnoutCounted(turnout), subject: station.rawValue, time: time)
            return try chain.sign(draft, key: key).jsonValue
        }
    }
}
