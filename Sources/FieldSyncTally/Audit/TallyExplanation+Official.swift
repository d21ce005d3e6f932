import FieldSyncModel

/// The commission's figures in an explanation: each official figure traced to its import event, the editor who
/// imported it, the source address and the file's SHA-256.
extension TallyExplanation {
    /// The official imports a station's explanation names: each seat's standing Form-45, then the superseded.
    static func officialEventIDs(_ station: StationTally) -> [EventID] {
        station.official.flatMap { [$0.event] + $0.superseded }
    }

    /// The official imports a seat's explanation names: the standing Form-47 and 49 and those they superseded,
    /// and the stations' standing Form-45s.
    static func officialEventIDs(_ seat: ConstituencyTally) -> [EventID] {
        guard let official = seat.official else { return [] }
        return official.seatForms.flatMap { [$0.result.event] + $0.result.superseded } + official.form45.events
    }

    /// A station's official Form-45s: figures, where they come from, and each field report against them.
    func official(_ station: StationTally) -> [String] {
        guard !station.official.isEmpty else { return [] }
        var lines = ["", "Official figures (the commission's Form-45s, as imported; the latest import stands):"]
        for result in station.official {
            let order = tally.constituency(result.constituency)?.candidates.map(\.id) ?? []
            lines.append(
                "  Form-45 for \(result.constituency): \(Self.votes(result.votes, order: order)) · rejected "
                    + "\(result.rejected) · total cast \(result.totalCast)")
            lines += importLines(result.event, station: station.code, seat: result.constituency)
            for report in result.reports {
                lines.append(
                    "    device \(report.device): "
                        + (report.isEqual ? "equal" : "field minus official: \(report.summary)"))
            }
        }
        return lines
    }

    /// A seat's official figures: the standing Form-47 and 49 against the field and the Form-45s, the sum of the
    /// stations' Form-45s, and the official leader.
    func official(_ seat: ConstituencyTally) -> [String] {
        guard let official = seat.official else { return [] }
        let order = seat.candidates.map(\.id)
        var lines = ["", "Official figures (the commission's, as imported; the latest import of each form stands):"]
        for (form, result) in official.seatForms {
            lines.append(
                "  \(form.name): \(Self.votes(result.figures.votes, order: order)) · rejected "
                    + "\(result.figures.rejected) · total cast \(result.figures.totalCast)")
            lines += importLines(result.event, station: nil, seat: seat.code)
            lines.append(
                "    the field's \(result.field.stations) counted stations of \(seat.stations.total), minus official: "
                    + Self.comparison(result.field))
            if let form45 = result.form45 {
                lines.append(
                    "    the official Form-45s of \(form45.stations) stations, minus official: "
                        + Self.comparison(form45))
            } else {
                lines.append("    no station has an official Form-45 to compare with")
            }
        }
        let sum = official.form45
        lines.append(
            "  Official Form-45s at \(sum.stations) of \(seat.stations.total) stations, \(sum.differing) differing "
                + "from the field: \(Self.votes(sum.figures.votes, order: order)) · rejected \(sum.figures.rejected) · "
                + "total cast \(sum.figures.totalCast)")
        lines += eventLines(sum.events)
        if let standing = official.standing, let leader = official.leader {
            lines.append(
                "  Official leader: \(candidate(leader)) — on the \(standing.name)\(standing == .form45 ? "s summed" : "")"
            )
        } else {
            lines.append("  Official leader: none — no Form-47 or 49, and not every station has an official Form-45")
        }
        return lines
    }

    /// The import event that stands and those it superseded, each with its editor, source and file hash.
    func importLines(_ id: EventID, station: StationCode?, seat: ConstituencyCode) -> [String] {
        var lines = [String]()
        func describe(_ id: EventID, _ label: String) {
            guard let result = tally.officialResult(id, station: station, seat: seat) else { return }
            let editor = tally.reference.devices[result.editor].map { " (\($0.reporter))" } ?? ""
            lines.append(
                "    \(label): imported by editor \(result.editor)\(editor) from "
                    + (result.sourceURL ?? "no source address given") + ", file SHA-256 \(result.fileSha256.hex)")
            lines += eventLines([id], indent: "      ")
        }
        describe(id, "standing")
        let superseded =
            station.flatMap { code in tally.station(code)?.official.first { $0.event == id }?.superseded }
            ?? tally.constituency(seat)?.official?.seatForms.first { $0.result.event == id }?.result.superseded ?? []
        for earlier in superseded { describe(earlier, "superseded") }
        return lines
    }

    /// `equal`, or `NA-248-C02 +3, rejected -1, total +2`.
    static func comparison(_ comparison: OfficialSeatComparison) -> String {
        guard !comparison.isEqual else { return "equal" }
        let candidates = comparison.differences.keys.sorted(by: CandidateWriting.canonicalOrder).map {
            ($0.rawValue, comparison.differences[$0]!)
        }
        return OfficialComparison.summary(candidates, rejected: comparison.rejected, totalCast: comparison.totalCast)
    }
}
