/// What the server did with a bundle (`POST /v1/bundles`, `fieldsync admin import`): for each author, how
/// many of its events were stored now and how many it held already; the photos stored now and those held
/// already; and the global head after the events.
public struct BundleAnswer: Sendable, Hashable {
    /// One author's events.
    public struct Author: Sendable, Hashable, Codable {
        public var device: String
        public var firstSeq: Int64
        public var lastSeq: Int64
        public var appended: Int
        public var duplicates: Int

        public init(device: String, firstSeq: Int64, lastSeq: Int64, appended: Int, duplicates: Int) {
            self.device = device
            self.firstSeq = firstSeq
            self.lastSeq = lastSeq
            self.appended = appended
            self.duplicates = duplicates
        }
    }

    public var authors: [Author]
    public var photosStored: Int
    public var photosHeld: Int
    /// The last position of the log once the bundle's events were stored.
    public var position: Int64

    public init(authors: [Author], photosStored: Int, photosHeld: Int, position: Int64) {
        self.authors = authors
        self.photosStored = photosStored
        self.photosHeld = photosHeld
        self.position = position
    }

    public var appended: Int { authors.reduce(0) { $0 + $1.appended } }
    public var duplicates: Int { authors.reduce(0) { $0 + $1.duplicates } }

    /// `{"appended", "duplicates", "photosStored", "photosHeld", "position", "authors": [{"device",
    /// "firstSeq", "lastSeq", "appended", "duplicates"}]}`.
    public var jsonValue: JSONValue {
        [
            "appended": .integer(Int64(appended)), "duplicates": .integer(Int64(duplicates)),
            "photosStored": .integer(Int64(photosStored)), "photosHeld": .integer(Int64(photosHeld)),
            "position": .integer(position),
            "authors": .array(
                authors.map { author in
                    [
                        "device": .string(author.device), "firstSeq": .integer(author.firstSeq),
                        "lastSeq": .integer(author.lastSeq), "appended": .integer(Int64(author.appended)),
                        "duplicates": .integer(Int64(author.duplicates)),
                    ]
                }),
        ]
    }

    /// `stored 12 events of 2 devices (3 already there), 2 photos`: in one line.
    public var summary: String {
        var text = "stored \(appended) new event\(appended == 1 ? "" : "s") of \(authors.count) device"
        text += authors.count == 1 ? "" : "s"
        if duplicates > 0 { text += " (\(duplicates) already there)" }
        text += ", \(photosStored) photo\(photosStored == 1 ? "" : "s")"
        if photosHeld > 0 { text += " (\(photosHeld) already there)" }
        return text + "; the log now ends at position \(position)"
    }
}

extension BundleAnswer: Decodable {
    private enum CodingKeys: String, CodingKey { case authors, photosStored, photosHeld, position }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            authors: try members.decode([Author].self, forKey: .authors),
            photosStored: try members.decode(Int.self, forKey: .photosStored),
            photosHeld: try members.decode(Int.self, forKey: .photosHeld),
            position: try members.decode(Int64.self, forKey: .position))
    }
}
