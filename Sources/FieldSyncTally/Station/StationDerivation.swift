import FieldSyncModel

/// Derives a station's tally from its facts. Every choice is made by an order on the facts
/// (observation time, then event id; or device, then sequence), never by arrival.
struct StationDerivation: Sendable {
    let code: StationCode
    let facts: StationFacts
    /// The reference definition, if any.
    let station: PollingStation?
    let calendar: ElectionCalendar
    /// Every event seen, to check what a correction names.
    let index: [EventID: EventLocation]

    func tally() -> StationTally {
        let (standing, corrections) = resolveCorrections()
        var opened = [EffectiveObservation]()
        var closed = [EffectiveObservation]()
        var agentReports = [EffectiveObservation]()
        var incidents = [IncidentReport]()
        var turnout = [TurnoutReading]()
        turnout.reserveCapacity(facts.observations.count)
        var results = [EffectiveObservation]()
        let registered = station?.voters.total
        for record in facts.observations.values {
            var payload = record.payload
            var correction: EventID?
            if !standing.isEmpty, let standingCorrection = standing[record.id] {
                guard case .reportCorrected(let change) = standingCorrection.payload,
                    case .replacement(let replacement) = change.change
                else { continue }  // retracted
                payload = replacement
                correction = standingCorrection.id
            }
            switch payload {
            case .turnoutCounted(let count):
                turnout.append(
                    TurnoutReading(
                        event: record.id, device: record.device, asOf: count.asOf, votesCast: count.votesCast,
                        male: count.male, female: count.female,
                        basisPoints: registered.flatMap { Turnout.basisPoints(count.votesCast, of: $0) },
                        correction: correction))
            case .incidentObserved(let incident):
                incidents.append(
                    IncidentReport(
                        event: record.id, device: record.device, time: record.time, incident: incident,
                        correction: correction))
            case .stationOpened, .stationClosed, .agentsObserved, .resultReported:
                let observation = EffectiveObservation(
                    place: record.id, device: record.device, time: record.time, payload: payload,
                    correction: correction)
                switch payload {
                case .stationOpened: opened.append(observation)
                case .stationClosed: closed.append(observation)
                case .agentsObserved: agentReports.append(observation)
                default: results.append(observation)
                }
            default:
                break
            }
        }
        incidents.sort { $0.order < $1.order }
        turnout.sort { $0.order < $1.order }
        let contests = contestResults(results)
        let opening = self.opening(opened)
        let closing = self.closing(closed)
        var flags = [TallyFlag]()
        flagResults(contests, into: &flags)
        flagTurnout(turnout, into: &flags)
        flagClosing(closing, contests: contests, into: &flags)
        flagRefusals(incidents, into: &flags)
        flagCorrections(corrections, into: &flags)
        if flags.count > 1 { flags.sort() }
        return StationTally(
            code: code, station: station, opening: opening, closing: closing, agents: agents(agentReports),
            incidents: incidents, turnout: turnout, results: contests, corrections: corrections, flags: flags)
    }

    // MARK: Corrections

    /// The correction that stands on each corrected event, and what became of each correction.
    ///
    /// A correction applies when it names an earlier event (lower sequence number) of the same
    /// device, about the same station, of a correctable type, and a replacement is of that type.
    /// Of the corrections that apply to one event, the device's latest (highest sequence number)
    /// stands; a replacement takes the corrected event's place, a retraction removes it.
    func resolveCorrections() -> ([EventID: ObservationRecord], [CorrectionReport]) {
        guard !facts.corrections.isEmpty else { return ([:], []) }
        var standing = [EventID: ObservationRecord]()
        var valid = [(ObservationRecord, Correction)]()
        var reports = [CorrectionReport]()
        for record in facts.corrections.values {
            guard case .reportCorrected(let correction) = record.payload else { continue }
            if let problem = problem(record, correction) {
                reports.append(
                    CorrectionReport(
                        event: record.id, device: record.device, corrects: correction.corrects,
                        isRetraction: correction.change == .retraction, outcome: .notApplied(problem)))
                continue
            }
            valid.append((record, correction))
            if let current = standing[correction.corrects], current.seq > record.seq { continue }
            standing[correction.corrects] = record
        }
        for (record, correction) in valid {
            let winner = standing[correction.corrects]!
            reports.append(
                CorrectionReport(
                    event: record.id, device: record.device, corrects: correction.corrects,
                    isRetraction: correction.change == .retraction,
                    outcome: winner.id == record.id ? .applied : .superseded(by: winner.id)))
        }
        reports.sort { a, b in
            let sa = facts.corrections[a.event]!.seq
            let sb = facts.corrections[b.event]!.seq
            return a.device != b.device ? a.device < b.device : sa < sb
        }
        return (standing, reports)
    }

    private func problem(_ record: ObservationRecord, _ correction: Correction) -> CorrectionProblem? {
        guard let target = index[correction.corrects] else { return .unknownEvent }
        if target.device != record.device { return .otherDevice(target.device) }
        if target.seq >= record.seq { return .notEarlier }
        if !target.type.isCorrectable { return .notCorrectable(target.type) }
        if let station = target.station, station != code { return .otherStation(station) }
        if case .replacement(let payload) = correction.change, payload.type != target.type {
            return .typeMismatch(replacement: payload.type, corrected: target.type)
        }
        return nil
    }

    // MARK: Opening, closing, agents

    private func opening(_ reports: [EffectiveObservation]) -> StationOpening? {
        let latest = reports.latestPerDevice().sorted { $0.place < $1.place }
        func key(_ report: EffectiveObservation) -> ObservationOrder {
            guard case .stationOpened(let opened) = report.payload else { fatalError("not an opening") }
            return ObservationOrder(instant: opened.openedAt.instant, id: report.place)
        }
        guard let chosen = latest.min(by: { key($0) < key($1) }),
            case .stationOpened(let opened) = chosen.payload
        else { return nil }
        let late = opened.openedAt.instant.microseconds - calendar.pollingOpens.microseconds
        return StationOpening(
            openedAt: opened.openedAt, minutesLate: late > 0 ? Int(late / 60_000_000) : 0,
            materialsComplete: opened.materialsComplete, staffPresent: opened.staffPresent, devices: latest.count,
            events: chosen.events + latest.filter { $0.place != chosen.place }.flatMap(\.events))
    }

    private func closing(_ reports: [EffectiveObservation]) -> StationClosing? {
        let latest = reports.latestPerDevice().sorted { $0.place < $1.place }
        func key(_ report: EffectiveObservation) -> ObservationOrder {
            guard case .stationClosed(let closed) = report.payload else { fatalError("not a closing") }
            return ObservationOrder(instant: closed.closedAt.instant, id: report.place)
        }
        guard let chosen = latest.max(by: { key($0) < key($1) }),
            case .stationClosed(let closed) = chosen.payload
        else { return nil }
        return StationClosing(
            closedAt: closed.closedAt, votersInQueue: closed.votersInQueue, devices: latest.count,
            events: chosen.events + latest.filter { $0.place != chosen.place }.flatMap(\.events))
    }

    private func agents(_ reports: [EffectiveObservation]) -> [PartyAgents] {
        var byParty = [String: (AgentPresence, EffectiveObservation)]()
        for report in reports.latestPerDevice() {
            guard case .agentsObserved(let agents) = report.payload else { continue }
            for (party, presence) in agents.agents {
                if let current = byParty[party], report.order < current.1.order { continue }
                byParty[party] = (presence, report)
            }
        }
        return byParty.keys.sorted().map { party in
            let (presence, report) = byParty[party]!
            return PartyAgents(party: party, presence: presence, event: report.place, correction: report.correction)
        }
    }

    // MARK: Turnout and results

    /// One result per seat: the station's two seats and any other seat named by a report.
    private func contestResults(_ reports: [EffectiveObservation]) -> [ContestResult] {
        var byContest = [ConstituencyCode: [EffectiveObservation]]()
        for report in reports {
            guard case .resultReported(let result) = report.payload else { continue }
            byContest[result.constituency, default: []].append(report)
        }
        var contests = Set(byContest.keys)
        if let station { contests.formUnion(station.constituencies) }
        return contests.sorted().map { contest in
            let latest = (byContest[contest] ?? []).latestPerDevice().sorted { $0.device < $1.device }
            let reports = latest.map { observation -> Form45Report in
                guard case .resultReported(let result) = observation.payload else { fatalError("not a result") }
                return Form45Report(
                    device: observation.device, event: observation.place, time: observation.time,
                    figures: Form45Figures(result),
                    registeredVoters: result.registeredVoters, correction: observation.correction)
            }
            return ContestResult(constituency: contest, reports: reports)
        }
    }
}
