import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import Foundation

/// `fieldsync audit verify FILE`: an export checked offline, from the file alone.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an exported log offline: signatures, device chains, the global chain, the signed head.",
        discussion: """
            Checks every line as Schema/PROTOCOL.md §12 says: its position follows the one before; its global \
            chain link; its signature, by the key its device was enrolled with in the log itself (the server's \
            key is the one the log's first event announces — pin it with --server-key to trust nothing else); \
            its device chain; the validation rules against the reference data in force; no id twice. Then the \
            signed head on the last line must pin the last event, signed by the server's key. With --tree-head, \
            the Merkle tree of the first SIZE events (PROTOCOL.md §17) must have the root of that signed tree \
            head, signed by the server's key: the server showed the auditor the log it signed for others. With \
            --witnesses K and --witness-key FILE (repeated), the head must also carry valid cosignatures \
            (PROTOCOL.md §17.7) of K different witnesses among those keys: independent parties checked that this \
            head only grew the log they saw.

            With --since HEAD_FILE, a signed tree head this log verified against before (with --tree-head): \
            only the events appended since it are checked in full (PROTOCOL.md §12, "Since a verified tree \
            head"). The events up to its size are checked for everything but their signatures, which the \
            earlier verification checked: their chain links must make the root of that head, so the log before \
            it is the one verified, and the log after it continues its chain. --witnesses applies to that head.

            The first break is reported with its line, position, event id and every problem on that line, and \
            the exit status is 8 (a finding). Otherwise one line says what the file holds. Needs no network.

            With --photos DIR (as audit export --photos writes it), every photo an event names must be in DIR, \
            its SHA-256 its name, and its size and type (by its first bytes) those its event states; each photo \
            missing or wrong is a finding.

            \(ExitStatus.helpText(.finding))
            """
    )

    @Argument(help: ArgumentHelp("An export written by fieldsync audit export.", valueName: "FILE"))
    var file: String

    @Option(
        name: .customLong("server-key"),
        // Base64url may begin with '-': the next argument is the key whatever it looks like.
        parsing: .unconditional,
        help: ArgumentHelp("The server's public key, obtained out of band: base64url of 32 bytes.", valueName: "KEY"))
    var serverKey: String?

    @Option(help: ArgumentHelp("The folder of the photos the log names, to check too.", valueName: "DIR"))
    var photos: String?
    @Option(
        name: .customLong("tree-head"),
        help: ArgumentHelp(
            "A signed tree head saved from GET /v1/tree/head: the export's Merkle tree must have its root.",
            valueName: "FILE"))
    var treeHead: String?

    @Option(
        help: ArgumentHelp(
            "A signed tree head this log verified against before (--tree-head): check in full only what was "
                + "appended since.", valueName: "HEAD_FILE"))
    var since: String?

    @OptionGroup var witnessOptions: WitnessOptions

    func validate() throws {
        if treeHead != nil, since != nil { throw ValidationError("give --tree-head or --since, not both") }
        if witnessOptions.isGiven, treeHead == nil, since == nil {
            throw ValidationError("--witnesses and --witness-key need --tree-head or --since")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let pinned = try serverKey.map(UsageProblem.serverKey)
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw UsageProblem("cannot read \(file) (allowed: a readable export file)")
            }
            let treeHeadFile = try (treeHead ?? since).map { try TreeHeadFile(path: $0) }
            let policy = try witnessOptions.policy()
            let progress = ProgressLine()
            let clock = ContinuousClock()
            let began = clock.now
            var verification = ExportFileVerification(path: file, pinnedServerKey: pinned)
            if let treeHeadFile, since != nil {
                guard let trusted = treeHeadFile.head(signedBy: pinned) else {
                    Console.error("fieldsync: \(file) does not verify: \(treeHeadFile.unsigned)")
                    CommandFailure.exit(.finding)
                }
                verification.trusted = trusted
            } else {
                verification.treeSize = treeHeadFile?.size
            }
            let outcome = try await verification.run { lines in
                let seconds = Self.seconds(clock.now - began)
                progress.show(
                    "verified \(TallyText.count(Int64(lines))) lines · "
                        + "\(TallyText.count(Int64(Double(lines) / max(seconds, 0.001)))) events/s")
            }
            progress.clear()
            let seconds = Self.seconds(clock.now - began)
            switch outcome {
            case .failure(let logBreak):
                Console.error("fieldsync: \(file) does not verify: \(logBreak)")
                CommandFailure.exit(.finding)
            case .success(let log):
                if let treeHeadFile,
                    let problem = treeHeadFile.problem(with: log, key: pinned ?? log.serverKey, witnesses: policy)
                {
                    Console.error("fieldsync: \(file) does not verify: \(problem)")
                    CommandFailure.exit(.finding)
                }
                let rate = Double(log.events) / max(seconds, 0.000_001)
                Console.lines([
                    "\(file) verifies: \(TallyText.count(Int64(log.events))) events from "
                        + "\(TallyText.count(Int64(log.devices))) devices and the server, positions 1…"
                        + "\(TallyText.count(log.lastPosition)); signed head at position \(log.lastPosition), "
                        + "\(log.headTime ?? "?"), chain \(log.chain.hex), server key "
                        + "\(log.serverKey?.base64URL ?? "?")" + (pinned == nil ? "" : " (pinned)")
                        + (treeHeadFile.map { "; the signed tree head of \($0.size) events has its root" } ?? "")
                        + (since == nil || treeHeadFile == nil
                            ? ""
                            : ", so its events are those verified before (all checked again but for their "
                                + "signatures) and the \(TallyText.count(log.lastPosition - treeHeadFile!.size)) "
                                + "after it are checked in full")
                        + (policy.map { ", cosigned by at least \($0.required) of the witnesses given" } ?? "")
                        + String(format: ". %.2f s, %.0f events/s.", seconds, rate)
                ])
                if let photos { try Self.checkPhotos(in: photos, namedIn: file) }
            }
        }
    }

    /// Checks the photos the export names against `folder`: every one present and right, or findings.
    static func checkPhotos(in folder: String, namedIn file: String) throws {
        let named = try PhotoFolderCheck.named(inExport: file)
        let findings = try PhotoFolderCheck(folder: folder).findings(named)
        guard findings.isEmpty else {
            for finding in findings { Console.error("fieldsync: \(finding)") }
            Console.error(
                "fieldsync: \(findings.count) of the \(named.count) photos the log names "
                    + "\(findings.count == 1 ? "is" : "are") missing or wrong in \(folder)")
            CommandFailure.exit(.finding)
        }
        Console.line("\(folder): all \(named.count) photos the log names are there, each its hash, size and type.")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
