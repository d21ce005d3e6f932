import FieldSyncModel

/// The photos an exported log names, and a folder of them (`audit export --photos DIR`, `audit verify
/// --photos DIR`): each photo in `DIR/<sha256>`, checked against its name and, when the event states
/// them, its size and type (PROTOCOL.md §16).
public struct PhotoFolderCheck: Sendable {
    /// A photo an event of the log names: the first event's position.
    public struct Named: Sendable, Hashable {
        public var position: Int64
        public var photo: PhotoReference
    }

    /// What is wrong with one photo of the folder.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public var named: Named
        public var problem: String

        public var description: String {
            "photo \(named.photo.sha256.hex) (named at position \(named.position)): \(problem)"
        }
    }

    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// Where the photo is kept in the folder.
    public func path(of photo: SHA256Digest) -> String { folder + "/" + photo.hex }

    /// The photos the events of the export file at `path` name, each once, in log order.
    public static func named(inExport path: String) throws -> [Named] {
        var seen = Set<SHA256Digest>()
        var named: [Named] = []
        try ExportFileReader(path: path).forEachLine { _, line, complete in
            guard complete, let stored = try? StoredEvent(line: line),
                let photo = NamedPhoto.photo(of: stored.event.payload), seen.insert(photo.sha256).inserted
            else { return true }
            named.append(Named(position: stored.position, photo: photo))
            return true
        }
        return named
    }

    /// What is wrong with `bytes` as the photo `named`; nil when nothing is.
    public static func problem(with bytes: [UInt8], as named: PhotoReference) -> String? {
        let hash = SHA256Digest.hash(bytes)
        guard hash == named.sha256 else { return "its bytes hash to \(hash.hex)" }
        if let size = named.size, size != bytes.count {
            return "it has \(bytes.count) bytes, where the event says \(size)"
        }
        let type = PhotoType(magic: bytes)
        if let stated = named.type, stated != type {
            return "it is \(type?.rawValue ?? "neither a JPEG nor a PNG"), where the event says \(stated.rawValue)"
        }
        return nil
    }

    /// Every photo of `named` that is missing from the folder or wrong there.
    public func findings(_ named: [Named]) throws -> [Finding] {
        try named.compactMap { item in
            guard let bytes = try DurableFile.contents(of: path(of: item.photo.sha256)) else {
                return Finding(named: item, problem: "missing from \(folder)")
            }
            return Self.problem(with: bytes, as: item.photo).map { Finding(named: item, problem: $0) }
        }
    }

    /// Whether the folder holds `photo` already, right.
    public func holds(_ photo: PhotoReference) throws -> Bool {
        guard let bytes = try DurableFile.contents(of: path(of: photo.sha256)) else { return false }
        return Self.problem(with: bytes, as: photo) == nil
    }
}
