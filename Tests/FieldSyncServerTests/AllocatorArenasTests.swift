import Foundation
import Testing

@testable import FieldSyncServer

/// The server limits glibc's allocator to a few arenas, unless the environment already says how many.
@Suite struct AllocatorArenasTests {
    @Test func theLimitIsSetUnlessTheEnvironmentSetsOne() {
        // The environment's MALLOC_ARENA_MAX stands: nothing is set.
        #expect(!AllocatorArenas.limit(to: 1, environment: ["MALLOC_ARENA_MAX": "4"]))
        #if canImport(Glibc)
        // glibc has mallopt. Set here to glibc's own default, eight per core, so that the test process
        // allocates as it always has.
        #expect(AllocatorArenas.mallopt != nil)
        #expect(AllocatorArenas.limit(to: 8 * ProcessInfo.processInfo.activeProcessorCount, environment: [:]))
        #endif
    }
}
