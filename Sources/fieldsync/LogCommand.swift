import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import Foundation

/// `fieldsync log`: what this device recorded, and what the server has of it.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List what you recorded: seq, time, kind, station, what, and whether the server has it.",
        discussion: """
            The seq is what `fieldsync record correct` takes. "synced" means the server acknowledged the event \
            at the last sync; "pending" means it waits for the next `fieldsync sync`. The whole log is verified \
            first (signatures and chain); problems are listed after it, and the exit code is then 6.

            A result or incident whose photo the server does not hold yet says "photo pending": photos \
            are sent after the events.

            With --json: one JSON object per line, with seq, id, time, kind, type, station, summary, synced, \
            and for a result or incident with a photo: photo (its SHA-256) and photoSent.

            \(ExitStatus.helpText(.logProblem))
            """
    )

    @Flag(help: "Only the events the server does not have yet.")
    var pending = false

    @Flag(help: "One JSON object per event, one per line.")
    var json = false

    @OptionGroup var home: ClientHomeOption

    func run() async throws {
        try await CommandFailure.reporting {
            let recorded = try await RecordedLog.open(home.home)
            let log = recorded.log
            let state = recorded.state
            if let quarantined = log.quarantined { Console.error("fieldsync: note: \(quarantined)") }
            let calendar = recorded.profile.calendar
            let seqs = Dictionary(log.entries.map { ($0.event.id, $0.seq) }, uniquingKeysWith: { first, _ in first })
            let sentPhotos = try PhotoFolder(home: recorded.home).sent()
            let shown = log.entries.filter { !pending || $0.seq > state.serverSeq }
            if !json {
                if shown.isEmpty {
                    Console.line(pending ? "Nothing waiting: the server has every event." : "Nothing recorded yet.")
                } else {
                    Console.line(Self.row("SEQ", "TIME", "KIND", "STATION", "STATE", "WHAT"))
                }
            }
            for entry in shown {
                let event = entry.event
                let synced = entry.seq <= state.serverSeq
                let photo = NamedPhoto.photo(of: event.payload)?.sha256
                let photoSent = photo.map { sentPhotos.contains($0) }
                var summary = EventSummary.line(event, calendar: calendar) { seqs[$0] }
                if json {
                    var object: [String: JSONValue] = [
                        "seq": .integer(event.seq), "id": .string(event.id.description),
                        "time": .string(event.time.text),
                        "kind": .string(EventSummary.kind(event.type)), "type": .string(event.type.rawValue),
                        "station": .string(event.subject), "summary": .string(summary), "synced": .bool(synced),
                    ]
                    if let photo, let photoSent {
                        object["photo"] = .string(photo.hex)
                        object["photoSent"] = .bool(photoSent)
                    }
                    Console.line(CanonicalJSON.string(.object(object)))
                } else {
                    if photoSent == false { summary += " (photo pending)" }
                    Console.line(
                        Self.row(
                            "\(event.seq)", EventSummary.clock(event.time, calendar: calendar),
                            EventSummary.kind(event.type),
                            event.subject, synced ? "synced" : "pending", summary))
                }
            }
            if !json && !pending && !log.entries.isEmpty {
                let waiting = max(0, log.lastSeq - state.serverSeq)
                Console.line(
                    "\(log.entries.count) recorded, \(log.lastSeq - Int64(waiting)) synced, \(waiting) pending.")
            }
            try log.requireIntact()
        }
    }

    static func row(
        _ seq: String, _ time: String, _ kind: String, _ station: String, _ state: String, _ what: String
    )
        -> String
    {
        pad(seq, 5, right: true) + "  " + pad(time, 11) + "  " + pad(kind, 8) + "  " + pad(station, 11) + "  "
            + pad(state, 7) + "  " + what
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        guard text.count < width else { return text }
        let padding = String(repeating: " ", count: width - text.count)
        return right ? padding + text : text + padding
    }
}
