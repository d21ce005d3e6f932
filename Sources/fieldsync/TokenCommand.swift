import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync token`: this device's credentials.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "This device's credentials: replace its token with a new one.",
        subcommands: [TokenRotateCommand.self]
    )

    /// When a token stops working, in a sentence for people.
    static func expiryLine(_ expires: Timestamp?) -> String {
        guard let expires else {
            return "The device's token does not expire; `fieldsync token rotate` replaces it with a new one."
        }
        return "The device's token expires at \(expires.rfc3339UTC);"
            + " `fieldsync token rotate` before then gives a new one."
    }
}

/// `fieldsync token rotate`: a new token for this device, saved in the profile; the old one stops working.
struct TokenRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Get a new token for this device from the server; the old one stops working at once.",
        discussion: """
            Sends the current token to the server, which replaces it with a new one in one step: from then \
            on only the new token works. The new token is saved in the profile (profile.json, replaced \
            atomically). Do it when the token may have been seen by someone else, or before it expires: a \
            token that has expired cannot be rotated, and the device then needs a new enrollment code.

            \(ExitStatus.helpText(.unreachable, .refused))
            """
    )

    @OptionGroup var home: ClientHomeOption

    func run() async throws {
        try await CommandFailure.reporting {
            let home = home.home
            let rotation = TokenRotation(home: home)
            let profile = try await ServerAPI.withClient(trusting: home.trustedCertificate) { client in
                try await rotation.run(client: client)
            }
            Console.line(
                "New token for device \(profile.device) saved in \(home.profile); the old one no longer works.")
            Console.line(TokenCommand.expiryLine(profile.tokenExpires))
        }
    }
}
