import FieldSyncModel

/// Where an event behind a figure sits in the log: its id and global position, its device and type.
///
/// Tally documents name events by id only (ids are the same in every log holding the same events);
/// positions belong to one log and come from here.
public struct EventReference: Hashable, Sendable, Comparable, TallyDocument, CanonicalPart {
    public let id: EventID
    public let position: Int64
    public let device: DeviceID
    public let type: EventType

    public static func < (lhs: EventReference, rhs: EventReference) -> Bool {
        lhs.position != rhs.position ? lhs.position < rhs.position : lhs.id < rhs.id
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("device", device.rawValue)
            w.member("id", id)
            w.member("position", position)
            w.member("type", type.rawValue)
        }
    }
}
