import FieldSyncModel
import Foundation

/// Says the validator's problems in the reporter's words: the field path of the event
/// (`data.votesCast`, `data.votes.NA-235-C07`, `subject`) becomes the option or value typed
/// (`VOTES`, `NA-235-C07`, `--station`), with the nearest codes when one looks mistyped. Pure.
public enum ReporterField {
    /// The option or value a field of an observation's event comes from.
    public static func name(of path: String) -> String {
        var path = path
        if path.hasPrefix("data.replacement.data") { path = "data" + path.dropFirst("data.replacement.data".count) }
        switch path {
        case "time": return "--time"
        case "subject": return "--station"
        case "source", "signature", "seq", "prevhash": return "this device"
        case "data.openedAt", "data.closedAt": return "--at"
        case "data.materialsComplete": return "--materials"
        case "data.staffPresent": return "--staff"
        case "data.votersInQueue": return "--queue"
        case "data.agents": return "PARTY=PRESENCE"
        case "data.votesCast": return "VOTES"
        case "data.male": return "--male"
        case "data.female": return "--female"
        case "data.asOf": return "--as-of"
        case "data.kind": return "KIND"
        case "data.severity": return "--severity"
        case "data.description": return "DESCRIPTION"
        case "data.occurredAt": return "--occurred-at"
        case "data.constituency": return "--seat"
        case "data.votes": return "CANDIDATE=VOTES"
        case "data.rejected": return "--rejected"
        case "data.totalCast": return "--total"
        case "data.registeredVoters": return "--registered"
        case "data.photoSha256": return "--photo"
        case "data.corrects", "data.replacement.type", "data.replacement": return "EVENT"
        case "data.reason": return "--reason"
        default:
            for prefix in ["data.agents.", "data.votes."] where path.hasPrefix(prefix) {
                return String(path.dropFirst(prefix.count))
            }
            return path
        }
    }

    /// One validator problem in the reporter's words.
    public static func problem(
        _ error: FieldError, reference: ReferenceData, seat: ConstituencyCode? = nil
    ) -> RecordProblem {
        let field = name(of: error.field)
        var allowed = error.allowed
        var suggestions = [String]()
        switch error.code {
        case .unknownStation:
            allowed = "a polling station code of this election"
            suggestions = Suggestions.nearest(
                to: field == "--station" ? stationTyped(error) : "",
                among: reference.stations.keys.map(\.rawValue).sorted())
        case .unknownCandidate, .candidateNotStanding:
            if let seat {
                suggestions = Suggestions.nearest(to: field, among: reference.candidates(in: seat).map(\.id.rawValue))
            }
        case .unknownParty:
            let parties = error.allowed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            suggestions = Suggestions.nearest(to: field, among: parties, limit: 2)
        case .unknownConstituency:
            suggestions = Suggestions.nearest(
                to: String(error.problem.prefix { $0 != " " }),
                among: reference.constituencies.keys.map(\.rawValue).sorted())
        default:
            break
        }
        return RecordProblem(field, error.problem, allowed: allowed, suggestions: suggestions)
    }

    private static func stationTyped(_ error: FieldError) -> String {
        String(error.problem.prefix { $0 != " " })
    }
}
