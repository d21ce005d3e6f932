import ArgumentParser
import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore

/// `fieldsync admin witness`: the witnesses whose cosignatures the server takes.
struct AdminWitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Register the witnesses whose cosignatures of tree heads the server takes, or list them.",
        discussion: """
            A witness (an auditor, another newsroom, an observer group) runs fieldsync audit witness with its own \
            key and posts cosignatures of the tree heads it checked. The server takes them from registered keys \
            only, and serves them with the heads. Registering a witness trusts nothing: readers count the \
            cosignatures of keys they chose themselves (audit verify --witness-key).
            """,
        subcommands: [AdminWitnessAddCommand.self, AdminWitnessListCommand.self]
    )
}

/// `fieldsync admin witness add --name NAME --key FILE`.
struct AdminWitnessAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Register a witness's public key under a name.",
        discussion: ExitStatus.helpText())

    @Option(help: "The witness's name, as people know it (1 to 100 characters).")
    var name: String

    @Option(
        help: ArgumentHelp(
            "The witness's public key: the FILE.pub of audit witness keygen, or base64url on one line.",
            valueName: "FILE"))
    var key: String

    @OptionGroup var location: AdminLocation

    func validate() throws {
        guard (1...100).contains(name.count), !name.contains(where: \.isNewline) else {
            throw ValidationError("--name '\(name)' is not a witness name: 1 to 100 characters on one line")
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let publicKey = try WitnessKeyFile.publicKey(at: key)
            do {
                _ = try await location.withServer { server, _ in
                    try await server.events.addWitness(name: name, key: publicKey)
                }
            } catch let error as WitnessAlreadyRegistered {
                throw UsageProblem(error.description)
            }
            Console.line(
                "Witness \"\(name)\" registered: key \(publicKey.base64URL), fingerprint \(publicKey.fingerprintText).")
        }
    }
}

/// `fieldsync admin witness list`.
struct AdminWitnessListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the registered witnesses.", discussion: ExitStatus.helpText())

    @OptionGroup var location: AdminLocation

    func run() async throws {
        try await CommandFailure.reporting {
            let witnesses = try await location.withServer { server, _ in try await server.events.witnesses() }
            Console.lines(
                witnesses.isEmpty
                    ? ["No witness is registered."]
                    : witnesses.map { "\($0.name)\t\($0.key.base64URL)\tadded \($0.added.rfc3339UTC)" })
        }
    }
}
