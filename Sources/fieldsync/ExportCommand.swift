import ArgumentParser

/// `fieldsync export`: the tallies in forms other tools read.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the tallies for spreadsheets.",
        subcommands: [ExportCSVCommand.self]
    )
}
