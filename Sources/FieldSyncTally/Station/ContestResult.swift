import FieldSyncModel

/// One seat's count at one station: every device's effective Form-45 and the status they give.
public struct ContestResult: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The seat: the station's NA or PS constituency (or another one a report names, which is flagged).
    public let constituency: ConstituencyCode
    public let status: ResultStatus
    /// One per device that reported, in device order.
    public let reports: [Form45Report]

    init(constituency: ConstituencyCode, reports: [Form45Report]) {
        self.constituency = constituency
        self.reports = reports
        switch reports.count {
        case 0: status = .unreported
        case 1: status = .reported
        default:
            let first = reports[0].figures
            status = reports.dropFirst().allSatisfy { $0.figures.agrees(with: first) } ? .confirmed : .disputed
        }
    }

    /// The figures that count, when the status is reported or confirmed.
    public var counted: Form45Figures? { status.isCounted ? reports[0].figures : nil }

    /// The lowest and highest figures, when the status is disputed.
    public var range: DisputedRange? { status == .disputed ? DisputedRange(reports) : nil }

    /// The events behind the result: each report's events, in device order.
    public var events: [EventID] { reports.flatMap(\.events) }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("constituency", constituency.rawValue)
            w.member("counted", counted)
            w.member("devices", reports.count)
            w.member("events", events)
            w.member("range", range)
            w.member("reports") { $0.array(reports) { $1.write(to: &$0) } }
            w.member("status", status.rawValue)
        }
    }
}
