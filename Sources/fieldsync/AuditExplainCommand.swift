import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import Foundation

/// `fieldsync audit explain CODE FILE`: the events behind a station's or a constituency's figures.
struct AuditExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Trace a station's or a constituency's figures back to the events behind them.",
        discussion: """
            For a polling station (NA-248-017): each seat's result — its status and why, every device's report \
            and the events behind it, the counted figures — then the corrections applied or refused, the turnout \
            history, the opening, closing, agents, incidents and flags, each with its events. For a constituency \
            (NA-248, PS-84): the stations by status, each candidate's votes, rejected ballots, turnout and the \
            lead, then every counted and disputed station with its figures and events, each station's latest \
            turnout count, and the seat's flags with their events.

            Each event is shown with its position in the log, time observed, device, type and id. Works offline on \
            the file alone; --until POS|TIME folds only up to that position or observation time. --json prints the \
            tally document, the provenance of its figures and every event named.

            \(ExitStatus.helpText())
            """
    )

    @Argument(
        help: ArgumentHelp("A polling station (NA-248-017) or a constituency (NA-248, PS-84).", valueName: "CODE"))
    var code: String

    @Argument(help: ArgumentHelp("An export written by fieldsync audit export.", valueName: "FILE"))
    var file: String

    @Option(
        help: ArgumentHelp("Fold only up to this position, or what was observed by this time.", valueName: "POS|TIME"))
    var until: String?

    @Flag(help: "Print JSON: the tally document, the provenance of its figures and the events named.")
    var json = false

    func run() async throws {
        try await CommandFailure.reporting {
            let subject = try TallyCommand.subject(code)
            let cutoff = try AuditReplayCommand.cutoff(until)
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw UsageProblem("cannot read \(file) (allowed: a readable export file)")
            }
            let replay = try ExportReplay(path: file, cutoff: cutoff)
            let ids: Set<EventID>
            switch subject {
            case .city:
                throw UsageProblem("explain needs a station or a constituency (allowed: NA-248-017, NA-248, PS-84)")
            case .station(let station): ids = TallyExplanation.eventIDs(station: station, in: replay.tally)
            case .constituency(let seat): ids = TallyExplanation.eventIDs(constituency: seat, in: replay.tally)
            }
            let explanation = TallyExplanation(
                tally: replay.tally, cutoff: cutoff, times: try ExportReplay.times(of: ids, in: file))
            let lines: [String]?
            let document: JSONValue?
            switch subject {
            case .city:
                return
            case .station(let station):
                lines = json ? nil : explanation.station(station)
                document = json ? explanation.stationJSON(station) : nil
            case .constituency(let seat):
                lines = json ? nil : explanation.constituency(seat)
                document = json ? explanation.constituencyJSON(seat) : nil
            }
            guard lines != nil || document != nil else {
                throw ExportFileProblem(
                    "\(file) has no tally for \(code.uppercased())"
                        + (cutoff.map { " \($0.words)" } ?? "")
                        + ": it is not defined there and no event is about it (allowed: a station or constituency "
                        + "of the export)")
            }
            if let document { Console.line(document.description) }
            if let lines { Console.lines(lines) }
        }
    }
}
