import FieldSyncModel

/// The commission's seat figures against the field's, and against its own Form-45s.
extension ConstituencyDerivation {
    /// The seat's official figures; nil when it has no standing Form-47 or 49 and no station of it has an
    /// official Form-45 for it.
    func officialSeat() -> OfficialSeat? {
        let form45 = OfficialForm45Sum(
            stations: aggregate.officialStations, differing: aggregate.officialDiffering,
            figures: Form45Figures(
                votes: aggregate.officialVotes, rejected: aggregate.officialRejected, totalCast: aggregate.officialCast),
            events: aggregate.officialEvents.sorted())
        let field = Form45Figures(votes: aggregate.votes, rejected: aggregate.rejected, totalCast: aggregate.totalCast)
        func standing(_ form: OfficialResult.Form) -> OfficialSeatResult? {
            let records = official.filter { $0.result.form == form }
            guard !records.isEmpty else { return nil }
            return OfficialSeatResult(
                records, field: field, countedStations: aggregate.stations.counted, form45: form45)
        }
        let form47 = standing(.form47)
        let form49 = standing(.form49)
        guard form47 != nil || form49 != nil || form45.stations > 0 else { return nil }
        return OfficialSeat(form45: form45, form47: form47, form49: form49, stations: aggregate.stations.total)
    }

    /// `field-changes-winner` when the field's leader is not the official one and leads them by more than the
    /// registered voters of the stations the field does not count; `official-exceeds-stations` for a standing
    /// Form-47 or 49 whose total cast exceeds the seat's registered voters, or the sum of its official Form-45s
    /// when every station has one.
    func flagOfficial(
        _ official: OfficialSeat?, candidates: [CandidateTally], lead: Lead?, into flags: inout [TallyFlag]
    ) {
        guard let official else { return }
        let stations = aggregate.stations
        if let lead, let standing = official.standing, let leader = official.leader, leader != lead.leader {
            let votes = { (id: CandidateID) in candidates.first { $0.id == id }?.votes ?? 0 }
            let ahead = votes(lead.leader) - votes(leader)
            let uncounted = stations.total - stations.counted
            let registered = aggregate.registered - aggregate.countedRegistered
            if ahead > registered {
                flags.append(
                    TallyFlag(
                        code: .fieldChangesWinner, scope: .constituency(code),
                        message: "the field's counted votes put \(lead.leader) ahead of \(leader), the leader on the "
                            + "official \(standing.name)\(standing == .form45 ? "s" : ""), by \(ahead) votes, more "
                            + "than the \(registered) registered voters of the \(Self.stations(uncounted)) the field "
                            + "does not count",
                        events: official.standingEvents))
            }
        }
        guard stations.total > 0 else { return }
        for (form, result) in official.seatForms {
            var bounds = [String]()
            if stations.total == official.form45.stations
                && result.figures.totalCast > official.form45.figures.totalCast
            {
                bounds.append(
                    "the \(official.form45.figures.totalCast) ballots cast on the official Form-45s of its "
                        + Self.stations(stations.total))
            }
            if result.figures.totalCast > aggregate.registered {
                bounds.append("the \(aggregate.registered) registered voters of its \(Self.stations(stations.total))")
            }
            guard !bounds.isEmpty else { continue }
            flags.append(
                TallyFlag(
                    code: .officialExceedsStations, scope: .constituency(code),
                    message: "the official \(form.name) total cast \(result.figures.totalCast) exceeds "
                        + bounds.joined(separator: " and "),
                    events: [result.event]))
        }
    }

    /// `1 station`, `3 stations`.
    private static func stations(_ count: Int) -> String { count == 1 ? "1 station" : "\(count) stations" }
}
