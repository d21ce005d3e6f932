import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct ShutdownTests {
    /// The real program, under a steady push load, is sent SIGTERM; once restarted, it holds every event
    /// it acknowledged, at the position it acknowledged.
    @Test(.timeLimit(.minutes(10))) func sigtermDuringLoadLosesNoAcknowledgedEvent() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-sigterm")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data"
        let first = try ServeProcess.start(dataDirectory: data, arguments: ["--demo"])
        let api = try await first.waitForAPI()

        // Codes from the admin command, which finds the running server's database through server.json.
        func code(_ role: String) async throws -> String {
            let output = try await ServeProcess.run(
                [
                    "admin", "enroll", "--role", role, "--name", "Load \(role)", "--data-dir", data, "--json",
                ] + (role == "reporter" ? ["--seat", KarachiDemo().stations[100].national.rawValue] : []))
            return try #require(try JSONParser.parse(output)["code"]?.stringValue)
        }
        let key = SigningKey.generate()
        let enrolled = try await HTTP.post(
            api + "/v1/enroll",
            json: ["code": .string(try await code("reporter")), "publicKey": .string(key.publicKey.base64URL)])
        let token = try #require(enrolled.object["token"]?.stringValue)
        let auditor = try await HTTP.post(api + "/v1/enroll", json: ["code": .string(try await code("auditor"))])
        let auditorToken = try #require(auditor.object["token"]?.stringValue)

        // Push batches one after the other; a batch whose answer did not come is sent again, as a client would.
        let station = KarachiDemo().stations[100].code
        var chain = DeviceChain(device: key.publicKey.deviceID)
        var acknowledged: [EventID: Int64] = [:]
        var batch: [Event] = []
        var signalled = false
        // Until the server has stopped.
        while !signalled || first.isRunning {
            if batch.isEmpty {
                batch = (0..<25).map { index in
                    try! chain.sign(TestDevice.turnoutDraft(votes: index, minute: index, station: station), key: key)
                }
            }
            // SIGTERM once some load has been acknowledged, however long that took.
            if !signalled && acknowledged.count >= 100 {
                signalled = true
                first.running.signal(SIGTERM)
            }
            do {
                let answer = try await HTTP.send(
                    .POST, api + "/v1/events", token: token, body: TestDevice.batch(batch),
                    contentType: "application/cloudevents-batch+json", timeout: .seconds(60))
                guard answer.status == 200 else { continue }
                for result in answer.object["results"]?.arrayValue ?? [] {
                    guard let position = result["position"]?.integerValue, let id = result["id"]?.stringValue else {
                        Issue.record("an event of the load was not stored: \(result)")
                        continue
                    }
                    acknowledged[EventID(id)!] = position
                }
                batch = []
            } catch {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(signalled)
        #expect(acknowledged.count >= 100)
        #expect(try await first.stop(signal: SIGTERM) == 0)
        #expect(first.log.contains("FieldSync stopped."))

        // Restarted with room for one station only: its projector resumes from its stored state.
        let second = try ServeProcess.start(dataDirectory: data, arguments: ["--station-cache", "1"])
        let restarted = try await second.waitForAPI()
        let export = try await HTTP.get(restarted + "/v1/events", token: auditorToken)
        #expect(export.status == 200)
        var stored: [EventID: Int64] = [:]
        for line in export.lines {
            let event = try StoredEvent(line: line)
            stored[event.event.id] = event.position
        }
        let lost = acknowledged.filter { stored[$0.key] != $0.value }
        #expect(lost.isEmpty, "\(lost.count) of \(acknowledged.count) acknowledged events are missing or moved")

        // One more push after the restart: the station's tally, loaded from the database and moved on, is a
        // fresh fold's of the whole log.
        batch += (25..<30).map { index in
            try! chain.sign(TestDevice.turnoutDraft(votes: index, minute: index, station: station), key: key)
        }
        let pushed = try await HTTP.send(
            .POST, restarted + "/v1/events", token: token, body: TestDevice.batch(batch),
            contentType: "application/cloudevents-batch+json")
        #expect(pushed.status == 200)
        var log: [StoredEvent] = []
        for line in try await HTTP.get(restarted + "/v1/events", token: auditorToken).lines {
            log.append(try StoredEvent(line: line))
        }
        var document: JSONValue?
        try? await waitUntil("the station folded up to the last push") {
            let answer = try await HTTP.get(restarted + "/v1/stations/\(station)", token: auditorToken)
            guard answer.object["position"]?.integerValue == log.last?.position else { return false }
            document = answer.object["station"]
            return true
        }
        let folded = try #require(ElectionTally(replaying: log).station(station))
        #expect(document.map(CanonicalJSON.bytes) == folded.canonicalBytes)
        #expect(try await second.stop() == 0)
    }
}
