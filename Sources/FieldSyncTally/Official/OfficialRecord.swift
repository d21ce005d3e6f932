import FieldSyncModel

/// An official import as the fold keeps it: its id, its place in the server's sequence (a later import of
/// the same form for the same station and seat supersedes an earlier one) and the figures.
struct OfficialRecord: Sendable {
    let id: EventID
    /// The server's sequence number of the event.
    let seq: Int64
    let result: OfficialResult
}
