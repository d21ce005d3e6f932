import FieldSyncModel

/// A small polling day at four stations of one National Assembly seat, by three reporters: openings,
/// turnout counts, an incident, a closing, Form-45s that confirm each other, Form-45s that disagree, a
/// replacement and a retraction. Station 3 is never reported.
///
/// `sign` makes the reporter's next event (its chain, its key): the same day is signed by
/// in-memory keys in unit tests and by enrolled devices against a real server.
enum PollingDay {
    /// Stations 0, 1, 2, 3 of the seat, and the candidates standing in it, in id order.
    static func record(
        stations: [PollingStation], candidates: [Candidate],
        sign: (_ reporter: Int, _ payload: Payload, _ station: StationCode, _ time: String) -> Event
    ) -> [Event] {
        var events = [Event]()
        func add(_ reporter: Int, _ payload: Payload, _ station: PollingStation, _ time: String) -> Event {
            let event = sign(reporter, payload, station.code, time)
            events.append(event)
            return event
        }
        let (s0, s1, s2) = (stations[0], stations[1], stations[2])
        _ = add(
            0, .stationOpened(StationOpened(openedAt: time("08:05"), materialsComplete: true, staffPresent: true)), s0,
            day("08:06"))
        _ = add(
            0, .turnoutCounted(TurnoutCount(asOf: time("10:00"), votesCast: 100, male: 60, female: 40)), s0,
            day("10:01"))
        _ = add(1, .turnoutCounted(TurnoutCount(asOf: time("12:00"), votesCast: 180)), s0, day("12:02"))
        _ = add(2, .turnoutCounted(TurnoutCount(asOf: time("11:00"), votesCast: 90)), s1, day("11:03"))
        _ = add(
            0,
            .incidentObserved(
                Incident(
                    kind: .powerOutage, severity: .low, description: "Lights out for ten minutes",
                    occurredAt: time("12:50"))),
            s1, day("13:00"))
        let counted = add(2, .turnoutCounted(TurnoutCount(asOf: time("15:00"), votesCast: 200)), s2, day("15:05"))
        _ = add(0, .stationClosed(StationClosed(closedAt: time("17:02"), votersInQueue: 12)), s0, day("17:03"))
        _ = add(0, .resultReported(form45(s0, candidates, total: 300)), s0, day("18:10"))
        _ = add(1, .resultReported(form45(s0, candidates, total: 300)), s0, day("18:12"))
        _ = add(0, .resultReported(form45(s1, candidates, total: 280)), s1, day("18:20"))
        _ = add(2, .resultReported(form45(s1, candidates, total: 280, skew: 25)), s1, day("18:25"))
        let mistaken = add(1, .resultReported(form45(s2, candidates, total: 250)), s2, day("18:30"))
        _ = add(
            1,
            .reportCorrected(
                Correction(
                    corrects: mistaken.id, reason: "Copied the total from the wrong form",
                    change: .replacement(.resultReported(form45(s2, candidates, total: 260))))),
            s2, day("19:00"))
        _ = add(
            2,
            .reportCorrected(Correction(corrects: counted.id, reason: "Counted the wrong queue", change: .retraction)),
            s2, day("19:05"))
        return events
    }

    /// A Form-45 for the station's seat: `total` ballots, 10 rejected, the rest spread over the candidates.
    static func form45(_ station: PollingStation, _ candidates: [Candidate], total: Int, skew: Int = 0) -> Form45Result
    {
        let standing = candidates.filter { $0.constituency == station.national }.sorted { $0.id < $1.id }
        var votes = [CandidateID: Int]()
        var remaining = total - 10
        for (index, candidate) in standing.enumerated() {
            var share = index == standing.count - 1 ? remaining : remaining / 2
            if index == 0 { share = min(remaining, share + skew) }
            votes[candidate.id] = share
            remaining -= share
        }
        return Form45Result(
            constituency: station.national, registeredVoters: station.voters.total, votes: votes, rejected: 10,
            totalCast: total)
    }

    /// 8 February 2024 at this time in Karachi.
    static func day(_ clock: String) -> String { "2024-02-08T\(clock):00+05:00" }

    static func time(_ clock: String) -> ObservedTime { ObservedTime(day(clock))! }
}
