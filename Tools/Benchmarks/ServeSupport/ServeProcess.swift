import AsyncHTTPClient
import BenchmarkSupport
import FieldSyncModel
import FieldSyncStore
import Foundation

/// A running `fieldsync serve`, a child of this process.
public final class ServeProcess: Sendable {
    public let child: ChildProcess
    public let dataDirectory: String
    public let logFile: String

    init(child: ChildProcess, dataDirectory: String, logFile: String) {
        self.child = child
        self.dataDirectory = dataDirectory
        self.logFile = logFile
    }

    public var pid: Int32 { child.processID }

    public var isRunning: Bool { child.isRunning }

    public var memory: ProcessMemory {
        get throws {
            guard let memory = ProcessMemory(pid: pid) else {
                throw BenchmarkFailure("fieldsync serve (pid \(pid)) has ended: \(log)")
            }
            return memory
        }
    }

    /// The memory of the embedded PostgreSQL cluster it started.
    public var postgresMemory: PostgresMemory? { PostgresMemory(clusterDirectory: dataDirectory + "/postgres") }

    /// The API's address, once the server listens: it writes it into `server.json` in its data folder then.
    public func waitForAPI(client: HTTPClient, timeout: Duration = .seconds(600)) async throws -> FieldSyncAPI {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard child.isRunning else { throw BenchmarkFailure("fieldsync serve ended: \(log)") }
            if let data = FileManager.default.contents(atPath: dataDirectory + "/server.json"),
                let state = try? JSONParser.parse(Array(data)), state["pid"]?.integerValue == Int64(pid),
                let base = state["api"]?.stringValue
            {
                let api = FieldSyncAPI(base: base, client: client)
                if (try? await api.get("/healthz"))?.status == 200 { return api }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkFailure("fieldsync serve did not listen within \(timeout): \(log)")
    }

    /// Waits until `GET /v1/tallies` is as of `position` or later; returns its position.
    public func waitForProjector(
        _ api: FieldSyncAPI, position: Int64, auditor: String, timeout: Duration = .seconds(3600)
    ) async throws -> Int64 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard child.isRunning else { throw BenchmarkFailure("fieldsync serve ended: \(log)") }
            let reached = try await api.talliesPosition(auditor: auditor)
            if reached >= position { return reached }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchmarkFailure("the projector did not reach position \(position) within \(timeout)")
    }

    /// SIGTERM, then waits for the graceful shutdown to end.
    public func stop(timeout: Duration = .seconds(300)) async throws {
        child.signal(SIGTERM)
        guard let termination = try await child.exit(within: timeout, polling: .milliseconds(50)) else {
            child.signal(SIGKILL)
            throw BenchmarkFailure("fieldsync serve did not stop within \(timeout): \(log)")
        }
        guard termination == .exited(0) else {
            throw BenchmarkFailure("fieldsync serve ended with \(termination): \(log)")
        }
    }

    /// The end of what it printed.
    public var log: String {
        String(((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").suffix(4000))
    }
}
