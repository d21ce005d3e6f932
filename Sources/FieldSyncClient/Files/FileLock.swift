#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a file of the home, held for the length of a closure, so
/// that two `fieldsync` commands never write the log (or sync) at the same time. The kernel drops the
/// lock when the process dies, however it dies.
public enum FileLock {
    /// Runs `body` holding the lock on `path` (created if missing). Waits for another holder, calling
    /// `waiting` once if the lock is not free at once; gives up after `timeout`.
    public static func withLock<T>(
        _ path: String, timeout: Duration = .seconds(60), waiting: @Sendable () -> Void = {},
        _ body: () async throws -> T
    ) async throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ClientFileError(path: path, action: "open the lock", errno: errno) }
        defer { close(descriptor) }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var told = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw ClientFileError(path: path, action: "lock", errno: errno)
            }
            if !told {
                waiting()
                told = true
            }
            guard clock.now < deadline else { throw LockTimeout(path: path) }
            try await Task.sleep(for: .milliseconds(50))
        }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }
}

/// Another `fieldsync` command held the lock for too long.
public struct LockTimeout: Error, Sendable, CustomStringConvertible {
    public var path: String

    public var description: String {
        "another fieldsync command is still using this profile (lock \(path)); try again when it has finished"
    }
}
