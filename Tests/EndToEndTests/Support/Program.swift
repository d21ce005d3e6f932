import Foundation

/// The real `fieldsync` program, run as a child process. Its output goes to files (read once it has
/// ended), so no thread of the test process ever blocks on a pipe.
struct Program: Sendable {
    /// The `fieldsync` binary built beside the test bundle (or named by `FIELDSYNC_BINARY`).
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FIELDSYNC_BINARY"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // `swift test` runs the bundle from inside it on some platforms: look up a few levels.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("fieldsync").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw E2EError("the fieldsync binary is not built beside the tests: run swift build first")
    }

    /// What a finished run left.
    struct Outcome: Sendable, CustomStringConvertible {
        var status: Int32
        var output: String
        var errors: String

        var description: String { "exit \(status)\nstdout: \(output)\nstderr: \(errors)" }
    }

    /// A running child process.
    final class Running: @unchecked Sendable {
        let process: Process
        let outputFile: String
        let errorFile: String

        init(process: Process, outputFile: String, errorFile: String) {
            self.process = process
            self.outputFile = outputFile
            self.errorFile = errorFile
        }

        var isRunning: Bool { process.isRunning }
        var pid: Int32 { process.processIdentifier }

        /// Waits for the end (killing it after `timeout`) and returns its output.
        func wait(timeout: Duration = .seconds(300)) async throws -> Outcome {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while process.isRunning {
                if clock.now > deadline {
                    kill(process.processIdentifier, SIGKILL)
                    throw E2EError("fieldsync \(process.arguments ?? []) did not end within \(timeout)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            return Outcome(
                status: process.terminationStatus, output: Self.read(outputFile), errors: Self.read(errorFile))
        }

        /// What it has written so far.
        var outputSoFar: String { Self.read(outputFile) + Self.read(errorFile) }

        func signal(_ signal: Int32) {
            kill(process.processIdentifier, signal)
        }

        static func read(_ path: String) -> String {
            (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
    }

    /// Starts `fieldsync arguments…` with `environment` added to this process's.
    static func start(_ arguments: [String], environment: [String: String] = [:], logFolder: String) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "FIELDSYNC_HOME")
        env.removeValue(forKey: "FIELDSYNC_NOW")
        for (name, value) in environment { env[name] = value }
        process.environment = env
        let stamp = UUID().uuidString.prefix(8)
        let outputFile = logFolder + "/run-\(stamp).out"
        let errorFile = logFolder + "/run-\(stamp).err"
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outputFile: outputFile, errorFile: errorFile)
    }

    /// Runs `fieldsync arguments…` to its end.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], logFolder: String, timeout: Duration = .seconds(300)
    ) async throws -> Outcome {
        try await start(arguments, environment: environment, logFolder: logFolder).wait(timeout: timeout)
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
