/// A demo election's reference data, generated deterministically: the election, its seats, stations and
/// candidates, everything invented marked `synthetic`. `fieldsync serve --demo` loads one.
public protocol ElectionDemo: Sendable {
    /// The time written on the reference events.
    static var referenceTime: ObservedTime { get }
    var election: ElectionDefinition { get }
    /// National seats first, then provincial ones, each in code order.
    var constituencies: [Constituency] { get }
    /// In code order.
    var stations: [PollingStation] { get }
    /// In the order of their seats.
    var candidates: [Candidate] { get }
}

extension ElectionDemo {
    /// The reference events' drafts: the election, constituencies, then stations, then candidates.
    public func referenceDrafts(time: ObservedTime = Self.referenceTime) -> [EventDraft] {
        var drafts = [EventDraft(payload: .electionDefined(election), time: time)]
        drafts.reserveCapacity(1 + constituencies.count + stations.count + candidates.count)
        drafts += constituencies.map { EventDraft(payload: .constituencyDefined($0), time: time) }
        drafts += stations.map { EventDraft(payload: .stationDefined($0), time: time) }
        drafts += candidates.map { EventDraft(payload: .candidateDefined($0), time: time) }
        return drafts
    }

    /// The reference data of the drafts (without server or devices).
    public var referenceData: ReferenceData {
        var reference = ReferenceData()
        reference.apply(.electionDefined(election))
        for constituency in constituencies { reference.apply(.constituencyDefined(constituency)) }
        for station in stations { reference.apply(.stationDefined(station)) }
        for candidate in candidates { reference.apply(.candidateDefined(candidate)) }
        return reference
    }
}
