import FieldSyncModel
import Foundation

/// Random secrets from the kernel's generator, base64url-encoded.
enum Base64URLRandom {
    static func make(byteCount: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: byteCount)
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        precondition(descriptor >= 0, "/dev/urandom is not readable")
        defer { close(descriptor) }
        var filled = 0
        while filled < byteCount {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, byteCount - filled) }
            precondition(count > 0, "/dev/urandom gave no bytes")
            filled += count
        }
        return Base64URL.encode(bytes)
    }
}
