/// `fieldsync.station.opened.v1`: when a polling station opened, and whether it was ready.
public struct StationOpened: ReadablePayload {
    public static let eventType = EventType.stationOpened

    public var openedAt: ObservedTime
    /// Whether ballot papers, boxes, stamps and forms were all there.
    public var materialsComplete: Bool
    /// Whether the presiding officer and polling staff were all there.
    public var staffPresent: Bool

    public init(openedAt: ObservedTime, materialsComplete: Bool, staffPresent: Bool) {
        self.openedAt = openedAt
        self.materialsComplete = materialsComplete
        self.staffPresent = staffPresent
    }

    init?(reading reader: inout ObjectReader) {
        let openedAt = reader.time("openedAt")
        let materialsComplete = reader.bool("materialsComplete")
        let staffPresent = reader.bool("staffPresent")
        guard let openedAt, let materialsComplete, let staffPresent else { return nil }
        self.init(openedAt: openedAt, materialsComplete: materialsComplete, staffPresent: staffPresent)
    }

    public var jsonValue: JSONValue {
        [
            "openedAt": .string(openedAt.text), "materialsComplete": .bool(materialsComplete),
            "staffPresent": .bool(staffPresent),
        ]
    }
}

/// `fieldsync.station.closed.v1`: when a polling station closed, and how many voters were still
/// waiting in the queue.
public struct StationClosed: ReadablePayload {
    public static let eventType = EventType.stationClosed

    public var closedAt: ObservedTime
    /// Voters still waiting at closing time; optional.
    public var votersInQueue: Int?

    public init(closedAt: ObservedTime, votersInQueue: Int? = nil) {
        self.closedAt = closedAt
        self.votersInQueue = votersInQueue
    }

    init?(reading reader: inout ObjectReader) {
        let closedAt = reader.time("closedAt")
        let votersInQueue = reader.count("votersInQueue", required: false)
        guard let closedAt, reader.errors.isEmpty else { return nil }
        self.init(closedAt: closedAt, votersInQueue: votersInQueue)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["closedAt": .string(closedAt.text)]
        if let votersInQueue { object["votersInQueue"] = .integer(Int64(votersInQueue)) }
        return .object(object)
    }
}
