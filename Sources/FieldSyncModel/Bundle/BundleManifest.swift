/// The first line of a bundle: what it holds, so that a reader can check it before trusting any of it.
/// See PROTOCOL.md, "Bundles".
public struct BundleManifest: Sendable, Hashable {
    /// `fieldsync-bundle`, the manifest's `format`.
    public static let format = "fieldsync-bundle"
    /// The only version this program writes and reads.
    public static let version: Int64 = 1

    /// Each author's range of events, ordered by device id.
    public var authors: [BundleAuthor]
    /// The photos, in the order of the first event that names each; each with its size and type.
    public var photos: [PhotoReference]
    /// The number of bytes after the manifest's line.
    public var contentBytes: Int64
    /// The SHA-256 of those bytes.
    public var contentSha256: SHA256Digest

    public init(authors: [BundleAuthor], photos: [PhotoReference], contentBytes: Int64, contentSha256: SHA256Digest) {
        self.authors = authors
        self.photos = photos
        self.contentBytes = contentBytes
        self.contentSha256 = contentSha256
    }

    /// The number of events, of every author.
    public var events: Int64 { authors.reduce(0) { $0 + $1.events } }

    public var jsonValue: JSONValue {
        [
            "format": .string(Self.format), "version": .integer(Self.version),
            "authors": .array(authors.map(\.jsonValue)), "events": .integer(events),
            "photos": .array(
                photos.map { photo in
                    [
                        "sha256": .string(photo.sha256.hex), "size": .integer(Int64(photo.size ?? 0)),
                        "type": .string(photo.type?.rawValue ?? ""),
                    ]
                }),
            "contentBytes": .integer(contentBytes), "contentSha256": .string(contentSha256.hex),
        ]
    }

    /// Reads a manifest line; an unknown format or version, a missing or mistyped member is `malformed`.
    public init(line: some Collection<UInt8>) throws(BundleProblem) {
        let reader = BundleManifestReader()
        let json: JSONValue
        do {
            json = try JSONParser.parse(line)
        } catch {
            throw reader.malformed("its first line is not a bundle manifest (\(error))")
        }
        let object = try reader.object(json, "the manifest")
        guard object["format"]?.stringValue == Self.format else {
            throw reader.malformed("its first line is not a bundle manifest (format is not \"\(Self.format)\")")
        }
        let version = try reader.integer(object, "version", minimum: 1)
        guard version == Self.version else {
            throw reader.malformed("it is of version \(version); this program reads version \(Self.version)")
        }
        var authors = [BundleAuthor]()
        for author in try reader.array(object, "authors") {
            authors.append(try BundleAuthor(json: author, reader: reader))
        }
        guard Set(authors.map(\.device)).count == authors.count else {
            throw reader.malformed("the manifest lists one author twice")
        }
        var photos = [PhotoReference]()
        for json in try reader.array(object, "photos") {
            let photo = try reader.object(json, "a photo")
            guard let type = PhotoType(rawValue: try reader.string(photo, "type")) else {
                throw reader.malformed("a photo's type is not \(PhotoType.allowed)")
            }
            photos.append(
                PhotoReference(
                    sha256: try reader.hash(photo, "sha256"),
                    size: Int(try reader.integer(photo, "size", minimum: 1, maximum: Int64(PhotoType.maximumBytes))),
                    type: type))
        }
        self.init(
            authors: authors, photos: photos, contentBytes: try reader.integer(object, "contentBytes", minimum: 0),
            contentSha256: try reader.hash(object, "contentSha256"))
        guard try reader.integer(object, "events", minimum: 1) == events else {
            throw reader.malformed("the manifest's events is not the sum of its authors' events")
        }
    }
}

/// Reads the members of a manifest, each fault a `malformed` ``BundleProblem`` naming the member.
struct BundleManifestReader {
    func malformed(_ detail: String) -> BundleProblem {
        BundleProblem(.malformed, "not a bundle this program reads: " + detail)
    }

    func object(_ json: JSONValue, _ what: String) throws(BundleProblem) -> [String: JSONValue] {
        guard let object = json.objectValue else { throw malformed("\(what) is not a JSON object") }
        return object
    }

    func array(_ object: [String: JSONValue], _ member: String) throws(BundleProblem) -> [JSONValue] {
        guard let array = object[member]?.arrayValue else { throw malformed("the manifest has no array \(member)") }
        return array
    }

    func string(_ object: [String: JSONValue], _ member: String) throws(BundleProblem) -> String {
        guard let string = object[member]?.stringValue else { throw malformed("the manifest has no string \(member)") }
        return string
    }

    func integer(
        _ object: [String: JSONValue], _ member: String, minimum: Int64, maximum: Int64 = JSONValue.maxSafeInteger
    ) throws(BundleProblem) -> Int64 {
        guard let value = object[member]?.integerValue, value >= minimum, value <= maximum else {
            throw malformed("the manifest's \(member) is not an integer from \(minimum) to \(maximum)")
        }
        return value
    }

    func hash(_ object: [String: JSONValue], _ member: String) throws(BundleProblem) -> SHA256Digest {
        guard let hash = SHA256Digest(hex: try string(object, member)) else {
            throw malformed("the manifest's \(member) is not 64 lowercase hex digits")
        }
        return hash
    }
}
