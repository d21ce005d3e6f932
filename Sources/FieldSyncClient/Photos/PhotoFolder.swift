import FieldSyncModel

/// The profile's photos (`<home>/photos/`): each stored under its SHA-256 (`<home>/photos/<sha256>`),
/// written whole or not at all, and `sent`, the photos the server holds whole, one hash a line,
/// append-only. The log's events name the photos; `fieldsync sync` sends them after the events.
public struct PhotoFolder: Sendable {
    public let home: ClientHome

    public init(home: ClientHome) {
        self.home = home
    }

    /// Where the photo named `photo` is kept.
    public func path(of photo: SHA256Digest) -> String { home.photos + "/" + photo.hex }

    var sentList: String { home.photos + "/sent" }

    /// Copies the photo file at `file` into the folder (once: a photo kept already stays as it is) and
    /// returns what an event says of it. Throws a ``RecordProblem`` of `--photo` when it is no photo.
    public func add(file: String) throws -> PhotoReference {
        func problem(_ text: String) -> RecordProblems {
            RecordProblems([
                RecordProblem("--photo", text, allowed: "a JPEG or PNG photo, at most 8 MiB")
            ])
        }
        guard let bytes = try DurableFile.contents(of: file) else { throw problem("\(file) does not exist") }
        let photo: PhotoReference
        do {
            photo = try PhotoReference(of: bytes)
        } catch {
            throw problem("\(file): \(error)")
        }
        try DurableFile.makeFolder(home.photos)
        if !DurableFile.exists(path(of: photo.sha256)) { try DurableFile.replace(path(of: photo.sha256), with: bytes) }
        return photo
    }

    /// The bytes of a photo kept here; nil when it is not (or no longer) here.
    public func bytes(of photo: SHA256Digest) throws -> [UInt8]? {
        try DurableFile.contents(of: path(of: photo))
    }

    /// The photos the server holds whole, as far as this device knows.
    public func sent() throws -> Set<SHA256Digest> {
        guard let bytes = try DurableFile.contents(of: sentList) else { return [] }
        return Set(bytes.split(separator: 0x0a).compactMap { SHA256Digest(hex: String(decoding: $0, as: UTF8.self)) })
    }

    /// Notes that the server holds `photo` whole.
    public func markSent(_ photo: SHA256Digest) throws {
        try DurableFile.makeFolder(home.photos)
        try DurableFile.append(Array((photo.hex + "\n").utf8), to: sentList)
    }

    /// The photos the log's events name that the server does not hold yet, oldest first.
    public func pending(in log: LocalLog) throws -> [NamedPhoto] {
        let sent = try sent()
        return NamedPhoto.named(in: log.entries.map(\.event)).filter { !sent.contains($0.photo.sha256) }
    }
}
