/// `fieldsync.official.published.v1`: the election commission's published figures for one station's seat
/// (Form-45) or for one seat (Form-47, the returning officer's provisional result; Form-49, the final
/// one), as an editor imported them from the commission's file. Subject: the station code for a Form-45,
/// the seat code for a Form-47 or 49. Made and signed by the server on the request of the editor it names;
/// a later import of the same form for the same station and seat supersedes an earlier one (PROTOCOL.md
/// §13), and both stay in the log.
public struct OfficialResult: ReadablePayload {
    public static let eventType = EventType.officialPublished

    /// The commission's form the figures come from.
    public enum Form: String, CaseIterable, Sendable, Hashable, Comparable {
        /// A polling station's "Result of the Count", one per station and seat.
        case form45 = "45"
        /// The returning officer's provisional consolidated result of a seat.
        case form47 = "47"
        /// The final consolidated result of a seat.
        case form49 = "49"

        /// Whether the form is a station's (45) rather than a whole seat's (47, 49).
        public var isStation: Bool { self == .form45 }

        /// `Form-45`.
        public var name: String { "Form-\(rawValue)" }

        public static func < (lhs: Form, rhs: Form) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The longest source address, in characters.
    public static let maximumSourceLength = 2000

    public var form: Form
    /// The seat the figures are for.
    public var constituency: ConstituencyCode
    /// The station, for a Form-45; nil for a Form-47 or 49.
    public var station: StationCode?
    /// Valid votes per candidate.
    public var votes: [CandidateID: Int]
    /// Rejected ballots.
    public var rejected: Int
    /// All ballots cast: valid votes plus rejected.
    public var totalCast: Int
    /// Where the commission published the file (http or https), if the editor said.
    public var sourceURL: String?
    /// SHA-256 of the file imported, byte for byte.
    public var fileSha256: SHA256Digest
    /// The editor's device.
    public var editor: DeviceID

    public init(
        form: Form, constituency: ConstituencyCode, station: StationCode?, votes: [CandidateID: Int], rejected: Int,
        totalCast: Int, sourceURL: String?, fileSha256: SHA256Digest, editor: DeviceID
    ) {
        self.form = form
        self.constituency = constituency
        self.station = station
        self.votes = votes
        self.rejected = rejected
        self.totalCast = totalCast
        self.sourceURL = sourceURL
        self.fileSha256 = fileSha256
        self.editor = editor
    }

    /// The sum of the candidates' votes.
    public var validVotes: Int { votes.values.reduce(0, +) }

    /// What a later import supersedes: the same form for the same station (Form-45) or seat.
    public var key: Key { Key(form: form, constituency: constituency, station: station) }

    /// The form, seat and station an official result is about.
    public struct Key: Hashable, Sendable {
        public var form: Form
        public var constituency: ConstituencyCode
        public var station: StationCode?

        public init(form: Form, constituency: ConstituencyCode, station: StationCode?) {
            self.form = form
            self.constituency = constituency
            self.station = station
        }
    }

    /// The event's subject: the station for a Form-45, else the seat.
    public var subject: String { station?.rawValue ?? constituency.rawValue }

    /// Whether `text` is a source address this event accepts: `http://` or `https://` and more, on one line
    /// without spaces, at most ``maximumSourceLength`` characters.
    public static func isSourceURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : 0
        return scheme > 0 && text.unicodeScalars.count > scheme && text.unicodeScalars.count <= maximumSourceLength
            && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7f }
    }

    /// What `sourceUrl` allows, in words.
    public static let sourceAllowed = "an http:// or https:// address of at most 2000 characters, without spaces"

    init?(reading reader: inout ObjectReader) {
        let form = reader.choice("form", Form.self)
        let constituency = reader.constituency("constituency")
        let station = reader.station("station", required: form?.isStation == true)
        let votes = reader.votes("votes")
        let rejected = reader.count("rejected")
        let totalCast = reader.count("totalCast")
        let sourceURL = reader.parsed("sourceUrl", required: false, allowed: Self.sourceAllowed) {
            Self.isSourceURL($0) ? $0 : nil
        }
        let fileSha256 = reader.digest("fileSha256")
        let editor = reader.device("editor")
        reader.checkTotal("totalCast", votes: votes, rejected: rejected, totalCast: totalCast)
        if let form, !form.isStation, station != nil {
            reader.fail(
                "station", .notAllowed, "a \(form.name) is a whole seat's result, not a station's",
                allowed: "no station")
        }
        if let station, let constituency, constituency.assembly == .national, station.national != constituency {
            reader.fail(
                "constituency", .notAllowed, "station \(station) votes in \(station.national), not \(constituency)",
                allowed: "\(station.national) or the station's PS seat")
        }
        guard let form, let constituency, let votes, let rejected, let totalCast, let fileSha256, let editor,
            reader.errors.isEmpty
        else { return nil }
        self.init(
            form: form, constituency: constituency, station: station, votes: votes, rejected: rejected,
            totalCast: totalCast, sourceURL: sourceURL, fileSha256: fileSha256, editor: editor)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "form": .string(form.rawValue), "constituency": .string(constituency.rawValue),
            "votes": .object(
                Dictionary(uniqueKeysWithValues: votes.map { ($0.key.rawValue, .integer(Int64($0.value))) })),
            "rejected": .integer(Int64(rejected)), "totalCast": .integer(Int64(totalCast)),
            "fileSha256": .string(fileSha256.hex), "editor": .string(editor.rawValue),
        ]
        if let station { object["station"] = .string(station.rawValue) }
        if let sourceURL { object["sourceUrl"] = .string(sourceURL) }
        return .object(object)
    }
}
