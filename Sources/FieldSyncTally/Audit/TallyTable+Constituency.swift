import FieldSyncModel

extension TallyTable {
    /// `GET /v1/tallies/{constituency}`: stations by status, the lead, counted figures and turnout, the
    /// disputed stations apart, every candidate with party and votes (and the disputed range), flags, and
    /// each station with its status for this seat.
    public static func constituency(_ answer: JSONValue) -> [String] {
        guard let seat = answer["constituency"] else { return ["No constituency in this answer."] }
        let code = seat["constituency"]?.stringValue ?? "?"
        var title = code
        if let name = seat["name"]?.stringValue { title += " " + name }
        if let district = seat["district"]?.stringValue { title += " · " + district }
        let prefix = ConstituencyCode(code)?.prefix
        title += prefix.map { $0 == .na ? " · National Assembly" : " · provincial assembly \($0.rawValue)" } ?? ""
        if seat["defined"]?.boolValue == false { title += " (not defined in the reference data)" }
        if seat["postponed"]?.boolValue == true { title += " — postponed: not polled, left out of the roll-ups" }
        var lines = [title + " — " + TallyText.standing(answer), ""]

        let stations = seat["stations"]
        lines.append(
            "Stations: \(TallyText.count(stations?["total"])) — \(TallyText.count(stations?["reported"])) reported, "
                + "\(TallyText.count(stations?["confirmed"])) confirmed, \(TallyText.count(stations?["disputed"])) "
                + "disputed, \(TallyText.count(stations?["unreported"])) unreported "
                + "(\(TallyText.count(stations?["counted"])) counted)")
        lines.append(leadLine(seat))
        let turnout = seat["turnout"]
        lines.append(
            "Counted: valid \(TallyText.count(seat["validVotes"])) · rejected \(TallyText.count(seat["rejected"])) · "
                + "total cast \(TallyText.count(seat["totalCast"])) · turnout "
                + "\(TallyText.percent(turnout?["basisPoints"])) of \(TallyText.count(turnout?["registeredVoters"])) "
                + "registered at \(TallyText.count(turnout?["stations"])) stations")
        let live = seat["liveTurnout"]
        lines.append(
            "Live turnout: \(TallyText.percent(live?["basisPoints"])) — \(TallyText.count(live?["votesCast"])) votes "
                + "cast by the latest counts of \(TallyText.count(live?["stations"])) stations")
        let disputed = seat["disputed"]
        let disputedStations = (disputed?["stations"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !disputedStations.isEmpty {
            lines.append(
                "Disputed, left out of the counted totals: \(disputedStations.joined(separator: ", ")) — "
                    + "rejected \(range(disputed?["rejected"])), total cast \(range(disputed?["totalCast"]))")
        }
        lines.append("")

        let validVotes = seat["validVotes"]?.integerValue ?? 0
        var candidates = TextTable([
            .init("CANDIDATE"), .init("NAME", limit: 32), .init("PARTY", limit: 14), .init("VOTES", .right),
            .init("SHARE", .right), .init("DISPUTED", .right),
        ])
        for candidate in seat["candidates"]?.arrayValue ?? [] {
            let votes = candidate["votes"]?.integerValue ?? 0
            let low = candidate["disputedMinimum"]?.integerValue ?? 0
            let high = candidate["disputedMaximum"]?.integerValue ?? 0
            candidates.add([
                candidate["candidate"]?.stringValue ?? "?", candidate["name"]?.stringValue ?? "(not defined)",
                TallyText.party(of: candidate), TallyText.count(votes),
                validVotes > 0 ? TallyText.percent((votes * 20_000 + validVotes) / (2 * validVotes)) : "—",
                low == 0 && high == 0 ? "" : "+\(TallyText.count(low))…\(TallyText.count(high))",
            ])
        }
        lines += candidates.lines
        let parties = (seat["votesByParty"]?["countingBackedIndependents"]?.objectValue ?? [:])
            .compactMap { party, votes in votes.integerValue.map { (party, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        if !parties.isEmpty {
            lines.append("")
            lines.append(
                "Votes by party (backed independents with their party): "
                    + parties.map { "\($0.0) \(TallyText.count($0.1))" }.joined(separator: " · "))
        }
        lines += flagLines(seat["flags"], title: "Flags")
        if let counts = seat["stationFlags"]?.objectValue, !counts.isEmpty {
            lines.append("Station flags: " + TallyText.flagCounts(seat["stationFlags"]))
        }

        let stationDocuments = (answer["stations"]?.objectValue ?? [:])
            .compactMap { key, value in StationCode(key).map { ($0, value) } }
            .sorted { $0.0 < $1.0 }
        if !stationDocuments.isEmpty {
            lines.append("")
            var table = TextTable([
                .init("STATION"), .init("STATUS"), .init("DEVICES", .right), .init("TOTAL CAST", .right),
                .init("TURNOUT", .right), .init("FLAGS", .right), .init("NAME", limit: 40),
            ])
            for (station, document) in stationDocuments {
                let result = document["results"]?.arrayValue?.first { $0["constituency"]?.stringValue == code }
                table.add([
                    station.rawValue, result?["status"]?.stringValue ?? "unreported",
                    TallyText.count(result?["devices"] ?? 0),
                    result?["counted"]?.isNull == false
                        ? TallyText.count(result?["counted"]?["totalCast"])
                        : result?["range"]?.isNull == false ? range(result?["range"]?["totalCast"]) : "",
                    TallyText.percent(document["turnout"]?["basisPoints"]),
                    TallyText.count(
                        (document["flags"]?.objectValue ?? [:]).values.reduce(0) { $0 + ($1.integerValue ?? 0) }),
                    document["name"]?.stringValue ?? "",
                ])
            }
            lines += table.lines
        }
        return lines
    }

    /// `Lead: Name (PPP) by 1,234 over Name (MQM-P)`, or why there is none.
    static func leadLine(_ seat: JSONValue) -> String {
        guard let lead = seat["lead"], !lead.isNull else { return "Lead: none yet — no station counts" }
        let leader = TallyText.nameWithParty(candidate(seat, lead["leader"]), limit: 60)
        guard lead["runnerUp"]?.isNull == false else { return "Lead: \(leader), the only candidate" }
        let runnerUp = TallyText.nameWithParty(candidate(seat, lead["runnerUp"]), limit: 60)
        let margin = lead["margin"]?.integerValue ?? 0
        return margin == 0
            ? "Lead: \(leader) level with \(runnerUp)"
            : "Lead: \(leader) by \(TallyText.count(margin)) over \(runnerUp)"
    }

    /// `10…40` from `{"minimum": 10, "maximum": 40}`.
    static func range(_ value: JSONValue?) -> String {
        "\(TallyText.count(value?["minimum"]))…\(TallyText.count(value?["maximum"]))"
    }

    /// A blank line, `Flags:`, and one line per flag; nothing when there are none.
    static func flagLines(_ flags: JSONValue?, title: String) -> [String] {
        let flags = flags?.arrayValue ?? []
        guard !flags.isEmpty else { return [] }
        return ["", title + ":"] + flags.map { "  " + TallyText.flag($0) }
    }
}
