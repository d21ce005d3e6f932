import FieldSyncModel

/// The events behind the figures of a station or a constituency, in words: what an auditor reads to
/// trace a number back to the signed reports it comes from. Built on the fold's provenance
/// (``ElectionTally/provenance(constituency:)``, ``ElectionTally/references(_:)``). Pure: no I/O.
///
/// The fold keeps each event's position, device and type; the time it was observed and received comes
/// from the export (``times``), read for just the events an explanation names (``eventIDs(station:)``,
/// ``eventIDs(constituency:)``).
public struct TallyExplanation: Sendable {
    public let tally: ElectionTally
    /// The cutoff the tally was folded with, for the title.
    public let cutoff: TallyCutoff?
    /// Observed and received times by event id (`time`, `received`).
    public let times: [EventID: (time: String, received: String)]

    public init(tally: ElectionTally, cutoff: TallyCutoff?, times: [EventID: (time: String, received: String)]) {
        self.tally = tally
        self.cutoff = cutoff
        self.times = times
    }

    /// The events in the log with these ids, in position order.
    public func events(_ ids: some Sequence<EventID>) -> [ObservedEvent] {
        tally.references(ids).map { reference in
            let known = times[reference.id]
            return ObservedEvent(reference: reference, time: known?.time, received: known?.received)
        }
    }

    /// One line per event, indented.
    func eventLines(_ ids: some Sequence<EventID>, indent: String = "    ") -> [String] {
        events(ids).map { indent + $0.line }
    }

    /// `as of position 1,200`, or `the whole export (position 12,345)`.
    var standing: String {
        cutoff?.words ?? "the whole export, up to position \(TallyText.count(tally.lastPosition))"
    }

    /// `Name (PARTY)` of a candidate id, from the reference data.
    func candidate(_ id: CandidateID) -> String {
        guard let candidate = tally.reference.candidates[id] else { return "\(id) (not defined)" }
        let party: String
        switch candidate.affiliation {
        case .party(let name): party = name
        case .independent(let backer?): party = "IND (\(backer))"
        case .independent(nil): party = "IND"
        }
        return "\(id) \(candidate.name) (\(party))"
    }

    /// `C01 123 · C02 45 · …` in the given order (every candidate of `votes` not in it, after).
    static func votes(_ votes: [CandidateID: Int], order: [CandidateID]) -> String {
        let rest = votes.keys.filter { !order.contains($0) }.sorted()
        return (order + rest).compactMap { id in votes[id].map { "\(shortID(id)) \(TallyText.count(Int64($0)))" } }
            .joined(separator: " · ")
    }

    /// `C07` from `NA-248-C07`.
    static func shortID(_ id: CandidateID) -> String {
        String(id.rawValue.dropFirst(id.constituency.rawValue.count + 1))
    }

    /// Words joined with `, ` and wrapped at 120 characters, each line indented.
    static func wrap(_ words: [String], indent: String) -> [String] {
        var lines = [String]()
        var line = indent
        for word in words {
            if line.count > indent.count && line.count + word.count + 2 > 120 {
                lines.append(line + ",")
                line = indent
            }
            line += (line.count > indent.count ? ", " : "") + word
        }
        if line.count > indent.count { lines.append(line) }
        return lines
    }
}
