import ArgumentParser
import FieldSyncClient

@main
struct FieldSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Election field reporting: record offline, sync exactly once, tally live, audit everything.",
        discussion: """
            On a reporter's laptop: `fieldsync init` once, with the code an admin gave you; then \
            `fieldsync record …` for each observation (works offline); `fieldsync sync` whenever you are \
            online; `fieldsync status` or `fieldsync log` to see where you stand. Editors: `fieldsync tally`; auditors: \
            `fieldsync audit export|verify|replay|explain`. Each command has --help.

            Exit codes, each with the same meaning in every command:
            \(ExitStatus.table)
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, AdminCommand.self, ProjectCommand.self, InitCommand.self,
            RecordCommand.self, SyncCommand.self, BundleCommand.self, LogCommand.self, StatusCommand.self,
            TokenCommand.self, TallyCommand.self, ReviewCommand.self, OfficialCommand.self, AuditCommand.self,
            ExportCommand.self, SimulateCommand.self,
        ]
    )
}
