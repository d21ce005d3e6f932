import ArgumentParser
import FieldSyncModel

/// `--witnesses K` and `--witness-key FILE` (repeated): how many of the witnesses a reader trusts must have
/// cosigned a tree head before the reader trusts it (PROTOCOL.md §17.7). `audit verify --tree-head` and
/// `status --prove` read them alike.
struct WitnessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How many of the --witness-key witnesses must have cosigned the head.", valueName: "K"))
    var witnesses: Int?

    @Option(
        name: .customLong("witness-key"),
        help: ArgumentHelp(
            "A witness's public key you trust (FILE.pub of audit witness keygen, or base64url); repeat it.",
            valueName: "FILE"))
    var witnessKeys: [String] = []

    /// Whether either option was given.
    var isGiven: Bool { witnesses != nil || !witnessKeys.isEmpty }

    func validate() throws {
        guard isGiven else { return }
        guard let witnesses, witnesses >= 1, witnesses <= witnessKeys.count else {
            throw ValidationError(
                "--witnesses must be from 1 to the number of --witness-key files given (\(witnessKeys.count))")
        }
    }

    /// The policy the options give, reading the keys; nil when they are not given.
    func policy() throws -> WitnessPolicy? {
        try witnesses.map { required in
            WitnessPolicy(trusted: Set(try witnessKeys.map(WitnessKeyFile.publicKey(at:))), required: required)
        }
    }
}
