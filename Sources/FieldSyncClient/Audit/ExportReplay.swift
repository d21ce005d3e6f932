import FieldSyncModel
import FieldSyncTally

/// The tallies of an export file, folded offline with the fold the server's projector runs
/// (``ElectionTally``), up to a cutoff.
///
/// Replay trusts the file's content: run ``ExportVerification`` (`fieldsync audit verify`) first to know
/// it is the server's signed log. A line that cannot be read stops the replay.
public struct ExportReplay: Sendable {
    public let tally: ElectionTally
    /// The signed head the file ends with, if it has one.
    public let head: SignedChainHead?
    /// Event lines read.
    public let events: Int

    /// Folds the events of the file at `path` that the cutoff includes (all of them without one).
    public init(path: String, cutoff: TallyCutoff?) throws {
        var replay = TallyReplay(onto: ElectionTally())
        var batch = [StoredEvent]()
        batch.reserveCapacity(4096)
        var head: SignedChainHead?
        var events = 0
        var failure: (any Error)?
        try ExportFileReader(path: path).forEachLine { number, bytes, complete in
            guard complete else {
                failure = ExportFileProblem(
                    "line \(number) of \(path) is cut short: the export was interrupted (allowed: a finished export; "
                        + "run fieldsync audit export again to complete it)")
                return false
            }
            switch ExportLine(bytes: bytes) {
            case .head(let signed):
                head = signed
            case .unreadable(_, _, let problems):
                failure = ExportFileProblem(
                    "line \(number) of \(path) is not an export line: "
                        + problems.map(\.description).joined(separator: "; ")
                        + " (run fieldsync audit verify to find every problem)")
                return false
            case .event(let stored):
                events += 1
                if case .position(let last) = cutoff, stored.position > last { return false }
                if cutoff?.includes(stored) ?? true {
                    batch.append(stored)
                    if batch.count == 4096 {
                        replay.add(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
            return true
        }
        if let failure { throw failure }
        replay.add(batch)
        self.tally = replay.finish().tally
        self.head = head
        self.events = events
    }

    /// The observed and received times of the events with these ids, read from the file; ids not found
    /// are left out. Stops reading once every id is found.
    public static func times(
        of ids: Set<EventID>, in path: String
    ) throws -> [EventID: (time: String, received: String)] {
        var found = [EventID: (time: String, received: String)]()
        guard !ids.isEmpty else { return found }
        try ExportFileReader(path: path).forEachLine { _, bytes, _ in
            guard let json = try? JSONParser.parse(bytes), let text = json["id"]?.stringValue,
                let id = EventID(text), ids.contains(id),
                let time = json["time"]?.stringValue, let received = json["received"]?.stringValue
            else { return true }
            found[id] = (time, received)
            return found.count < ids.count
        }
        return found
    }
}
