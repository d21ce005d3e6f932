import FieldSyncModel

/// One line about an observation in the reporter's words, for `fieldsync log`, `record` and sync
/// messages: "412 votes as of 13:00 (230 men, 182 women)". Pure.
public enum EventSummary {
    /// The short name of an observation type, as typed after `fieldsync record`.
    public static func kind(_ type: EventType) -> String {
        switch type {
        case .stationOpened: "opened"
        case .stationClosed: "closed"
        case .agentsObserved: "agents"
        case .turnoutCounted: "turnout"
        case .incidentObserved: "incident"
        case .resultReported: "result"
        case .reportCorrected: "correct"
        default: type.name
        }
    }

    /// The observation in words, with its article: "a turnout count", "a correction".
    public static func noun(_ type: EventType) -> String {
        switch type {
        case .stationOpened: "a station opening"
        case .stationClosed: "a station closing"
        case .agentsObserved: "a note of polling agents"
        case .turnoutCounted: "a turnout count"
        case .incidentObserved: "an incident"
        case .resultReported: "a Form-45 result"
        case .reportCorrected: "a correction"
        default: "reference data"
        }
    }

    /// A time as the reporter reads it: `13:00` on the election's local clock, with the date when it
    /// is not polling day; with no election known, the date and time as the time was written.
    public static func clock(_ time: ObservedTime, calendar: ElectionCalendar?) -> String {
        guard let calendar else { return time.text.prefix(10) + " " + time.text.dropFirst(11).prefix(5) }
        let local = time.instant.rfc3339(offsetMinutes: calendar.localOffsetMinutes)
        let pollingDay = calendar.pollingOpens.rfc3339(offsetMinutes: calendar.localOffsetMinutes).prefix(10)
        let hhmm = String(local.dropFirst(11).prefix(5))
        return local.prefix(10) == pollingDay ? hhmm : local.prefix(10) + " " + hhmm
    }

    /// What the event says, in one line.
    public static func line(
        _ event: Event, calendar: ElectionCalendar?, seqOf: (EventID) -> Int64? = { _ in nil }
    )
        -> String
    {
        line(event.payload, calendar: calendar, seqOf: seqOf)
    }

    public static func line(
        _ payload: Payload, calendar: ElectionCalendar?, seqOf: (EventID) -> Int64? = { _ in nil }
    )
        -> String
    {
        func at(_ time: ObservedTime) -> String { clock(time, calendar: calendar) }
        switch payload {
        case .stationOpened(let opened):
            return "opened \(at(opened.openedAt)), materials \(opened.materialsComplete ? "complete" : "incomplete"),"
                + " staff \(opened.staffPresent ? "present" : "absent")"
        case .stationClosed(let closed):
            return "closed \(at(closed.closedAt))" + (closed.votersInQueue.map { ", \($0) still in the queue" } ?? "")
        case .agentsObserved(let agents):
            return "agents: "
                + agents.agents.keys.sorted().map { "\($0) \(agents.agents[$0]!.rawValue)" }.joined(separator: ", ")
        case .turnoutCounted(let turnout):
            var parts = [String]()
            if let male = turnout.male { parts.append("\(male) men") }
            if let female = turnout.female { parts.append("\(female) women") }
            return "\(turnout.votesCast) vote\(turnout.votesCast == 1 ? "" : "s") as of \(at(turnout.asOf))"
                + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
        case .incidentObserved(let incident):
            let text = incident.description.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "\(incident.kind.rawValue) (\(incident.severity.rawValue)): "
                + (text.count > 60 ? String(text.prefix(59)) + "…" : text)
        case .resultReported(let result):
            let leader = result.votes.max { ($0.value, $1.key) < ($1.value, $0.key) }
            return "Form-45 \(result.constituency): \(result.totalCast) cast, \(result.rejected) rejected"
                + (leader.map { ", most votes \($0.key) \($0.value)" } ?? "")
        case .reportCorrected(let correction):
            let target =
                seqOf(correction.corrects).map { "#\($0)" } ?? String(correction.corrects.description.prefix(8))
            switch correction.change {
            case .retraction:
                return "retracts \(target): \(correction.reason)"
            case .replacement(let replacement):
                return "corrects \(target) to \(line(replacement, calendar: calendar)): \(correction.reason)"
            }
        default:
            return payload.type.name
        }
    }
}
