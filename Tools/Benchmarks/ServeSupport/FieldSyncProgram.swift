import FieldSyncModel
import Foundation

/// The real `fieldsync` program: the one built beside this benchmark, or the one `FIELDSYNC_BINARY` names.
public struct FieldSyncProgram: Sendable {
    public let path: String

    public init() throws {
        if let path = ProcessInfo.processInfo.environment["FIELDSYNC_BINARY"] {
            self.path = path
            return
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("fieldsync").path
        guard FileManager.default.isExecutableFile(atPath: beside) else {
            throw BenchmarkFailure("no fieldsync program at \(beside): build it first (swift build -c release)")
        }
        path = beside
    }

    /// Starts `fieldsync serve --port 0 --data-dir FOLDER` with `arguments` more; what it prints goes to
    /// `logFile`.
    public func serve(dataDirectory: String, arguments: [String] = [], logFile: String) throws -> ServeProcess {
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory] + arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return ServeProcess(process: process, dataDirectory: dataDirectory, logFile: logFile)
    }

    /// Runs `fieldsync arguments…` to its end and returns what it printed on standard output.
    public func run(_ arguments: [String], outputFile: String) async throws -> String {
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        try output.close()
        let printed = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure("fieldsync \(arguments.joined(separator: " ")) failed: \(printed)")
        }
        return printed
    }

    /// A one-time enrollment code made by `fieldsync admin enroll` beside a server on `dataDirectory`.
    public func enrollmentCode(
        role: String, name: String, dataDirectory: String, outputFile: String
    ) async throws -> String {
        let printed = try await run(
            ["admin", "enroll", "--role", role, "--name", name, "--json", "--data-dir", dataDirectory],
            outputFile: outputFile)
        for line in printed.split(separator: "\n") where line.hasPrefix("{") {
            if let code = (try? JSONParser.parse(Array(line.utf8)))?["code"]?.stringValue { return code }
        }
        throw BenchmarkFailure("fieldsync admin enroll printed no code: \(printed)")
    }
}
