import FieldSyncModel

/// The answers to photos that cannot be stored: each names the photo, and what differs.
extension Problem {
    /// 409 `photo-not-named`: no stored event names the photo.
    static func photoNotNamed(_ photo: SHA256Digest) -> Problem {
        Problem(
            .photoNotNamed,
            "no stored event names the photo \(photo.hex): push the event that names it first; nothing was stored",
            extensions: ["sha256": .string(photo.hex)])
    }

    /// 422 `photo-mismatch`: what `differs` (sha256, size or type) is `found`, where `expected` was.
    static func photoMismatch(_ photo: SHA256Digest, differs: String, expected: String, found: String) -> Problem {
        Problem(
            .photoMismatch,
            "the photo \(photo.hex): its \(differs) is \(found), where \(expected) was expected; nothing was stored",
            extensions: [
                "sha256": .string(photo.hex), "differs": .string(differs), "expected": .string(expected),
                "found": .string(found),
            ])
    }

    /// 413 `photo-too-large`.
    static func photoTooLarge(_ photo: SHA256Digest, size: Int) -> Problem {
        Problem(
            .photoTooLarge,
            "the photo \(photo.hex) has \(size) bytes, more than the \(PhotoType.maximumBytes) (8 MiB) a photo may have",
            extensions: ["sha256": .string(photo.hex), "limit": .integer(Int64(PhotoType.maximumBytes))])
    }

    /// 415 `photo-type-unsupported`: `what` is the stated type or what the first bytes are.
    static func photoTypeUnsupported(_ photo: SHA256Digest, _ what: String) -> Problem {
        Problem(
            .photoTypeUnsupported,
            "the photo \(photo.hex) \(what); send \(PhotoType.allowed), stated in Content-Type",
            extensions: ["sha256": .string(photo.hex)])
    }

    /// 409 `photo-upload-offset`: the piece starts at `start`, the bytes held end at `held`.
    static func photoUploadOffset(_ photo: SHA256Digest, start: Int, held: Int) -> Problem {
        Problem(
            .photoUploadOffset,
            "the piece of the photo \(photo.hex) starts at byte \(start), but the server holds \(held) bytes of it: "
                + "send from byte \(held) (or from 0 to start again)",
            extensions: ["sha256": .string(photo.hex), "held": .integer(Int64(held))])
    }
}
