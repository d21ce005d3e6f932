import FieldSyncModel

/// When a station opened: the earliest opening time among the devices' latest opening reports.
public struct StationOpening: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// As written in the report chosen.
    public let openedAt: ObservedTime
    /// Whole minutes after polling was due to open (``ElectionCalendar/pollingOpens``), 0 if on time
    /// or early.
    public let minutesLate: Int
    public let materialsComplete: Bool
    public let staffPresent: Bool
    /// How many devices reported an opening.
    public let devices: Int
    /// The events behind it: every device's latest opening report, the chosen one first.
    public let events: [EventID]

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("devices", devices)
            w.member("events", events)
            w.member("materialsComplete", materialsComplete)
            w.member("minutesLate", minutesLate)
            w.member("openedAt", openedAt.text)
            w.member("staffPresent", staffPresent)
        }
    }
}

/// When a station closed: the latest closing time among the devices' latest closing reports.
public struct StationClosing: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// As written in the report chosen.
    public let closedAt: ObservedTime
    /// Voters still waiting, from the report chosen.
    public let votersInQueue: Int?
    /// How many devices reported a closing.
    public let devices: Int
    /// The events behind it: every device's latest closing report, the chosen one first.
    public let events: [EventID]

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("closedAt", closedAt.text)
            w.member("devices", devices)
            w.member("events", events)
            w.member("votersInQueue", votersInQueue)
        }
    }
}
