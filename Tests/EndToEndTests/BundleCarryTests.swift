import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    /// Logs carried by hand with the real program and the real server: `bundle create` on a laptop that
    /// never got online, `bundle push` from a colleague's and from an editor's, `bundle merge` for a
    /// courier, `admin import` on the server's machine; the author's next `sync` keeps the receipts.
    @Suite struct BundleCarry {
        /// A laptop enrolled as `role` (an editor's, say) with the real `fieldsync init`.
        static func enroll(_ role: String, on server: ServerUnderTest, name: String) async throws -> ReporterLaptop {
            let code = try await server.code(role: role, name: name)
            let laptop = ReporterLaptop(
                home: ClientHome(path: server.folder + "/home-" + name.replacingOccurrences(of: " ", with: "-")),
                server: server)
            let outcome = try await laptop.run(["init", "--server", server.url, "--code", code])
            guard outcome.status == 0 else { throw E2EError("init failed: \(outcome)") }
            return laptop
        }

        @Test func aDayThatNeverGotOnlineReachesTheServerThroughAColleagueExactlyOnce() async throws {
            let server = try await ServerUnderTest.start()
            let author = try await ReporterLaptop.enroll(on: server, name: "Offline Reporter")
            let colleague = try await ReporterLaptop.enroll(on: server, name: "Colleague")
            let editor = try await Self.enroll("editor", on: server, name: "Desk Editor")
            try await author.recordBacklog(20)
            let photo = TestPhoto.jpeg(size: 300_000, seed: 17)
            let photoFile = server.folder + "/form45.jpg"
            try Data(photo).write(to: URL(fileURLWithPath: photoFile))
            let recorded = try await PhotoSync.recordResult(author, photo: photoFile)
            #expect(recorded.status == 0, "\(recorded)")

            let file = server.folder + "/day.bundle"
            let created = try await author.run(["bundle", "create", "--out", file])
            #expect(created.status == 0, "\(created)")
            #expect(created.output.contains("seq 1…21") && created.output.contains("1 photo"), "\(created)")

            let carried = try await colleague.run(["bundle", "push", file])
            #expect(carried.status == 0, "\(carried)")
            #expect(carried.output.contains("stored 21 new events of 1 device, 1 photo"), "\(carried)")
            let again = try await editor.run(["bundle", "push", file])
            #expect(again.status == 0, "\(again)")
            #expect(again.output.contains("stored 0 new events") && again.output.contains("21 already there"))
            try await expectServerHoldsExactlyOnce(author, try await server.export())
            let auditor = try await server.auditorToken()
            let stored = try await HTTP.get(server.url + "/v1/photos/\(SHA256Digest.hash(photo).hex)", token: auditor)
            #expect(stored.status == 200 && stored.body == photo)
            let carrier = try colleague.profile.device
            #expect(try await server.export().allSatisfy { $0.event.device != carrier }, "the carrier gains nothing")

            // The author's next sync learns everything is stored and keeps the receipts for it.
            let synced = try await author.run(["sync", "--json"])
            #expect(synced.status == 0, "\(synced)")
            let report = try JSONParser.parse(synced.output)
            #expect(report["appended"] == .integer(0) && report["duplicates"] == .integer(21), "\(report)")
            let status = try JSONParser.parse(try await author.run(["status", "--json"]).output)
            #expect(status["pending"] == .integer(0) && status["photosPending"] == .integer(0), "\(status)")
            #expect(status["receiptedSeq"] == .integer(21), "\(status)")
            let nothing = try await author.run(["bundle", "create", "--out", server.folder + "/empty.bundle"])
            #expect(nothing.status != 0 && nothing.errors.contains("nothing to carry"), "\(nothing)")
            try await expectServerHoldsExactlyOnce(author, try await server.export())
            try await server.stop()
        }

        @Test func mergedBundlesAreImportedOnTheServersMachineAndBrokenOnesRefused() async throws {
            let server = try await ServerUnderTest.start()
            let first = try await ReporterLaptop.enroll(on: server, name: "First Reporter")
            let second = try await ReporterLaptop.enroll(on: server, name: "Second Reporter")
            try await first.recordBacklog(12)
            try await second.recordBacklog(8)
            let one = server.folder + "/first.bundle"
            let two = server.folder + "/second.bundle"
            #expect(try await first.run(["bundle", "create", "--out", one]).status == 0)
            #expect(try await second.run(["bundle", "create", "--out", two]).status == 0)
            let merged = server.folder + "/courier.bundle"
            let joined = try await Program.run(
                ["bundle", "merge", one, two, one, "--out", merged], logFolder: server.folder)
            #expect(joined.status == 0 && joined.output.contains("20 events of 2 devices"), "\(joined)")

            // Cut short on the way: refused, with the reason, and nothing stored.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: merged))
            let cut = server.folder + "/cut.bundle"
            try bytes.prefix(bytes.count - 300).write(to: URL(fileURLWithPath: cut))
            let admin = ["--data-dir", server.dataDirectory, "--database-url", server.databaseURL]
            let refused = try await Program.run(["admin", "import", cut] + admin, logFolder: server.folder)
            #expect(refused.status != 0 && refused.errors.contains("bundle-truncated"), "\(refused)")
            let pushedCut = try await second.run(["bundle", "push", cut])
            #expect(pushedCut.status != 0 && pushedCut.errors.contains("cut short"), "\(pushedCut)")
            let mergedCut = try await Program.run(
                ["bundle", "merge", cut, one, "--out", server.folder + "/x.bundle"], logFolder: server.folder)
            #expect(mergedCut.status != 0 && mergedCut.errors.contains("truncated"), "\(mergedCut)")
            #expect(try await server.export().filter { $0.event.type.isObservation }.isEmpty)

            let imported = try await Program.run(["admin", "import", merged] + admin, logFolder: server.folder)
            #expect(
                imported.status == 0 && imported.output.contains("stored 20 new events of 2 devices"), "\(imported)")
            let stored = try await server.export()
            try await expectServerHoldsExactlyOnce(first, stored)
            try await expectServerHoldsExactlyOnce(second, stored)

            // A second chain for one device is never merged.
            try await first.recordBacklog(1)
            let later = server.folder + "/later.bundle"
            #expect(try await first.run(["bundle", "create", "--out", later]).status == 0)
            let forked = server.folder + "/forked.bundle"
            try FileManager.default.copyItem(atPath: first.home.path, toPath: first.home.path + "-copy")
            let copy = ReporterLaptop(home: ClientHome(path: first.home.path + "-copy"), server: server)
            try FileManager.default.removeItem(atPath: copy.home.path + "/log.ndjson")
            try await first.log().entries.dropLast().map(\.line).reduce(into: [UInt8]()) { $0 += $1 + [0x0a] }
                .write(to: copy.home.path + "/log.ndjson")
            try await copy.recordBacklog(1)
            #expect(try await copy.run(["bundle", "create", "--out", forked]).status == 0)
            let twoChains = try await Program.run(
                ["bundle", "merge", later, forked, "--out", server.folder + "/y.bundle"], logFolder: server.folder)
            #expect(twoChains.status != 0 && twoChains.errors.contains("chains-differ"), "\(twoChains)")
            try await server.stop()
        }
    }
}

extension [UInt8] {
    fileprivate func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
