import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

/// `fieldsync official import`, the real program against a real server: an editor imports the commission's
/// Form-45 and Form-47 files; a bad file imports nothing and names its rows; a later import of the same
/// form stays beside the first; a reporter or an auditor may not import.
@Suite struct OfficialImportCommandTests {
    /// A Form-45 file for the first station's two seats, every candidate `votes` votes, 3 rejected.
    static func form45(_ server: AuditTestServer, votes: Int = 10) -> String {
        let station = server.stations[0]
        var lines = ["station,constituency,candidate,votes"]
        for seat in station.constituencies {
            let standing = server.candidates.filter { $0.constituency == seat }
            lines += standing.map { "\(station.code),\(seat),\($0.id),\(votes)" }
            lines += [
                "\(station.code),\(seat),rejected,3", "\(station.code),\(seat),total,\(standing.count * votes + 3)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String) throws -> String {
        let folder = try makeTemporaryDirectory("official")
        let path = folder + "/form.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The stored official events about `subject`.
    static func stored(_ server: AuditTestServer, subject: String) async throws -> [StoredEvent] {
        try await server.server.events.events(type: EventType.officialPublished.rawValue, subject: subject).map {
            try $0.storedEvent()
        }
    }

    @Test func anEditorImportsAForm45File() async throws {
        try await AuditTestServer.with { server in
            let editor = try await AuditTestServer.enroll(server.server, url: server.url, role: .editor, key: nil)
            let asEditor = ["--server", server.url, "--token", editor.token]
            let station = server.stations[0]
            let text = Self.form45(server)
            let file = try Self.write(text)
            let source = "https://www.ecp.gov.pk/results/NA-248/form45.csv?page=1&lang=en"
            let run = try await Program.run(
                ["official", "import", file, "--form", "45", "--source", source] + asEditor)
            #expect(run.status == 0, "\(run)")
            #expect(run.output.contains("Imported 2 Form-45 results"), "\(run.output)")
            let events = try await Self.stored(server, subject: station.code.rawValue)
            #expect(events.count == 2)
            let official = events.compactMap { stored -> OfficialResult? in
                if case .officialPublished(let result) = stored.event.payload { result } else { nil }
            }
            #expect(Set(official.map(\.constituency)) == Set(station.constituencies))
            #expect(official.allSatisfy { $0.editor == editor.device && $0.sourceURL == source })
            #expect(official.allSatisfy { $0.fileSha256 == SHA256Digest.hash(Array(text.utf8)) })
            #expect(events.allSatisfy { $0.event.device.isServer })

            // The same form again (the commission corrected a figure): both stay in the log.
            let again = try await Program.run(
                ["official", "import", try Self.write(Self.form45(server, votes: 11)), "--form", "45"] + asEditor)
            #expect(again.status == 0, "\(again)")
            #expect(try await Self.stored(server, subject: station.code.rawValue).count == 4)
        }
    }

    /// After a polling day, the commission's Form-45 for a counted result, five votes off for one candidate:
    /// the station's document shows the difference and the flag names it; a corrected import supersedes it
    /// and agrees.
    @Test func theStationDocumentComparesTheOfficialFigures() async throws {
        try await AuditTestServer.with { server in
            try await server.pushPollingDay()
            try await server.waitForProjector()
            let editor = try await AuditTestServer.enroll(server.server, url: server.url, role: .editor, key: nil)
            var found: (PollingStation, JSONValue)?
            for station in server.stations {
                let document = try await server.get("/v1/stations/\(station.code)")
                let results = document["station"]?["results"]?.arrayValue ?? []
                if let result = results.first(where: { $0["status"]?.stringValue == "confirmed" }) {
                    found = (station, result)
                    break
                }
            }
            let (station, result) = try #require(found)
            let seat = try #require(result["constituency"]?.stringValue)
            let counted = try #require(result["counted"])
            let votes = (counted["votes"]?.objectValue ?? [:]).mapValues { $0.integerValue ?? 0 }
            let first = try #require(votes.keys.sorted().first)
            func file(offBy: Int64) -> String {
                var rows = ["station,constituency,candidate,votes"]
                for (candidate, count) in votes.sorted(by: { $0.key < $1.key }) {
                    rows.append("\(station.code),\(seat),\(candidate),\(count + (candidate == first ? offBy : 0))")
                }
                let rejected = counted["rejected"]?.integerValue ?? 0
                rows.append("\(station.code),\(seat),rejected,\(rejected)")
                rows.append("\(station.code),\(seat),total,\((counted["totalCast"]?.integerValue ?? 0) + offBy)")
                return rows.joined(separator: "\n")
            }
            let asEditor = ["--form", "45", "--server", server.url, "--token", editor.token]
            let off = try await Program.run(["official", "import", try Self.write(file(offBy: 5))] + asEditor)
            #expect(off.status == 0, "\(off)")
            try await server.waitForProjector()
            var document = try await server.get("/v1/stations/\(station.code)")["station"]
            let official = try #require(document?["official"]?.arrayValue?.first)
            #expect(official["constituency"]?.stringValue == seat)
            let reports = official["reports"]?.arrayValue ?? []
            let fieldReports = result["reports"]?.arrayValue?.count ?? 0
            #expect(fieldReports >= 2)
            #expect(reports.count == fieldReports && reports.allSatisfy { $0["equal"] == .bool(false) })
            #expect(reports.first?["differences"]?[first] == .integer(-5))
            #expect(reports.first?["totalCast"] == .integer(-5))
            let flags = (document?["flags"]?.arrayValue ?? []).filter {
                $0["code"]?.stringValue == "official-differs-from-field"
            }
            #expect(flags.count == fieldReports)
            #expect(flags.first?["message"]?.stringValue?.contains("\(first) -5, total -5") == true, "\(flags)")

            // `tally SEAT --official` lists the same reports, naming the station.
            let credentials = ["--server", server.url, "--token", editor.token]
            let listed = try await Program.run(["tally", seat, "--official"] + credentials)
            #expect(listed.status == 0, "\(listed)")
            #expect(listed.output.contains("\(station.code)  device "), "\(listed.output)")
            #expect(listed.output.contains("\(first) -5, total -5"), "\(listed.output)")
            let asJSON = try await Program.run(["tally", seat, "--official", "--json"] + credentials)
            let differences = try JSONParser.parse(Array(asJSON.output.utf8))["differences"]?.arrayValue ?? []
            #expect(differences.count == fieldReports)
            #expect(differences.allSatisfy { $0["station"]?.stringValue == station.code.rawValue })
            let stationOnly = try await Program.run(["tally", station.code.rawValue, "--official"] + credentials)
            #expect(stationOnly.status == 64, "\(stationOnly)")

            let fixed = try await Program.run(["official", "import", try Self.write(file(offBy: 0))] + asEditor)
            #expect(fixed.status == 0, "\(fixed)")
            try await server.waitForProjector()
            document = try await server.get("/v1/stations/\(station.code)")["station"]
            let standing = try #require(document?["official"]?.arrayValue?.first)
            #expect(standing["superseded"]?.arrayValue == [official["event"]!])
            #expect((standing["reports"]?.arrayValue ?? []).allSatisfy { $0["equal"] == .bool(true) })
            #expect(
                !(document?["flags"]?.arrayValue ?? []).contains {
                    $0["code"]?.stringValue == "official-differs-from-field"
                })
        }
    }

    @Test func aSeatsForm47() async throws {
        try await AuditTestServer.with { server in
            let editor = try await AuditTestServer.enroll(server.server, url: server.url, role: .editor, key: nil)
            let seat = server.stations[0].national
            let standing = server.candidates.filter { $0.constituency == seat }
            let rows =
                standing.map { "\(seat),\($0.id),1000" } + [
                    "\(seat),rejected,40", "\(seat),total,\(standing.count * 1000 + 40)",
                ]
            let file = try Self.write((["constituency,candidate,votes"] + rows).joined(separator: "\n"))
            let run = try await Program.run(
                ["official", "import", file, "--form", "47", "--server", server.url, "--token", editor.token])
            #expect(run.status == 0, "\(run)")
            #expect(try await Self.stored(server, subject: seat.rawValue).count == 1)
        }
    }

    @Test func aBadFileImportsNothing() async throws {
        try await AuditTestServer.with { server in
            let editor = try await AuditTestServer.enroll(server.server, url: server.url, role: .editor, key: nil)
            let asEditor = ["--server", server.url, "--token", editor.token]
            let good = Self.form45(server)
            var lines = good.split(separator: "\n").map(String.init)
            // The last seat's total no longer adds up; the first seat's first row is there twice.
            lines[lines.count - 1] += "1"
            lines.append(lines[1])
            let run = try await Program.run(
                ["official", "import", try Self.write(lines.joined(separator: "\n")), "--form", "45"] + asEditor)
            #expect(run.status == 4, "\(run)")
            #expect(run.errors.contains("line \(lines.count - 1), field 4: the total"), "\(run.errors)")
            #expect(run.errors.contains("a second row for"), "\(run.errors)")
            #expect(run.errors.contains("is not the candidates' votes plus rejected"), "\(run.errors)")
            #expect(run.errors.contains("nothing was imported: 2 problem(s)"), "\(run.errors)")
            #expect(try await Self.stored(server, subject: server.stations[0].code.rawValue).isEmpty)

            // Not UTF-8: a Latin-1 byte in a row.
            var bytes = Array(good.utf8)
            bytes.insert(0xE9, at: bytes.firstIndex(of: 0x0a)! + 3)
            let latin = try makeTemporaryDirectory("official") + "/latin1.csv"
            try Data(bytes).write(to: URL(fileURLWithPath: latin))
            let encoding = try await Program.run(["official", "import", latin, "--form", "45"] + asEditor)
            #expect(encoding.status == 4, "\(encoding)")
            #expect(encoding.errors.contains("line 2: is not UTF-8 text"), "\(encoding.errors)")

            // The wrong form for the file: the header says so.
            let wrongForm = try await Program.run(
                ["official", "import", try Self.write(good), "--form", "49"] + asEditor)
            #expect(wrongForm.status == 4, "\(wrongForm)")
            #expect(wrongForm.errors.contains("line 1: the header is"), "\(wrongForm.errors)")
            #expect(try await Self.stored(server, subject: server.stations[0].code.rawValue).isEmpty)

            let badForm = try await Program.run(
                ["official", "import", try Self.write(good), "--form", "46"] + asEditor)
            #expect(badForm.status == 64, "\(badForm)")
        }
    }

    @Test func onlyAnEditorImports() async throws {
        try await AuditTestServer.with { server in
            let file = try Self.write(Self.form45(server))
            let reporter = try await AuditTestServer.enroll(
                server.server, url: server.url, role: .reporter, key: SigningKey.generate())
            for token in [server.auditor, reporter.token] {
                let run = try await Program.run(
                    ["official", "import", file, "--form", "45", "--server", server.url, "--token", token])
                #expect(run.status == 5, "\(run)")
                #expect(run.errors.contains("403"), "\(run.errors)")
            }
            #expect(try await Self.stored(server, subject: server.stations[0].code.rawValue).isEmpty)
        }
    }
}
