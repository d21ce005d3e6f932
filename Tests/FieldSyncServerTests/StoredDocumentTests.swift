import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import NIOHTTP1
import Testing

/// Tally documents are stored as the canonical bytes they are served as, and the tally routes send those
/// bytes unchanged, with an `ETag` of the answer.
@Suite struct StoredDocumentTests {
    /// The stored rows of `kind` whose key starts with `prefix`, by key.
    static func rows(_ server: TestServer, kind: String, prefix: String) async throws -> [String: [UInt8]] {
        try await server.server.pool.withConnection { connection in
            var rows: [String: [UInt8]] = [:]
            for row in try await connection.query(
                "SELECT key, document FROM tallies WHERE kind = \(kind) AND starts_with(key, \(prefix))")
            {
                rows[try row.decode(String.self, column: 0)] = try row.decode([UInt8].self, column: 1)
            }
            return rows
        }
    }

    @Test func aSeatAndItsStationsAreServedAsTheyAreStored() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            let result = try reporter.chain.sign(TallyRouteTests.form45(), key: reporter.key)
            let pushed = try await server.push([reporter.nextTurnout(votes: 120), result], as: reporter)
            let head = try #require(pushed.object["results"]?.arrayValue?.last?["position"]?.integerValue)
            _ = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: head)

            let seat = TallyRouteTests.seat.rawValue
            let seatRow = try #require(try await Self.rows(server, kind: "constituency", prefix: seat)[seat])
            let stationRows = try await Self.rows(server, kind: "station", prefix: seat + "-")
            // The seat's summaries are keyed by the seat's code and the station's.
            let summaryRows = Dictionary(
                uniqueKeysWithValues: try await Self.rows(server, kind: "station-summary", prefix: seat + "/").map {
                    (String($0.key.dropFirst(seat.count + 1)), $0.value)
                })
            #expect(!stationRows.isEmpty && summaryRows.keys.sorted() == stationRows.keys.sorted())
            // Stored canonical: parsing and writing a stored document again gives the same bytes.
            #expect(CanonicalJSON.bytes(try JSONParser.parse(seatRow)) == seatRow)
            for row in stationRows.values { #expect(CanonicalJSON.bytes(try JSONParser.parse(row)) == row) }
            for row in summaryRows.values { #expect(CanonicalJSON.bytes(try JSONParser.parse(row)) == row) }

            // The answer is the stored rows (the seat's, its stations' summaries), byte for byte, in canonical order,
            // around the position.
            let answer = try await HTTP.get(server.url + "/v1/tallies/\(seat)", token: editor.token)
            #expect(answer.status == 200)
            let position = try #require(answer.object["position"]?.integerValue)
            var expected = Array(#"{"asOf":null,"constituency":"#.utf8) + seatRow
            expected += Array(#","position":\#(position),"stations":{"#.utf8)
            for (offset, key) in summaryRows.keys.sorted(by: CanonicalJSON.precedesInUTF16Order).enumerated() {
                expected += Array("\(offset > 0 ? "," : "")\"\(key)\":".utf8) + summaryRows[key]!
            }
            expected += Array("}}\n".utf8)
            #expect(answer.body == expected)

            // A station's answer ends with its stored document.
            let code = TallyRouteTests.station.code.rawValue
            let station = try await HTTP.get(server.url + "/v1/stations/\(code)", token: editor.token)
            let stationRow = try #require(stationRows[code])
            #expect(
                station.body.suffix(stationRow.count + 3) == ArraySlice(Array(#":"#.utf8) + stationRow + [0x7d, 0x0a]))
            #expect(station.body.count > stationRow.count)
        }
    }

    @Test func theOfficialComparisonIsServedAsStoredWithItsPosition() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            let report = try reporter.chain.sign(TallyRouteTests.form45(), key: reporter.key)
            _ = try await server.push([report], as: reporter)
            // The commission's Form-45 gives the seat's first candidate 7 votes more than the field counted.
            guard case .resultReported(let field) = report.payload else {
                Issue.record("not a result: \(report.payload)")
                return
            }
            var votes = field.votes
            let first = try #require(votes.keys.min())
            votes[first]! += 7
            let published = try await server.server.publishOfficial([
                OfficialResult(
                    form: .form45, constituency: TallyRouteTests.seat, station: TallyRouteTests.station.code,
                    votes: votes, rejected: field.rejected, totalCast: field.totalCast + 7,
                    sourceURL: nil, fileSha256: SHA256Digest.hash([1]),
                    editor: editor.device)
            ])
            let head = try #require(published.last?.1)
            _ = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: head)

            // The same bytes as parsing the stored row and writing it again with the position.
            let row = try #require(try await Self.rows(server, kind: "official", prefix: "city")["city"])
            let answer = try await HTTP.get(server.url + "/v1/official", token: editor.token)
            #expect(answer.status == 200)
            let position = try #require(answer.object["position"]?.integerValue)
            #expect(position >= head)
            var object = try #require(try JSONParser.parse(row).objectValue)
            #expect(object["differences"]?.arrayValue?.count == 1)
            object["position"] = .integer(position)
            #expect(answer.body == CanonicalJSON.bytes(.object(object)) + [0x0a])

            // With an ETag of its bytes, as the tally answers.
            let tag = try #require(answer.headers.first(name: "ETag"))
            #expect(tag == "\"\(SHA256Digest.hash(answer.body).hex)\"")
            let again = try await HTTP.get(
                server.url + "/v1/official", token: editor.token, headers: [("If-None-Match", tag)])
            #expect(again.status == 304)
        }
    }

    @Test func answersHaveAnETagOfTheirBytes() async throws {
        try await TestServer.with(projector: true) { server in
            var reporter = try await server.enroll(.reporter)
            let editor = try await server.enroll(.editor, sendKey: false)
            let first = try await server.push([reporter.nextTurnout(votes: 10)], as: reporter)
            let head = try #require(first.object["results"]?.arrayValue?.last?["position"]?.integerValue)
            _ = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: head)

            for path in ["/v1/tallies", "/v1/tallies/\(TallyRouteTests.seat)", "/v1/reviews"] {
                let answer = try await HTTP.get(server.url + path, token: editor.token)
                let tag = try #require(answer.headers.first(name: "ETag"))
                #expect(tag == "\"\(SHA256Digest.hash(answer.body).hex)\"")
                let again = try await HTTP.get(
                    server.url + path, token: editor.token, headers: [("If-None-Match", tag)])
                #expect(again.status == 304, "\(path)")
                #expect(again.body.isEmpty)
            }

            // The tallies move: the old tag no longer matches.
            let overview = try await HTTP.get(server.url + "/v1/tallies", token: editor.token)
            let tag = try #require(overview.headers.first(name: "ETag"))
            let second = try await server.push([reporter.nextTurnout(votes: 20, minute: 5)], as: reporter)
            let moved = try #require(second.object["results"]?.arrayValue?.last?["position"]?.integerValue)
            _ = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: moved)
            let changed = try await HTTP.get(
                server.url + "/v1/tallies", token: editor.token, headers: [("If-None-Match", tag)])
            #expect(changed.status == 200)
            #expect(changed.headers.first(name: "ETag") != tag)
        }
    }
}
