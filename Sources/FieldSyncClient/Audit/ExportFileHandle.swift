import Foundation

/// An open export file, read and written with plain system calls: positioned reads from the end,
/// appends, truncation and fsync.
///
/// `@unchecked Sendable` because it wraps a C file descriptor: its only state is the descriptor, set once
/// and closed once by its owner (a reader or a writer, each used by one task at a time, though that task
/// may move between threads); the system calls on it are thread-safe.
final class ExportFileHandle: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    init(reading path: String) throws(ExportFileProblem) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ExportFileProblem("cannot open \(path): \(Self.lastError)") }
    }

    /// Opens (or creates) `path` to append to it, first cutting it to `length` bytes.
    init(appendingTo path: String, keeping length: UInt64) throws(ExportFileProblem) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ExportFileProblem("cannot write \(path): \(Self.lastError)") }
        guard ftruncate(descriptor, off_t(length)) == 0, lseek(descriptor, off_t(length), SEEK_SET) >= 0 else {
            let error = Self.lastError
            close(descriptor)
            throw ExportFileProblem("cannot cut \(path) to its last complete line: \(error)")
        }
    }

    func closeFile() {
        close(descriptor)
    }

    func size() throws(ExportFileProblem) -> UInt64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ExportFileProblem("cannot read \(path): \(Self.lastError)") }
        return UInt64(status.st_size)
    }

    /// Up to `count` bytes at `offset`.
    func bytes(at offset: UInt64, count: Int) throws(ExportFileProblem) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = out.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw ExportFileProblem("cannot read \(path): \(Self.lastError)") }
            if got == 0 { break }
            done += got
        }
        out.removeLast(count - done)
        return out
    }

    /// Reads into `buffer` from the current offset; 0 at the end.
    func readChunk(into buffer: UnsafeMutableRawBufferPointer) throws(ExportFileProblem) -> Int {
        while true {
            let got = read(descriptor, buffer.baseAddress!, buffer.count)
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw ExportFileProblem("cannot read \(path): \(Self.lastError)") }
            return got
        }
    }

    /// The offset just after the last line feed before `end` (0 if there is none).
    func endOfLastLine(before end: UInt64) throws(ExportFileProblem) -> UInt64 {
        var chunkEnd = end
        while chunkEnd > 0 {
            let start = chunkEnd > 65_536 ? chunkEnd - 65_536 : 0
            let chunk = try bytes(at: start, count: Int(chunkEnd - start))
            if let index = chunk.lastIndex(of: 0x0a) { return start + UInt64(index) + 1 }
            chunkEnd = start
        }
        return 0
    }

    /// The line that ends (with its line feed) at `end`: its first byte's offset and its bytes without the
    /// line feed; nil when `end` is 0.
    func line(endingAt end: UInt64) throws(ExportFileProblem) -> (start: UInt64, bytes: [UInt8])? {
        guard end > 0 else { return nil }
        let start = try endOfLastLine(before: end - 1)
        return (start, try bytes(at: start, count: Int(end - 1 - start)))
    }

    /// Writes every byte of `bytes` at the end.
    func append(_ bytes: UnsafeRawBufferPointer) throws(ExportFileProblem) {
        var done = 0
        while done < bytes.count {
            let wrote = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw ExportFileProblem("cannot write \(path): \(Self.lastError)") }
            done += wrote
        }
    }

    func append(_ bytes: [UInt8]) throws(ExportFileProblem) {
        // `withUnsafeBytes` rethrows untyped errors: the only one thrown inside is an ExportFileProblem.
        do {
            try bytes.withUnsafeBytes { buffer in try append(buffer) }
        } catch let problem as ExportFileProblem {
            throw problem
        } catch {
            throw ExportFileProblem("cannot write \(path): \(error)")
        }
    }

    /// Makes what was written durable.
    func sync() throws(ExportFileProblem) {
        guard fsync(descriptor) == 0 else { throw ExportFileProblem("cannot sync \(path): \(Self.lastError)") }
    }

    static var lastError: String { String(cString: strerror(errno)) }
}
