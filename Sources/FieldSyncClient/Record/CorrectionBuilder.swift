import FieldSyncModel
import Foundation

/// `record correct EVENT --reason TEXT (--retract | the corrected observation's values and options)`:
/// finds the event to correct in this device's log and builds the correction. Whatever is not typed
/// is kept from the corrected event. Pure.
public enum CorrectionBuilder {
    public static let eventAllowed =
        "the seq shown by `fieldsync log` (such as 17), or the event's id or its first 8 characters"

    /// The event `typed` names: a seq (`17`, `#17`), a full id, or an id prefix of at least 4 characters
    /// that only one event has.
    public static func target(_ typed: String, in entries: [LogEntry]) -> Result<Event, RecordProblem> {
        let text = typed.hasPrefix("#") ? String(typed.dropFirst()) : typed.lowercased()
        if !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCIIDigit), let seq = Int64(text) {
            guard let entry = entries.first(where: { $0.seq == seq }) else {
                return .failure(
                    RecordProblem(
                        "EVENT", "this log has no seq \(seq)",
                        allowed: entries.isEmpty
                            ? "an event of this log (it is empty)" : "a seq from 1 to \(entries.last!.seq)"))
            }
            return .success(entry.event)
        }
        guard text.count >= 4 else {
            return .failure(RecordProblem("EVENT", "\"\(typed)\" is too short to name an event", allowed: eventAllowed))
        }
        let matches = entries.filter { $0.event.id.description.hasPrefix(text) }
        switch matches.count {
        case 1:
            return .success(matches[0].event)
        case 0:
            return .failure(
                RecordProblem(
                    "EVENT", "no event of this log has an id starting \(text)", allowed: eventAllowed,
                    suggestions: Suggestions.nearest(
                        to: text, among: entries.map { String($0.event.id.description.prefix(text.count)) }, limit: 2)))
        default:
            let seqs = matches.map { "\($0.seq)" }.joined(separator: ", ")
            return .failure(
                RecordProblem(
                    "EVENT", "\(matches.count) events have ids starting \(text) (seq \(seqs))",
                    allowed: "more characters of the id, or the seq"))
        }
    }

    /// The correction of `original`: a retraction, or the observation rebuilt from `options` on top of
    /// the original's values.
    public static func build(
        correcting original: Event, reason: String?, retract: Bool, options: RecordOptions, context: RecordContext
    ) -> Result<ObservationDraft, RecordProblems> {
        var problems = [RecordProblem]()
        guard let kind = ObservationKind(type: original.type), let station = original.station else {
            return .failure(
                RecordProblems([
                    RecordProblem(
                        "EVENT",
                        "seq \(original.seq) is \(EventSummary.noun(original.type)), which cannot be corrected",
                        allowed: "an observation other than a correction")
                ]))
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason == nil || reason!.isEmpty {
            problems.append(RecordProblem("--reason", "missing", allowed: "why the event is corrected, in quotes"))
        }
        var time: ObservedTime?
        let change: Correction.Change?
        if retract {
            var builder = ObservationBuilder(context: context)
            time = builder.eventTime(options.time)
            problems += builder.problems
            if options.describesObservation {
                problems.append(
                    RecordProblem(
                        "--retract", "a retraction takes no new values",
                        allowed: "either --retract, or the corrected values"))
            }
            if let typed = options.station, ObservationBuilder.stationCode(typed) != station {
                problems.append(
                    RecordProblem(
                        "--station", "a correction is about the station of the event it corrects",
                        allowed: station.rawValue))
            }
            change = .retraction
        } else if !options.describesObservation {
            problems.append(
                RecordProblem(
                    "--retract", "neither --retract nor corrected values were given",
                    allowed: "--retract, or the values of `record \(kind.rawValue)` that were wrong"))
            change = nil
        } else {
            switch ObservationBuilder.build(kind, options, context: context, base: original.payload, station: station) {
            case .success(let draft):
                change = .replacement(draft.payload)
                time = draft.time
            case .failure(let failure):
                problems += failure.problems
                change = nil
            }
        }
        guard let change, let reason, let time, problems.isEmpty else { return .failure(RecordProblems(problems)) }
        return .success(
            ObservationDraft(
                station: station, time: time,
                payload: .reportCorrected(Correction(corrects: original.id, reason: reason, change: change))))
    }
}
