import FieldSyncModel
import Foundation

/// The server's Ed25519 signing key, kept as PKCS#8 PEM in `<data-dir>/server-key.pem` (mode 0600).
///
/// Made on first start. The key signs the server's own events (its identity, reference data,
/// enrollments, revocations), chain heads and receipts: losing it means starting a new log.
public enum ServerKeyFile {
    public static let fileName = "server-key.pem"

    /// The key file's path in a data folder.
    public static func path(in dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(fileName)
    }

    /// Reads the key at `path`, making it (and its folder) when there is none.
    public static func loadOrCreate(at path: String) throws -> SigningKey {
        if FileManager.default.fileExists(atPath: path) { return try load(at: path) }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        let key = SigningKey.generate()
        // O_EXCL: should two processes race to make the key, one wins and the other reads its key.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return try load(at: path) }
            throw ServerKeyError("cannot make the server key \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(key.pemRepresentation.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else {
            unlink(path)
            throw ServerKeyError("cannot write the server key \(path)")
        }
        return key
    }

    /// Reads an existing key file; refuses one that others than its owner may read.
    public static func load(at path: String) throws -> SigningKey {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ServerKeyError("cannot read the server key \(path): \(error.localizedDescription)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 {
            throw ServerKeyError(
                "the server key \(path) may be read by others (mode \(String(mode, radix: 8))): chmod 600 \(path)")
        }
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServerKeyError("cannot read the server key \(path)")
        }
        do {
            return try SigningKey(pemRepresentation: pem)
        } catch {
            throw ServerKeyError("the server key \(path) is not an Ed25519 PEM private key: \(error)")
        }
    }
}

/// The server key file cannot be made or read.
public struct ServerKeyError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
