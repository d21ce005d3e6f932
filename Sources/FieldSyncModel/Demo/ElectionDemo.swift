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
        referenceDrafts(0..<referenceDraftCount, time: time)
    }

    /// How many reference events: the election, its constituencies, stations and candidates.
    public var referenceDraftCount: Int { 1 + constituencies.count + stations.count + candidates.count }

    /// The drafts of ``referenceDrafts(time:)`` in `range`, made only for it: a national demo's hundred
    /// thousand drafts need not all be held at once to be stored a batch at a time.
    public func referenceDrafts(_ range: Range<Int>, time: ObservedTime = Self.referenceTime) -> [EventDraft] {
        let (stationsStart, candidatesStart) = (1 + constituencies.count, 1 + constituencies.count + stations.count)
        return range.map { index in
            switch index {
            case 0: EventDraft(payload: .electionDefined(election), time: time)
            case ..<stationsStart: EventDraft(payload: .constituencyDefined(constituencies[index - 1]), time: time)
            case ..<candidatesStart: EventDraft(payload: .stationDefined(stations[index - stationsStart]), time: time)
            default: EventDraft(payload: .candidateDefined(candidates[index - candidatesStart]), time: time)
            }
        }
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
