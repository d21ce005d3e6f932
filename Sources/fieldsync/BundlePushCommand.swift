import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync bundle push`: sends a bundle from any enrolled device, for its authors.
struct BundlePushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Send a bundle to the server from this device, whoever recorded it.",
        discussion: """
            Any enrolled device may carry a bundle: a colleague's laptop that has a connection, the district \
            office, an editor. The server stores each event as its author's, exactly once (an event it holds \
            already is counted as already there), and checks it as a push by its author: the carrier gains no \
            rights. A bundle that is cut short, altered, has a gap, or holds events of a device the server \
            does not know or has revoked is refused whole, with the device and seq at fault; nothing of it is \
            stored.

            \(ExitStatus.helpText(.unreachable, .refused))
            """
    )

    @Argument(help: ArgumentHelp("The bundle file.", valueName: "FILE"))
    var file: String

    @OptionGroup var home: ClientHomeOption

    func run() async throws {
        try await CommandFailure.reporting {
            let home = home.home
            let profile = try ProfileStore(home: home).profile()
            let bytes = try BundleFile.bytes(file)
            let answer = try await ServerAPI.withClient(trusting: home.trustedCertificate) { client in
                try await ServerAPI(client: client, server: profile.server, token: profile.token).pushBundle(bytes)
            }
            Console.line("\(profile.server) " + answer.summary + ".")
        }
    }
}
