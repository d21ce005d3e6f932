import FieldSyncModel
import FieldSyncTestSupport
import Foundation

/// The real `fieldsync serve` on a data folder, run as a child process, and its `admin` commands.
struct ServeProcess {
    let running: Program.Running
    let dataDirectory: String
    /// Where its standard output and error go, beside the data folder.
    let logFolder: String

    /// Starts `fieldsync serve --port 0 --data-dir DIR` with `arguments` more.
    static func start(dataDirectory: String, arguments: [String] = []) throws -> ServeProcess {
        let logFolder = dataDirectory + "-serve-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: logFolder, withIntermediateDirectories: true)
        let running = try Program.start(
            ["serve", "--port", "0", "--data-dir", dataDirectory] + arguments, logFolder: logFolder)
        return ServeProcess(running: running, dataDirectory: dataDirectory, logFolder: logFolder)
    }

    var isRunning: Bool { running.isRunning }

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
            guard running.isRunning else { throw TestServerError("fieldsync serve exited: \(log)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestServerError("fieldsync serve did not start: \(log)")
    }

    /// Sends a signal and waits for the process to end; returns its exit status.
    func stop(signal: Int32 = SIGTERM, seconds: Int = 120) async throws -> Int32 {
        running.signal(signal)
        do {
            return try await running.wait(timeout: .seconds(seconds)).status
        } catch {
            throw TestServerError("fieldsync serve did not stop within \(seconds) s: \(log)")
        }
    }

    var log: String { running.outputSoFar }

    /// Runs a `fieldsync` command to its end and returns its standard output.
    static func run(_ arguments: [String]) async throws -> String {
        let outcome = try await Program.run(arguments)
        guard outcome.status == 0 else {
            throw TestServerError("fieldsync \(arguments.joined(separator: " ")) failed: \(outcome)")
        }
        return outcome.output
    }
}
