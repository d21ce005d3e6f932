import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import Foundation

/// `--home DIR`: which profile a command works on: a reporter's, or the editor's or auditor's that gives
/// their commands the server and the token.
struct ClientHomeOption: ParsableArguments {
    @Option(
        name: .customLong("home"),
        help: ArgumentHelp(
            "The profile's folder (default: $FIELDSYNC_HOME, else ~/.fieldsync). Keeps several profiles apart.",
            valueName: "DIR"))
    var path: String?

    var home: ClientHome { ClientHome.resolve(path, environment: ProcessInfo.processInfo.environment) }
}
