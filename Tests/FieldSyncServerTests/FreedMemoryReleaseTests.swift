import FieldSyncTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import FieldSyncServer

/// The service that hands freed memory back to the system runs every interval while its service group
/// runs, and stops with it.
@Suite struct FreedMemoryReleaseTests {
    /// How many times the service released, shared with its closure.
    final class Releases: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// Runs `service` alone in a service group until `running` returns, then shuts the group down and waits
    /// for it: the group's run returns only once the service has returned.
    static func run(_ service: FreedMemoryRelease, until running: () async throws -> Void) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [service], logger: Logger(label: "fieldsync.test.freed-memory")))
        let task = Task { try await group.run() }
        do {
            try await running()
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }

    @Test(.timeLimit(.minutes(10))) func itReleasesEveryIntervalAndNoLongerOnceItsGroupStops() async throws {
        let releases = Releases()
        try await Self.run(FreedMemoryRelease(interval: .milliseconds(5), release: releases.add)) {
            try await waitUntil("three releases", timeout: .seconds(300)) { releases.value >= 3 }
        }
        let stopped = releases.value
        #expect(stopped >= 3)
        try await Task.sleep(for: .milliseconds(50))
        #expect(releases.value == stopped)
    }

    @Test(.timeLimit(.minutes(10))) func aShutdownDoesNotWaitForTheNextInterval() async throws {
        let releases = Releases()
        // An hour between releases: the group stops at once all the same, and nothing was released.
        try await Self.run(FreedMemoryRelease(interval: .seconds(3600), release: releases.add)) {}
        #expect(releases.value == 0)
    }

    @Test func byDefaultItReturnsFreedPagesEveryTenSeconds() {
        #expect(FreedMemoryRelease().interval == .seconds(10))
        #if canImport(Glibc)
        // glibc has malloc_trim: the default release finds it.
        #expect(FreedMemoryRelease.mallocTrim != nil)
        FreedMemoryRelease.returnFreedPages()
        #endif
    }
}
