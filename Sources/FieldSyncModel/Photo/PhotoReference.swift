/// What an event says of the photo behind it: the SHA-256 of its bytes, and, in events written since
/// photos travel to the server, their number and media type. The bytes themselves travel after the
/// events (`PUT /v1/photos/{sha256}`, see PROTOCOL.md) and are stored once, under the hash.
public struct PhotoReference: Sendable, Hashable {
    public var sha256: SHA256Digest
    /// The number of bytes; nil in events written before photos were uploaded.
    public var size: Int?
    /// The media type; nil in events written before photos were uploaded.
    public var type: PhotoType?

    public init(sha256: SHA256Digest, size: Int? = nil, type: PhotoType? = nil) {
        self.sha256 = sha256
        self.size = size
        self.type = type
    }

    /// The reference to `bytes`, checked: a JPEG or PNG of 1 to ``PhotoType/maximumBytes`` bytes.
    public init(of bytes: [UInt8]) throws(PhotoProblem) {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= PhotoType.maximumBytes else { throw .tooLarge(bytes.count) }
        guard let type = PhotoType(magic: bytes) else { throw .notAnImage }
        self.init(sha256: .hash(bytes), size: bytes.count, type: type)
    }
}

/// Why bytes cannot be a photo of a signed sheet.
public enum PhotoProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case tooLarge(Int)
    case notAnImage

    public var description: String {
        switch self {
        case .empty: "the file is empty"
        case .tooLarge(let size):
            "the file has \(size) bytes, more than the \(PhotoType.maximumBytes) (8 MiB) a photo may have"
        case .notAnImage: "the file is neither a JPEG nor a PNG image (by its first bytes)"
        }
    }
}
