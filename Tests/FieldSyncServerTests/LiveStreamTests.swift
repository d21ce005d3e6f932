import AsyncHTTPClient
import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import Testing

@testable import FieldSyncServer

/// The live stream's bounds and its end, over real HTTP: how many streams a device and the server hold,
/// what a client resuming from too far back is told, and a revoked device's streams closing.
@Suite struct LiveStreamTests {
    /// A device's streams beyond its limit get 429, the server's beyond its limit 503, each with
    /// `Retry-After`; a stream whose client left makes room once the server writes to it (a heartbeat).
    @Test func streamsBeyondTheLimitsAreRefusedWithRetryAfter() async throws {
        var configuration = ServerConfiguration(heartbeatSeconds: 1)
        configuration.maximumLiveStreamsPerDevice = 2
        configuration.maximumLiveStreams = 3
        try await TestServer.with(configuration) { server in
            let alice = try await server.enroll(.editor, name: "Alice", sendKey: false)
            let bob = try await server.enroll(.editor, name: "Bob", sendKey: false)
            var open = [RawConnection]()
            for editor in [alice, alice, bob] {
                let stream = try RawConnection(to: server.url)
                stream.get("/v1/live", token: editor.token)
                #expect(try await stream.wait(for: "event: hello"))
                open.append(stream)
            }
            let third = try await HTTP.get(server.url + "/v1/live", token: alice.token)
            third.expectProblem(429, "too-many-live-streams", mentioning: ["\(alice.device)", "2"], "a third stream")
            #expect(third.headers.first(name: "retry-after") == "5")
            let full = try await HTTP.get(server.url + "/v1/live", token: bob.token)
            full.expectProblem(503, "live-streams-full", mentioning: ["3"], "a fourth stream on the server")
            #expect(full.headers.first(name: "retry-after") == "30")

            open.removeFirst()
            try await waitUntil("the left stream's slot given back") { server.server.live.streams.count <= 2 }
            let again = try RawConnection(to: server.url)
            again.get("/v1/live", token: alice.token)
            #expect(try await again.wait(for: "event: hello"))
            let metrics = try await server.metrics()
            #expect(metrics.contains("fieldsync_live_streams 3"))
        }
    }

    /// A revoked editor's open streams get `event: closed` and end (the chunked answer's last chunk) at
    /// the next check of the open streams' credentials; connecting again is refused. Another editor's
    /// stream goes on.
    @Test func aRevokedDevicesStreamsClose() async throws {
        try await TestServer.with { server in
            let admin = try await server.enroll(.admin, sendKey: false)
            let revoked = try await server.enroll(.editor, name: "Former Editor", sendKey: false)
            let kept = try await server.enroll(.editor, name: "Editor", sendKey: false)
            let streams = try (0..<2).map { _ in try RawConnection(to: server.url) }
            for stream in streams {
                stream.get("/v1/live", token: revoked.token)
                #expect(try await stream.wait(for: "event: hello"))
            }
            let other = try RawConnection(to: server.url)
            other.get("/v1/live", token: kept.token)
            #expect(try await other.wait(for: "event: hello"))

            let revocation = try await HTTP.post(
                server.url + "/v1/devices/\(revoked.device)/revocation", json: ["reason": "left the newsroom"],
                token: admin.token)
            #expect(revocation.status == 200)
            for stream in streams {
                #expect(try await stream.wait(for: "\r\n0\r\n\r\n"), "\(stream.received)")
                #expect(
                    stream.received.contains(
                        "event: closed\ndata: {\"detail\":\"the credentials of device \(revoked.device)"))
            }
            #expect(!other.isClosed && !other.received.contains("event: closed"))
            let again = try await HTTP.get(server.url + "/v1/live", token: revoked.token)
            again.expectProblem(403, "device-revoked", mentioning: ["\(revoked.device)"], "reconnecting")
        }
    }

    /// A stream whose device's token expires is closed the same way.
    @Test func aStreamWhoseTokenExpiresCloses() async throws {
        try await TestServer.with { server in
            let editor = try await server.enroll(.editor, name: "Night Shift", sendKey: false, tokenSeconds: 3600)
            let stream = try RawConnection(to: server.url)
            stream.get("/v1/live", token: editor.token)
            #expect(try await stream.wait(for: "event: hello"))
            try await server.expireToken(of: editor.device)
            #expect(try await stream.wait(for: "\r\n0\r\n\r\n"), "\(stream.received)")
            #expect(
                stream.received.contains(
                    "event: closed\ndata: {\"detail\":\"the credentials of device \(editor.device)"))
            let again = try await HTTP.get(server.url + "/v1/live", token: editor.token)
            again.expectProblem(401, "token-expired", mentioning: ["\(editor.device)"], "reconnecting")
        }
    }

    /// A client resuming from a position the server still keeps gets the events after it from memory; one
    /// from further back is told to reload, and goes on from the server's position.
    @Test func aStreamResumingFromTooFarBackIsToldToReload() async throws {
        var configuration = ServerConfiguration()
        configuration.liveHistoryEvents = 2
        try await TestServer.with(configuration, projector: true) { server in
            var reporter = try await server.enroll()
            let editor = try await server.enroll(.editor, sendKey: false)
            let watcher = try RawConnection(to: server.url)
            watcher.get("/v1/live", token: editor.token)
            #expect(try await watcher.wait(for: "event: hello"))
            var positions = [Int64]()
            for minute in 0..<4 {
                let answer = try await server.push(
                    [reporter.nextTurnout(votes: 10 + minute, minute: minute)], as: reporter)
                let position = try #require(answer.object["results"]?[0]?["position"]?.integerValue)
                positions.append(position)
                #expect(try await watcher.wait(for: "id: \(position)\n"), "no live event for position \(position)")
            }
            let last = positions[3]
            let recent = try RawConnection(to: server.url)
            recent.get("/v1/live", token: editor.token, headers: ["Last-Event-ID: \(positions[1])"])
            #expect(try await recent.wait(for: "event: tallies\nid: \(last)\n"))
            #expect(recent.received.contains("event: tallies\nid: \(positions[2])\n"))
            #expect(!recent.received.contains("event: reload"))

            let old = try RawConnection(to: server.url)
            old.get("/v1/live", token: editor.token, headers: ["Last-Event-ID: 0"])
            #expect(try await old.wait(for: "event: reload\nid: \(last)\ndata: {\"position\":\(last)}\n\n"))
            #expect(!old.received.contains("event: tallies"))
        }
    }

    /// A client that takes gzip (as browsers do) gets the stream gzip-encoded, and reads the same events.
    @Test func aClientThatTakesGzipGetsTheStreamGzipped() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll()
            let editor = try await server.enroll(.editor, sendKey: false)
            var configuration = HTTPClient.Configuration()
            configuration.decompression = .enabled(limit: .ratio(1_000))
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            do {
                var request = HTTPClientRequest(url: server.url + "/v1/live")
                request.headers.add(name: "Authorization", value: "Bearer \(editor.token)")
                request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
                let response = try await client.execute(request, timeout: HTTP.timeout)
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "content-encoding") == "gzip")
                var text = ""
                var position: Int64?
                for try await part in response.body {
                    text += String(buffer: part)
                    if position == nil && text.contains("event: hello") {
                        let pushed = try await server.push([reporter.nextTurnout(votes: 33)], as: reporter)
                        position = pushed.object["results"]?[0]?["position"]?.integerValue
                    }
                    if let position, text.contains("event: tallies\nid: \(position)\n") { break }
                }
                #expect(text.hasPrefix("retry: 3000\nevent: hello\nid: "), "\(text.prefix(200))")
                #expect(position.map { text.contains("event: tallies\nid: \($0)\ndata: {") } == true)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
