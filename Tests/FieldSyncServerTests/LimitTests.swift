import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import NIOHTTP1
import Testing

@testable import FieldSyncServer

/// The push rate, the exports at once and the conflicts recorded per device, over real HTTP.
@Suite struct LimitTests {
    /// A device pushing beyond its rate is refused whole with 429 and `Retry-After`, before anything is
    /// checked or stored, and again until its bucket refills. Other devices are not held up.
    @Test func pushesBeyondADevicesRateAreRefusedWithRetryAfter() async throws {
        var configuration = ServerConfiguration(maximumBatchEvents: 10)
        // A refill so slow that no stall of a busy machine between the two pushes refills the bucket: 10
        // events take 1,000 s. That a refused device is served again once the bucket refills is shown with
        // the bucket's own clock (TokenBucketTests), not by waiting here.
        configuration.pushEventsPerSecond = 0.01
        configuration.pushBurstEvents = 10
        try await TestServer.with(configuration) { server in
            var fast = try await server.enroll(name: "Fast")
            var other = try await server.enroll(name: "Other")
            let burst = (0..<10).map { fast.nextTurnout(votes: 10 + $0, minute: $0) }
            #expect(TestServer.outcomes(try await server.push(burst, as: fast)).allSatisfy { $0 == "appended" })
            let before = try await StoreFootprint.of(server)

            let next = (10..<20).map { fast.nextTurnout(votes: 10 + $0, minute: $0) }
            let refused = try await server.push(next, as: fast)
            refused.expectProblem(
                429, "push-rate-limited", mentioning: ["\(fast.device)", "0.01 a second", "bursts of 10", "10"],
                "a push beyond the rate")
            let wait = try #require(refused.headers.first(name: "retry-after").flatMap { Int($0) })
            #expect((1...1000).contains(wait))
            #expect(try await StoreFootprint.of(server) == before)

            // Another device is not held back by this one's rate; the refused device still is.
            let others = try await server.push([other.nextTurnout()], as: other)
            #expect(TestServer.outcomes(others) == ["appended"])
            let again = try await server.push(next, as: fast)
            #expect(again.status == 429, "\(again.text)")
        }
    }

    /// With every export slot held by an export that is still being sent, the next is refused with 503
    /// and `Retry-After`; once one ends, exports are served again.
    @Test func exportsBeyondTheLimitAreRefusedWithRetryAfter() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumConcurrentExports = 2
        try await TestServer.with(configuration) { server in
            let auditor = try await server.enroll(.auditor, sendKey: false)
            // A log of several MB, so that an export read by nobody stays unfinished.
            var reporter = try await server.enroll()
            for batch in 0..<10 {
                let events = (0..<1000).map { reporter.nextTurnout(votes: $0, minute: batch * 1000 + $0) }
                _ = try await server.server.events.append(events.map(EventRecord.init(event:)))
            }
            var stalled = [RawConnection]()
            for _ in 0..<2 {
                let export = try RawConnection(to: server.url, receiveBuffer: 4096)
                export.get("/v1/events", token: auditor.token)
                stalled.append(export)
            }
            try await waitUntil("both exports under way") { server.server.exports.inUse >= 2 }
            #expect(server.server.exports.inUse == 2)

            let busy = try await HTTP.get(server.url + "/v1/events", token: auditor.token)
            busy.expectProblem(503, "exports-busy", mentioning: ["2 exports"], "a third export")
            #expect(busy.headers.first(name: "retry-after") == "10")

            stalled.removeAll()
            try await waitUntil("the stalled exports' slots given back") { server.server.exports.inUse == 0 }
            let served = try await HTTP.get(server.url + "/v1/events?after=10000", token: auditor.token)
            #expect(served.status == 200)
            // Its slot is given back once its answer is written whole.
            try await waitUntil("the served export's slot given back") { server.server.exports.inUse == 0 }
        }
    }

    /// Conflicts are recorded up to the device's allowance; beyond it they are answered as conflicts all
    /// the same, not recorded, and counted in the metrics.
    @Test func conflictsBeyondADevicesAllowanceAreCountedNotRecorded() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumRecordedConflictsPerDevice = 2
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            _ = try await server.push([reporter.nextTurnout(votes: 10)], as: reporter)
            let forks = try (0..<5).map { votes in
                var fork = DeviceChain(device: reporter.device)
                return try fork.sign(TestDevice.turnoutDraft(votes: 20 + votes), key: reporter.key)
            }
            for fork in forks {
                let answer = try await server.push([fork], as: reporter)
                #expect(TestServer.outcomes(answer) == ["conflict"])
            }
            #expect(try await server.server.events.conflicts(device: reporter.device.rawValue).count == 2)
            let metrics = try await server.metrics()
            #expect(metrics.contains("fieldsync_conflicts_not_recorded_total 3"), "\(metrics)")
        }
    }
}
