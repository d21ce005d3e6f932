import FieldSyncModel

/// Tally answers of the API as an editor reads them on a terminal: the city overview, one constituency,
/// one polling station. Works on the JSON documents (PROTOCOL.md §13) as the server serves them or as a
/// replay makes them (``TallyDocuments``), so both print alike. Pure: lines in, no I/O.
public enum TallyTable {
    /// `GET /v1/tallies`: every National Assembly seat with its leader and runner-up, margin, stations
    /// reported, confirmed and disputed of the total, turnout and flags; the city's roll-up above, under the
    /// election's name.
    public static func overview(_ answer: JSONValue) -> [String] {
        let city = answer["city"]
        var lines = [heading(city?["election"]) + " — " + TallyText.standing(answer), ""]
        lines += assemblySummary("National Assembly", city?["national"])
        let provincial = (city?["provincial"]?.objectValue ?? [:]).sorted {
            (SeatPrefix(rawValue: $0.key) ?? .pb, $0.key) < (SeatPrefix(rawValue: $1.key) ?? .pb, $1.key)
        }
        for (prefix, rollUp) in provincial { lines += assemblySummary("Provincial assembly \(prefix)", rollUp) }
        lines += postponedLine(city)
        lines.append("Flags: " + TallyText.flagCounts(city?["flags"]))
        lines.append("")

        let seats = (answer["constituencies"]?.objectValue ?? [:]).values
            .filter { $0["assembly"]?.stringValue == "national" }
            .sorted { seatOrder($0) < seatOrder($1) }
        guard !seats.isEmpty else {
            lines.append("No National Assembly seat is defined yet.")
            return lines
        }
        var table = TextTable([
            .init("SEAT"), .init("NAME", limit: 14), .init("LEADER", limit: 22), .init("RUNNER-UP", limit: 22),
            .init("MARGIN", .right), .init("REP", .right), .init("CONF", .right), .init("DISP", .right),
            .init("OF", .right), .init("TURNOUT", .right), .init("FLAGS", .right),
        ])
        var seatFlags = [String]()
        for seat in seats {
            let code = seat["constituency"]?.stringValue ?? "?"
            let lead = seat["lead"]
            let stations = seat["stations"]
            let ownFlags = seat["flags"]?.arrayValue ?? []
            let stationFlags = (seat["stationFlags"]?.objectValue ?? [:]).values.compactMap(\.integerValue)
            table.add([
                code, seat["name"]?.stringValue ?? "(not defined)",
                lead?.isNull == false ? TallyText.nameWithParty(candidate(seat, lead?["leader"]), limit: 22) : "—",
                lead?["runnerUp"]?.isNull == false
                    ? TallyText.nameWithParty(candidate(seat, lead?["runnerUp"]), limit: 22) : "—",
                TallyText.count(lead?["margin"]), TallyText.count(stations?["reported"]),
                TallyText.count(stations?["confirmed"]), TallyText.count(stations?["disputed"]),
                TallyText.count(stations?["total"]), TallyText.percent(seat["turnout"]?["basisPoints"]),
                TallyText.count(Int64(ownFlags.count) + stationFlags.reduce(0, +)),
            ])
            seatFlags += ownFlags.map { "  \(code)  " + TallyText.flag($0) }
        }
        lines += table.lines
        if !seatFlags.isEmpty {
            lines.append("")
            lines.append("Seats flagged:")
            lines += seatFlags
        }
        return lines
    }

    /// `Pakistan general election 2024, Karachi · polling day 2024-02-08`, `(synthetic)` after the name for a
    /// demo's invented data, from the election the city's roll-up names; `No election defined` without one.
    static func heading(_ election: JSONValue?) -> String {
        guard let name = election?["name"]?.stringValue else { return "No election defined" }
        var heading = name
        if election?["synthetic"]?.boolValue == true { heading += " (synthetic)" }
        if let opens = election?["pollingOpens"]?.stringValue { heading += " · polling day " + opens.prefix(10) }
        return heading
    }

    /// `National Assembly: 22 seats, 18 with a leader (PPP 8, MQM-P 6) · stations … · turnout …`.
    static func assemblySummary(_ name: String, _ rollUp: JSONValue?) -> [String] {
        guard let rollUp, let seats = rollUp["seats"]?.integerValue, seats > 0 else { return [] }
        let parties: [String: JSONValue] = rollUp["seatsLed"]?["countingBackedIndependents"]?.objectValue ?? [:]
        var leading: [(party: String, seats: Int64)] = []
        for (party, count) in parties {
            if let seats = count.integerValue, seats > 0 { leading.append((party, seats)) }
        }
        leading.sort { $0.seats != $1.seats ? $0.seats > $1.seats : $0.party < $1.party }
        let led: [String] = leading.map { "\($0.party) \($0.seats)" }
        let stations = rollUp["stations"]
        var lines = [
            "\(name): \(TallyText.count(seats)) seats, \(TallyText.count(rollUp["seatsWithLeader"])) with a leader"
                + (led.isEmpty ? "" : " (leading: " + led.joined(separator: ", ") + ")")
                + " · \(TallyText.count(rollUp["seatsInDoubt"])) in doubt"
        ]
        lines.append(
            "  stations: \(TallyText.count(stations?["counted"])) counted (\(TallyText.count(stations?["reported"])) "
                + "reported, \(TallyText.count(stations?["confirmed"])) confirmed), "
                + "\(TallyText.count(stations?["disputed"])) disputed, \(TallyText.count(stations?["unreported"])) "
                + "unreported, of \(TallyText.count(stations?["total"])) · turnout "
                + "\(TallyText.percent(rollUp["turnout"]?["basisPoints"])) · rejected \(TallyText.count(rollUp["rejected"]))"
        )
        return lines
    }

    /// `Postponed, left out of the sums: NA-8.` when the roll-up leaves any seat out; else nothing.
    static func postponedLine(_ rollUp: JSONValue?) -> [String] {
        let seats = (rollUp?["postponed"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard !seats.isEmpty else { return [] }
        return ["Postponed, left out of the sums: " + seats.joined(separator: ", ")]
    }

    /// The candidate entry of a seat document with this id.
    static func candidate(_ seat: JSONValue, _ id: JSONValue?) -> JSONValue? {
        guard let id else { return nil }
        return seat["candidates"]?.arrayValue?.first { $0["candidate"] == id } ?? ["candidate": id]
    }

    /// Seats in code order (national first, then each provincial assembly, by number); a seat without a
    /// code last.
    static func seatOrder(_ seat: JSONValue) -> ConstituencyCode {
        seat["constituency"]?.stringValue.flatMap { ConstituencyCode($0) }
            ?? ConstituencyCode(prefix: .pb, number: 9999)
    }
}
