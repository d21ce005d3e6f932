import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// The header, body and idle timeouts, on the real `fieldsync serve` (`--header-timeout 1 --body-timeout 1
/// --idle-timeout 1`), over TCP connections driven byte by byte.
///
/// The server runs as a process of its own: its sockets are not inheritable, and a server in this test
/// process would share its accepted sockets (which the event loops open without close-on-exec) with every
/// program the other tests start meanwhile, which would keep a closed connection open.
@Suite struct TimeoutTests {
    /// How long a test keeps at a connection the server should cut after 1 s: only a guard against a
    /// server that never cuts it, since a loaded machine may take far longer than the timeout to do so.
    static let patience = Duration.seconds(120)

    @Test(.timeLimit(.minutes(10))) func connectionsAreClosedAtEachTimeoutAndAnswersAreNeverCut() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-timeouts")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = RawConnection.raiseOpenFileLimit()
        let serve = try ServeProcess.start(
            dataDirectory: folder + "/data",
            arguments: [
                "--header-timeout", "1", "--body-timeout", "1", "--idle-timeout", "1",
                "--metrics-address", "127.0.0.1:0",
            ])
        let api = try await serve.waitForAPI()
        do {
            try await Self.slowloris(api, files: files)
            try await Self.trickledBody(api)
            try await Self.idleAndLive(api, data: folder + "/data")
            let metrics = try await Self.metrics(of: serve)
            for timeout in ["header", "body", "idle"] {
                #expect(
                    metrics.contains(#"fieldsync_connections_timed_out_total{timeout="\#(timeout)"}"#), "\(timeout)")
            }
        } catch {
            _ = try? await serve.stop()
            throw error
        }
        #expect(try await serve.stop() == 0)
    }

    /// Slowloris: thousands of connections that each send a header byte now and then are all closed
    /// once the header timeout has passed, while the server goes on answering others.
    static func slowloris(_ api: String, files: Int) async throws {
        // Each connection is an open file here and one in the server.
        let count = min(2_000, (files - 1_000) / 2)
        #expect(count >= 500, "the open file limit (\(files)) leaves room for only \(count) connections")
        let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".utf8)
        var connections = try (0..<count).map { _ in try RawConnection(to: api) }
        var sent = 0
        let started = ContinuousClock.now
        // A byte every 200 ms from each, until all are closed.
        while !connections.isEmpty && ContinuousClock.now - started < patience {
            for connection in connections { connection.send([head[min(sent, head.count - 1)]]) }
            sent += 1
            try await Task.sleep(for: .milliseconds(200))
            connections.removeAll { $0.isClosed }
        }
        #expect(
            connections.isEmpty, "\(connections.count) of \(count) trickling connections still open after \(patience)")
        #expect(try await HTTP.get(api + "/healthz").status == 200)
    }

    /// A body that trickles in is cut at the body timeout, however often its bytes come, even once the
    /// request was answered (here at once: it has no credentials).
    static func trickledBody(_ api: String) async throws {
        let connection = try RawConnection(to: api)
        #expect(
            connection.send(
                "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n["))
        let started = ContinuousClock.now
        var closed = false
        while !closed && ContinuousClock.now - started < patience {
            _ = connection.send(" ")
            try await Task.sleep(for: .milliseconds(100))
            closed = connection.isClosed
        }
        #expect(closed, "a body trickling in for \(patience) was not cut")
    }

    /// A kept-alive connection with no next request is closed after the idle timeout; an answer being
    /// written (a live stream) is never cut by any timeout.
    static func idleAndLive(_ api: String, data: String) async throws {
        let output = try await ServeProcess.run([
            "admin", "enroll", "--role", "editor", "--name", "Night Desk", "--data-dir", data, "--json",
        ])
        let code = try #require(try JSONParser.parse(output)["code"]?.stringValue)
        let enrolled = try await HTTP.post(api + "/v1/enroll", json: ["code": .string(code)])
        let token = try #require(enrolled.object["token"]?.stringValue, "\(enrolled.text)")

        let idle = try RawConnection(to: api)
        idle.get("/healthz")
        #expect(try await idle.wait(for: "\"status\":\"ok\""))
        let live = try RawConnection(to: api)
        live.get("/v1/live", token: token)
        #expect(try await live.wait(for: "event: hello"))

        #expect(try await idle.waitForClose(), "an idle connection stayed open")
        // Three timeouts later, the stream is still open.
        try await Task.sleep(for: .seconds(3))
        #expect(!live.isClosed)
    }

    /// The server's metrics, from the address `--metrics-address` gave them.
    static func metrics(of serve: ServeProcess) async throws -> String {
        let address = try #require(
            serve.log.firstMatch(of: /FieldSync metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/).map {
                String($0.output.1)
            },
            "no metrics address in the log: \(serve.log)")
        return try await HTTP.get(address + "/metrics").text
    }
}
