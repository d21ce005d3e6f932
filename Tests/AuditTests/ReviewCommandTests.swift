import FieldSyncClient
import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Testing

/// `fieldsync review`, the real program against a server with its projector: an editor lists the stations
/// to look at, accepts a held device's report, rejects it again and verifies a result; an auditor may not.
@Suite struct ReviewCommandTests {
    @Test func anEditorReviewsFromTheCommandLine() async throws {
        try await AuditTestServer.with { server in
            let editor = try await AuditTestServer.enroll(server.server, url: server.url, role: .editor, key: nil).token
            let asEditor = ["--server", server.url, "--token", editor]
            // A reporter assigned to station 3 only sends a result for station 2.
            let station = server.stations[2]
            let key = SigningKey.generate()
            let code = try await server.server.testCode(
                .reporter, name: "Elsewhere", assignment: CodeAssignment(stations: [server.stations[3].code]))
            let (status, enrolled) = try await AuditTestServer.post(
                server.url + "/v1/enroll",
                body: CanonicalJSON.bytes([
                    "code": .string(code.description), "publicKey": .string(key.publicKey.base64URL),
                ]))
            #expect(status == 201)
            let token = try #require(enrolled["token"]?.stringValue)
            let device = key.publicKey.deviceID
            var chain = DeviceChain(device: device)
            let votes = Dictionary(
                uniqueKeysWithValues: server.candidates.filter { $0.constituency == station.national }.map {
                    ($0.id, 1)
                })
            let result = try chain.sign(
                EventDraft(
                    payload: .resultReported(
                        Form45Result(
                            constituency: station.national, registeredVoters: station.voters.total, votes: votes,
                            rejected: 0, totalCast: votes.count)),
                    subject: station.code.rawValue, time: ObservedTime("2024-02-08T19:00:00+05:00")!),
                key: key)
            try await server.push([result], token: token)
            try await server.waitForProjector()

            let list = try await Program.run(["review", "list"] + asEditor)
            #expect(list.status == 0, "\(list)")
            #expect(list.output.contains("\(station.code)  held unassigned from \(device)"), "\(list.output)")

            let accept = try await Program.run(
                ["review", "accept", station.code.rawValue, "--device", device.rawValue, "--reason", "phoned"]
                    + asEditor)
            #expect(accept.status == 0, "\(accept)")
            try await server.waitForProjector()
            var document = try await server.get("/v1/stations/\(station.code)")
            #expect(document["station"]?["held"]?.arrayValue?.isEmpty == true)

            let reject = try await Program.run(
                ["review", "reject", station.code.rawValue, "--device", device.rawValue, "--reason", "not ours"]
                    + asEditor)
            #expect(reject.status == 0, "\(reject)")
            try await server.waitForProjector()
            document = try await server.get("/v1/stations/\(station.code)")
            #expect(document["station"]?["held"]?[0]?["reason"]?.stringValue == "rejected")

            let verify = try await Program.run(
                ["review", "verify", station.code.rawValue, "--seat", station.national.rawValue, "--reason", "photo"]
                    + asEditor)
            #expect(verify.status == 0, "\(verify)")
            try await server.waitForProjector()
            document = try await server.get("/v1/stations/\(station.code)")
            let statuses = (document["station"]?["results"]?.arrayValue ?? []).compactMap { $0["status"]?.stringValue }
            #expect(statuses.contains("verified"), "\(statuses)")

            // An auditor reads, but does not decide; bad values get one line and 64.
            let auditor = try await Program.run(
                ["review", "accept", station.code.rawValue, "--device", device.rawValue, "--reason", "x"]
                    + server.credentials)
            #expect(auditor.status == ExitStatus.refused.rawValue, "\(auditor)")
            #expect(auditor.errors.contains("403"), "\(auditor)")
            let bad = try await Program.run(
                ["review", "verify", "NA-1", "--seat", "NA-248", "--reason", "x"] + asEditor)
            #expect(bad.status == ExitStatus.usage.rawValue)
        }
    }
}
