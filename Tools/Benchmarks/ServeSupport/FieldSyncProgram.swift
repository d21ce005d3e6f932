import FieldSyncModel
import FieldSyncStore
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
        let child = try ChildProcess.start(
            path, ["serve", "--port", "0", "--data-dir", dataDirectory] + arguments,
            output: .file(logFile, append: false))
        return ServeProcess(child: child, dataDirectory: dataDirectory, logFile: logFile)
    }

    /// Runs `fieldsync arguments…` to its end and returns what it printed on standard output.
    public func run(_ arguments: [String], outputFile: String) async throws -> String {
        let child = try ChildProcess.start(path, arguments, output: .file(outputFile, append: false))
        let termination = try await child.exit(polling: .milliseconds(50))
        let printed = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        guard termination == .exited(0) else {
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
