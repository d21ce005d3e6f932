import FieldSyncModel

extension TallyExplanation {
    /// Every event a constituency's explanation names.
    public static func eventIDs(constituency code: ConstituencyCode, in tally: ElectionTally) -> Set<EventID> {
        guard let provenance = tally.provenance(constituency: code) else { return [] }
        var ids = Set<EventID>()
        for entry in provenance.counted + provenance.disputed + provenance.liveTurnout + provenance.flags {
            ids.formUnion(entry.events.map(\.id))
        }
        if let seat = tally.constituency(code) { ids.formUnion(officialEventIDs(seat)) }
        return ids
    }

    /// A constituency, figure by figure: stations by status; each candidate's counted votes; rejected
    /// ballots, total cast and turnout; the lead; then the stations behind those figures with their
    /// figures and events — counted, disputed (with the range each could add), the latest turnout counts
    /// — and the seat's flags with their events. Nil when the seat has no tally.
    public func constituency(_ code: ConstituencyCode) -> [String]? {
        guard let seat = tally.constituency(code), let provenance = tally.provenance(constituency: code) else {
            return nil
        }
        var title = "\(code)"
        if let defined = seat.constituency { title += " \(defined.name) (\(defined.district))" }
        var lines = [title, "Folded: \(standing)", ""]

        var byStatus = [ResultStatus: [StationCode]]()
        for station in tally.reference.stationsByConstituency[code] ?? [] {
            byStatus[tally.station(station)?.result(for: code)?.status ?? .unreported, default: []].append(station)
        }
        lines.append("Stations: \(seat.stations.total), each by the status of its Form-45s for \(code):")
        for status in ResultStatus.allCases {
            let stations = byStatus[status] ?? []
            lines.append("  \(status.rawValue) \(stations.count)" + (stations.isEmpty ? "" : ":"))
            lines += Self.wrap(stations.map(\.rawValue), indent: "    ")
        }

        let order = seat.candidates.map(\.id)
        lines.append("")
        lines.append(
            "Candidate votes — the sum of the counted figures of the \(provenance.counted.count) counted stations "
                + "(listed below); the disputed range is what the \(provenance.disputed.count) disputed stations could add:"
        )
        for candidate in seat.candidates {
            var line = "  \(self.candidate(candidate.id)): \(TallyText.count(Int64(candidate.votes)))"
            if candidate.disputedMinimum != 0 || candidate.disputedMaximum != 0 {
                line += ", disputed +\(candidate.disputedMinimum)…\(candidate.disputedMaximum)"
            }
            lines.append(line)
        }
        lines.append(
            "Rejected \(TallyText.count(Int64(seat.rejected))) · total cast \(TallyText.count(Int64(seat.totalCast)))"
                + " · turnout \(TallyText.percent(seat.turnout.basisPoints.map(Int64.init))) "
                + "(\(TallyText.count(Int64(seat.turnout.votesCast))) cast of "
                + "\(TallyText.count(Int64(seat.turnout.registeredVoters))) registered at the counted stations)")
        if let lead = seat.lead {
            var line = "Lead: \(candidate(lead.leader))"
            if let runnerUp = lead.runnerUp, let margin = lead.margin {
                line += " by \(TallyText.count(Int64(margin))) over \(candidate(runnerUp))"
            }
            lines.append(line + " — on the counted votes above")
        } else {
            lines.append("Lead: none — no station counts")
        }

        lines.append("")
        lines.append("Counted stations — their figures make the counted totals:")
        if provenance.counted.isEmpty { lines.append("  none") }
        for entry in provenance.counted {
            guard let station = entry.station, let counted = tally.station(station)?.result(for: code)?.counted
            else { continue }
            lines.append(
                "  \(station) \(entry.status?.rawValue ?? ""): \(Self.votes(counted.votes, order: order)) · rejected "
                    + "\(counted.rejected) · total cast \(counted.totalCast)")
            lines += eventLines(entry.events.map(\.id))
        }
        if !provenance.disputed.isEmpty {
            lines.append("")
            lines.append("Disputed stations — left out of the counted totals; the range each could add:")
            for entry in provenance.disputed {
                guard let station = entry.station, let range = tally.station(station)?.result(for: code)?.range
                else { continue }
                let ranges = order.compactMap { id in
                    range.minimum[id].map { "\(Self.shortID(id)) \($0)…\(range.maximum[id] ?? $0)" }
                }
                lines.append(
                    "  \(station): " + ranges.joined(separator: " · ")
                        + " · rejected \(range.rejected.lowerBound)…\(range.rejected.upperBound)"
                        + " · total cast \(range.totalCast.lowerBound)…\(range.totalCast.upperBound)")
                lines += eventLines(entry.events.map(\.id))
            }
        }
        lines.append("")
        lines.append(
            "Live turnout \(TallyText.percent(seat.liveTurnout.basisPoints.map(Int64.init))) — "
                + "\(TallyText.count(Int64(seat.liveTurnout.votesCast))) votes cast by each station's latest count, "
                + "over \(TallyText.count(Int64(seat.liveTurnout.registeredVoters))) registered:")
        if provenance.liveTurnout.isEmpty { lines.append("  no count yet") }
        for entry in provenance.liveTurnout {
            guard let station = entry.station, let latest = tally.station(station)?.latestTurnout else { continue }
            lines.append("  \(station): \(TallyText.count(Int64(latest.votesCast))) as of \(latest.asOf)")
            lines += eventLines(entry.events.map(\.id))
        }
        lines += official(seat)
        if !seat.flags.isEmpty {
            lines.append("")
            lines.append("Flags:")
            for flag in seat.flags {
                lines.append("  \(flag.code.rawValue): \(flag.message)")
                lines += eventLines(flag.events)
            }
        }
        let stationFlags = seat.stationFlags.sorted { $0.key < $1.key }
        if !stationFlags.isEmpty {
            lines.append(
                "Station flags: " + stationFlags.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                    + " (see each station's explanation)")
        }
        return lines
    }
}
