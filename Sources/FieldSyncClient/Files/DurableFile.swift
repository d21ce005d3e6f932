#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the reporter's home needs, each durable when it returns: appends are
/// fsync'd (and the folder too when the file is new), replacements are atomic (temporary file, fsync,
/// rename, fsync of the folder).
///
/// Plain POSIX calls, so that what reaches the disk, and when, is never left to a buffering layer.
public enum DurableFile {
    /// The whole content of a file; nil when it does not exist.
    public static func contents(of path: String) throws(ClientFileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw ClientFileError(path: path, action: "open", errno: errno)
        }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var info = stat()
        if fstat(descriptor, &info) == 0 { bytes.reserveCapacity(Int(info.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ClientFileError(path: path, action: "read", errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The size of the file at `path`; nil when it does not exist.
    public static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// The permission bits of `path` (such as 0o600); nil when it does not exist.
    public static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Appends `bytes` at the end of the file, creating it with `mode` if needed, and returns once they
    /// are on disk: the file is fsync'd, and so is its folder when the file was created.
    public static func append(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(ClientFileError) {
        var created = false
        var descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if descriptor < 0 && errno == ENOENT {
            descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            created = descriptor >= 0
            if descriptor < 0 && errno == EEXIST { descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC) }
        }
        guard descriptor >= 0 else { throw ClientFileError(path: path, action: "open", errno: errno) }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, path: path)
        guard fsync(descriptor) == 0 else { throw ClientFileError(path: path, action: "fsync", errno: errno) }
        if created { try syncFolder(of: path) }
    }

    /// Replaces the file at `path` with `bytes` atomically: a reader sees the old content or the new,
    /// never a mix, even after a crash. Written to a temporary file beside it, fsync'd, renamed over it,
    /// and the folder fsync'd.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws(ClientFileError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw ClientFileError(path: temporary, action: "create", errno: errno) }
        do throws(ClientFileError) {
            try writeAll(bytes, to: descriptor, path: temporary)
            guard fchmod(descriptor, mode) == 0 else {
                throw ClientFileError(path: temporary, action: "chmod", errno: errno)
            }
            guard fsync(descriptor) == 0 else { throw ClientFileError(path: temporary, action: "fsync", errno: errno) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ClientFileError(path: path, action: "rename", errno: code)
        }
        try syncFolder(of: path)
    }

    /// Creates a file that must not exist yet, with `bytes` and `mode`, durably.
    public static func create(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws(ClientFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw ClientFileError(path: path, action: "create", errno: errno) }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, path: path)
        guard fchmod(descriptor, mode) == 0 else { throw ClientFileError(path: path, action: "chmod", errno: errno) }
        guard fsync(descriptor) == 0 else { throw ClientFileError(path: path, action: "fsync", errno: errno) }
        try syncFolder(of: path)
    }

    /// Cuts the file at `path` to `length` bytes, durably.
    public static func truncate(_ path: String, to length: Int) throws(ClientFileError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ClientFileError(path: path, action: "open", errno: errno) }
        defer { close(descriptor) }
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw ClientFileError(path: path, action: "truncate", errno: errno)
        }
        guard fsync(descriptor) == 0 else { throw ClientFileError(path: path, action: "fsync", errno: errno) }
    }

    /// Makes the folder (and its parents) if missing, and gives it `mode`.
    public static func makeFolder(_ path: String, mode: mode_t = 0o700) throws(ClientFileError) {
        var info = stat()
        if stat(path, &info) != 0 {
            let parent = folder(of: path)
            if parent != path && !parent.isEmpty && !exists(parent) { try makeFolder(parent, mode: 0o755) }
            if mkdir(path, mode) != 0 && errno != EEXIST {
                throw ClientFileError(path: path, action: "create the folder", errno: errno)
            }
            try syncFolder(of: path)
        }
        guard chmod(path, mode) == 0 else { throw ClientFileError(path: path, action: "chmod", errno: errno) }
    }

    /// Renames `from` to `to` (same file system), and fsyncs the destination's folder.
    public static func move(_ from: String, to: String) throws(ClientFileError) {
        guard rename(from, to) == 0 else { throw ClientFileError(path: from, action: "move", errno: errno) }
        try syncFolder(of: to)
        if folder(of: from) != folder(of: to) { try syncFolder(of: from) }
    }

    /// Removes a file, durably; nothing happens if there is none.
    public static func remove(_ path: String) throws(ClientFileError) {
        if unlink(path) != 0 {
            if errno == ENOENT { return }
            throw ClientFileError(path: path, action: "remove", errno: errno)
        }
        try syncFolder(of: path)
    }

    /// fsyncs the folder holding `path`, so that a file created or renamed in it survives a crash.
    public static func syncFolder(of path: String) throws(ClientFileError) {
        let parent = folder(of: path)
        let descriptor = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ClientFileError(path: parent, action: "open the folder", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw ClientFileError(path: parent, action: "fsync the folder", errno: errno)
        }
    }

    /// The folder part of a path: everything before its last slash.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(ClientFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw ClientFileError(path: path, action: "write", errno: errno)
            }
            offset += written
        }
    }
}

/// A file operation of the reporter's home failed: which file, what was being done, and why.
public struct ClientFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var action: String
    public var code: Int32

    public init(path: String, action: String, errno code: Int32) {
        self.path = path
        self.action = action
        self.code = code
    }

    public var description: String {
        "cannot \(action) \(path): \(String(cString: strerror(code)))"
    }
}
