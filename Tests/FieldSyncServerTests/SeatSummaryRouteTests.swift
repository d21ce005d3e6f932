import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Testing

/// A seat's document (`GET /v1/tallies/{constituency}`) carries its stations' summaries for that seat, not their
/// histories nor their other seat's figures; each summary agrees with the station's own document
/// (`GET /v1/stations/{station}`).
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

            // Each of the station's seats, NA and provincial, carries its own summary of it.
            let provincial = try #require(ReferenceFixture.station.provincial)
            for code in [TallyRouteTests.seat, provincial] {
                let answer = try await HTTP.get(server.url + "/v1/tallies/\(code)", token: editor.token)
                #expect(answer.status == 200)
                let summaries = try #require(answer.object["stations"]?.objectValue)
                #expect(summaries.keys.contains(ReferenceFixture.station.code.rawValue))
                for (station, summary) in summaries {
                    #expect(Self.historyMembers(in: summary).isEmpty, "\(station)")
                    let whole = try await HTTP.get(server.url + "/v1/stations/\(station)", token: editor.token)
                    #expect(whole.status == 200)
                    let document = try #require(whole.object["station"])
                    #expect(Self.summary(of: document, seat: code) == summary, "\(code) \(station)")
                    #expect(summary["results"]?.arrayValue?.map { $0["constituency"] } == [.string(code.rawValue)])
                }
            }
            let seat = try await HTTP.get(server.url + "/v1/tallies/\(TallyRouteTests.seat)", token: editor.token)
            let summaries = try #require(seat.object["stations"]?.objectValue)
            // The observed station's document has the history its summary leaves out.
            let observed = try #require(summaries[ReferenceFixture.station.code.rawValue])
            #expect(observed["turnout"]?["latest"]?["votesCast"]?.integerValue == 160)
            #expect(observed["incidents"]?.arrayValue?.count == 1)
            #expect(observed["results"]?.arrayValue?.first?["status"] == "reported")
            #expect(
                observed["statuses"] == [TallyRouteTests.seat.rawValue: "reported", provincial.rawValue: "unreported"])
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

    /// What the protocol says a station's summary for `seat` is (PROTOCOL.md §13 "Station summary"), taken from
    /// its whole document here independently of the server's code: the members a seat's page reads, the seat's
    /// own result and official Form-45, each result's status, the flags counted by code.
    static func summary(of document: JSONValue, seat: ConstituencyCode) -> JSONValue {
        func ofSeat(_ value: JSONValue?) -> [JSONValue] {
            (value?.arrayValue ?? []).filter { $0["constituency"]?.stringValue == seat.rawValue }
        }
        func pick(_ value: JSONValue?, _ names: Set<String>) -> JSONValue {
            guard let object = value?.objectValue else { return .null }
            return .object(object.filter { names.contains($0.key) })
        }
        var flags = [String: JSONValue]()
        for code in (document["flags"]?.arrayValue ?? []).compactMap({ $0["code"]?.stringValue }) {
            flags[code] = .integer((flags[code]?.integerValue ?? 0) + 1)
        }
        var statuses = [String: JSONValue]()
        for result in document["results"]?.arrayValue ?? [] {
            if let code = result["constituency"]?.stringValue { statuses[code] = result["status"] ?? .null }
        }
        let results = ofSeat(document["results"]).map { result in
            var kept = pick(result, ["constituency", "counted", "devices", "held", "status"]).objectValue ?? [:]
            kept["range"] = pick(result["range"], ["rejected", "totalCast"])
            kept["reports"] = .array((result["reports"]?.arrayValue ?? []).map { pick($0, ["device", "photo"]) })
            return JSONValue.object(kept)
        }
        let incident: Set<String> = ["description", "device", "kind", "occurredAt", "severity", "time"]
        return [
            "closing": pick(document["closing"], ["closedAt"]), "defined": document["defined"] ?? .null,
            "flags": .object(flags),
            "held": .array((document["held"]?.arrayValue ?? []).map { pick($0, ["device", "reason", "review"]) }),
            "incidents": .array((document["incidents"]?.arrayValue ?? []).map { pick($0, incident) }),
            "name": document["name"] ?? .null, "national": document["national"] ?? .null,
            "official": .array(ofSeat(document["official"])),
            "opening": pick(document["opening"], ["minutesLate", "openedAt"]),
            "provincial": document["provincial"] ?? .null, "registeredVoters": document["registeredVoters"] ?? .null,
            "results": .array(results), "station": document["station"] ?? .null, "statuses": .object(statuses),
            "turnout": [
                "basisPoints": document["turnout"]?["basisPoints"] ?? .null,
                "latest": pick(document["turnout"]?["latest"], ["asOf", "votesCast"]),
            ],
        ]
    }
}
