import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import Foundation

/// `fieldsync status`: this profile at a glance.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this device, its log, what is synced and pending, the last sync and any conflict.",
        discussion: """
            Verifies the whole log first. Exit code 0 when all is well (events waiting to sync are fine), 3 \
            when the last sync found a conflict, 4 when the server refused events, 6 when the log is damaged. \
            With --json, one JSON object.

            With --prove, also asks the server for its current signed tree head and checks that every event \
            this device holds a receipt proof for is still in the log, and that the log only grew since the \
            receipts (a consistency proof from each receipt's head): exit code 8 when a proof fails (the \
            server rewrote or forked the log), 7 when the head is not signed by the server key pinned at init. \
            With --witnesses K and --witness-key FILE (repeated), the current head must also carry valid \
            cosignatures of K different witnesses among those keys (PROTOCOL.md §17.7), or it is not trusted \
            (exit code 7).

            \(ExitStatus.helpText(.unreachable, .conflict, .invalid, .refused, .logProblem, .untrustedServer, .finding))
            """
    )

    @Flag(help: "One JSON object, for scripts.")
    var json = false

    @Flag(help: "Prove, with the server's signed tree head, that this device's events are still in the log.")
    var prove = false

    @OptionGroup var witnessOptions: WitnessOptions

    @OptionGroup var home: ClientHomeOption

    func validate() throws {
        if witnessOptions.isGiven, !prove { throw ValidationError("--witnesses and --witness-key need --prove") }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let recorded = try await RecordedLog.open(home.home)
            let (home, profile, log, state) = (recorded.home, recorded.profile, recorded.log, recorded.state)
            let witnesses = try witnessOptions.policy()
            let reference = try? CachedReference.load(home: home)
            let waiting = max(0, log.lastSeq - state.serverSeq)
            let photos = NamedPhoto.named(in: log.entries.map(\.event))
            let photosPending = try PhotoFolder(home: home).pending(in: log).count
            let proof =
                prove
                ? try await ServerAPI.withClient(trusting: home.trustedCertificate) { client in
                    try await EventsProof.check(
                        api: ServerAPI(client: client, server: profile.server, token: profile.token), home: home,
                        serverKey: profile.serverKey, log: log, receipted: state.receiptedSeq,
                        witnesses: witnesses)
                } : nil
            let status: ExitStatus =
                proof.map { $0.exitStatus != .ok } == true
                ? proof!.exitStatus
                : !log.isIntact
                    ? .logProblem : !state.conflicts.isEmpty ? .conflict : !state.refused.isEmpty ? .invalid : .ok
            if json {
                var object: [String: JSONValue] = [
                    "home": .string(home.path), "device": .string(profile.device.rawValue),
                    "name": .string(profile.name),
                    "role": .string(profile.role.rawValue), "server": .string(profile.server),
                    "serverKey": .string(profile.serverKey.base64URL), "recorded": .integer(Int64(log.entries.count)),
                    "lastSeq": .integer(log.lastSeq), "serverSeq": .integer(state.serverSeq),
                    "pending": .integer(waiting), "photos": .integer(Int64(photos.count)),
                    "photosPending": .integer(Int64(photosPending)),
                    "receiptedSeq": .integer(state.receiptedSeq), "receipts": .integer(Int64(state.receipts)),
                    "conflicts": .array(state.conflicts.map(\.jsonValue)),
                    "refused": .array(state.refused.map(\.jsonValue)),
                    "logIntact": .bool(log.isIntact),
                    "logProblems": .array(log.problems.map { .string($0.description) }),
                    "stations": .integer(Int64(reference?.data.stations.count ?? 0)),
                    "exitCode": .integer(Int64(status.rawValue)),
                ]
                if let proof { object["proof"] = proof.jsonValue }
                if let lastSync = state.lastSync { object["lastSync"] = .string(lastSync.rfc3339UTC) }
                if let lastAttempt = state.lastAttempt { object["lastAttempt"] = .string(lastAttempt.rfc3339UTC) }
                if let outcome = state.lastOutcome { object["lastOutcome"] = .string(outcome) }
                if let quarantined = log.quarantined { object["quarantined"] = .string(quarantined.file) }
                if let last = log.entries.last?.event.station { object["station"] = .string(last.rawValue) }
                if let coverage = reference?.data.coverage[profile.device] {
                    object["assignment"] = [
                        "stations": .array(coverage.stations.sorted().map { .string($0.rawValue) }),
                        "constituencies": .array(coverage.constituencies.sorted().map { .string($0.rawValue) }),
                    ]
                }
                Console.line(CanonicalJSON.string(.object(object)))
                CommandFailure.exit(status)
            }
            let calendar = profile.calendar
            let now = ReporterClock.system()
            Console.line("Device      \(profile.device), \(profile.name) (\(profile.role.rawValue))")
            Console.line("Server      \(profile.server), key \(profile.serverKey.base64URL)")
            if profile.role == .reporter {
                let coverage = reference?.data.coverage[profile.device]
                Console.line(
                    "Assigned    "
                        + (coverage.map { $0.summary + " (what counts; observations elsewhere wait for an editor)" }
                            ?? "not known yet: run fieldsync sync"))
            }
            if let last = log.entries.last?.event {
                let kind = EventSummary.kind(last.type)
                let time = EventSummary.clock(last.time, calendar: calendar)
                Console.line(
                    "Log         \(log.entries.count) events; last #\(last.seq) \(kind) at \(last.subject), \(time)")
            } else {
                Console.line("Log         empty")
            }
            Console.line(
                "Synced      \(state.serverSeq) of \(log.lastSeq) acknowledged, \(waiting) pending;"
                    + " \(state.receipts) receipt\(state.receipts == 1 ? "" : "s") kept"
                    + " (covering seq 1–\(state.receiptedSeq))"
            )
            if !photos.isEmpty {
                Console.line(
                    "Photos      \(photos.count - photosPending) of \(photos.count) sent, \(photosPending) pending"
                        + (photosPending > 0 ? " (sent after the events by the next fieldsync sync)" : ""))
            }
            Console.line("Last sync   " + (state.lastSync.map { Self.ago($0, now: now) } ?? "never"))
            if let attempt = state.lastAttempt, let outcome = state.lastOutcome, outcome != "synced" {
                Console.line("Last try    \(Self.ago(attempt, now: now)): \(outcome)")
            }
            if state.conflicts.isEmpty && state.refused.isEmpty {
                Console.line("Conflicts   none")
            } else {
                for conflict in state.conflicts { Console.line("Conflict    seq \(conflict.seq): \(conflict.detail)") }
                for refused in state.refused {
                    Console.line(
                        "Refused     seq \(refused.seq): " + refused.errors.map(\.description).joined(separator: "; "))
                }
            }
            if let reference {
                Console.line(
                    "Reference   \(reference.data.stations.count) stations,"
                        + " \(reference.data.candidates.count) candidates"
                        + (state.referenceFetched.map { ", fetched \(Self.ago($0, now: now))" } ?? ""))
            } else {
                Console.line("Reference   none yet: run fieldsync sync")
            }
            if let proof {
                if proof.failure == nil {
                    Console.line("Proof       " + proof.verdict)
                } else {
                    Console.error("fieldsync: " + proof.verdict)
                }
            }
            if let quarantined = log.quarantined { Console.error("fieldsync: note: \(quarantined)") }
            if proof.map({ $0.exitStatus != .ok }) == true { CommandFailure.exit(status) }
            if !log.isIntact { try log.requireIntact() }
            if status != .ok { CommandFailure.exit(status) }
        }
    }

    static func ago(_ time: Timestamp, now: Timestamp) -> String {
        let seconds = max(0, (now.microseconds - time.microseconds) / 1_000_000)
        let when = time.rfc3339UTC.prefix(19) + "Z"
        switch seconds {
        case ..<60: return "\(when) (just now)"
        case ..<3600: return "\(when) (\(seconds / 60) min ago)"
        case ..<86_400: return "\(when) (\(seconds / 3600) h ago)"
        default: return "\(when) (\(seconds / 86_400) days ago)"
        }
    }
}
