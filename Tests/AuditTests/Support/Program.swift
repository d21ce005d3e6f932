import Foundation

/// The real `fieldsync` program, run as a child process to its end. Its output goes to files read once
/// it has ended, so no thread of the test process blocks on a pipe.
struct Program: Sendable {
    /// What a finished run left.
    struct Outcome: Sendable, CustomStringConvertible {
        var status: Int32
        var output: String
        var errors: String

        var lines: [String] { output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        var description: String { "exit \(status)\nstdout: \(output)\nstderr: \(errors)" }
    }

    /// The `fieldsync` binary built beside the test bundle (or named by `FIELDSYNC_BINARY`).
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FIELDSYNC_BINARY"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("fieldsync").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw AuditTestError("the fieldsync binary is not built beside the tests: run swift build --build-tests first")
    }

    /// Runs `fieldsync arguments…` with `environment` added, and waits for its end.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(300)
    ) async throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("stdout")
        let errorFile = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["FIELDSYNC_SERVER"] = nil
        merged["FIELDSYNC_TOKEN"] = nil
        for (name, value) in environment { merged[name] = value }
        process.environment = merged
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning {
            if clock.now > deadline {
                process.terminate()
                throw AuditTestError("fieldsync \(arguments.joined(separator: " ")) did not end within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Outcome(
            status: process.terminationStatus,
            output: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
    }
}

struct AuditTestError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
