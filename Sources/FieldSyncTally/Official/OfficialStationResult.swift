import FieldSyncModel

/// The commission's Form-45 for one seat at a station, as it stands (the latest import in the server's
/// sequence), compared with each counted field report of the seat.
public struct OfficialStationResult: Hashable, Sendable, CanonicalPart {
    public let constituency: ConstituencyCode
    /// The import that stands.
    public let event: EventID
    /// Earlier imports of the same form for the same station and seat, in the server's sequence.
    public let superseded: [EventID]
    public let votes: [CandidateID: Int]
    public let rejected: Int
    public let totalCast: Int
    public let fileSha256: SHA256Digest
    public let sourceURL: String?
    /// One per field report of the seat that counts or disputes, in device order.
    public let reports: [OfficialComparison]

    /// Whether some field report differs from the official figures.
    public var differs: Bool { reports.contains { !$0.isEqual } }

    /// The standing import among `records` (all for this seat), compared with the `field` reports.
    init(_ records: [OfficialRecord], comparedWith field: [Form45Report]) {
        let ordered = records.sorted { $0.seq < $1.seq }
        let standing = ordered[ordered.count - 1]
        constituency = standing.result.constituency
        event = standing.id
        superseded = ordered.dropLast().map(\.id)
        votes = standing.result.votes
        rejected = standing.result.rejected
        totalCast = standing.result.totalCast
        fileSha256 = standing.result.fileSha256
        sourceURL = standing.result.sourceURL
        reports = field.map { OfficialComparison($0, official: standing.result) }
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("constituency", constituency.rawValue)
            w.member("event", event)
            w.member("fileSha256", fileSha256.hex)
            w.member("rejected", rejected)
            w.member("reports") { $0.array(reports) { $1.write(to: &$0) } }
            w.member("sourceUrl", sourceURL)
            w.member("superseded", superseded)
            w.member("totalCast", totalCast)
            w.member("votes") { $0.votes(votes) }
        }
    }
}

/// One field report against the official figures: field minus official, per candidate that differs
/// (a candidate absent from one side counts 0 there), for the rejected ballots and for the total.
public struct OfficialComparison: Hashable, Sendable, CanonicalPart {
    public let device: DeviceID
    /// The report's events (the original, then the correction that stands).
    public let events: [EventID]
    /// Field minus official, only for the candidates where they differ.
    public let differences: [CandidateID: Int]
    public let rejected: Int
    public let totalCast: Int

    public var isEqual: Bool { differences.isEmpty && rejected == 0 && totalCast == 0 }

    init(_ report: Form45Report, official: OfficialResult) {
        device = report.device
        events = report.events
        differences = Self.differences(report.figures.votes, official: official.votes)
        rejected = report.figures.rejected - official.rejected
        totalCast = report.figures.totalCast - official.totalCast
    }

    /// `votes` minus `official`, only for the candidates where they differ (absent counts 0).
    static func differences(_ votes: [CandidateID: Int], official: [CandidateID: Int]) -> [CandidateID: Int] {
        var differences = [CandidateID: Int]()
        for candidate in Set(votes.keys).union(official.keys) {
            let difference = (votes[candidate] ?? 0) - (official[candidate] ?? 0)
            if difference != 0 { differences[candidate] = difference }
        }
        return differences
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("device", device.rawValue)
            w.member("differences") { $0.votes(differences) }
            w.member("equal", isEqual)
            w.member("events", events)
            w.member("rejected", rejected)
            w.member("totalCast", totalCast)
        }
    }
}
