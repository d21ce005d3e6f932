import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    /// A sync cut short at any point, then run again: nothing lost, nothing stored twice.
    @Suite struct InterruptedSync {
        /// A proxy that drops the connection mid-request, then mid-answer (the server stored the batch but
        /// the receipt never arrived), then mid-request again. The one sync retries through all three.
        @Test func connectionsCutMidRequestAndMidAnswer() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Cut Connection")
            try await laptop.recordBacklog(2_000)
            let proxy = try FaultProxy(
                upstreamPort: server.port,
                faults: [
                    .cutUpstream(afterBytes: 150_000), .cutDownstream(afterBytes: 3_000),
                    .cutUpstream(afterBytes: 400_000),
                ])
            defer { proxy.stop() }
            try laptop.useServer(proxy.url)

            let sync = try await laptop.run(["sync", "--json", "--batch-size", "500", "--give-up-after", "600s"])
            #expect(sync.status == 0, "\(sync)")
            #expect(proxy.injected == 3)
            let report = try JSONParser.parse(sync.output)
            // The batch whose answer was lost was stored all the same: sent again, it came back as 500
            // duplicates, with a receipt.
            #expect(report["appended"] == .integer(1_500), "\(report)")
            #expect(report["duplicates"] == .integer(500), "\(report)")
            #expect((report["retries"]?.integerValue ?? 0) >= 3)
            #expect(sync.errors.contains("trying again"))

            let stored = try await server.export()
            try await expectServerHoldsExactlyOnce(laptop, stored)
            expectChainIntact(stored)
            let status = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(status["receiptedSeq"] == .integer(2_000))

            let again = try await laptop.run(["sync"])
            #expect(again.status == 0)
            #expect(again.output.hasPrefix("Up to date"), "\(again)")
            try await server.stop()
        }

        /// The server process killed (SIGKILL) in the middle of a sync and started again: the running sync
        /// backs off (or its HTTP client waits to connect again), finds the server back, and finishes.
        @Test func serverKilledMidBatchAndRestarted() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Server Crash")
            try await laptop.recordBacklog(5_000)
            let profile = try laptop.profile

            // The bound only guards a hang: a loaded machine may take minutes to start the server again.
            let sync = try laptop.start(["sync", "--batch-size", "50", "--give-up-after", "600s"])
            try await waitUntil("500 events stored") {
                try await server.head(of: profile.device, token: profile.token) >= 500
            }
            let heldBeforeCrash = try await server.head(of: profile.device, token: profile.token)
            try await server.stop(signal: SIGKILL)
            #expect(heldBeforeCrash < 5_000, "the sync finished before the server was killed")
            try await Task.sleep(for: .seconds(2))
            #expect(sync.isRunning, "the sync gave up or finished while the server was down")
            try await server.start()

            let outcome = try await sync.wait()
            #expect(outcome.status == 0, "\(outcome)")
            let stored = try await server.export()
            try await expectServerHoldsExactlyOnce(laptop, stored)
            expectChainIntact(stored)

            let again = try await laptop.run(["sync"])
            #expect(again.status == 0)
            #expect(again.output.hasPrefix("Up to date"), "\(again)")
            try await server.stop()
        }

        /// The sync itself killed (SIGKILL) mid-way, then run again.
        @Test func syncKilledAndRunAgain() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Dead Battery")
            try await laptop.recordBacklog(5_000)
            let profile = try laptop.profile

            let sync = try laptop.start(["sync", "--batch-size", "50"])
            try await waitUntil("1,000 events stored") {
                try await server.head(of: profile.device, token: profile.token) >= 1_000
            }
            sync.signal(SIGKILL)
            _ = try await sync.wait()
            // A batch the sync had sent whole may still be stored after it died: read the head once it
            // has stopped moving for longer than a loaded machine takes to store a batch of 50.
            var held = try await server.head(of: profile.device, token: profile.token)
            while true {
                try await Task.sleep(for: .seconds(5))
                let now = try await server.head(of: profile.device, token: profile.token)
                if now == held { break }
                held = now
            }
            #expect(held < 5_000, "the sync finished before it was killed")

            let again = try await laptop.run(["sync", "--json"])
            #expect(again.status == 0, "\(again)")
            let report = try JSONParser.parse(again.output)
            #expect((report["appended"]?.integerValue ?? 0) == 5_000 - held)
            let stored = try await server.export()
            try await expectServerHoldsExactlyOnce(laptop, stored)
            expectChainIntact(stored)
            let status = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(status["receiptedSeq"] == .integer(5_000))
            try await server.stop()
        }

        /// A backlog larger than the server takes from one device at once: pushes refused with 429
        /// `push-rate-limited` are tried again after a while, and the one sync finishes.
        @Test func aSyncBeyondThePushRateWaitsAndFinishes() async throws {
            // 1,000 events of burst, then 20 a second: the third batch of 500 waits 25 s for its tokens, far
            // longer than a busy machine takes to send the first two, so the 429 comes whatever the load.
            let server = try await ServerUnderTest.start(options: ["--push-rate", "20", "--push-burst", "1000"])
            let laptop = try await ReporterLaptop.enroll(on: server, name: "Long Day Offline")
            try await laptop.recordBacklog(1_500)
            let sync = try await laptop.run(["sync", "--json", "--batch-size", "500", "--give-up-after", "600s"])
            #expect(sync.status == 0, "\(sync)")
            let report = try JSONParser.parse(sync.output)
            #expect(report["appended"] == .integer(1_500), "\(report)")
            #expect((report["retries"]?.integerValue ?? 0) >= 1, "\(report)")
            #expect(sync.errors.contains("429"), "\(sync)")
            let stored = try await server.export()
            try await expectServerHoldsExactlyOnce(laptop, stored)
            try await server.stop()
        }

        /// Nothing answers at all: the sync gives up after the bound, says so, and exits 2.
        @Test func nothingReachableGivesUpWithItsExitCode() async throws {
            let server = try await ServerUnderTest.start()
            let laptop = try await ReporterLaptop.enroll(on: server, name: "No Network")
            try await laptop.recordBacklog(10)
            try await server.stop()
            // A sync that never gave up would run into the run's timeout.
            let sync = try await laptop.run(["sync", "--give-up-after", "3s"])
            #expect(sync.status == ExitStatus.unreachable.rawValue, "\(sync)")
            #expect(sync.errors.contains("gave up after"))
            #expect(sync.errors.contains("Nothing is lost"))
            let status = try JSONParser.parse(try await laptop.run(["status", "--json"]).output)
            #expect(status["pending"] == .integer(10))
            #expect(status["lastOutcome"] == "unreachable")
        }
    }
}
