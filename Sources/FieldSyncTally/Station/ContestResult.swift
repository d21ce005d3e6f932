import FieldSyncModel

/// One seat's count at one station: every device's effective Form-45 and the status they give.
public struct ContestResult: Hashable, Sendable, TallyDocument, CanonicalPart {
    /// The seat: the station's NA or PS constituency (or another one a report names, which is flagged).
    public let constituency: ConstituencyCode
    public let status: ResultStatus
    /// One per device whose report counts, in device order.
    public let reports: [Form45Report]
    /// The editor's verification that stands on these reports, when the status is verified.
    public let verification: EventID?
    /// The latest verification of this seat's result when it no longer matches its reports.
    public let outdatedVerification: EventID?
    /// How many devices' reports for this seat are held (``HeldReport``): they neither count nor dispute.
    public let held: Int

    /// `verification` is the latest verification of this seat's result at the station and the events it
    /// names: it stands when the status would be reported or confirmed and the reports' events are exactly
    /// those.
    init(
        constituency: ConstituencyCode, reports: [Form45Report], verification: (EventID, Set<EventID>)? = nil,
        held: Int = 0
    ) {
        self.constituency = constituency
        self.reports = reports
        self.held = held
        var status: ResultStatus
        switch reports.count {
        case 0: status = .unreported
        case 1: status = .reported
        default:
            let first = reports[0].figures
            status = reports.dropFirst().allSatisfy { $0.figures.agrees(with: first) } ? .confirmed : .disputed
        }
        var standing: EventID?
        var outdated: EventID?
        if let (review, events) = verification {
            if status.isCounted && Set(reports.flatMap(\.events)) == events {
                status = .verified
                standing = review
            } else {
                outdated = review
            }
        }
        self.status = status
        self.verification = standing
        self.outdatedVerification = outdated
    }

    /// The figures that count, when the status is reported, confirmed or verified.
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
            w.member("held", held)
            w.member("range", range)
            w.member("reports") { $0.array(reports) { $1.write(to: &$0) } }
            w.member("status", status.rawValue)
            w.member("verification", verification)
        }
    }
}
