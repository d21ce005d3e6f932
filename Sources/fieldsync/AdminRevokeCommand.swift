import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer

/// `fieldsync admin revoke`: refuses a device's events and credentials from now on.
struct AdminRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a device: its credentials stop working and its further events are refused.",
        discussion: """
            Appends a revocation signed by the server key (read from the data folder) and disables the device's
            credentials. The device's earlier events stay valid.

            \(ExitStatus.helpText())
            """
    )

    @Argument(help: "The device id (20 hex digits).")
    var device: String

    @Option(help: "Why the device is revoked, for the record.")
    var reason: String

    @OptionGroup var location: AdminLocation

    func validate() throws {
        guard let id = DeviceID(device), !id.isServer else {
            throw ValidationError("'\(device)' is not a device id: 20 lowercase hex digits")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let position = try await location.withServer { server, _ in
                try await server.revoke(DeviceID(device)!, reason: reason, by: AdminLocation.operatorName)
            }
            Console.line(
                "Device \(device) revoked by \(AdminLocation.operatorName) (event at position \(position));"
                    + " its credentials no longer work.")
        }
    }
}
