import Foundation

/// An exclusive `flock` on a file, held until released or until the process ends, however it ends.
final class FolderLock: Sendable {
    private let descriptor: Int32

    init(path: String) throws(EmbeddedPostgresError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EmbeddedPostgresError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            let folder = (path as NSString).deletingLastPathComponent
            throw EmbeddedPostgresError("the data folder \(folder) is in use by another fieldsync process")
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
