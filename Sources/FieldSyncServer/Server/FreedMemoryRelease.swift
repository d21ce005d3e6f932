import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Hands the memory the server freed back to the system, every ``interval``, until the service group
/// shuts down (`fieldsync serve` runs one).
///
/// glibc's allocator keeps freed pages for reuse, and a burst of large documents (every seat's tally
/// read at once, a long catch-up) leaves the process at that peak for good: at a million events, 150 of
/// the 455 MiB it held after every seat document was read were free memory kept this way, returned at
/// once by `malloc_trim`. Where there is no `malloc_trim` (another C library) this does nothing.
public struct FreedMemoryRelease: Service {
    /// How long between two releases.
    public let interval: Duration
    /// What releasing is: ``returnFreedPages()`` unless given.
    let release: @Sendable () -> Void

    public init(interval: Duration = .seconds(10)) {
        self.init(interval: interval, release: Self.returnFreedPages)
    }

    /// A service that calls `release` every `interval` instead of returning freed pages (for tests).
    init(interval: Duration, release: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.release = release
    }

    /// glibc's `malloc_trim`, found at run time: its header is not part of Swift's Glibc module. Nil
    /// where the C library has none.
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Returns the freed pages of the allocator's heaps to the system (`malloc_trim(0)`); nothing without it.
    @Sendable static func returnFreedPages() {
        _ = mallocTrim?(0)
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil { release() }
        }
    }
}
