/// `fieldsync.report.reviewed.v1`: an editor's decision about reports at one polling station, with
/// the reason. Subject: the station code. Made and signed by the server on the request of the editor
/// it names; nothing is ever deleted: a later decision about the same reports supersedes an earlier one.
///
/// - `accepted`: one device's observations at the station count, as if the device were assigned to it.
/// - `rejected`: one device's observations at the station do not count and cannot dispute, even if the
///   device is assigned to it.
/// - `verified`: the station's result for one seat, as its counted reports stand (the events named), is
///   checked against the signed sheet; it stays verified while those are its counted reports.
public struct ReportReview: ReadablePayload {
    public static let eventType = EventType.reportReviewed

    /// The most events a verification may name.
    public static let maximumEvents = 64

    /// What the editor decided.
    public enum Decision: String, CaseIterable, Sendable, Hashable {
        case accepted
        case rejected
        case verified
    }

    public var station: StationCode
    public var decision: Decision
    /// The device whose observations are accepted or rejected; nil for a verification.
    public var device: DeviceID?
    /// The seat whose result is verified; nil for an acceptance or rejection.
    public var constituency: ConstituencyCode?
    /// The events behind the verified result's counted reports; empty for an acceptance or rejection.
    public var events: [EventID]
    /// The editor's device.
    public var editor: DeviceID
    public var reason: String

    /// A decision about one device's observations at `station`.
    public init(station: StationCode, device: DeviceID, accepted: Bool, editor: DeviceID, reason: String) {
        self.station = station
        self.decision = accepted ? .accepted : .rejected
        self.device = device
        self.constituency = nil
        self.events = []
        self.editor = editor
        self.reason = reason
    }

    /// A verification of the result for `constituency` at `station`, as the `events` make it.
    public init(
        station: StationCode, verifying constituency: ConstituencyCode, events: [EventID], editor: DeviceID,
        reason: String
    ) {
        self.station = station
        self.decision = .verified
        self.device = nil
        self.constituency = constituency
        self.events = events
        self.editor = editor
        self.reason = reason
    }

    init?(reading reader: inout ObjectReader) {
        let station = reader.station("station")
        let decision = reader.choice("decision", Decision.self)
        let verifies = decision == .verified
        let device = reader.device("device", required: decision != nil && !verifies)
        let constituency = reader.constituency("constituency", required: verifies)
        let events =
            reader.list(
                "events", minimumCount: verifies ? 1 : 0, maximumCount: Self.maximumEvents, required: verifies,
                allowed: "an event id (a UUID in lowercase 8-4-4-4-12 form)"
            ) { EventID($0) } ?? []
        let editor = reader.device("editor")
        let reason = reader.text("reason", maxLength: TextLimit.description, multiline: true)
        if let decision {
            if verifies, device != nil {
                reader.fail(
                    "device", .notAllowed, "a verification is about a result, not a device", allowed: "no device")
            }
            if !verifies, constituency != nil {
                reader.fail(
                    "constituency", .notAllowed, "an \(decision.rawValue) decision is about a device's observations",
                    allowed: "no constituency")
            }
            if !verifies, !events.isEmpty {
                reader.fail(
                    "events", .notAllowed, "an \(decision.rawValue) decision covers all the device's observations",
                    allowed: "no events")
            }
        }
        guard let station, let decision, let editor, let reason, reader.errors.isEmpty else { return nil }
        self.station = station
        self.decision = decision
        self.device = device
        self.constituency = constituency
        self.events = events
        self.editor = editor
        self.reason = reason
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "station": .string(station.rawValue), "decision": .string(decision.rawValue),
            "editor": .string(editor.rawValue), "reason": .string(reason),
        ]
        if let device { object["device"] = .string(device.rawValue) }
        if let constituency {
            object["constituency"] = .string(constituency.rawValue)
            object["events"] = .array(events.map { .string($0.description) })
        }
        return .object(object)
    }
}
