import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import NIOHTTP1
import Testing

/// `GET /v1/exports/{what}.csv` over real HTTP with the projector running: each file read back with
/// ``CSVReader`` (RFC 4180) and compared, row by row and field by field, with the tally documents the
/// server serves as JSON.
@Suite struct ExportRouteTests {
    /// A description a spreadsheet would run as a formula, with a separator, quotes and a line break.
    static let hostileDescription = "=HYPERLINK(\"http://x\", \"click\"), then\nthe presiding officer left"

    /// One CSV export, parsed: its header and each row as column name → field.
    static func export(
        _ what: String, server: TestServer, token: String
    ) async throws -> (
        header: [String], rows: [[String: String]], answer: HTTPAnswer
    ) {
        let answer = try await HTTP.get(server.url + "/v1/exports/\(what).csv", token: token)
        #expect(answer.status == 200, "\(what): \(answer.text.prefix(400))")
        #expect(answer.contentType?.hasPrefix("text/csv") == true)
        let records = try CSVReader(skipsBlankLines: false).records(utf8: answer.body)
        let header = try #require(records.first).fields
        let rows = records.dropFirst().map { record in
            #expect(record.fields.count == header.count, "\(what) line \(record.line): \(record.fields)")
            return Dictionary(uniqueKeysWithValues: zip(header, record.fields))
        }
        return (header, rows, answer)
    }

    /// A JSON integer or string as the CSV writes it; null as an empty field.
    static func field(_ value: JSONValue?) -> String {
        value?.integerValue.map(String.init) ?? value?.stringValue ?? ""
    }

    @Test func exportsAgreeWithTheTallyDocuments() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            let station = ReferenceFixture.station.code
            let turnout = reporter.nextTurnout(votes: 120)
            let incident = try reporter.chain.sign(
                EventDraft(
                    payload: .incidentObserved(
                        Incident(kind: .agentExpelled, severity: .high, description: Self.hostileDescription)),
                    subject: station.rawValue, time: ObservedTime("2024-02-08T14:12:00+05:00")!),
                key: reporter.key)
            #expect(
                TestServer.outcomes(try await server.push([turnout, incident], as: reporter)) == [
                    "appended", "appended",
                ])
            let result = try reporter.chain.sign(TallyRouteTests.form45(), key: reporter.key)
            let pushed = try await server.push([result], as: reporter)
            let head = try #require(pushed.object["results"]?.arrayValue?.first?["position"]?.integerValue)
            let overview = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: head)
            // Each seat's answer carries its own result of each of its stations: the NA seat's and the provincial
            // seats'.
            var seatSummaries = [(code: String, document: JSONValue)]()
            for seat in Set(ReferenceFixture.stations.flatMap(\.constituencies)).map(\.rawValue).sorted() {
                let answer = try await HTTP.get(server.url + "/v1/tallies/\(seat)", token: editor.token)
                for (code, document) in try #require(answer.object["stations"]?.objectValue) {
                    seatSummaries.append((code, document))
                }
            }

            // Stations: one row per station and seat result, in code order, every field as in the document.
            let stations = try await Self.export("stations", server: server, token: editor.token)
            #expect(stations.header == TallyExport.stations.columns)
            let position = stations.answer.headers.first(name: "FieldSync-Position").flatMap { Int64($0) }
            #expect((position ?? 0) >= head, "the position the export reflects")
            let body = stations.answer.text
            #expect(body.hasSuffix("\r\n") && !body.replacing("\r\n", with: "").contains("\n"), "lines end in CRLF")
            var expected = 0
            for (code, document) in seatSummaries {
                for result in document["results"]?.arrayValue ?? [] {
                    expected += 1
                    let seat = Self.field(result["constituency"])
                    let row = try #require(stations.rows.first { $0["station"] == code && $0["seat"] == seat })
                    #expect(row["station_name"] == Self.field(document["name"]))
                    #expect(row["status"] == Self.field(result["status"]))
                    #expect(row["reports"] == Self.field(result["devices"]))
                    #expect(row["registered_voters"] == Self.field(document["registeredVoters"]))
                    #expect(row["total_cast"] == Self.field(result["counted"]?["totalCast"]))
                    #expect(row["rejected"] == Self.field(result["counted"]?["rejected"]))
                    let votes = result["counted"]?["votes"]?.objectValue?.values.compactMap(\.integerValue)
                    #expect(row["valid_votes"] == votes.map { String($0.reduce(0, +)) } ?? "")
                    #expect(row["turnout_votes_cast"] == Self.field(document["turnout"]?["latest"]?["votesCast"]))
                    #expect(row["turnout_as_of"] == Self.field(document["turnout"]?["latest"]?["asOf"]))
                    #expect(row["incidents"] == String(document["incidents"]?.arrayValue?.count ?? -1))
                    // The summary counts the flags by code; the row lists each, in code order.
                    let flags = (document["flags"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                        .flatMap { code, count in Array(repeating: code, count: Int(count.integerValue ?? 0)) }
                    #expect(row["flags"] == flags.joined(separator: " "))
                }
            }
            #expect(stations.rows.count == expected)
            let counted = stations.rows.first { $0["station"] == station.rawValue && $0["status"] == "reported" }
            #expect(counted?["total_cast"] == "300" && counted?["rejected"] == "10" && counted?["valid_votes"] == "290")
            let order = stations.rows.compactMap { $0["station"].flatMap(StationCode.init) }
            #expect(order == order.sorted(), "stations in code order")

            // Seats: one row per seat and candidate.
            let seats = try await Self.export("seats", server: server, token: editor.token)
            #expect(seats.header == TallyExport.seats.columns)
            let seatDocuments = try #require(overview.object["constituencies"]?.objectValue)
            var candidateRows = 0
            for (code, seat) in seatDocuments {
                let candidates = seat["candidates"]?.arrayValue ?? []
                candidateRows += max(1, candidates.count)
                for candidate in candidates {
                    let id = Self.field(candidate["candidate"])
                    let row = try #require(seats.rows.first { $0["seat"] == code && $0["candidate"] == id })
                    #expect(row["votes"] == Self.field(candidate["votes"]))
                    #expect(row["verified_votes"] == Self.field(candidate["verifiedVotes"]))
                    #expect(row["disputed_maximum"] == Self.field(candidate["disputedMaximum"]))
                    #expect(row["party"] == Self.field(candidate["party"]))
                    #expect(row["stations_counted"] == Self.field(seat["stations"]?["counted"]))
                    #expect(row["leading"] == (Self.field(seat["lead"]?["leader"]) == id ? "true" : "false"))
                }
            }
            #expect(seats.rows.count == candidateRows)
            #expect(
                seats.rows.count { $0["leading"] == "true" && $0["seat"] == ReferenceFixture.national.rawValue } == 1)

            // Incidents: the description survives its comma, quotes and line break, and is kept from being
            // run as a formula.
            let incidents = try await Self.export("incidents", server: server, token: editor.token)
            #expect(incidents.header == TallyExport.incidents.columns)
            #expect(incidents.rows.count == 1)
            let row = try #require(incidents.rows.first)
            #expect(row["description"] == "'" + Self.hostileDescription)
            #expect(row["station"] == station.rawValue && row["kind"] == "agent-expelled" && row["severity"] == "high")
            #expect(row["event"] == incident.id.description)
            #expect(row["time"] == "2024-02-08T14:12:00+05:00")

            // Reporters have no exports; an unknown one names those there are.
            #expect(try await HTTP.get(server.url + "/v1/exports/seats.csv", token: reporter.token).status == 403)
            let unknown = try await HTTP.get(server.url + "/v1/exports/ballots.csv", token: editor.token)
            unknown.expectProblem(
                400, "invalid-request", mentioning: ["stations, seats, incidents or official"], "ballots")

            // No official figures imported: the comparison is its header row alone.
            let official = try await Self.export("official", server: server, token: editor.token)
            #expect(official.header == TallyExport.official.columns && official.rows.isEmpty)
        }
    }
}
