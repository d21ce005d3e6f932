/// `fieldsync.device.assigned.v1`: the polling stations, and the seats, a reporter's device covers.
/// Subject: the device id. Made and signed by the server when an admin assigns the device (at
/// enrollment or later in the day, as reporters move).
///
/// Assignments add up: a device covers every station named by any of its assignments, and every
/// station voting in any seat they name. A device's observations at a station it does not cover are
/// stored but held for an editor's review (PROTOCOL.md §13, "Who counts").
public struct StationAssignment: ReadablePayload {
    public static let eventType = EventType.deviceAssigned

    /// The most stations and seats one assignment may name.
    public static let maximumEntries = 1000

    public var device: DeviceID
    public var stations: [StationCode]
    public var constituencies: [ConstituencyCode]

    public init(device: DeviceID, stations: [StationCode], constituencies: [ConstituencyCode]) {
        self.device = device
        self.stations = stations
        self.constituencies = constituencies
    }

    /// Whether the assignment names nothing at all.
    public var isEmpty: Bool { stations.isEmpty && constituencies.isEmpty }

    init?(reading reader: inout ObjectReader) {
        let device = reader.device("device")
        let stations = reader.list("stations", maximumCount: Self.maximumEntries, allowed: StationCode.allowed) {
            StationCode($0)
        }
        let constituencies = reader.list(
            "constituencies", maximumCount: Self.maximumEntries, allowed: ConstituencyCode.allowed
        ) { ConstituencyCode($0) }
        if let stations, let constituencies, stations.isEmpty && constituencies.isEmpty {
            reader.fail(
                "stations", .empty, "the assignment names no station and no seat",
                allowed: "at least one station in stations or one seat in constituencies")
        }
        guard let device, let stations, let constituencies, reader.errors.isEmpty else { return nil }
        self.init(device: device, stations: stations, constituencies: constituencies)
    }

    public var jsonValue: JSONValue {
        [
            "device": .string(device.rawValue),
            "stations": .array(stations.map { .string($0.rawValue) }),
            "constituencies": .array(constituencies.map { .string($0.rawValue) }),
        ]
    }
}
