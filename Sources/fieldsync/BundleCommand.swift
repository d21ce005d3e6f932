import ArgumentParser

/// `fieldsync bundle`: a log carried by hand when the network is cut.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Carry a log without the network: write a bundle, join several, send one from any device.",
        discussion: """
            A bundle is one file (for a USB stick or another laptop) holding signed events as their author \
            recorded them, with each device's chain, the photos they name and a manifest. Whoever carries it \
            gains no rights: the server checks each event as its author's. On the server's machine, \
            `fieldsync admin import` loads one without the network.
            """,
        subcommands: [BundleCreateCommand.self, BundleMergeCommand.self, BundlePushCommand.self]
    )
}
