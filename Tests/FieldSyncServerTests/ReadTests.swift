import AsyncHTTPClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import NIOCore
import NIOHTTP1
import Testing

@Suite struct ReadTests {
    @Test func theExportRoundTripsIntoStoredEventsWhoseChainLinks() async throws {
        let configuration = ServerConfiguration(exportPageSize: 7)
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            let pushed = (0..<20).map { reporter.nextTurnout(minute: $0) }
            _ = try await server.push(pushed, as: reporter)
            let auditor = try await server.enroll(.auditor, sendKey: false)

            let answer = try await HTTP.get(server.url + "/v1/events", token: auditor.token)
            #expect(answer.status == 200)
            #expect(answer.contentType == "application/x-ndjson")
            let stored = try answer.lines.map { try StoredEvent(line: $0) }
            let head = try await server.server.events.head()
            #expect(stored.map(\.position) == Array(1...head.position))
            var link = GlobalChain.genesis
            for event in stored {
                #expect(event.isLinked(after: link), "position \(event.position)")
                link = event.chain
            }
            #expect(link == head.chain)
            // Every event verifies with the keys enrolled in the export itself.
            let reference = ReferenceData(events: stored.map(\.event))
            for event in stored {
                let key = try #require(reference.publicKey(of: event.event.device))
                #expect(event.event.isSignatureValid(by: key))
            }
            #expect(stored.dropLast().suffix(20).map(\.event) == pushed)

            let page = try await HTTP.get(server.url + "/v1/events?after=3&limit=5", token: auditor.token)
            #expect(try page.lines.map { try StoredEvent(line: $0).position } == [4, 5, 6, 7, 8])
            let bad = try await HTTP.get(server.url + "/v1/events?after=-1", token: auditor.token)
            #expect(bad.status == 400)
            #expect(bad.object["errors"]?[0]?["field"] == "after")
        }
    }

    @Test func referenceDataHasAStrongETag() async throws {
        try await TestServer.with { server in
            let reporter = try await server.enroll()
            let answer = try await HTTP.get(server.url + "/v1/reference", token: reporter.token)
            #expect(answer.status == 200)
            let tag = try #require(answer.headers.first(name: "etag"))
            #expect(!tag.hasPrefix("W/"))
            let events = try answer.lines.map { try StoredEvent(line: $0).event }
            #expect(events.count == 1 + ReferenceFixture.drafts.count)
            #expect(events.first?.type == .serverIdentified)
            #expect(!events.contains { $0.type == .deviceEnrolled })
            #expect(events.allSatisfy { $0.isSignatureValid(by: server.server.publicKey) })
            #expect(ReferenceData(events: events).stations.count == ReferenceFixture.stations.count)

            // A client that takes gzip gets the same lines gzip-encoded, under the same tag; one that does not,
            // as they are. (A client of its own: the shared one asks for gzip and decodes it.)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            func fetch(acceptEncoding: String?) async throws -> (encoding: String?, tag: String?, body: [UInt8]) {
                var request = HTTPClientRequest(url: server.url + "/v1/reference")
                request.headers.add(name: "Authorization", value: "Bearer \(reporter.token)")
                if let acceptEncoding { request.headers.add(name: "Accept-Encoding", value: acceptEncoding) }
                let response = try await client.execute(request, timeout: HTTP.timeout)
                let body = try await response.body.collect(upTo: 64 << 20)
                return (
                    response.headers.first(name: "content-encoding"), response.headers.first(name: "etag"),
                    Array(body.readableBytesView)
                )
            }
            let plain = try await fetch(acceptEncoding: nil)
            #expect(plain.encoding == nil && plain.tag == tag && plain.body == answer.body)
            let gzipped = try await fetch(acceptEncoding: "gzip")
            #expect(gzipped.encoding == "gzip" && gzipped.tag == tag)
            let decoded = try LiveEncodingTests.gunzip(gzipped.body)
            #expect(decoded.ended && Array(decoded.text.utf8) == answer.body)
            try await client.shutdown()

            let unchanged = try await HTTP.get(
                server.url + "/v1/reference", token: reporter.token, headers: [("If-None-Match", tag)])
            #expect(unchanged.status == 304)
            #expect(unchanged.body.isEmpty)

            // New reference data changes the tag; another enrollment does not.
            _ = try await server.enroll(.editor, sendKey: false)
            #expect(
                try await HTTP.get(server.url + "/v1/reference", token: reporter.token).headers.first(name: "etag")
                    == tag)
            let extra = ReferenceFixture.demo.stations.first {
                $0.national == ReferenceFixture.national && !ReferenceFixture.stations.contains($0)
            }!
            try await server.server.author.append([
                EventDraft(payload: .stationDefined(extra), time: KarachiDemo.referenceTime)
            ])
            try await server.server.reference.refresh()
            let changed = try await HTTP.get(
                server.url + "/v1/reference", token: reporter.token, headers: [("If-None-Match", tag)])
            #expect(changed.status == 200)
            #expect(changed.headers.first(name: "etag") != tag)
        }
    }

    @Test func theChainHeadIsSignedWithTheServerKey() async throws {
        try await TestServer.with { server in
            let auditor = try await server.enroll(.auditor, sendKey: false)
            let answer = try await HTTP.get(server.url + "/v1/chain/head", token: auditor.token)
            #expect(answer.status == 200)
            let object = answer.object
            #expect(object["type"] == "fieldsync.chain-head.v1")
            #expect(object["publicKey"] == .string(server.server.publicKey.base64URL))
            #expect(SignedObject.isValid(object, signedBy: server.server.publicKey))
            let head = try await server.server.events.head()
            #expect(object["position"] == .integer(head.position))
            #expect(object["chain"] == .string(head.chain.hex))
        }
    }

    @Test func aDeviceHeadStartsAtZero() async throws {
        try await TestServer.with { server in
            let reporter = try await server.enroll()
            let head = try await HTTP.get(server.url + "/v1/devices/\(reporter.device)/head", token: reporter.token)
            #expect(head.object["seq"] == 0)
            #expect(head.object["position"] == 0)
            #expect(head.object["hash"] == .string(SHA256Digest.zero.hex))
            let malformed = try await HTTP.get(server.url + "/v1/devices/nope/head", token: reporter.token)
            #expect(malformed.status == 400)
        }
    }

    @Test func healthAndMetrics() async throws {
        try await TestServer.with { server in
            let health = try await HTTP.get(server.url + "/healthz")
            #expect(health.status == 200)
            #expect(health.object["status"] == "ok")
            var reporter = try await server.enroll()
            _ = try await server.push([reporter.nextTurnout(), reporter.nextTurnout()], as: reporter)
            _ = try await server.push([reporter.nextTurnout(votes: 1_000_000)], as: reporter)
            let admin = try await server.enroll(.admin, sendKey: false)
            let metrics = try await HTTP.get(server.url + "/metrics", token: admin.token)
            #expect(metrics.status == 200)
            let text = metrics.text
            #expect(text.contains("fieldsync_events_appended_total 2"))
            #expect(text.contains("fieldsync_events_invalid_total 1"))
            // No projector runs in this server: every stored event is waiting to be folded.
            let head = try #require(try await HTTP.get(server.url + "/healthz").object["position"]?.integerValue)
            #expect(text.contains("fieldsync_projector_lag_events \(head)"))
            #expect(text.contains("fieldsync_batch_duration_seconds_count 2"))
            #expect(text.contains(#"fieldsync_http_requests_total{method="POST",route="/v1/events",status="200"} 1"#))
            // The second batch had nothing storable: refused whole.
            #expect(text.contains(#"fieldsync_http_requests_total{method="POST",route="/v1/events",status="422"} 1"#))
        }
    }
}
