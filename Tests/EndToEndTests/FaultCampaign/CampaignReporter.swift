import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation

/// One reporter of the campaign: a laptop set up with the real `fieldsync init`, whose day comes from a
/// simulated polling day (opening, agents, turnout, incidents, the Form-45 results, each with a photo of
/// the signed sheet, corrections) and, once that is all recorded, from more turnout counts at its
/// station; now and then an incident with a photo.
///
/// Observations are written to its log as an offline day writes them, through the client library and
/// under the log's lock; `fieldsync record` and `fieldsync sync` run against the same home.
struct CampaignReporter: Sendable {
    let laptop: ReporterLaptop
    let station: PollingStation
    /// A station of a seat the reporter is not assigned to: every fifth extra count is recorded there, and
    /// must be held, never counted.
    let stray: PollingStation
    /// The simulated day's observations not yet recorded, with the ids they were made with (corrections
    /// name the events they correct by id) and the photo a result names.
    private var day: ArraySlice<Observation>
    private var extraCounts = 0

    /// One observation to record, and the bytes of the photo it names.
    private typealias Observation = (id: EventID, draft: EventDraft, photo: [UInt8]?)

    /// How large a photo of a signed Form-45 is: a phone's picture of one sheet.
    static let form45PhotoSizes = 300_000...2_000_000

    /// The reporter of `day`, whose results get photos drawn from `photoSeed`.
    init(
        laptop: ReporterLaptop, day: [Event], reference: ReferenceData, stray: PollingStation, photoSeed: UInt64
    )
        throws
    {
        self.laptop = laptop
        self.stray = stray
        let code = try require(day.first?.station, "a simulated reporter without observations")
        self.station = try require(reference.stations[code], "station \(code) is not in the reference data")
        var random = SplitMix64(seed: photoSeed)
        self.day = ArraySlice(
            try day.map { event -> Observation in
                guard case .resultReported(var result) = event.payload else {
                    return (
                        event.id,
                        EventDraft(type: event.type, subject: event.subject, time: event.time.text, data: event.data),
                        nil
                    )
                }
                let bytes = TestPhoto.jpeg(size: random.next(in: Self.form45PhotoSizes), seed: random.next())
                result.photo = try PhotoReference(of: bytes)
                return (
                    event.id, EventDraft(payload: .resultReported(result), subject: event.subject, time: event.time),
                    bytes
                )
            })
    }

    var home: ClientHome { laptop.home }

    /// Records `count` observations in one write, signed and chained after what the log holds.
    mutating func recordOffline(_ count: Int) async throws {
        var drafts = [Observation]()
        while drafts.count < count {
            if let next = day.popFirst() {
                drafts.append(next)
            } else {
                drafts.append((.random(), nextCount(), nil))
            }
        }
        try await record(drafts)
    }

    /// Takes a photo of `size` bytes at the station (of the queue turned away at the gate) and records the
    /// incident that names it; the photo.
    mutating func recordIncidentPhoto(size: Int, seed: UInt64) async throws -> PhotoReference {
        let bytes = TestPhoto.jpeg(size: size, seed: seed)
        let photo = try PhotoReference(of: bytes)
        extraCounts += 1
        let incident = Incident(
            kind: .votersTurnedAway, severity: .medium, description: "Voters turned away at the gate (photo)",
            photo: photo)
        try await record([
            (
                .random(),
                EventDraft(payload: .incidentObserved(incident), subject: station.code.rawValue, time: afternoon), bytes
            )
        ])
        return photo
    }

    /// Keeps the photos of `observations` in the profile, as `record --photo` does, then signs, chains and
    /// appends the observations in one write.
    private func record(_ observations: [Observation]) async throws {
        let folder = PhotoFolder(home: home)
        for bytes in observations.compactMap(\.photo) {
            let file = home.path + "/camera.jpg"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            _ = try folder.add(file: file)
        }
        let drafts = observations.map { (id: $0.id, draft: $0.draft) }
        let key = try laptop.key
        try await FileLock.withLock(home.logLock) {
            var log = try await laptop.log()
            var chain = log.chain
            let events = try drafts.map { try chain.sign($0.draft, id: $0.id, key: key) }
            try log.append(events)
        }
    }

    /// A turnout count later in the afternoon, each a little higher than the one before; every fifth at the
    /// stray station.
    private mutating func nextCount() -> EventDraft {
        extraCounts += 1
        let time = afternoon
        let at = extraCounts % 5 == 0 ? stray : station
        return EventDraft(
            payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: extraCounts % at.voters.total)),
            subject: at.code.rawValue, time: time)
    }

    /// A time in the afternoon that moves on with every extra observation.
    private var afternoon: ObservedTime {
        let start = Timestamp(rfc3339: "2024-02-08T12:00:00+05:00")!
        return ObservedTime(start.adding(seconds: Int64(extraCounts * 7 % 14_400)), offsetMinutes: 300)
    }
}
