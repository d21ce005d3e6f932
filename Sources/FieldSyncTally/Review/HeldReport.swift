import FieldSyncModel

/// One device's observations at a station that are held out of its tally (``HoldReason``), as they
/// stand after the device's own corrections: what an editor reviews before accepting or rejecting.
public struct HeldReport: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let device: DeviceID
    public let reason: HoldReason
    /// The editor's rejection, for ``HoldReason/rejected``.
    public let review: EventID?
    /// The events behind every held observation (each original, then the correction that stands on it),
    /// the observations in the order of their original event ids.
    public let events: [EventID]
    /// The device's Form-45s, one per seat, in seat order.
    public let results: [HeldResult]

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("device", device.rawValue)
            w.member("events", events)
            w.member("reason", reason.rawValue)
            w.member("results") { $0.array(results) { $1.write(to: &$0) } }
            w.member("review", review)
        }
    }
}

/// A held Form-45: the seat and the device's report for it.
public struct HeldResult: Hashable, Sendable, CanonicalPart {
    public let constituency: ConstituencyCode
    public let report: Form45Report

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("constituency", constituency.rawValue)
            w.member("report", report)
        }
    }
}
