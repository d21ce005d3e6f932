import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import Foundation
import Testing

/// The header, body and idle timeouts, over real TCP connections driven byte by byte.
@Suite struct TimeoutTests {
    static let short = HTTPTimeouts(header: .seconds(1), body: .seconds(1), idle: .seconds(1))

    /// Slowloris: thousands of connections that each send a header byte now and then are all closed
    /// once the header timeout has passed, while the server goes on answering others.
    @Test func connectionsTricklingTheirHeadAreClosed() async throws {
        let files = RawConnection.raiseOpenFileLimit()
        // Each connection is two open files in this process (the client's and the server's end).
        let count = min(2_000, (files - 1_000) / 2)
        #expect(count >= 500, "the open file limit (\(files)) leaves room for only \(count) connections")
        try await TestServer.with(ServerConfiguration(timeouts: Self.short)) { server in
            let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".utf8)
            var connections = try (0..<count).map { _ in try RawConnection(to: server.url) }
            var sent = 0
            let started = ContinuousClock.now
            // A byte every 200 ms from each, for up to 10 s.
            while !connections.isEmpty && ContinuousClock.now - started < .seconds(10) {
                for connection in connections { connection.send([head[min(sent, head.count - 1)]]) }
                sent += 1
                try await Task.sleep(for: .milliseconds(200))
                connections.removeAll { $0.isClosed }
            }
            #expect(connections.isEmpty, "\(connections.count) of \(count) trickling connections still open after 10 s")
            #expect(try await HTTP.get(server.url + "/healthz").status == 200)
            let metrics = try await server.metrics()
            #expect(metrics.contains(#"fieldsync_connections_timed_out_total{timeout="header"}"#))
        }
    }

    /// A body that trickles in is cut at the body timeout, however often its bytes come.
    @Test func aBodyTricklingInIsClosed() async throws {
        try await TestServer.with(ServerConfiguration(timeouts: Self.short)) { server in
            let reporter = try await server.enroll()
            let connection = try RawConnection(to: server.url)
            #expect(
                connection.send(
                    "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(reporter.token)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n["))
            let started = ContinuousClock.now
            var closed = false
            while !closed && ContinuousClock.now - started < .seconds(10) {
                _ = connection.send(" ")
                try await Task.sleep(for: .milliseconds(100))
                closed = connection.isClosed
            }
            #expect(closed, "a body trickling in for 10 s was not cut")
            #expect(try await server.server.events.deviceHead(reporter.device.rawValue) == nil)
        }
    }

    /// A kept-alive connection with no next request is closed after the idle timeout; an answer being
    /// written (a live stream) is never cut by any timeout.
    @Test func idleConnectionsAreClosedButLiveStreamsStay() async throws {
        var configuration = ServerConfiguration(heartbeatSeconds: 1, timeouts: Self.short)
        configuration.maximumLiveStreamsPerDevice = 1
        try await TestServer.with(configuration) { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            let idle = try RawConnection(to: server.url)
            idle.get("/healthz")
            #expect(try await idle.wait(for: "\"status\":\"ok\""))
            let live = try RawConnection(to: server.url)
            live.get("/v1/live", token: editor.token)
            #expect(try await live.wait(for: "event: hello"))

            #expect(try await idle.waitForClose(seconds: 10), "an idle connection stayed open")
            // Three timeouts later, the stream still gets its heartbeats.
            try await Task.sleep(for: .seconds(3))
            #expect(!live.isClosed)
            let heartbeats = live.received.components(separatedBy: ": heartbeat").count - 1
            #expect(heartbeats >= 2, "\(live.received)")
        }
    }
}
