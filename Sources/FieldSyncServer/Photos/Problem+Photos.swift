import FieldSyncModel

/// The answers to photos that cannot be stored: each names the photo, and what differs.
extension Problem {
    /// A problem about `photo`, with its members.
    init(_ kind: Kind, _ detail: String, photo: ProblemDetails.PhotoMembers) {
        self.init(kind, detail)
        self.photo = photo
    }

    /// 409 `photo-not-named`: no stored event names the photo.
    static func photoNotNamed(_ photo: SHA256Digest) -> Problem {
        Problem(
            .photoNotNamed,
            "no stored event names the photo \(photo.hex): push the event that names it first; nothing was stored",
            photo: .init(sha256: photo.hex, named: false))
    }

    /// 422 `photo-mismatch`: what `differs` (sha256, size or type) is `found`, where `expected` was.
    static func photoMismatch(_ photo: SHA256Digest, differs: String, expected: String, found: String) -> Problem {
        Problem(
            .photoMismatch,
            "the photo \(photo.hex): its \(differs) is \(found), where \(expected) was expected; nothing was stored",
            photo: .init(sha256: photo.hex, differs: differs, expected: expected, found: found))
    }

    /// 413 `photo-too-large`.
    static func photoTooLarge(_ photo: SHA256Digest, size: Int) -> Problem {
        Problem(
            .photoTooLarge,
            "the photo \(photo.hex) has \(size) bytes, more than the \(PhotoType.maximumBytes) (8 MiB) a photo may have",
            photo: .init(sha256: photo.hex))
    }

    /// 415 `photo-type-unsupported`: `what` is the stated type or what the first bytes are.
    static func photoTypeUnsupported(_ photo: SHA256Digest, _ what: String) -> Problem {
        Problem(
            .photoTypeUnsupported,
            "the photo \(photo.hex) \(what); send \(PhotoType.allowed), stated in Content-Type",
            photo: .init(sha256: photo.hex))
    }

    /// 409 `photo-upload-offset`: the piece starts at `start`, the bytes held end at `held`.
    static func photoUploadOffset(_ photo: SHA256Digest, start: Int, held: Int) -> Problem {
        Problem(
            .photoUploadOffset,
            "the piece of the photo \(photo.hex) starts at byte \(start), but the server holds \(held) bytes of it: "
                + "send from byte \(held) (or from 0 to start again)",
            photo: .init(sha256: photo.hex, held: Int64(held)))
    }
}
