import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer

/// `fieldsync admin assign`: adds stations or seats to what a reporter's device covers.
struct AdminAssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign a reporter's device to more stations or seats (a reporter moved).",
        discussion: """
            Appends an assignment signed by the server key (read from the data folder). Assignments add up: the
            device keeps covering what it covered, so what it recorded there still counts. Its observations at
            stations it does not cover are held for an editor's review; assigning it releases them.

            \(ExitStatus.helpText())
            """
    )

    @Argument(help: "The device id (20 hex digits).")
    var device: String

    @OptionGroup var assignment: AssignmentOptions

    @OptionGroup var location: AdminLocation

    func validate() throws {
        guard let id = DeviceID(device), !id.isServer else {
            throw ValidationError("'\(device)' is not a device id: 20 lowercase hex digits")
        }
        if assignment.isEmpty {
            throw ValidationError("name what the device covers: --stations NA-248-001,… or --seat NA-248")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let result = try await location.withServer { server, _ in
                try await server.assign(
                    DeviceID(device)!, to: try assignment.assignment(), by: AdminLocation.operatorName)
            }
            Console.line(
                "Device \(device) assigned (event at position \(result.0)); it now covers: \(result.1.summary)")
        }
    }
}
