import FieldSyncModel

/// One station's polling day in an ``ElectionDay``: the true count, and what each device records.
struct StationDay: Sendable {
    let station: PollingStation
    let options: ElectionDay.Options
    /// The true Form-45 of each seat with candidates.
    var truth = [ConstituencyCode: Form45Result]()
    /// Ballots cast by the close.
    let cast: Int
    /// The parties with candidates at the station.
    let parties: [String]

    /// The election whose day this is: its polling opening sets the clock, its offset the times written.
    let election: ElectionDefinition

    init(
        station: PollingStation, election: ElectionDefinition, standing: [ConstituencyCode: [Candidate]],
        strength: [CandidateID: Double], options: ElectionDay.Options, random: inout SplitMix64
    ) {
        self.station = station
        self.election = election
        self.options = options
        let registered = station.voters.total
        cast = Int(Double(registered) * random.next(in: 0.15..<0.65))
        var parties = Set<String>()
        for seat in station.constituencies {
            let candidates = standing[seat] ?? []
            guard !candidates.isEmpty else { continue }
            parties.formUnion(candidates.compactMap(\.party))
            let rejected = Int(Double(cast) * random.next(in: 0.005..<0.03))
            let weights = candidates.map { (strength[$0.id] ?? 1) * random.next(in: 0.8..<1.2) }
            let valid = cast - rejected
            let total = weights.reduce(0, +)
            var parts = weights.map { Int(Double(valid) * $0 / total) }
            var left = valid - parts.reduce(0, +)
            var index = 0
            while left > 0 {
                parts[index % parts.count] += 1
                left -= 1
                index += 1
            }
            var votes = [CandidateID: Int]()
            for (candidate, part) in zip(candidates, parts) { votes[candidate.id] = part }
            truth[seat] = Form45Result(
                constituency: seat, registeredVoters: registered, votes: votes, rejected: rejected, totalCast: cast)
        }
        self.parties = parties.sorted()
    }

    /// What one device means to record: when, what, and under which id.
    struct Entry {
        var recorded: Timestamp
        var payload: Payload
        var id: EventID
    }

    /// The time `minutes` after midnight on a clock whose polling opens at 08:00, moved to the
    /// election's own polling opening.
    func at(_ minutes: Int) -> Timestamp {
        election.pollingOpens.instant.adding(minutes: Int64(minutes - 8 * 60))
    }

    /// A time as a device writes it: in the election's local time.
    func written(_ time: Timestamp) -> ObservedTime { ObservedTime(time, offsetMinutes: election.utcOffsetMinutes) }

    /// Each device's chain of events.
    mutating func devices(random: inout SplitMix64) -> [[Event]] {
        let count = random.next(in: options.devicesPerStation)
        let ids = (0..<count).map { _ in
            DeviceID((0..<20).map { _ in String(random.next(below: 16), radix: 16) }.joined())!
        }
        var plans = ids.map { _ in [Entry]() }
        for index in plans.indices { plans[index] = plan(random: &random) }
        // Corrections that cannot apply: another device's event, or an event that does not exist.
        for index in plans.indices where random.chance(options.strayCorrections) {
            let others = plans.indices.filter { $0 != index }
            let target =
                others.isEmpty || random.chance(0.3)
                ? ElectionDay.eventID(&random) : random.pick(plans[random.pick(others)]).id
            plans[index].append(
                Entry(
                    recorded: at(23 * 60 + 45),
                    payload: .reportCorrected(Correction(corrects: target, reason: "wrong entry", change: .retraction)),
                    id: ElectionDay.eventID(&random)))
        }
        return zip(ids, plans).map { device, plan in
            var chain = UnsignedChain(device: device)
            let ordered = plan.enumerated().sorted {
                $0.element.recorded != $1.element.recorded
                    ? $0.element.recorded < $1.element.recorded : $0.offset < $1.offset
            }
            return ordered.map { _, entry in
                try! chain.append(
                    EventDraft(
                        payload: entry.payload, subject: station.code.rawValue, time: written(entry.recorded)),
                    id: entry.id)
            }
        }
    }

    /// One device's day, before corrections that cannot apply.
    private func plan(random: inout SplitMix64) -> [Entry] {
        var entries = [Entry]()
        func add(_ recorded: Timestamp, _ payload: Payload) -> EventID {
            let id = ElectionDay.eventID(&random)
            entries.append(Entry(recorded: recorded, payload: payload, id: id))
            return id
        }
        let late = random.chance(0.3) ? random.next(in: 5...90) : 0
        let opened = at(7 * 60 + 50 + late + random.next(in: 0...10))
        _ = add(
            opened.adding(minutes: Int64(random.next(in: 0...10))),
            .stationOpened(
                StationOpened(
                    openedAt: written(opened), materialsComplete: random.chance(0.9),
                    staffPresent: random.chance(0.95))))
        if !parties.isEmpty {
            var agents = [String: AgentPresence]()
            for party in parties {
                let roll = random.nextUnit()
                agents[party] = roll < 0.7 ? .present : roll < 0.95 ? .absent : .expelled
            }
            _ = add(at(8 * 60 + 30 + random.next(in: 0...60)), .agentsObserved(PollingAgents(agents: agents)))
        }

        var counts = [(id: EventID, count: TurnoutCount)]()
        let day = 9 * 60
        for index in 0..<options.turnoutCounts {
            let minute = 8 * 60 + (index + 1) * day / (options.turnoutCounts + 1)
            var votes = cast * (minute - 8 * 60) / day
            let low = random.chance(options.lowCounts)
            if low { votes = votes * 2 / 5 }
            let asOf = written(at(minute))
            let delay = random.chance(options.lateReports) ? random.next(in: 60...120) : random.next(in: 0...4)
            let count = TurnoutCount(asOf: asOf, votesCast: votes)
            let id = add(at(minute + delay), .turnoutCounted(count))
            counts.append((id, count))
            if low && random.chance(0.5) {
                let fixed = TurnoutCount(asOf: asOf, votesCast: cast * (minute - 8 * 60) / day)
                _ = add(
                    at(minute + delay + random.next(in: 5...30)),
                    .reportCorrected(
                        Correction(corrects: id, reason: "miscounted", change: .replacement(.turnoutCounted(fixed)))))
            }
        }
        var incidents = [EventID]()
        if random.chance(options.incidents) {
            let kinds = IncidentKind.allCases.filter { $0 != .form45Refused }
            incidents.append(
                add(
                    at(9 * 60 + random.next(in: 0...420)),
                    .incidentObserved(
                        Incident(
                            kind: random.pick(kinds), severity: random.pick(Severity.allCases),
                            description: "seen at the station (synthetic)"))))
        }
        let closed = at(17 * 60 + random.next(in: 0...45))
        _ = add(
            closed.adding(minutes: Int64(random.next(in: 0...5))),
            .stationClosed(StationClosed(closedAt: written(closed), votersInQueue: random.next(in: 0...40))))

        if random.chance(options.refusals) {
            _ = add(
                at(18 * 60 + random.next(in: 0...60)),
                .incidentObserved(
                    Incident(
                        kind: .form45Refused, severity: .high, description: "presiding officer refused (synthetic)")))
        } else {
            for seat in truth.keys.sorted() where !random.chance(options.missingResults) {
                let true45 = truth[seat]!
                let recorded =
                    random.chance(options.lateReports / 2)
                    ? at(24 * 60 + 8 * 60 + random.next(in: 0...180))
                    : at(18 * 60 + 30 + random.next(in: 0...210))
                guard random.chance(options.copyingMistakes) else {
                    _ = add(recorded, .resultReported(true45))
                    continue
                }
                let id = add(recorded, .resultReported(miscopy(true45, random: &random)))
                if random.chance(options.mistakesCorrected) {
                    _ = add(
                        recorded.adding(minutes: Int64(random.next(in: 30...120))),
                        .reportCorrected(
                            Correction(
                                corrects: id, reason: "copied wrong", change: .replacement(.resultReported(true45)))))
                }
            }
        }
        if random.chance(options.retractions) {
            let target = incidents.first ?? counts.last?.id
            if let target {
                _ = add(
                    at(23 * 60 + random.next(in: 0...30)),
                    .reportCorrected(Correction(corrects: target, reason: "not what I saw", change: .retraction)))
            }
        }
        return entries
    }

    /// The form with one candidate's votes copied wrong (the total follows, as a reporter adding
    /// up their own copy would).
    private func miscopy(_ form: Form45Result, random: inout SplitMix64) -> Form45Result {
        var wrong = form
        let candidate = random.pick(form.votes.keys.sorted())
        let votes = form.votes[candidate]!
        let room = form.registeredVoters - form.totalCast
        let delta =
            random.chance(0.5) || votes == 0
            ? random.next(in: 1...max(1, min(50, room))) : -random.next(in: 1...min(50, votes))
        guard room > 0 || delta < 0 else { return form }
        wrong.votes[candidate] = votes + delta
        wrong.totalCast = form.totalCast + delta
        return wrong
    }
}
