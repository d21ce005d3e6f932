import FieldSyncModel

extension ElectionDay {
    /// The commission's Form-47 for a seat (with the chance ``Options/officialResults``), drawn from a generator
    /// of its own: the sum of each station's first field Form-45 for the seat, then, in turn over the seats
    /// published (in seat order), as it is, a few votes off, with the weakest candidate made the leader, or with
    /// more ballots than the seat's registered voters; every second seat has a Form-49 too, the same figures,
    /// every fourth imported twice (the first a vote off, superseded).
    static func officialSeatResults(
        devices: [[Event]], stations: [PollingStation], standing: [ConstituencyCode: [Candidate]], options: Options,
        election: ElectionDefinition, server: inout UnsignedChain
    ) -> [Event] {
        guard options.officialResults > 0 else { return [] }
        var random = SplitMix64(seed: options.seed ^ 0x0FF1_C1A1_4749)
        // Three days after the polls close, in the election's own time.
        let time = ObservedTime(
            election.pollingCloses.instant.adding(minutes: 3 * 24 * 60), offsetMinutes: election.utcOffsetMinutes)
        var firstResult = [StationCode: [ConstituencyCode: Form45Result]]()
        for chain in devices {
            for event in chain {
                guard let station = event.station, case .resultReported(let form) = event.payload,
                    firstResult[station]?[form.constituency] == nil
                else { continue }
                firstResult[station, default: [:]][form.constituency] = form
            }
        }
        var published = [Event]()
        func publish(_ form: OfficialResult.Form, _ seat: ConstituencyCode, _ votes: [CandidateID: Int], rejected: Int)
        {
            let official = OfficialResult(
                form: form, constituency: seat, station: nil, votes: votes, rejected: rejected,
                totalCast: votes.values.reduce(rejected, +), sourceURL: nil,
                fileSha256: SHA256Digest.hash("official \(form.name) of \(seat) \(published.count) (synthetic)"),
                editor: editor)
            published.append(
                try! server.append(EventDraft(payload: .officialPublished(official), time: time), id: eventID(&random)))
        }
        var turn = -1
        for seat in standing.keys.sorted() where random.chance(options.officialResults) {
            turn += 1
            let seatStations = stations.filter { $0.constituencies.contains(seat) }
            var votes = [CandidateID: Int]()
            for candidate in standing[seat]! { votes[candidate.id] = 0 }
            var rejected = 0
            for station in seatStations {
                guard let form = firstResult[station.code]?[seat] else { continue }
                for (candidate, count) in form.votes where votes[candidate] != nil { votes[candidate]! += count }
                rejected += form.rejected
            }
            let ranked = votes.keys.sorted { votes[$0]! != votes[$1]! ? votes[$0]! > votes[$1]! : $0 < $1 }
            switch turn % 4 {
            case 1: votes[ranked[0]]! += 1 + random.next(below: 9)
            case 2: votes[ranked[ranked.count - 1]]! = votes[ranked[0]]! + 1 + random.next(below: 50)
            case 3: votes[ranked[0]]! += seatStations.reduce(0) { $0 + $1.voters.total }
            default: break
            }
            publish(.form47, seat, votes, rejected: rejected)
            guard turn % 2 == 1 else { continue }
            if turn % 4 == 1 {
                var earlier = votes
                earlier[ranked[0]]! += 1
                publish(.form49, seat, earlier, rejected: rejected)
            }
            publish(.form49, seat, votes, rejected: rejected)
        }
        return published
    }
}
