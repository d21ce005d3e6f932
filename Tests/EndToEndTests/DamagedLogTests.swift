import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    @Suite struct DamagedLog {
        /// A crash mid-write leaves half a line: the next command moves it to the quarantine folder and
        /// says so, and recording and syncing go on.
        @Test func aTornLastLineIsQuarantinedAndReported() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Torn Line")
            try await laptop.recordBacklog(20)
            let intact = try require(try DurableFile.contents(of: laptop.home.log))
            let torn = Array(intact.suffix(from: intact.count - 300).prefix(180))
            try DurableFile.append(torn, to: laptop.home.log)

            let status = try await laptop.run(["status"])
            #expect(status.status == 0, "\(status)")
            #expect(status.errors.contains("the last line of the log (line 21, 180 bytes) was cut short"), "\(status)")
            let files = try FileManager.default.contentsOfDirectory(atPath: laptop.home.quarantine)
            #expect(files.count == 1)
            #expect(try DurableFile.contents(of: laptop.home.quarantine + "/" + files[0]) == torn)
            #expect(try DurableFile.contents(of: laptop.home.log) == intact)

            let record = try await laptop.run(
                ["record", "turnout", "99", "--as-of", "09:00"], now: ReporterLaptop.pollingDay)
            #expect(record.status == 0, "\(record)")
            #expect(record.output.hasPrefix("Recorded #21 turnout"))
            let sync = try await laptop.run(["sync"])
            #expect(sync.status == 0, "\(sync)")
            try await expectServerHoldsExactlyOnce(laptop, try await server.export())
            try await server.stop()
        }

        /// A line changed after it was written: every command says which line and seq, and nothing is
        /// recorded or synced.
        @Test func aTamperedLineStopsRecordingAndSyncing() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Tampered Line")
            try await laptop.recordBacklog(12)
            let profile = try laptop.profile
            var lines = try require(try DurableFile.contents(of: laptop.home.log)).split(separator: 0x0a).map {
                String(decoding: $0, as: UTF8.self)
            }
            #expect(lines[4].contains("\"votesCast\":4"))
            lines[4] = lines[4].replacingOccurrences(of: "\"votesCast\":4", with: "\"votesCast\":40")
            let tampered = Array((lines.joined(separator: "\n") + "\n").utf8)
            try DurableFile.replace(laptop.home.log, with: tampered)

            let sync = try await laptop.run(["sync"])
            #expect(sync.status == ExitStatus.logProblem.rawValue, "\(sync)")
            #expect(sync.errors.contains("line 5 (seq 5): the signature is not this device's signature of the line"))
            #expect(try await server.head(of: profile.device, token: profile.token) == 0)

            let record = try await laptop.run(["record", "turnout", "5"], now: ReporterLaptop.pollingDay)
            #expect(record.status == ExitStatus.logProblem.rawValue)
            let log = try await laptop.run(["log"])
            #expect(log.status == ExitStatus.logProblem.rawValue)
            #expect(try DurableFile.contents(of: laptop.home.log) == tampered)
            try await server.stop()
        }

        /// A revoked device is told so, with the credentials exit code.
        @Test func aRevokedDeviceIsRefused() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Lost Laptop")
            try await laptop.recordBacklog(3)
            let revoke = try await Program.run(
                [
                    "admin", "revoke", try laptop.profile.device.rawValue, "--reason", "laptop lost", "--data-dir",
                    server.dataDirectory, "--database-url", server.databaseURL,
                ],
                logFolder: server.folder)
            #expect(revoke.status == 0, "\(revoke)")
            let sync = try await laptop.run(["sync"])
            #expect(sync.status == ExitStatus.refused.rawValue, "\(sync)")
            #expect(sync.errors.contains("revoked"))
            try await server.stop()
        }
    }
}
