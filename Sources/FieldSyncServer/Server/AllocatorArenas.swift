import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How many heaps (arenas) glibc's allocator keeps for the server's threads.
///
/// glibc gives the threads of a process up to eight arenas per core, and each arena keeps its own free
/// memory. The server's threads are many (the concurrency pool, the event loops, one per database
/// connection), each allocating in the arena it last used, so the free room of a dozen arenas adds up:
/// with the national reference data and a slice of its day, one arena per core held about 30 MiB less
/// than glibc's default, idle and after the slice alike, and was no slower, nor were the live streams.
/// ``FreedMemoryRelease`` returns whole free pages; this keeps fewer arenas to fragment in the first place.
public enum AllocatorArenas {
    /// glibc's `mallopt`, found at run time as ``FreedMemoryRelease/mallocTrim`` is. Nil where the C
    /// library has none.
    static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// glibc's `M_ARENA_MAX` parameter of `mallopt`.
    static let arenaMaximum: Int32 = -8

    /// Keeps at most `count` arenas (one per core unless given) from now on, unless `MALLOC_ARENA_MAX` is set
    /// in the environment, which glibc reads itself and which then stands. Called first thing, before the
    /// server's threads start allocating. Returns whether the limit was set.
    @discardableResult
    public static func limit(
        to count: Int = ProcessInfo.processInfo.activeProcessorCount,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        guard environment["MALLOC_ARENA_MAX"] == nil, let mallopt else { return false }
        return mallopt(arenaMaximum, Int32(clamping: max(1, count))) == 1
    }
}
