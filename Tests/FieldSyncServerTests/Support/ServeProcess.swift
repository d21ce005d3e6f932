import FieldSyncModel
import FieldSyncTestSupport
import Foundation

/// The real `fieldsync` program, run as a child process: `serve` on a data folder, or an `admin` command.
struct ServeProcess {
    let process: Process
    let dataDirectory: String
    let output: String

    /// The `fieldsync` binary built beside the tests (or named by `FIELDSYNC_BINARY`).
    static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["FIELDSYNC_BINARY"] { return path }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("fieldsync").path
        let candidates = [
            besideTests,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../../.build/debug/fieldsync"
            )
            .standardized.path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `fieldsync serve --port 0 --data-dir DIR` with `arguments` more.
    static func start(dataDirectory: String, arguments: [String] = []) throws -> ServeProcess {
        guard let binary else { throw TestServerError("the fieldsync binary is not built: run swift build first") }
        let output = dataDirectory + "-serve-\(UUID().uuidString.prefix(6)).log"
        try Data().write(to: URL(fileURLWithPath: output))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory] + arguments
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return ServeProcess(process: process, dataDirectory: dataDirectory, output: output)
    }

    /// The API's URL, once the server listens (it writes its `server.json` then).
    func waitForAPI(seconds: Int = 120) async throws -> String {
        let file = dataDirectory + "/server.json"
        for _ in 0..<(seconds * 10) {
            if let data = FileManager.default.contents(atPath: file),
                case .string(let api)? = (try? JSONParser.parse(Array(data)))?["api"],
                (try? await HTTP.get(api + "/healthz"))?.status == 200
            {
                return api
            }
            guard process.isRunning else { throw TestServerError("fieldsync serve exited: \(log)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestServerError("fieldsync serve did not start: \(log)")
    }

    /// Sends a signal and waits for the process to end; returns its exit status.
    func stop(signal: Int32 = SIGTERM, seconds: Int = 120) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        for _ in 0..<(seconds * 10) where process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
        }
        guard !process.isRunning else {
            process.terminate()
            throw TestServerError("fieldsync serve did not stop within \(seconds) s: \(log)")
        }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

    /// Runs a `fieldsync` command to its end and returns its standard output.
    static func run(_ arguments: [String]) async throws -> String {
        guard let binary else { throw TestServerError("the fieldsync binary is not built: run swift build first") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        guard process.terminationStatus == 0 else {
            throw TestServerError("fieldsync \(arguments.joined(separator: " ")) failed (\(process.terminationStatus))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
