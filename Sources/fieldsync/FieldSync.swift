import ArgumentParser

@main
struct FieldSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Election field reporting: record offline, sync exactly once, tally live, audit everything.",
        subcommands: [
            ServeCommand.self, AdminCommand.self, ProjectCommand.self, TallyCommand.self, AuditCommand.self,
        ]
    )
}
