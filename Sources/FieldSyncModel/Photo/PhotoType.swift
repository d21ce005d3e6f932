/// The media types a photo of a signed sheet may have, told apart by their first bytes (their "magic
/// numbers"), never by a file name or a claimed type.
public enum PhotoType: String, Sendable, Hashable, CaseIterable {
    case jpeg = "image/jpeg"
    case png = "image/png"

    /// The most bytes one photo may have: 8 MiB, enough for a phone's photo of a Form-45 at full size.
    public static let maximumBytes = 8 << 20

    /// `image/jpeg` or `image/png`, for messages.
    public static let allowed = "\"image/jpeg\" or \"image/png\""

    /// What `bytes` start with: JPEG (`FF D8 FF`) or PNG (`89 50 4E 47 0D 0A 1A 0A`); nil for anything else.
    public init?(magic bytes: some Collection<UInt8>) {
        let start = Array(bytes.prefix(8))
        if start.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if start == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            self = .png
        } else {
            return nil
        }
    }

    /// The usual file name extension.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        }
    }
}
