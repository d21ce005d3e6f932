import FieldSyncModel

/// One place where two tally documents disagree: which document, which field, and both values.
public struct TallyDifference: Hashable, Sendable, CustomStringConvertible {
    /// The document, in words: `city`, `district West`, `constituency NA-248`, `station NA-248-017`.
    public let document: String
    /// The field inside it: members joined by `.`, array elements as `[index]` or `[key]` (a candidate id,
    /// a station code…); empty for the document as a whole.
    public let path: String
    /// The value the replay computed; nil when the replay has no such field.
    public let replayed: JSONValue?
    /// The value the server gave; nil when the server has no such field.
    public let served: JSONValue?
    /// How many more differences the same document has after this one, left out
    /// (``TallyComparison/firstPerDocument(_:)``); 0 when this is the only one, or all are listed.
    public var more: Int

    public init(document: String, path: String, replayed: JSONValue?, served: JSONValue?, more: Int = 0) {
        self.document = document
        self.path = path
        self.replayed = replayed
        self.served = served
        self.more = more
    }

    /// `constituency NA-248 · stations.reported: replay 3, server 4`, then `(and 2 more in this document)` when
    /// others are left out.
    public var description: String {
        document + (path.isEmpty ? "" : " · " + path) + ": replay " + Self.show(replayed) + ", server "
            + Self.show(served) + (more > 0 ? " (and \(more) more in this document)" : "")
    }

    /// `{"document":…,"path":…,"replay":…,"server":…,"more":…}`, with `null` for an absent value.
    public var jsonValue: JSONValue {
        [
            "document": .string(document), "path": .string(path), "replay": replayed ?? .null,
            "server": served ?? .null, "replayHas": .bool(replayed != nil), "serverHas": .bool(served != nil),
            "more": .integer(Int64(more)),
        ]
    }

    /// A value as compact JSON, cut at 160 characters; `(absent)` for none.
    static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        let text = value.description
        return text.count > 160 ? String(text.prefix(159)) + "…" : text
    }
}
