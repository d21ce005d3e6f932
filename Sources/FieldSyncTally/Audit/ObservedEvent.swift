import FieldSyncModel

/// What an explanation says of one event: where it sits in the log (position, device, type, from the
/// fold's ``EventReference``) and when it was observed and received, from the export line.
public struct ObservedEvent: Hashable, Sendable {
    public let reference: EventReference
    /// The event's `time`, as written; nil when the export line was not at hand.
    public let time: String?
    /// When the server received it, UTC; nil when the export line was not at hand.
    public let received: String?

    public init(reference: EventReference, time: String?, received: String?) {
        self.reference = reference
        self.time = time
        self.received = received
    }

    /// The type without `fieldsync.` and `.v1`: `result.reported`.
    public var shortType: String {
        var name = reference.type.name
        if name.hasPrefix("fieldsync.") { name.removeFirst("fieldsync.".count) }
        return name
    }

    /// `position 123 · 2024-02-08T18:10:00+05:00 · device 5cde74854ca5d5297a2a · result.reported · 25ad78b3-…`.
    public var line: String {
        "position \(reference.position) · \(time ?? "time unknown") · device \(reference.device) · \(shortType) · "
            + reference.id.description
    }

    /// `{"device","id","position","received","time","type"}`.
    public var jsonValue: JSONValue {
        [
            "position": .integer(reference.position), "id": .string(reference.id.description),
            "device": .string(reference.device.rawValue), "type": .string(reference.type.rawValue),
            "time": time.map { .string($0) } ?? .null, "received": received.map { .string($0) } ?? .null,
        ]
    }
}
