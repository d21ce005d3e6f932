import ArgumentParser
import FieldSyncClient
import Foundation

/// `--server`, `--token` and `--home`: which server an editor's or auditor's command reads, with which
/// device's token.
///
/// Each falls back to the environment (`FIELDSYNC_SERVER`, `FIELDSYNC_TOKEN`), then to the profile
/// `fieldsync init` made under `--home`, read only when one of them is still missing. The profile's
/// trusted certificate and pinned key are not used here: these commands talk over the shared client of
/// ``AuditServer``.
struct AuditServerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The server, such as http://127.0.0.1:8080 (default: $FIELDSYNC_SERVER, else the profile's).",
            valueName: "URL"))
    var server: String?

    // A token is base64url and may begin with '-': the next argument is the token whatever it looks like.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The token of an editor's or auditor's device (default: $FIELDSYNC_TOKEN, else the profile's).",
            valueName: "TOKEN"))
    var token: String?

    @OptionGroup var home: ClientHomeOption

    func credentials() throws -> ReadCredentials {
        try Self.credentials(server: server, token: token, home: home)
    }

    /// The credentials from `server` and `token`, the environment, and the profile in `home` when needed.
    static func credentials(server: String?, token: String?, home: ClientHomeOption) throws -> ReadCredentials {
        let environment = ProcessInfo.processInfo.environment
        let complete =
            (server ?? environment["FIELDSYNC_SERVER"]) != nil && (token ?? environment["FIELDSYNC_TOKEN"]) != nil
        var profile: ReadCredentials?
        if !complete, DurableFile.exists(home.home.profile) {
            let saved = try ProfileStore(home: home.home).profile()
            profile = try ReadCredentials(server: saved.server, token: saved.token)
        }
        return try ReadCredentials.resolve(
            server: server, token: token, environment: environment, profile: profile, home: home.home)
    }
}
