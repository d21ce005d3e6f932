import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Hands the memory the server freed back to the system, every ``interval``.
///
/// glibc's allocator keeps freed pages for reuse, and a burst of large documents (every seat's tally
/// read at once, a long catch-up) leaves the process at that peak for good: at a million events, 150 of
/// the 455 MiB it held after every seat document was read were free memory kept this way, returned at
/// once by `malloc_trim`. Where there is no `malloc_trim` (another C library) this does nothing.
struct FreedMemoryRelease: Service {
    var interval: Duration = .seconds(10)

    /// glibc's `malloc_trim`, found at run time: its header is not part of Swift's Glibc module.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    func run() async {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil { _ = Self.mallocTrim?(0) }
        }
    }
}
