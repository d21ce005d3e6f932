import AsyncHTTPClient
import FieldSyncModel
import FieldSyncProjection
import FieldSyncServer
import FieldSyncStore
import FieldSyncTally
import FieldSyncTestSupport
import NIOCore
import NIOHTTP1
import Testing

@testable import FieldSyncServer

/// The live stream sends what changed: of the seats, districts and city, only the members that changed,
/// and the documents whole to a stream resuming from inside an event's range.
@Suite struct LiveChangesTests {
    /// The documents a client holds: the seats, districts and city, as of `position`.
    struct Held {
        var position: Int64
        var seats: [String: JSONValue]
        var districts: [String: JSONValue]
        var city: JSONValue

        init(overview: [String: JSONValue]) throws {
            position = try #require(overview["position"]?.integerValue)
            seats = overview["constituencies"]?.objectValue ?? [:]
            districts = overview["districts"]?.objectValue ?? [:]
            city = overview["city"] ?? .null
        }

        /// Applies a `tallies` event as PROTOCOL.md §13 says a client does.
        mutating func apply(_ data: JSONValue) throws {
            let whole = data["whole"]?.boolValue == true
            if !whole { #expect(data["after"]?.integerValue == position, "a change that does not follow the last") }
            func merged(_ known: JSONValue?, _ changed: JSONValue) -> JSONValue {
                guard !whole, case .object(var members)? = known else { return changed }
                for (name, value) in changed.objectValue ?? [:] { members[name] = value }
                return .object(members)
            }
            for (code, changed) in data["constituencies"]?.objectValue ?? [:] {
                seats[code] = merged(seats[code], changed)
            }
            for (name, changed) in data["districts"]?.objectValue ?? [:] {
                districts[name] = merged(districts[name], changed)
            }
            if let city = data["city"], city != .null { self.city = merged(self.city, city) }
            position = try #require(data["position"]?.integerValue)
        }
    }

    /// A client that reads the tallies and follows the stream from their position holds, after every
    /// event, the tallies as of that event; the events after the first carry only what changed.
    @Test func followingTheStreamFromTheTalliesKeepsThemExact() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            let first = try await server.push([reporter.nextTurnout(votes: 10)], as: reporter)
            let start = try #require(first.object["results"]?[0]?["position"]?.integerValue)
            let overview = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: start)
            var held = try Held(overview: overview.object)

            var request = HTTPClientRequest(url: server.url + "/v1/live?after=\(held.position)")
            request.headers.add(name: "Authorization", value: "Bearer \(editor.token)")
            let response = try await HTTP.client.execute(request, timeout: .seconds(60))
            var events = ServerSentEvents(response.body)
            #expect(try await events.next(skippingHeartbeats: true)?.name == "hello")

            var head: Int64 = 0
            var onlyChangedMembers = false
            let seat = TallyRouteTests.seat.rawValue
            for step in 1...3 {
                let event =
                    step == 2
                    ? try reporter.chain.sign(TallyRouteTests.form45(), key: reporter.key)
                    : reporter.nextTurnout(votes: 10 + step * 20, minute: step * 10)
                let pushed = try await server.push([event], as: reporter)
                head = try #require(pushed.object["results"]?[0]?["position"]?.integerValue)
                while held.position < head, let event = try await events.next(skippingHeartbeats: true) {
                    guard event.name == "tallies", let text = event.data else { continue }
                    let data = try JSONParser.parse(Array(text.utf8))
                    if data["whole"]?.boolValue == false, let changed = data["constituencies"]?[seat]?.objectValue {
                        // The seat's name and code never change: a change that carries only what changed
                        // leaves them out.
                        onlyChangedMembers = onlyChangedMembers || (changed["name"] == nil && !changed.isEmpty)
                    }
                    try held.apply(data)
                }
            }
            #expect(onlyChangedMembers)

            let now = try await HTTP.get(server.url + "/v1/tallies", token: editor.token)
            let expected = try Held(overview: now.object)
            #expect(expected.position == held.position)
            #expect(held.seats == expected.seats)
            #expect(held.districts == expected.districts)
            #expect(held.city == expected.city)
        }
    }

    /// What a seat document's members changed to, against what was sent before: every member the first
    /// time, then only those whose bytes differ.
    @Test func theBaselineNamesOnlyTheMembersThatChanged() throws {
        func document(_ value: JSONValue) -> TallySnapshot.Document {
            TallySnapshot.Document(kind: .constituency, key: "NA-248", bytes: CanonicalJSON.bytes(value))
        }
        var baseline = LiveBaseline()
        let first: JSONValue = ["constituency": "NA-248", "totalCast": 10, "lead": ["leader": "NA-248-C1"]]
        #expect(try baseline.changedMembers(of: document(first)) == first.objectValue)
        #expect(try baseline.changedMembers(of: document(first)).isEmpty)
        let second: JSONValue = ["constituency": "NA-248", "totalCast": 12, "lead": ["leader": "NA-248-C1"]]
        #expect(try baseline.changedMembers(of: document(second)) == ["totalCast": 12])
        baseline.removeAll()
        #expect(try baseline.changedMembers(of: document(second)) == second.objectValue)
    }
}
