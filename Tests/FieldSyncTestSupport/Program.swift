import FieldSyncStore
import Foundation

/// The real `fieldsync` program, run as a child process. Its output goes to files (read once it has
/// ended), so no thread of the test process ever blocks on a pipe.
///
/// The child gets this process's environment without the `FIELDSYNC_` variables that would change
/// what a command does (home, clock, server, token, database): a test names what it wants.
public enum Program {
    /// The variables a child never inherits.
    static let withheld = [
        "FIELDSYNC_HOME", "FIELDSYNC_NOW", "FIELDSYNC_SERVER", "FIELDSYNC_TOKEN", "FIELDSYNC_DATABASE_URL",
    ]

    /// The `fieldsync` binary built beside the test bundle (or named by `FIELDSYNC_BINARY`).
    public static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FIELDSYNC_BINARY"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // `swift test` runs the bundle from inside it on some platforms: look up a few levels.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("fieldsync").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw TestSetupError("the fieldsync binary is not built beside the tests: run swift build --build-tests first")
    }

    /// What a finished run left.
    public struct Outcome: Sendable, CustomStringConvertible {
        public var status: Int32
        public var output: String
        public var errors: String

        /// Standard output, line by line (the last is empty when it ends with a line feed).
        public var lines: [String] {
            output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }

        public var description: String { "exit \(status)\nstdout: \(output)\nstderr: \(errors)" }
    }

    /// A running child process.
    public final class Running: Sendable {
        public let child: ChildProcess
        let outputFile: String
        let errorFile: String
        /// A folder of the run's own, removed once it has ended; nil when the output goes to a caller's folder.
        let ownFolder: String?

        init(child: ChildProcess, outputFile: String, errorFile: String, ownFolder: String?) {
            self.child = child
            self.outputFile = outputFile
            self.errorFile = errorFile
            self.ownFolder = ownFolder
        }

        public var isRunning: Bool { child.isRunning }
        public var pid: Int32 { child.processID }

        /// Waits for the end (killing it after `timeout`) and returns its output.
        public func wait(timeout: Duration = .seconds(300)) async throws -> Outcome {
            guard let termination = try await child.exit(within: timeout) else {
                child.signal(SIGKILL)
                throw TestSetupError("\(child.commandLine) did not end within \(timeout)")
            }
            let outcome = Outcome(
                status: termination.status, output: Self.read(outputFile), errors: Self.read(errorFile))
            if let ownFolder { try? FileManager.default.removeItem(atPath: ownFolder) }
            return outcome
        }

        /// What it has written so far.
        public var outputSoFar: String { Self.read(outputFile) + Self.read(errorFile) }

        public func signal(_ signal: Int32) {
            child.signal(signal)
        }

        static func read(_ path: String) -> String {
            (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
    }

    /// Starts `fieldsync arguments…` with `environment` added to this process's. Its output goes to files
    /// in `logFolder`, which stay; without one, to a folder of its own removed once it has ended.
    public static func start(
        _ arguments: [String], environment: [String: String] = [:], logFolder: String? = nil
    ) throws -> Running {
        var inherited = ProcessInfo.processInfo.environment
        for name in withheld { inherited.removeValue(forKey: name) }
        let ownFolder = logFolder == nil ? try makeTemporaryDirectory("fieldsync-run") : nil
        let folder = logFolder ?? ownFolder!
        let stamp = UUID().uuidString.prefix(8)
        let outputFile = folder + "/run-\(stamp).out"
        let errorFile = folder + "/run-\(stamp).err"
        let child = try ChildProcess.start(
            try binary(), arguments, environment: inherited.merging(environment) { _, given in given },
            output: .file(outputFile, append: false), errors: .file(errorFile, append: false))
        return Running(child: child, outputFile: outputFile, errorFile: errorFile, ownFolder: ownFolder)
    }

    /// Runs `fieldsync arguments…` to its end.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], logFolder: String? = nil,
        timeout: Duration = .seconds(300)
    ) async throws -> Outcome {
        try await start(arguments, environment: environment, logFolder: logFolder).wait(timeout: timeout)
    }
}
