import FieldSyncModel

/// One device's effective Form-45 for one seat at one station: its latest report by observation
/// time (ties by event id), after corrections.
public struct Form45Report: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let device: DeviceID
    /// The id of the event that reported it first (a correction keeps its place).
    public let event: EventID
    /// The observation time of the report.
    public let time: ObservedTime
    public let figures: Form45Figures
    /// Registered voters as printed on the form.
    public let registeredVoters: Int
    /// The correction that stands on the original event, if any.
    public let correction: EventID?
    /// The SHA-256 of the photo of the signed sheet the report names, if any. Whether the photo itself
    /// has reached the server is not the fold's business (it folds events only): readers ask the server
    /// (`GET /v1/photos/{sha256}`).
    public let photo: SHA256Digest?

    public init(
        device: DeviceID, event: EventID, time: ObservedTime, figures: Form45Figures, registeredVoters: Int,
        correction: EventID?, photo: SHA256Digest? = nil
    ) {
        self.device = device
        self.event = event
        self.time = time
        self.figures = figures
        self.registeredVoters = registeredVoters
        self.correction = correction
        self.photo = photo
    }

    /// The original event, then the correction that stands on it, if any.
    public var events: [EventID] { correction.map { [event, $0] } ?? [event] }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("device", device.rawValue)
            w.member("events", event, correction)
            w.member("photo", photo?.hex)
            w.member("registeredVoters", registeredVoters)
            w.member("rejected", figures.rejected)
            w.member("time", time.text)
            w.member("totalCast", figures.totalCast)
            w.name("votes")
            w.votes(figures.votes)
        }
    }
}
