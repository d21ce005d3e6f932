import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer

/// `fieldsync admin import`: loads a bundle straight into the server's database.
struct AdminImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a bundle into the server's database, on the server's machine.",
        discussion: """
            The same checks and the same append as `POST /v1/bundles`: each event is stored as its author's, \
            exactly once; a bundle cut short, altered, with a gap, or with events of a device the server does \
            not know or has revoked is refused whole, with the device and seq at fault, and nothing of it is \
            stored. Its photos are stored after its events.
            """
    )

    @Argument(help: ArgumentHelp("The bundle file.", valueName: "FILE"))
    var file: String

    @OptionGroup var location: AdminLocation

    func run() async throws {
        try await CommandFailure.reporting {
            let bytes = try BundleFile.bytes(file)
            let answer = try await location.withServer { server, _ in try await server.storeBundle(bytes) }
            Console.line("Imported \(file): " + answer.summary + ".")
        }
    }
}
