import AsyncHTTPClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The tally endpoints and the live stream, over real HTTP, with the projector running in the server.
@Suite struct TallyRouteTests {
    static var seat: ConstituencyCode { ReferenceFixture.national }
    static var station: PollingStation { ReferenceFixture.station }

    /// A Form-45 for `station` (the fixture's first by default) and its national seat, with the photo of
    /// the sheet if given.
    static func form45(
        total: Int = 300, photo: PhotoReference? = nil, at station: PollingStation = station
    ) -> EventDraft {
        let candidates = ReferenceFixture.candidates.filter { $0.constituency == seat }.sorted { $0.id < $1.id }
        var votes: [CandidateID: Int] = [:]
        var remaining = total - 10
        for (index, candidate) in candidates.enumerated() {
            let count = index == candidates.count - 1 ? remaining : remaining / 2
            votes[candidate.id] = count
            remaining -= count
        }
        var result = Form45Result(
            constituency: seat, registeredVoters: station.voters.total, votes: votes, rejected: 10, totalCast: total)
        result.photo = photo
        return EventDraft(
            payload: .resultReported(result), subject: station.code.rawValue,
            time: ObservedTime("2024-02-08T18:10:00+05:00")!)
    }

    /// Polls `GET /v1/tallies` until the projector has folded up to `position`.
    static func waitForTallies(_ server: TestServer, token: String, position: Int64) async throws -> HTTPAnswer {
        var answer: HTTPAnswer?
        try await waitUntil("the projector at position \(position)") {
            answer = try await HTTP.get(server.url + "/v1/tallies", token: token)
            return answer?.status == 200 && answer?.object["position"]?.integerValue ?? 0 >= position
        }
        return answer!
    }

    @Test func talliesFollowPushesAndTravelBackInTime() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            let turnout = reporter.nextTurnout(votes: 120)
            let first = try await server.push([turnout], as: reporter)
            let beforeResult = try #require(first.object["results"]?.arrayValue?.first?["position"]?.integerValue)
            let result = try reporter.chain.sign(Self.form45(), key: reporter.key)
            let second = try await server.push([result], as: reporter)
            #expect(TestServer.outcomes(second) == ["appended"])
            let head = try #require(second.object["results"]?.arrayValue?.first?["position"]?.integerValue)

            let overview = try await Self.waitForTallies(server, token: editor.token, position: head)
            let seat = try #require(overview.object["constituencies"]?[Self.seat.rawValue])
            #expect(seat["stations"]?["reported"]?.integerValue == 1)
            #expect(overview.object["city"]?["area"]?.stringValue == "city")

            let constituency = try await HTTP.get(server.url + "/v1/tallies/\(Self.seat)", token: editor.token)
            #expect(constituency.status == 200)
            #expect(constituency.object["stations"]?[Self.station.code.rawValue] != nil)

            let station = try await HTTP.get(server.url + "/v1/stations/\(Self.station.code)", token: editor.token)
            #expect(station.status == 200)
            let ids = (station.object["events"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            #expect(ids.contains(turnout.id.description) && ids.contains(result.id.description))
            let results = station.object["station"]?["results"]?.arrayValue ?? []
            #expect(results.contains { $0["status"]?.stringValue == "reported" })

            // As of the position before the result, the seat had no station reported.
            let earlier = try await HTTP.get(server.url + "/v1/tallies?position=\(beforeResult)", token: editor.token)
            #expect(earlier.status == 200)
            #expect(earlier.object["constituencies"]?[Self.seat.rawValue]?["stations"]?["reported"]?.integerValue == 0)
            #expect(earlier.object["asOf"]?["position"]?.integerValue == beforeResult)
            // As of an observation time before the Form-45 was observed, likewise.
            let asOf = try await HTTP.get(
                server.url + "/v1/tallies/\(Self.seat)?asOf=2024-02-08T17:00:00%2B05:00", token: editor.token)
            #expect(asOf.object["constituency"]?["stations"]?["reported"]?.integerValue == 0)
        }
    }

    @Test func badTallyRequestsAreProblems() async throws {
        try await TestServer.with(projector: true) { server in
            let reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            #expect(try await HTTP.get(server.url + "/v1/tallies", token: reporter.token).status == 403)
            #expect(try await HTTP.get(server.url + "/v1/tallies").status == 401)
            let unknown = try await HTTP.get(server.url + "/v1/tallies/NA-999", token: editor.token)
            #expect(unknown.status == 404)
            #expect(unknown.contentType == "application/problem+json")
            let malformed = try await HTTP.get(server.url + "/v1/stations/nowhere", token: editor.token)
            #expect(malformed.status == 400)
            #expect(malformed.object["errors"]?[0]?["field"]?.stringValue == "station")
            let both = try await HTTP.get(
                server.url + "/v1/tallies?position=1&asOf=2024-02-08T10:00:00Z", token: editor.token)
            #expect(both.status == 400)
            let badTime = try await HTTP.get(server.url + "/v1/tallies?asOf=yesterday", token: editor.token)
            #expect(badTime.status == 400)
        }
    }

    /// With no slot for tallies as of a past moment (`--replay-limit 0`), every such request is a 503
    /// problem with `Retry-After`, and the live tallies are served as ever.
    @Test func tallyTimeTravelBeyondTheReplayLimitIsRefused() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumConcurrentReplays = 0
        try await TestServer.with(configuration, projector: true) { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            let station = ReferenceFixture.station.code.rawValue
            for path in [
                "/v1/tallies?position=1", "/v1/tallies/NA-248?asOf=2024-02-08T10:00:00Z",
                "/v1/stations/\(station)?position=2",
            ] {
                let answer = try await HTTP.get(server.url + path, token: editor.token)
                #expect(answer.status == 503, "\(path)")
                #expect(answer.contentType == "application/problem+json")
                #expect(answer.object["type"] == "urn:fieldsync:problem:replays-busy")
                #expect(answer.headers.first(name: "retry-after") == "5")
            }
            #expect(try await HTTP.get(server.url + "/v1/tallies", token: editor.token).status == 200)
        }
    }

    @Test func aLiveClientReceivesTheChangeAfterAPushAndResumesWhereItLeft() async throws {
        var configuration = ServerConfiguration()
        configuration.heartbeatSeconds = 1
        try await TestServer.with(configuration, projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            var request = HTTPClientRequest(url: server.url + "/v1/live")
            request.headers.add(name: "Authorization", value: "Bearer \(editor.token)")
            let response = try await HTTP.client.execute(request, timeout: HTTP.timeout)
            #expect(response.status.code == 200)
            #expect(response.headers.first(name: "content-type") == "text/event-stream")

            var events = ServerSentEvents(response.body)
            let hello = try #require(try await events.next())
            #expect(hello.name == "hello")
            let startID = try #require(hello.id)

            let pushed = try await server.push([reporter.nextTurnout(votes: 77)], as: reporter)
            #expect(TestServer.outcomes(pushed) == ["appended"])
            var sawHeartbeat = false
            var change: ServerSentEvents.Event?
            while change == nil, let event = try await events.next() {
                if event.isHeartbeat { sawHeartbeat = true }
                if event.name == "tallies" { change = event }
            }
            let data = try JSONParser.parse(Array(try #require(change?.data).utf8))
            #expect(data["stations"]?.arrayValue?.contains(.string(Self.station.code.rawValue)) == true)
            #expect(data["constituencies"]?[Self.seat.rawValue] != nil)
            _ = sawHeartbeat

            // A client that lost the stream asks again from its last id and gets what it missed at once.
            var resumed = HTTPClientRequest(url: server.url + "/v1/live")
            resumed.headers.add(name: "Authorization", value: "Bearer \(editor.token)")
            resumed.headers.add(name: "Last-Event-ID", value: startID)
            let again = try await HTTP.client.execute(resumed, timeout: HTTP.timeout)
            var replayed = ServerSentEvents(again.body)
            #expect(try await replayed.next()?.name == "hello")
            let missed = try #require(try await replayed.next(skippingHeartbeats: true))
            #expect(missed.name == "tallies")
            #expect(missed.id == change?.id)
        }
    }

    @Test func liveStreamsSendHeartbeats() async throws {
        var configuration = ServerConfiguration()
        configuration.heartbeatSeconds = 1
        try await TestServer.with(configuration, projector: true) { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            var request = HTTPClientRequest(url: server.url + "/v1/live")
            request.headers.add(name: "Authorization", value: "Bearer \(editor.token)")
            let response = try await HTTP.client.execute(request, timeout: HTTP.timeout)
            var events = ServerSentEvents(response.body)
            #expect(try await events.next()?.name == "hello")
            // The projector may still be folding the enrollment: `tallies` events may come first.
            var heartbeat = false
            for _ in 0..<20 where !heartbeat {
                guard let next = try await events.next() else { break }
                heartbeat = next.isHeartbeat
            }
            #expect(heartbeat, "no heartbeat within 20 server-sent events")
        }
    }
}

/// Reads server-sent events from a streamed response body.
struct ServerSentEvents {
    struct Event {
        var name: String?
        var id: String?
        var data: String?
        /// A comment-only block, as the server's `: heartbeat`.
        var isHeartbeat: Bool
    }

    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var buffer = ""

    init(_ body: HTTPClientResponse.Body) {
        iterator = body.makeAsyncIterator()
    }

    mutating func next(skippingHeartbeats: Bool = false) async throws -> Event? {
        while true {
            guard let event = try await nextBlock() else { return nil }
            if skippingHeartbeats && event.isHeartbeat { continue }
            return event
        }
    }

    private mutating func nextBlock() async throws -> Event? {
        while true {
            if let range = buffer.range(of: "\n\n") {
                let block = String(buffer[..<range.lowerBound])
                buffer = String(buffer[range.upperBound...])
                var event = Event(isHeartbeat: false)
                var onlyComments = true
                for line in block.split(separator: "\n") {
                    if line.hasPrefix(":") { continue }
                    onlyComments = false
                    let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2 else { continue }
                    switch parts[0] {
                    case "event": event.name = parts[1]
                    case "id": event.id = parts[1]
                    case "data": event.data = parts[1]
                    default: break
                    }
                }
                event.isHeartbeat = onlyComments
                return event
            }
            guard let chunk = try await iterator.next() else { return nil }
            buffer += String(buffer: chunk)
        }
    }
}
