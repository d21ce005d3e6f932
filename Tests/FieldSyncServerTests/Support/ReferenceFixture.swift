import FieldSyncModel

/// A small slice of the Karachi demo's reference data, quick to load for each test: the election,
/// NA-248, the PS seats of its first stations, those stations and the candidates of those seats.
enum ReferenceFixture {
    static let demo = KarachiDemo()
    static let national = ConstituencyCode("NA-248")!

    static let stations: [PollingStation] = Array(demo.stations.filter { $0.national == national }.prefix(4))

    static let constituencies: [Constituency] = {
        let codes = Set(stations.flatMap(\.constituencies))
        return demo.constituencies.filter { codes.contains($0.code) }
    }()

    static let candidates: [Candidate] = {
        let codes = Set(constituencies.map(\.code))
        return demo.candidates.filter { codes.contains($0.constituency) }
    }()

    static var drafts: [EventDraft] {
        let time = KarachiDemo.referenceTime
        return [EventDraft(payload: .electionDefined(KarachiDemo.election), time: time)]
            + constituencies.map { EventDraft(payload: .constituencyDefined($0), time: time) }
            + stations.map { EventDraft(payload: .stationDefined($0), time: time) }
            + candidates.map { EventDraft(payload: .candidateDefined($0), time: time) }
    }

    static var station: PollingStation { stations[0] }
}
