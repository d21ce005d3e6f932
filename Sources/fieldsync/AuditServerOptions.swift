import ArgumentParser
import FieldSyncClient
import Foundation

/// `--server` and `--token`: which server an editor's or auditor's command reads, with which device's token.
///
/// Each falls back to the environment (`FIELDSYNC_SERVER`, `FIELDSYNC_TOKEN`). The device profile a
/// `fieldsync init` leaves under `--home` is the next source once the client side has it: hand it to
/// ``ReadCredentials/resolve(server:token:environment:profile:)`` as `profile`.
struct AuditServerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("The server, such as http://127.0.0.1:8080 (default: $FIELDSYNC_SERVER).", valueName: "URL"))
    var server: String?

    // A token is base64url and may begin with '-': the next argument is the token whatever it looks like.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The token of an editor's or auditor's device (default: $FIELDSYNC_TOKEN).", valueName: "TOKEN"))
    var token: String?

    func credentials() throws -> ReadCredentials {
        try ReadCredentials.resolve(server: server, token: token, environment: ProcessInfo.processInfo.environment)
    }
}
