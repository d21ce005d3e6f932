import FieldSyncModel

/// What a disputed station could add to a seat's totals: for each figure, the lowest and the
/// highest value among the devices' reports (a candidate a report leaves out counts as 0 there).
public struct DisputedRange: Hashable, Sendable, TallyDocument, CanonicalPart {
    public let minimum: [CandidateID: Int]
    public let maximum: [CandidateID: Int]
    public let rejected: ClosedRange<Int>
    public let totalCast: ClosedRange<Int>

    init(_ reports: [Form45Report]) {
        var candidates = Set<CandidateID>()
        for report in reports { candidates.formUnion(report.figures.votes.keys) }
        var minimum = [CandidateID: Int](minimumCapacity: candidates.count)
        var maximum = [CandidateID: Int](minimumCapacity: candidates.count)
        for candidate in candidates {
            let counts = reports.map { $0.figures.votes(for: candidate) }
            minimum[candidate] = counts.min()!
            maximum[candidate] = counts.max()!
        }
        let rejected = reports.map(\.figures.rejected)
        let totalCast = reports.map(\.figures.totalCast)
        self.minimum = minimum
        self.maximum = maximum
        self.rejected = rejected.min()!...rejected.max()!
        self.totalCast = totalCast.min()!...totalCast.max()!
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.name("maximum")
            w.votes(maximum)
            w.name("minimum")
            w.votes(minimum)
            w.member("rejected") { $0.range(rejected) }
            w.member("totalCast") { $0.range(totalCast) }
        }
    }
}
