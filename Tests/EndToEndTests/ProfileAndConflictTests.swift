import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    @Suite struct ProfilesAndConflicts {
        /// `init` keeps secrets private, never overwrites a profile without --force, and with --force keeps
        /// the old one aside.
        @Test func initGuardsTheProfile() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Careful Reporter")
            #expect(DurableFile.mode(laptop.home.path) == 0o700)
            for file in [laptop.home.deviceKey, laptop.home.profile, laptop.home.reference, laptop.home.syncState] {
                #expect(DurableFile.mode(file) == 0o600, "\(file)")
            }
            try await laptop.recordBacklog(3)
            let firstDevice = try laptop.profile.device

            let code = try await server.code(name: "Careful Reporter")
            let refused = try await laptop.run(["init", "--server", server.url, "--code", code])
            #expect(refused.status == ExitStatus.failure.rawValue, "\(refused)")
            #expect(refused.errors.contains("already holds a profile"))
            #expect(refused.errors.contains("--force"))
            #expect(try laptop.profile.device == firstDevice)

            let replaced = try await laptop.run(["init", "--server", server.url, "--code", code, "--force"])
            #expect(replaced.status == 0, "\(replaced)")
            #expect(try laptop.profile.device != firstDevice)
            let aside = try FileManager.default.contentsOfDirectory(atPath: laptop.home.path + "/replaced")
            #expect(aside.count == 1)
            let old = laptop.home.path + "/replaced/" + aside[0]
            #expect(DurableFile.exists(old + "/log.ndjson") && DurableFile.exists(old + "/device-key.pem"))
            #expect(try await laptop.log().entries.isEmpty)

            let other = ReporterLaptop(home: ClientHome(path: server.folder + "/other"), server: server)
            let used = try await other.run(["init", "--server", server.url, "--code", code])
            #expect(used.status == ExitStatus.refused.rawValue, "\(used)")
            #expect(used.errors.contains("already used"))
            try await server.stop()
        }

        /// Two copies of one device's home recording different events: the second to sync is told which
        /// event conflicts and why, exits 3, and its log is left as it was.
        @Test func aCopiedHomeFolderConflicts() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Copied Laptop")
            let copy = ReporterLaptop(home: ClientHome(path: laptop.home.path + "-copy"), server: server)
            try FileManager.default.copyItem(atPath: laptop.home.path, toPath: copy.home.path)

            try await laptop.recordBacklog(5)
            #expect(try await laptop.run(["sync"]).status == 0)
            let other = try laptop.station()
            let reference = try require(try CachedReference.load(home: copy.home))
            let elsewhere = reference.data.stations(in: other.national)[2]
            try await copy.recordBacklog(6, at: elsewhere)
            let before = try DurableFile.contents(of: copy.home.log)

            let sync = try await copy.run(["sync"])
            #expect(sync.status == ExitStatus.conflict.rawValue, "\(sync)")
            #expect(sync.errors.contains("conflict at seq 5 (turnout at \(elsewhere.code)"), "\(sync)")
            #expect(sync.errors.contains("The local log was not changed"))
            #expect(try DurableFile.contents(of: copy.home.log) == before)
            let status = try await copy.run(["status", "--json"])
            #expect(status.status == ExitStatus.conflict.rawValue)
            #expect(try JSONParser.parse(status.output)["conflicts"]?[0]?["seq"] == .integer(5))

            // A copy made before the others were synced, with fewer events: the server is ahead of it.
            let stale = ReporterLaptop(home: ClientHome(path: laptop.home.path + "-stale"), server: server)
            try FileManager.default.copyItem(atPath: laptop.home.path, toPath: stale.home.path)
            try FileManager.default.removeItem(atPath: stale.home.log)
            try await stale.recordBacklog(2)
            let behind = try await stale.run(["sync", "--json"])
            #expect(behind.status == ExitStatus.conflict.rawValue)
            #expect(try JSONParser.parse(behind.output)["conflict"]?["reason"] == "server-ahead")
            try await server.stop()
        }

        /// An event the server refuses (here signed past this laptop's checks, as if the rules had changed
        /// since): the sync says which event and why, exits 4, and the events before it are stored.
        @Test func anEventTheServerRefusesIsReported() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Refused Event")
            try await laptop.recordBacklog(2)
            let station = try laptop.station()
            var log = try await laptop.log()
            let time = ObservedTime("2024-02-08T12:00:00+05:00")!
            try log.record(
                EventDraft(
                    payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: station.voters.total + 1)),
                    subject: station.code.rawValue, time: time),
                key: try laptop.key)
            try await laptop.recordBacklog(2)

            let sync = try await laptop.run(["sync"])
            #expect(sync.status == ExitStatus.invalid.rawValue, "\(sync)")
            #expect(sync.errors.contains("the server refused 1 event as invalid"))
            #expect(sync.errors.contains("seq 3 (turnout at \(station.code)"))
            #expect(sync.errors.contains("data.votesCast: \(station.voters.total + 1) is more than the station's"))
            let profile = try laptop.profile
            #expect(try await server.head(of: profile.device, token: profile.token) == 2)
            try await server.stop()
        }

        /// A batch with nothing the server can store (here its only event) is refused whole with 422
        /// `batch-invalid`: the sync reports it exactly as an `invalid` result, and exits 4.
        @Test func aBatchRefusedWholeIsReportedTheSame() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Refused Batch")
            try await laptop.recordBacklog(2)
            #expect(try await laptop.run(["sync"]).status == 0)
            let station = try laptop.station()
            var log = try await laptop.log()
            let time = ObservedTime("2024-02-08T12:00:00+05:00")!
            try log.record(
                EventDraft(
                    payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: station.voters.total + 1)),
                    subject: station.code.rawValue, time: time),
                key: try laptop.key)

            let sync = try await laptop.run(["sync"])
            #expect(sync.status == ExitStatus.invalid.rawValue, "\(sync)")
            #expect(sync.errors.contains("the server refused 1 event as invalid"), "\(sync)")
            #expect(sync.errors.contains("seq 3 (turnout at \(station.code)"))
            #expect(sync.errors.contains("data.votesCast: \(station.voters.total + 1) is more than the station's"))
            let status = try await laptop.run(["status", "--json"])
            #expect(status.status == ExitStatus.invalid.rawValue, "\(status)")
            let profile = try laptop.profile
            #expect(try await server.head(of: profile.device, token: profile.token) == 2)
            try await server.stop()
        }
    }
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
