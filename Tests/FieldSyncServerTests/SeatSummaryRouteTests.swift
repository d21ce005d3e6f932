import FieldSyncModel
import FieldSyncServer
import Testing

/// A seat's document (`GET /v1/tallies/{constituency}`) carries its stations' summaries, not their
/// histories; each summary agrees with the station's own document (`GET /v1/stations/{station}`).
@Suite struct SeatSummaryRouteTests {
    /// The members of a station's document that a summary leaves out, at any depth.
    static let history: Set<String> = ["agents", "corrections", "history", "observations"]

    @Test func aSeatCarriesSummariesThatAgreeWithTheStationsOwnDocuments() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            let incident = EventDraft(
                payload: .incidentObserved(Incident(kind: .other, severity: .medium, description: "queue outside")),
                subject: ReferenceFixture.station.code.rawValue, time: ObservedTime("2024-02-08T11:00:00+05:00")!)
            let events = [
                reporter.nextTurnout(votes: 40, minute: 0), reporter.nextTurnout(votes: 90, minute: 60),
                reporter.nextTurnout(votes: 160, minute: 120), try reporter.chain.sign(incident, key: reporter.key),
                try reporter.chain.sign(TallyRouteTests.form45(), key: reporter.key),
            ]
            let pushed = try await server.push(events, as: reporter)
            #expect(TestServer.outcomes(pushed) == Array(repeating: "appended", count: events.count))
            let head = try #require(pushed.object["results"]?.arrayValue?.last?["position"]?.integerValue)
            _ = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: head)

            let seat = try await HTTP.get(server.url + "/v1/tallies/\(TallyRouteTests.seat)", token: editor.token)
            #expect(seat.status == 200)
            let summaries = try #require(seat.object["stations"]?.objectValue)
            #expect(summaries.keys.contains(ReferenceFixture.station.code.rawValue))
            for (code, summary) in summaries {
                #expect(Self.historyMembers(in: summary).isEmpty, "\(code)")
                let station = try await HTTP.get(server.url + "/v1/stations/\(code)", token: editor.token)
                #expect(station.status == 200)
                let document = try #require(station.object["station"])
                #expect(Self.summary(of: document) == summary, "\(code)")
            }
            // The observed station's document has the history its summary leaves out.
            let observed = try #require(summaries[ReferenceFixture.station.code.rawValue])
            #expect(observed["turnout"]?["latest"]?["votesCast"]?.integerValue == 160)
            #expect(observed["incidents"]?.arrayValue?.count == 1)
            #expect(observed["results"]?.arrayValue?.first { $0["status"]?.stringValue == "reported" } != nil)
            let whole = try await HTTP.get(
                server.url + "/v1/stations/\(ReferenceFixture.station.code)", token: editor.token)
            #expect(whole.object["station"]?["turnout"]?["history"]?.arrayValue?.count == 3)

            // A fold of the log up to the same position gives the same summaries.
            let replayed = try await HTTP.get(
                server.url
                    + "/v1/tallies/\(TallyRouteTests.seat)?position=\(seat.object["position"]?.integerValue ?? 0)",
                token: editor.token)
            #expect(replayed.status == 200)
            #expect(replayed.object["stations"] == seat.object["stations"])
            #expect(replayed.object["constituency"] == seat.object["constituency"])
        }
    }

    /// The keys of ``history`` found anywhere in `value`, and `events` anywhere but in `official`.
    static func historyMembers(in value: JSONValue) -> [String] {
        var found = [String]()
        func walk(_ value: JSONValue) {
            if let object = value.objectValue {
                found += object.keys.filter { history.contains($0) || $0 == "events" }
                for (key, member) in object where key != "official" { walk(member) }
            } else if let array = value.arrayValue {
                array.forEach(walk)
            }
        }
        walk(value)
        return found
    }

    /// `value` without its `events` members, at any depth.
    static func withoutEvents(_ value: JSONValue) -> JSONValue {
        if let object = value.objectValue {
            return .object(object.filter { $0.key != "events" }.mapValues(withoutEvents))
        }
        if let array = value.arrayValue { return .array(array.map(withoutEvents)) }
        return value
    }

    /// What the protocol says a station's summary is (PROTOCOL.md §Tallies), taken from its whole document
    /// here independently of the server's code: the document without its history and its evidence.
    static func summary(of document: JSONValue) -> JSONValue {
        var summary = (withoutEvents(document).objectValue ?? [:])
        summary["official"] = document["official"]
        summary["agents"] = nil
        summary["corrections"] = nil
        summary["turnout"] = [
            "basisPoints": summary["turnout"]?["basisPoints"] ?? .null,
            "latest": summary["turnout"]?["latest"] ?? .null,
        ]
        summary["held"] = .array(
            (document["held"]?.arrayValue ?? []).map { held in
                [
                    "device": held["device"] ?? .null, "reason": held["reason"] ?? .null,
                    "review": held["review"] ?? .null,
                ]
            })
        summary["results"] = .array(
            (summary["results"]?.arrayValue ?? []).map { result in
                var kept = result.objectValue ?? [:]
                kept["reports"] = .array(
                    (result["reports"]?.arrayValue ?? []).map { report in
                        ["device": report["device"] ?? .null, "photo": report["photo"] ?? .null]
                    })
                return .object(kept)
            })
        return .object(summary)
    }
}
