import FieldSyncModel

extension TallyExplanation {
    /// Every event a station's explanation names.
    public static func eventIDs(station code: StationCode, in tally: ElectionTally) -> Set<EventID> {
        guard let station = tally.station(code) else { return [] }
        var ids = Set<EventID>()
        ids.formUnion(station.opening?.events ?? [])
        ids.formUnion(station.closing?.events ?? [])
        for agents in station.agents { ids.formUnion(agents.events) }
        for incident in station.incidents { ids.formUnion(incident.events) }
        for reading in station.turnout { ids.formUnion(reading.events) }
        for result in station.results { ids.formUnion(result.events) }
        for correction in station.corrections { ids.formUnion([correction.event, correction.corrects]) }
        for flag in station.flags { ids.formUnion(flag.events) }
        ids.formUnion(officialEventIDs(station))
        return ids
    }

    /// A station, contest by contest: the status and why, every device's report and the events behind it,
    /// the counted figures; then the corrections applied or refused, the turnout history, opening,
    /// closing, agents, incidents and flags, each with its events. Nil when the station has no tally.
    public func station(_ code: StationCode) -> [String]? {
        guard let station = tally.station(code) else { return nil }
        var title = "Station \(code)"
        if let defined = station.station {
            title +=
                " \(defined.name) — \(defined.constituencies.map(\.rawValue).joined(separator: " / ")), "
                + "\(TallyText.count(Int64(defined.voters.total))) registered voters"
        } else {
            title += " — not defined in the reference data"
        }
        var lines = [title, "Folded: \(standing)"]
        for result in station.results {
            lines.append("")
            lines += contest(result, at: code)
        }
        lines += official(station)
        lines += corrections(station)
        lines += turnout(station)
        lines.append("")
        if let opening = station.opening {
            lines.append(
                "Opening: \(opening.openedAt), \(opening.minutesLate) min late — the earliest of "
                    + "\(opening.devices) device\(opening.devices == 1 ? "" : "s")' latest reports, the chosen one first:"
            )
            lines += eventLines(opening.events)
        } else {
            lines.append("Opening: not reported")
        }
        if let closing = station.closing {
            lines.append(
                "Closing: \(closing.closedAt) — the latest of \(closing.devices) device\(closing.devices == 1 ? "" : "s")' "
                    + "latest reports, the chosen one first:")
            lines += eventLines(closing.events)
        } else {
            lines.append("Closing: not reported")
        }
        for agents in station.agents {
            lines.append("Agents of \(agents.party): \(agents.presence.rawValue)")
            lines += eventLines(agents.events)
        }
        for incident in station.incidents {
            lines.append(
                "Incident \(incident.incident.kind.rawValue) (\(incident.incident.severity.rawValue)) at "
                    + "\(incident.time) by \(incident.device)")
            lines += eventLines(incident.events)
        }
        for held in station.held {
            lines.append(
                "Held (\(held.reason.rawValue)): \(held.events.count) events from \(held.device), not counted"
                    + (held.results.isEmpty
                        ? "" : "; Form-45 for " + held.results.map(\.constituency.rawValue).joined(separator: ", ")))
            lines += eventLines(held.review.map { [$0] } ?? [])
        }
        if !station.flags.isEmpty {
            lines.append("")
            lines.append("Flags:")
            for flag in station.flags {
                lines.append("  \(flag.code.rawValue): \(flag.message)")
                lines += eventLines(flag.events)
            }
        }
        return lines
    }

    /// One seat's result at a station.
    func contest(_ result: ContestResult, at code: StationCode) -> [String] {
        let seat = result.constituency
        let why: String
        switch result.status {
        case .unreported: why = "no device has reported a Form-45 for this seat"
        case .reported: why = "one device reported; its figures count"
        case .confirmed: why = "\(result.reports.count) devices reported the same figures; they count"
        case .verified: why = "an editor verified these reports against the signed sheet; they count"
        case .disputed:
            why = "\(result.reports.count) devices reported different figures; left out of the counted totals"
        }
        var lines = ["\(seat): \(result.status.rawValue) — \(why)"]
        if let review = result.verification { lines += eventLines([review], indent: "  verified by ") }
        if result.held > 0 {
            lines.append("  \(result.held) more reports are held for review: they neither count nor dispute")
        }
        guard !result.reports.isEmpty else { return lines }
        let order = tally.constituency(seat)?.candidates.map(\.id) ?? []
        if let counted = result.counted {
            lines.append(
                "  Counted figures (the first device's report): \(Self.votes(counted.votes, order: order)) · "
                    + "rejected \(TallyText.count(Int64(counted.rejected))) · total cast "
                    + TallyText.count(Int64(counted.totalCast)))
        }
        if let range = result.range {
            let ranges = (order + range.minimum.keys.filter { !order.contains($0) }.sorted()).compactMap { id in
                range.minimum[id].map { "\(Self.shortID(id)) \($0)…\(range.maximum[id] ?? $0)" }
            }
            lines.append(
                "  Disputed range: " + ranges.joined(separator: " · ")
                    + " · rejected \(range.rejected.lowerBound)…\(range.rejected.upperBound)"
                    + " · total cast \(range.totalCast.lowerBound)…\(range.totalCast.upperBound)")
        }
        lines.append("  Reports by device (each device's latest Form-45 for the seat, after corrections):")
        for report in result.reports {
            lines.append(
                "    \(report.device) at \(report.time): \(Self.votes(report.figures.votes, order: order)) · "
                    + "rejected \(report.figures.rejected) · total cast \(report.figures.totalCast)"
                    + (report.correction == nil ? "" : " (as corrected)"))
            lines.append(
                "      photo of the signed sheet: "
                    + (report.photo.map { "\($0.hex) (GET /v1/photos/\($0.hex))" } ?? "none named"))
            lines += eventLines(report.events, indent: "      ")
        }
        if let provenance = tally.provenance(station: code, constituency: seat) {
            lines.append(
                "  Events behind this result: "
                    + provenance.events.map { "position \($0.position)" }.joined(separator: ", "))
        }
        return lines
    }

    func corrections(_ station: StationTally) -> [String] {
        guard !station.corrections.isEmpty else { return [] }
        var lines = ["", "Corrections:"]
        for correction in station.corrections {
            let change = correction.isRetraction ? "retraction" : "replacement"
            let outcome: String
            switch correction.outcome {
            case .applied: outcome = "applied"
            case .superseded(let later): outcome = "superseded by the later correction \(later)"
            case .notApplied(let problem): outcome = "refused — \(problem)"
            }
            lines.append("  \(change) of \(correction.corrects) by \(correction.device): \(outcome)")
            lines += eventLines([correction.event, correction.corrects])
        }
        return lines
    }

    func turnout(_ station: StationTally) -> [String] {
        guard !station.turnout.isEmpty else { return ["", "Turnout: no count"] }
        var lines = ["", "Turnout history (by the time each count refers to; the last is the latest):"]
        for reading in station.turnout {
            var figures = "\(TallyText.count(Int64(reading.votesCast))) votes cast"
            if reading.male != nil || reading.female != nil {
                figures +=
                    " (men \(TallyText.count(reading.male.map(Int64.init))), women "
                    + "\(TallyText.count(reading.female.map(Int64.init))))"
            }
            lines.append(
                "  as of \(reading.asOf): \(figures) by \(reading.device)"
                    + (reading.correction == nil ? "" : " (as corrected)"))
            lines += eventLines(reading.events)
        }
        if let latest = station.latestTurnout {
            lines.append("  Latest: \(TallyText.percent(latest.basisPoints.map(Int64.init))) of the registered voters")
        }
        return lines
    }
}
