import FieldSyncModel

/// Derives a station's tally from its facts. Every choice is made by an order on the facts
/// (observation time, then event id; or device, then sequence), never by arrival.
struct StationDerivation: Sendable {
    let code: StationCode
    var facts: StationFacts
    /// The reference definition, if any.
    let station: PollingStation?
    /// The election's calendar; nil before the log defines the election.
    let calendar: ElectionCalendar?
    /// The stations each device is assigned to.
    let coverage: [DeviceID: StationCoverage]

    /// The station's tally: the observations of the devices that count (``StationAdmission``), with the
    /// held ones listed apart.
    func tally() -> StationTally {
        let admission = StationAdmission(code: code, station: station, facts: facts, coverage: coverage)
        guard !admission.held.isEmpty else { return derive(held: []) }
        var counted = self
        counted.facts = admission.admitted
        return counted.derive(held: admission.held.map(heldReport))
    }

    /// The effective observations of a station's facts, by kind.
    struct Effective {
        var opened = [EffectiveObservation]()
        var closed = [EffectiveObservation]()
        var agentReports = [EffectiveObservation]()
        var incidents = [IncidentReport]()
        var turnout = [TurnoutReading]()
        var results = [EffectiveObservation]()

        /// The events behind every observation: each one's events (the original, then the correction that
        /// stands on it), the observations in the order of their original event ids.
        var events: [EventID] {
            var all = (opened + closed + agentReports + results).map { ($0.place, $0.events) }
            all += incidents.map { ($0.event, $0.events) }
            all += turnout.map { ($0.event, $0.events) }
            return all.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// Every observation as it stands after the `standing` corrections, sorted where a tally lists them.
    func effective(_ standing: [EventID: ObservationRecord]) -> Effective {
        var effective = Effective()
        // Room for the turnout counts only: the array is kept in the station's tally, and room for every
        // observation was most of a held station's memory after its facts.
        effective.turnout.reserveCapacity(facts.observations.values.count { $0.payload.type == .turnoutCounted })
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
                effective.turnout.append(
                    TurnoutReading(
                        event: record.id, device: record.device, asOf: count.asOf, votesCast: count.votesCast,
                        male: count.male, female: count.female,
                        basisPoints: registered.flatMap { Turnout.basisPoints(count.votesCast, of: $0) },
                        correction: correction))
            case .incidentObserved(let incident):
                effective.incidents.append(
                    IncidentReport(
                        event: record.id, device: record.device, time: record.time, incident: incident,
                        correction: correction))
            case .stationOpened, .stationClosed, .agentsObserved, .resultReported:
                let observation = EffectiveObservation(
                    place: record.id, device: record.device, time: record.time, payload: payload,
                    correction: correction)
                switch payload {
                case .stationOpened: effective.opened.append(observation)
                case .stationClosed: effective.closed.append(observation)
                case .agentsObserved: effective.agentReports.append(observation)
                default: effective.results.append(observation)
                }
            default:
                break
            }
        }
        effective.incidents.sort { $0.order < $1.order }
        effective.turnout.sort { $0.order < $1.order }
        return effective
    }

    private func derive(held: [HeldReport]) -> StationTally {
        let (standing, corrections) = resolveCorrections()
        let effective = self.effective(standing)
        let contests = contestResults(effective.results, held: held)
        let opening = self.opening(effective.opened)
        let closing = self.closing(effective.closed)
        var flags = [TallyFlag]()
        flagResults(contests, into: &flags)
        flagTurnout(effective.turnout, into: &flags)
        flagClosing(closing, contests: contests, into: &flags)
        flagRefusals(effective.incidents, into: &flags)
        flagCorrections(corrections, into: &flags)
        flagHeld(held, into: &flags)
        flagVerifications(contests, into: &flags)
        let official = self.official(contests)
        flagOfficial(official, incidents: effective.incidents, into: &flags)
        if flags.count > 1 { flags.sort() }
        return StationTally(
            code: code, station: station, opening: opening, closing: closing,
            agents: agents(effective.agentReports), incidents: effective.incidents, turnout: effective.turnout,
            results: contests, corrections: corrections, held: held, official: official, flags: flags)
    }

    /// What one held device's observations are, as they stand after its own corrections.
    private func heldReport(_ held: StationAdmission.Held) -> HeldReport {
        var derivation = self
        derivation.facts = held.facts
        let effective = derivation.effective(derivation.resolveCorrections().0)
        let results = derivation.contestResults(effective.results, held: []).flatMap { contest in
            contest.reports.map { HeldResult(constituency: contest.constituency, report: $0) }
        }
        return HeldReport(
            device: held.device, reason: held.reason, review: held.review, events: effective.events,
            results: results)
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
        guard let target = facts.targets[correction.corrects] else { return .unknownEvent }
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
        let late = calendar.map { opened.openedAt.instant.microseconds - $0.pollingOpens.microseconds } ?? 0
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

    /// One result per seat: the station's two seats and any other seat named by a report. `held` gives,
    /// per seat, how many devices' reports are held; the latest verification of each seat is weighed.
    private func contestResults(_ reports: [EffectiveObservation], held: [HeldReport]) -> [ContestResult] {
        var byContest = [ConstituencyCode: [EffectiveObservation]]()
        for report in reports {
            guard case .resultReported(let result) = report.payload else { continue }
            byContest[result.constituency, default: []].append(report)
        }
        var contests = Set(byContest.keys)
        if let station { contests.formUnion(station.constituencies) }
        for report in held { contests.formUnion(report.results.map(\.constituency)) }
        return contests.sorted().map { contest in
            let latest = (byContest[contest] ?? []).latestPerDevice().sorted { $0.device < $1.device }
            let reports = latest.map { observation -> Form45Report in
                guard case .resultReported(let result) = observation.payload else { fatalError("not a result") }
                return Form45Report(
                    device: observation.device, event: observation.place, time: observation.time,
                    figures: Form45Figures(result),
                    registeredVoters: result.registeredVoters, correction: observation.correction,
                    photo: result.photoSha256)
            }
            let verification = facts.reviews.values.standing { record in
                record.review.decision == .verified && record.review.constituency == contest
            }
            let heldReports = held.reduce(0) { count, report in
                count + report.results.filter { $0.constituency == contest }.count
            }
            return ContestResult(
                constituency: contest, reports: reports,
                verification: verification.map { ($0.id, Set($0.review.events)) }, held: heldReports)
        }
    }
}
