import FieldSyncModel
import NIOCore

/// The reference data as of one moment of the log, and what `GET /v1/reference` serves.
public struct ReferenceSnapshot: Sendable {
    /// Everything the reference events say, devices included.
    public internal(set) var data = ReferenceData()
    /// The position of the last reference event read (0 before any).
    public internal(set) var position: Int64 = 0
    /// The position of the server's identity event; nil before it is stored.
    public internal(set) var identityPosition: Int64?
    /// The position of the last published reference event: the `ETag` of `GET /v1/reference`.
    public internal(set) var publishedPosition: Int64 = 0
    /// The published reference events (identity, constituencies, stations, candidates; not devices)
    /// as export lines, in position order, kept compressed.
    var publishedLines = PublishedLines()

    /// Whether `GET /v1/reference` serves events of this type: the server's identity and the definitions
    /// (the election, seats, stations, candidates).
    /// Not device enrollments, assignments and revocations, nor editors' reviews, which say who reports
    /// and who counts, not what is reported on.
    static func isPublished(_ type: EventType) -> Bool {
        switch type {
        case .serverIdentified, .electionDefined, .constituencyDefined, .stationDefined, .candidateDefined: true
        default: false
        }
    }

    /// Folds in the next reference event of the log.
    mutating func apply(_ stored: StoredEvent) {
        data.apply(stored.event)
        position = stored.position
        if stored.event.type == .serverIdentified, identityPosition == nil { identityPosition = stored.position }
        if Self.isPublished(stored.event.type) {
            var line = [UInt8]()
            line.reserveCapacity(1024)
            stored.writeLine(into: &line)
            publishedLines.append(line)
            publishedPosition = stored.position
        }
    }
}
