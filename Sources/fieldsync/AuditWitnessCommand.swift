import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import Foundation

/// `fieldsync audit witness`: check each new tree head and cosign it (the default), or make a witness key.
struct AuditWitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Witness a server's log: check that each new tree head only grew the log, cosign it, post it.",
        discussion: """
            Without a subcommand it runs `run` (fieldsync audit witness run --help says how); `keygen` makes the \
            witness's key.

            \(ExitStatus.helpText(.unreachable, .refused, .untrustedServer, .finding))
            """,
        subcommands: [AuditWitnessRunCommand.self, AuditWitnessKeygenCommand.self],
        defaultSubcommand: AuditWitnessRunCommand.self
    )
}

/// `fieldsync audit witness [run] --server URL --key FILE [--state DIR] [--once | --interval S]`.
struct AuditWitnessRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Check the newest tree head against the last one cosigned, cosign it and post the cosignature.",
        discussion: """
            Fetches the server's newest signed tree head (GET /v1/tree/head) and checks its signature against the \
            pinned server key (--server-key on the first run; kept in the state folder after). Then it checks the \
            consistency proof from the last head it cosigned, kept in the state folder, to the new one \
            (PROTOCOL.md §17.2): the log only grew. If so it cosigns the head with the witness key and posts the \
            cosignature (POST /v1/tree/cosignatures; an admin registers the key first with fieldsync admin \
            witness add). If not — two heads of one size with different roots, a head smaller than the last, or \
            no valid proof — it keeps both heads in the state folder's evidence/, brings a split view to the \
            server (POST /v1/tree/split-views), cosigns nothing and exits with 8 (a finding).

            One state folder watches one log: run it against every address that claims to serve that log (two \
            servers with the same key) and a fork between them is caught.

            With --interval it checks every S seconds until stopped or until a finding (a server it cannot reach is \
            tried again at the next check); by default, once.

            \(ExitStatus.helpText(.unreachable, .refused, .untrustedServer, .finding))
            """
    )

    @OptionGroup var server: AuditServerOptions

    @Option(
        help: ArgumentHelp("The witness's private key (made by fieldsync audit witness keygen).", valueName: "FILE"))
    var key: String

    @Option(
        name: .customLong("server-key"), parsing: .unconditional,
        help: ArgumentHelp(
            "The server's public key, obtained out of band: base64url of 32 bytes. Needed on the first run.",
            valueName: "KEY"))
    var serverKey: String?

    @Option(
        help: ArgumentHelp(
            "The witness's state folder: the pinned key, the last head cosigned, evidence (default: HOME/witness).",
            valueName: "DIR"))
    var state: String?

    @Flag(help: "Check once and stop (the default).")
    var once = false

    @Option(help: ArgumentHelp("Check every S seconds until stopped.", valueName: "S"))
    var interval: Int?

    func validate() throws {
        if once && interval != nil { throw ValidationError("give --once or --interval, not both") }
        if let interval, !(1...86_400).contains(interval) {
            throw ValidationError("--interval \(interval) is not allowed: from 1 to 86400 seconds")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let witnessKey = try WitnessKeyFile.signingKey(at: key)
            let folder = state ?? (server.home.home.path as NSString).appendingPathComponent("witness")
            let witnessState = WitnessState(folder: folder)
            let pinned = try pinnedServerKey(witnessState)
            let witness = TreeWitness(
                server: AuditServer(credentials: try server.credentials()), key: witnessKey, serverKey: pinned,
                state: witnessState)
            while true {
                let outcome: TreeWitness.Outcome
                do {
                    outcome = try await witness.check()
                } catch let error as AuditServerError where error.kind == .unreachable && interval != nil {
                    // A server that restarts or a network that drops does not end a witness that runs on.
                    Console.error("fieldsync: \(error); trying again in \(interval!) s")
                    try await Task.sleep(for: .seconds(interval!))
                    continue
                }
                report(outcome)
                guard outcome.verdict.cosigns else { CommandFailure.exit(.finding) }
                guard let interval else { return }
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }

    /// The server key: the one given, pinned on the first run; the one pinned after. A different key than the
    /// one pinned is refused.
    private func pinnedServerKey(_ state: WitnessState) throws -> PublicKey {
        let given = try serverKey.map(UsageProblem.serverKey)
        switch (try state.pinnedServerKey(), given) {
        case (let pinned?, nil): return pinned
        case (let pinned?, let given?):
            guard pinned == given else {
                throw UsageProblem(
                    "--server-key \(given.base64URL) is not the key pinned in \(state.folder), \(pinned.base64URL) "
                        + "(allowed: that key; a state folder watches one log)")
            }
            return pinned
        case (nil, let given?):
            try state.pin(given)
            return given
        case (nil, nil):
            throw UsageProblem(
                "--server-key is needed on the first run with \(state.folder) (allowed: the server's public key, "
                    + "base64url, obtained out of band)")
        }
    }

    private func report(_ outcome: TreeWitness.Outcome) {
        let newest = "the tree head of \(outcome.newest.size) events (root \(outcome.newest.root.hex))"
        let last = outcome.last.map { "the last head cosigned, of \($0.size) events (root \($0.root.hex))" } ?? ""
        let evidence = outcome.evidence.map { "; both heads are kept in \($0)" } ?? ""
        switch outcome.verdict {
        case .cosign:
            Console.line(
                "Cosigned \(newest)" + (outcome.last.map { " after \($0.size) events: the log only grew" } ?? "")
                    + ".")
        case .splitView:
            Console.error(
                "fieldsync: split view: the server signed two heads of one size with different roots, \(last) and "
                    + "another\(evidence); not cosigned")
        case .shrunk:
            Console.error("fieldsync: \(newest) has fewer events than \(last)\(evidence); not cosigned")
        case .inconsistent:
            Console.error(
                "fieldsync: \(newest) is not consistent with \(last): no valid consistency proof\(evidence); "
                    + "not cosigned")
        }
    }
}

/// `fieldsync audit witness keygen --key FILE`.
struct AuditWitnessKeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a witness key: FILE (private, mode 0600) and FILE.pub (public, for the admin and readers).",
        discussion: ExitStatus.helpText())

    @Option(help: ArgumentHelp("Where to write the private key.", valueName: "FILE"))
    var key: String

    func run() async throws {
        try await CommandFailure.reporting {
            let made = try WitnessKeyFile.create(at: key)
            Console.lines([
                "Witness key written to \(key); its public half to \(key).pub.",
                "Public key \(made.publicKey.base64URL), fingerprint \(made.publicKey.fingerprintText).",
                "Next: the server's admin runs fieldsync admin witness add --name NAME --key \(key).pub",
            ])
        }
    }
}
