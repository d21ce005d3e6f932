import FieldSyncModel

/// An editor's review as the fold keeps it: its id, its place in the server's sequence (a later
/// decision about the same reports supersedes an earlier one) and what was decided.
struct ReviewRecord: Sendable {
    let id: EventID
    /// The server's sequence number of the review event.
    let seq: Int64
    let review: ReportReview

    /// Whether this review supersedes `other`: it comes later in the server's sequence.
    func supersedes(_ other: ReviewRecord) -> Bool { seq > other.seq }
}

extension Sequence where Element == ReviewRecord {
    /// The latest of the reviews that pass `isIncluded`: the one that stands.
    func standing(where isIncluded: (ReviewRecord) -> Bool) -> ReviewRecord? {
        var latest: ReviewRecord?
        for record in self where isIncluded(record) {
            if let current = latest, !record.supersedes(current) { continue }
            latest = record
        }
        return latest
    }
}
