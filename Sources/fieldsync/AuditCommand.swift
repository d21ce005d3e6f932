import ArgumentParser

/// `fieldsync audit`: the auditor's tools, most of them offline.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Export the server's log, verify it offline, replay its tallies, explain a figure.",
        discussion: """
            export downloads the signed log into a file (an auditor's or editor's token is needed). verify, replay \
            and explain work on that file alone, with no access to the server: every signature is checked against \
            keys enrolled in the log itself, and the tallies are folded with the same code the server runs. \
            replay --compare then asks the server for its tallies and lists every difference.
            """,
        subcommands: [
            AuditExportCommand.self, AuditVerifyCommand.self, AuditReplayCommand.self, AuditExplainCommand.self,
            AuditWitnessCommand.self,
        ]
    )
}
