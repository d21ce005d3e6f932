import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    /// Photos of the signed sheet with the real program and the real server: recorded into the profile,
    /// sent after the events, resumed across cut connections and a server restart.
    @Suite struct PhotoSync {
        /// `record result` at the laptop's station for its national seat, with `--photo FILE`.
        static func recordResult(_ laptop: ReporterLaptop, photo file: String) async throws -> Program.Outcome {
            let station = try laptop.station()
            let reference = try require(try CachedReference.load(home: laptop.home))
            let candidates = reference.data.candidates(in: station.national)
            let votes = candidates.enumerated().map { "\($0.element.id.rawValue)=\(($0.offset * 37) % 90)" }
            return try await laptop.run(
                ["record", "result", "--station", station.code.rawValue, "--seat", station.national.rawValue]
                    + votes + ["--rejected", "12", "--photo", file],
                now: "2024-02-08T18:30:00+05:00")
        }

        /// A new server, and a reporter enrolled on it who recorded a result with a photo of `size` bytes
        /// drawn from `seed`: the photo's bytes.
        static func resultWithPhoto(
            _ name: String, size: Int, seed: UInt64
        ) async throws -> (ServerUnderTest, ReporterLaptop, [UInt8]) {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: name)
            let bytes = TestPhoto.jpeg(size: size, seed: seed)
            let file = server.folder + "/form45.jpg"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let recorded = try await recordResult(laptop, photo: file)
            #expect(recorded.status == 0, "\(recorded)")
            return (server, laptop, bytes)
        }

        /// A 2.5 MB photo over a link that drops every 200 KB, whose server is killed (SIGKILL) mid-photo
        /// and started again: the one sync stores the event first, resumes the photo from what the server
        /// kept each time, and the auditor's copy is the reporter's, byte for byte.
        @Test func aPhotoArrivesWholeAfterItsEventAcrossCutsAndARestart() async throws {
            let (server, laptop, bytes) = try await Self.resultWithPhoto("Photo Reporter", size: 2_500_000, seed: 45)
            let photo = SHA256Digest.hash(bytes)
            #expect(FileManager.default.contents(atPath: laptop.home.photos + "/" + photo.hex) == Data(bytes))
            let log = try await laptop.run(["log"])
            #expect(log.output.contains("(photo pending)"), "\(log)")
            let before = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(before["photosPending"] == .integer(1), "\(before)")

            // Every connection is cut after 200 KB, so no one carries the whole photo: it arrives only
            // if each try goes on from what the server kept.
            let cut = FaultProxy.Fault.cutUpstream(afterBytes: 200_000)
            let faults =
                Array(repeating: cut, count: 6) + [
                    .trigger(afterUpstreamBytes: 150_000) { server.running?.signal(SIGKILL) }
                ]
                + Array(repeating: cut, count: 40)
            let proxy = try FaultProxy(upstreamPort: server.port, faults: faults)
            defer { proxy.stop() }
            try laptop.useServer(proxy.url)

            let sync = try laptop.start(["sync", "--json", "--give-up-after", "600s"])
            try await waitUntil { proxy.injected == 7 || !sync.isRunning }
            #expect(proxy.injected == 7, "the server was killed mid-photo")
            try await server.stop()
            try await server.start()
            let outcome = try await sync.wait(timeout: .seconds(600))
            #expect(outcome.status == 0, "\(outcome)")
            let report = try JSONParser.parse(outcome.output)
            #expect(report["photosSent"] == .integer(1), "\(report)")
            #expect(report["appended"] == .integer(1), "\(report)")
            #expect((report["retries"]?.integerValue ?? 0) >= 12, "\(report)")
            #expect(proxy.injected < faults.count, "a connection was not cut")

            let token = try await server.auditorToken()
            let stored = try await HTTP.get(server.url + "/v1/photos/\(photo.hex)", token: token)
            #expect(stored.status == 200 && stored.body == bytes, "\(stored.status)")
            try await expectServerHoldsExactlyOnce(laptop, try await server.export())
            let after = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(after["photosPending"] == .integer(0), "\(after)")
            #expect(!(try await laptop.run(["log"])).output.contains("photo pending"))
            let again = try await laptop.run(["sync", "--json"])
            #expect(try JSONParser.parse(again.output)["photosSent"] == .integer(0), "\(again)")
            try await server.stop()
        }

        /// One byte of a photo damaged on the way: the server finds that what arrived hashes to another name,
        /// keeps nothing of it and says so (422 `photo-mismatch`, `differs: "sha256"`); the same sync sends
        /// the photo again from its first byte, and it is stored whole.
        @Test func aPhotoDamagedOnTheWayIsRefusedAndSentAgainInTheSameSync() async throws {
            let (server, laptop, bytes) = try await Self.resultWithPhoto("Damaged Photo", size: 1_500_000, seed: 47)
            let proxy = try FaultProxy(
                upstreamPort: server.port,
                faults: [.afterUpstream(marker: FaultProxy.Fault.photoUpload, .corruptUpstream(atByte: 700_000))])
            defer { proxy.stop() }
            try laptop.useServer(proxy.url)

            let sync = try await laptop.run(["sync", "--json"])
            #expect(sync.status == 0, "\(sync)")
            #expect(proxy.injected == 1, "no byte was damaged")
            let report = try JSONParser.parse(sync.output)
            #expect(report["photosSent"] == .integer(1) && report["photosPending"] == .integer(0), "\(report)")
            #expect(report["photoProblems"]?.arrayValue?.isEmpty == true, "\(report)")
            #expect(report["retries"] == .integer(1), "\(report)")
            #expect(sync.errors.contains("arrived damaged") && sync.errors.contains("sha256"), "\(sync)")
            let token = try await server.auditorToken()
            let photo = SHA256Digest.hash(bytes)
            let stored = try await HTTP.get(server.url + "/v1/photos/\(photo.hex)", token: token)
            #expect(stored.status == 200 && stored.body == bytes, "\(stored.status)")
            try await server.stop()
        }

        /// `record incident --photo FILE`: the incident names the photo by hash, size and type, and sync
        /// sends it after the events, as it sends a result's.
        @Test func anIncidentsPhotoTravelsAfterTheIncident() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Incident Photo")
            let bytes = TestPhoto.jpeg(size: 300_000, seed: 46)
            let file = server.folder + "/gate.jpg"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let station = try laptop.station()
            let recorded = try await laptop.run(
                [
                    "record", "incident", "--station", station.code.rawValue, "form45-refused", "--severity", "high",
                    "No copy of the Form-45 given", "--photo", file,
                ], now: "2024-02-08T18:40:00+05:00")
            #expect(recorded.status == 0, "\(recorded)")
            let entries = try await laptop.log().entries
            guard case .incidentObserved(let incident)? = entries.last?.event.payload else {
                Issue.record("no incident recorded: \(entries)")
                return
            }
            #expect(incident.photo == (try PhotoReference(of: bytes)))
            let status = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(status["photosPending"] == .integer(1), "\(status)")

            let sync = try await laptop.run(["sync", "--json"])
            let report = try JSONParser.parse(sync.output)
            #expect(report["appended"] == .integer(1) && report["photosSent"] == .integer(1), "\(sync)")
            let token = try await server.auditorToken()
            let stored = try await HTTP.get(server.url + "/v1/photos/\(SHA256Digest.hash(bytes).hex)", token: token)
            #expect(stored.status == 200 && stored.body == bytes, "\(stored.status)")
            let refused = try await laptop.run(
                ["record", "incident", "other", "--severity", "low", "A note", "--photo", server.folder + "/none.jpg"])
            #expect(refused.status != 0 && refused.errors.contains("--photo"), "\(refused)")
            try await server.stop()
        }

        /// What cannot be a photo is refused when recorded, and nothing is recorded; a photo changed on
        /// disk after it was recorded is not sent, and says so.
        @Test func photosThatCannotBeSentAreRefusedAndSaidSo() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Photo Refusals")
            let text = server.folder + "/form45.txt"
            try Data("a scan, honestly".utf8).write(to: URL(fileURLWithPath: text))
            let large = server.folder + "/large.jpg"
            try Data(TestPhoto.jpeg(size: PhotoType.maximumBytes + 1, seed: 1)).write(to: URL(fileURLWithPath: large))
            for (file, words) in [
                (text, "neither a JPEG nor a PNG"), (large, "8 MiB"), (server.folder + "/none.jpg", "does not exist"),
            ] {
                let refused = try await Self.recordResult(laptop, photo: file)
                #expect(refused.status != 0, "\(refused)")
                #expect(refused.errors.contains("--photo") && refused.errors.contains(words), "\(refused)")
            }
            #expect(try await laptop.log().entries.isEmpty)

            let bytes = TestPhoto.jpeg(size: 100_000, seed: 2)
            let file = server.folder + "/form45.jpg"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            #expect(try await Self.recordResult(laptop, photo: file).status == 0)
            let kept = laptop.home.photos + "/" + SHA256Digest.hash(bytes).hex
            try Data(TestPhoto.jpeg(size: 100_000, seed: 3)).write(to: URL(fileURLWithPath: kept))
            let sync = try await laptop.run(["sync", "--json"])
            let report = try JSONParser.parse(sync.output)
            #expect(report["appended"] == .integer(1) && report["photosSent"] == .integer(0), "\(sync)")
            #expect(report["photoProblems"]?.arrayValue?.first?.stringValue?.contains("no longer that photo") == true)
            let status = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(status["photosPending"] == .integer(1), "\(status)")
            try await server.stop()
        }
    }
}
