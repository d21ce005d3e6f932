import FieldSyncModel

extension TallyTable {
    /// `GET /v1/stations/{station}`: opening and closing, turnout, agents, each seat's result with its
    /// status and every device's figures, incidents, corrections, flags, and the events about it.
    public static func station(_ answer: JSONValue) -> [String] {
        guard let station = answer["station"] else { return ["No station in this answer."] }
        var title = station["station"]?.stringValue ?? "?"
        if let name = station["name"]?.stringValue { title += " " + name }
        if station["defined"]?.boolValue == false {
            title += " (not defined in the reference data)"
        } else {
            let seats = [station["national"], station["provincial"]].compactMap { $0?.stringValue }
            title += " · " + seats.joined(separator: " / ")
            title += " · \(TallyText.count(station["registeredVoters"])) registered voters"
        }
        var lines = [title + " — " + TallyText.standing(answer), ""]

        if let opening = station["opening"], !opening.isNull {
            let late = opening["minutesLate"]?.integerValue ?? 0
            lines.append(
                "Opened \(opening["openedAt"]?.stringValue ?? "?")" + (late > 0 ? ", \(late) min late" : ", on time")
                    + " · materials " + (opening["materialsComplete"]?.boolValue == true ? "complete" : "INCOMPLETE")
                    + " · staff " + (opening["staffPresent"]?.boolValue == true ? "present" : "MISSING")
                    + " (\(devices(opening["devices"])))")
        } else {
            lines.append("Opening: not reported")
        }
        if let closing = station["closing"], !closing.isNull {
            var line = "Closed \(closing["closedAt"]?.stringValue ?? "?")"
            if let queue = closing["votersInQueue"]?.integerValue {
                line += " · \(TallyText.count(queue)) in the queue"
            }
            lines.append(line + " (\(devices(closing["devices"])))")
        } else {
            lines.append("Closing: not reported")
        }
        let turnout = station["turnout"]
        let history = turnout?["history"]?.arrayValue ?? []
        if let latest = turnout?["latest"], !latest.isNull {
            lines.append(
                "Turnout: \(TallyText.percent(turnout?["basisPoints"])) — \(TallyText.count(latest["votesCast"])) votes "
                    + "cast as of \(latest["asOf"]?.stringValue ?? "?") (\(history.count) "
                    + (history.count == 1 ? "count" : "counts") + ")")
        } else {
            lines.append("Turnout: no count yet")
        }
        let agents = (station["agents"]?.arrayValue ?? []).map {
            "\($0["party"]?.stringValue ?? "?") \($0["presence"]?.stringValue ?? "?")"
        }
        lines.append("Agents: " + (agents.isEmpty ? "not reported" : agents.joined(separator: " · ")))

        for result in station["results"]?.arrayValue ?? [] {
            lines.append("")
            lines += contest(result)
        }
        let incidents = station["incidents"]?.arrayValue ?? []
        if !incidents.isEmpty {
            lines.append("")
            lines.append("Incidents:")
            for incident in incidents {
                lines.append(
                    "  \(incident["time"]?.stringValue ?? "?")  \(incident["kind"]?.stringValue ?? "?") "
                        + "(\(incident["severity"]?.stringValue ?? "?")) by \(TallyText.device(incident["device"]?.stringValue)): "
                        + TextTable.cut(oneLine(incident["description"]?.stringValue ?? ""), to: 80))
            }
        }
        let corrections = station["corrections"]?.arrayValue ?? []
        if !corrections.isEmpty {
            lines.append("")
            lines.append("Corrections:")
            lines += corrections.map { "  " + correction($0) }
        }
        lines += flagLines(station["flags"], title: "Flags")
        if let events = answer["events"]?.arrayValue {
            let positions = events.compactMap { $0["position"]?.integerValue }
            lines.append("")
            lines.append(
                "Events about this station: \(events.count)"
                    + (positions.isEmpty
                        ? "" : " (positions \(TallyText.count(positions.min()))…\(TallyText.count(positions.max())))"))
        }
        return lines
    }

    /// One seat's result at the station: status, counted figures or the disputed range, every device's report.
    static func contest(_ result: JSONValue) -> [String] {
        let seat = result["constituency"]?.stringValue ?? "?"
        let status = result["status"]?.stringValue ?? "?"
        let reports = result["reports"]?.arrayValue ?? []
        guard !reports.isEmpty else { return ["\(seat): \(status)"] }
        var lines = ["\(seat): \(status) (\(devices(result["devices"])))"]
        if let counted = result["counted"], !counted.isNull {
            lines.append(
                "  counted: rejected \(TallyText.count(counted["rejected"])) · total cast "
                    + TallyText.count(counted["totalCast"]))
        }
        if let range = result["range"], !range.isNull {
            lines.append(
                "  disputed: rejected \(TallyTable.range(range["rejected"])) · total cast "
                    + TallyTable.range(range["totalCast"]))
        }
        var candidates = Set<String>()
        for report in reports { candidates.formUnion((report["votes"]?.objectValue ?? [:]).keys) }
        let ordered = candidates.sorted { a, b in
            if let x = CandidateID(a), let y = CandidateID(b) { return x < y }
            return a < b
        }
        var table = TextTable(
            [.init("  CANDIDATE")] + reports.map { .init(TallyText.device($0["device"]?.stringValue), .right) })
        for candidate in ordered {
            table.add(["  " + candidate] + reports.map { TallyText.count($0["votes"]?[candidate]) })
        }
        table.add(["  rejected"] + reports.map { TallyText.count($0["rejected"]) })
        table.add(["  total cast"] + reports.map { TallyText.count($0["totalCast"]) })
        table.add(["  reported at"] + reports.map { $0["time"]?.stringValue ?? "?" })
        lines += table.lines.map { $0.hasPrefix(" ") ? $0 : "  " + $0 }
        return lines
    }

    /// `9a1b2c3d replaces 25ad78b3-…: applied`.
    static func correction(_ correction: JSONValue) -> String {
        let change = correction["change"]?.stringValue == "retraction" ? "retracts" : "replaces"
        var line =
            "\(correction["event"]?.stringValue ?? "?") by \(TallyText.device(correction["device"]?.stringValue)) "
            + "\(change) \(correction["corrects"]?.stringValue ?? "?"): \(correction["outcome"]?.stringValue ?? "?")"
        if let later = correction["supersededBy"]?.stringValue { line += " by \(later)" }
        if let problem = correction["problem"]?.stringValue { line += " — \(problem)" }
        return line
    }

    /// `1 device`, `2 devices`.
    static func devices(_ count: JSONValue?) -> String {
        let count = count?.integerValue ?? 0
        return count == 1 ? "1 device" : "\(count) devices"
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
