import ArgumentParser
import FieldSyncClient
import FieldSyncModel

/// `fieldsync bundle merge`: several reporters' bundles joined into one, for a courier.
struct BundleMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join several bundles into one, for a courier.",
        discussion: """
            Each bundle is checked first (manifest, hashes, chains). An event in several bundles is kept once. \
            Two bundles holding different events under one device's seq (two chains of one device) are \
            refused, and so is a device whose events do not join up; nothing is written then.
            """
    )

    @Argument(help: ArgumentHelp("The bundles to join.", valueName: "FILE"))
    var files: [String]

    @Option(name: .customLong("out"), help: ArgumentHelp("The bundle file to write.", valueName: "FILE"))
    var out: String

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one bundle to merge") }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            var bundles = [EventBundle]()
            for file in files { bundles.append(try BundleFile.read(file)) }
            let merged: EventBundle
            do {
                merged = try EventBundle.merging(bundles)
            } catch let problem as BundleProblem {
                throw BundleRefused(file: nil, problem: problem)
            }
            try DurableFile.replace(out, with: merged.bytes, mode: 0o600)
            let devices = merged.manifest.authors.count
            Console.line(
                "Wrote \(out): \(merged.events.count) event\(merged.events.count == 1 ? "" : "s") of \(devices)"
                    + " device\(devices == 1 ? "" : "s"), \(merged.photos.count)"
                    + " photo\(merged.photos.count == 1 ? "" : "s").")
        }
    }
}

/// Reading a bundle file, its faults told with the file's name.
enum BundleFile {
    static func bytes(_ file: String) throws -> [UInt8] {
        guard let bytes = try DurableFile.contents(of: file) else { throw UsageProblem("\(file) does not exist") }
        return bytes
    }

    static func read(_ file: String) throws -> EventBundle {
        do {
            return try EventBundle(bytes: try bytes(file))
        } catch let problem as BundleProblem {
            throw BundleRefused(file: file, problem: problem)
        }
    }
}

/// A bundle this program refuses (a file, or the merge of several): the kind of fault and why.
struct BundleRefused: Error, CustomStringConvertible {
    let file: String?
    let problem: BundleProblem

    var description: String { (file.map { "\($0): " } ?? "") + "\(problem.kind.rawValue): \(problem.detail)" }
}
