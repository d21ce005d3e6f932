import FieldSyncModel

/// Derives a seat's tally from the sums of its stations' contributions and the reference data.
struct ConstituencyDerivation: Sendable {
    let code: ConstituencyCode
    let aggregate: ConstituencyAggregate
    let reference: ReferenceData
    /// The commission's Form-47s and Form-49s for the seat.
    var official: [OfficialRecord] = []

    func tally() -> ConstituencyTally {
        let standing = reference.candidatesByConstituency[code] ?? []
        var ids = Set(standing)
        for (candidate, _) in aggregate.votes { ids.insert(candidate) }
        for (candidate, _) in aggregate.disputedMaximum { ids.insert(candidate) }
        for (candidate, _) in aggregate.disputedMinimum { ids.insert(candidate) }
        var candidates = ids.map { id in
            CandidateTally(
                id: id, candidate: reference.candidates[id], votes: aggregate.votes[id] ?? 0,
                verifiedVotes: aggregate.verifiedVotes[id] ?? 0, disputedMinimum: aggregate.disputedMinimum[id] ?? 0,
                disputedMaximum: aggregate.disputedMaximum[id] ?? 0)
        }
        candidates.sort { $0.votes != $1.votes ? $0.votes > $1.votes : $0.id < $1.id }

        var parties = PartyVotes()
        for candidate in candidates { parties.add(candidate.votes, for: candidate.candidate) }

        var lead: Lead?
        if aggregate.stations.counted > 0, let leader = candidates.first {
            let runnerUp = candidates.count > 1 ? candidates[1] : nil
            lead = Lead(leader: leader.id, runnerUp: runnerUp?.id, margin: runnerUp.map { leader.votes - $0.votes })
        }
        let disputed = DisputedVotes(
            stations: aggregate.disputedStations.sorted(), rejectedMinimum: aggregate.disputedRejected.minimum,
            rejectedMaximum: aggregate.disputedRejected.maximum, totalCastMinimum: aggregate.disputedCast.minimum,
            totalCastMaximum: aggregate.disputedCast.maximum)
        let officialSeat = self.officialSeat()
        var flags = [TallyFlag]()
        flagRejected(lead: lead, into: &flags)
        flagDisputed(candidates: candidates, lead: lead, into: &flags)
        flagOfficial(officialSeat, candidates: candidates, lead: lead, into: &flags)
        flags.sort()
        return ConstituencyTally(
            code: code, constituency: reference.constituencies[code], stations: aggregate.stations,
            candidates: candidates, votesByParty: parties, validVotes: candidates.reduce(0) { $0 + $1.votes },
            rejected: aggregate.rejected, totalCast: aggregate.totalCast,
            turnout: Turnout(
                stations: aggregate.stations.counted, votesCast: aggregate.totalCast,
                registeredVoters: aggregate.countedRegistered),
            liveTurnout: Turnout(
                stations: aggregate.liveStations, votesCast: aggregate.liveCast,
                registeredVoters: aggregate.liveRegistered),
            turnoutByHour: aggregate.hourlyTurnout.series,
            lead: lead, disputed: disputed, official: officialSeat,
            postponed: reference.election?.postponed.contains(code) ?? false, stationFlags: aggregate.stationFlags,
            flags: flags)
    }

    /// Rejected ballots at or above a margin (when any ballot was rejected).
    private func flagRejected(lead: Lead?, into flags: inout [TallyFlag]) {
        guard let lead, let runnerUp = lead.runnerUp, let margin = lead.margin, aggregate.rejected > 0,
            aggregate.rejected >= margin
        else { return }
        flags.append(
            TallyFlag(
                code: .rejectedAtOrAboveMargin, scope: .constituency(code),
                message: "\(aggregate.rejected) rejected ballots are at or above the margin of \(margin) "
                    + "between \(lead.leader) and \(runnerUp)",
                events: aggregate.rejectingEvents.sorted()))
    }

    /// Disputed stations whose highest figures for another candidate, with the leader's lowest,
    /// would put that candidate level with or ahead of the leader; or disputed stations when none counts.
    private func flagDisputed(candidates: [CandidateTally], lead: Lead?, into flags: inout [TallyFlag]) {
        let count = aggregate.disputedStations.count
        guard count > 0 else { return }
        let stations = count == 1 ? "1 disputed station" : "\(count) disputed stations"
        let message: String
        if let lead, let leader = candidates.first(where: { $0.id == lead.leader }) {
            let floor = leader.votes + leader.disputedMinimum
            let challengers = candidates.filter { $0.id != leader.id && $0.votes + $0.disputedMaximum >= floor }
            guard let first = challengers.first else { return }
            let others = challengers.count > 1 ? " (and \(challengers.count - 1) more)" : ""
            message = "\(stations) could put \(first.id)\(others) level with or ahead of the leader \(leader.id)"
        } else {
            message = "no station counts yet; the leader rests on \(stations)"
        }
        flags.append(
            TallyFlag(
                code: .disputedCouldChangeLeader, scope: .constituency(code), message: message,
                events: aggregate.disputedEvents.sorted()))
    }
}
