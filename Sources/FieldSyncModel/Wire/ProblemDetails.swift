/// An `application/problem+json` document (RFC 9457), as the server writes it (``jsonValue``) and clients
/// read it (`Decodable`): `{"type": "urn:fieldsync:problem:<slug>", "title", "status", "detail",
/// "errors"?, …}` with the extension members some kinds add: a refused batch's `results`
/// (`batch-invalid`), `retryAfter` (the limits' 429 and 503), `expired` (`token-expired`), the
/// photos' members (``PhotoMembers``) and `treeSize` (`beyond-tree-head`).
///
/// Programs switch on ``kind``; people read `detail`.
public struct ProblemDetails: Sendable, Hashable {
    /// The type as written, such as `urn:fieldsync:problem:device-revoked`.
    public var type: String
    public var title: String
    /// The HTTP status, repeated in the document; nil when a document left it out.
    public var status: Int?
    public var detail: String
    /// Field-level problems, in the model's ``FieldError`` shape.
    public var errors: [FieldError]
    /// `batch-invalid`: the result of each event of the refused batch, as a push answer gives them.
    public var results: [PushResult]
    /// The limits' answers: the seconds to wait, as in `Retry-After`.
    public var retryAfter: Int64?
    /// `token-expired`: when the token stopped working.
    public var expired: Timestamp?
    /// The photos' problems (PROTOCOL.md §16): which photo, and what of it.
    public var photo: PhotoMembers?
    /// `beyond-tree-head`: the size of the latest signed tree head (PROTOCOL.md §17).
    public var treeSize: Int64?

    /// The members a problem about a photo adds: `sha256` always; `differs`, `expected` and `found` for
    /// `photo-mismatch`; `held` for `photo-upload-offset`; `named` for a photo not found.
    public struct PhotoMembers: Sendable, Hashable {
        public var sha256: String
        /// `sha256`, `size` or `type`: what of the photo is not what its name or its event says.
        public var differs: String?
        public var expected: String?
        public var found: String?
        /// The bytes of the photo the server holds, from byte 0: where an upload goes on from.
        public var held: Int64?
        /// Whether a stored event names the photo.
        public var named: Bool?

        public init(
            sha256: String, differs: String? = nil, expected: String? = nil, found: String? = nil, held: Int64? = nil,
            named: Bool? = nil
        ) {
            self.sha256 = sha256
            self.differs = differs
            self.expected = expected
            self.found = found
            self.held = held
            self.named = named
        }
    }

    public init(
        _ kind: ProblemType, title: String, status: Int, detail: String, errors: [FieldError] = [],
        results: [PushResult] = [], retryAfter: Int64? = nil, expired: Timestamp? = nil, photo: PhotoMembers? = nil,
        treeSize: Int64? = nil
    ) {
        self.type = kind.urn
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.results = results
        self.retryAfter = retryAfter
        self.expired = expired
        self.photo = photo
        self.treeSize = treeSize
    }

    /// The kind named by `type`; nil for one that is not ours.
    public var kind: ProblemType? { ProblemType(urn: type) }

    /// The members written: the four standard ones, `errors` when there are some, and each extension
    /// member that has a value.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["type": .string(type), "title": .string(title), "detail": .string(detail)]
        if let status { object["status"] = .integer(Int64(status)) }
        if !errors.isEmpty { object["errors"] = .array(errors.map(\.jsonValue)) }
        if !results.isEmpty { object["results"] = .array(results.map(\.jsonValue)) }
        if let retryAfter { object["retryAfter"] = .integer(retryAfter) }
        if let expired { object["expired"] = .string(expired.rfc3339UTC) }
        if let photo {
            object["sha256"] = .string(photo.sha256)
            if let differs = photo.differs { object["differs"] = .string(differs) }
            if let expected = photo.expected { object["expected"] = .string(expected) }
            if let found = photo.found { object["found"] = .string(found) }
            if let held = photo.held { object["held"] = .integer(held) }
            if let named = photo.named { object["named"] = .bool(named) }
        }
        if let treeSize { object["treeSize"] = .integer(treeSize) }
        return .object(object)
    }

    /// `403 Forbidden — a reporter's device may not read tallies (data.votes: … ; allowed: …)`: the status,
    /// the title, the detail and the first field error, in one line.
    public func line(status: Int) -> String {
        var line = "\(status) \(title)"
        if !detail.isEmpty && detail != title { line += " — \(detail)" }
        if let first = errors.first {
            line += " (\(first.field): \(first.problem)"
            if !first.allowed.isEmpty { line += "; allowed: \(first.allowed)" }
            line += ")"
        }
        return line
    }
}

/// `type` is required; a missing `detail` reads as the title, missing `errors` and `results` as none.
extension ProblemDetails: Decodable {
    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors, results, retryAfter, expired
        case sha256, differs, expected, found, held, named
        case treeSize
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        type = try members.decode(String.self, forKey: .type)
        title = try members.decodeIfPresent(String.self, forKey: .title) ?? ""
        status = try members.decodeIfPresent(Int.self, forKey: .status)
        detail = try members.decodeIfPresent(String.self, forKey: .detail) ?? title
        errors = try members.decodeIfPresent([FieldError].self, forKey: .errors) ?? []
        results = try members.decodeIfPresent([PushResult].self, forKey: .results) ?? []
        retryAfter = try members.decodeIfPresent(Int64.self, forKey: .retryAfter)
        expired = try members.decodeIfPresent(Timestamp.self, forKey: .expired)
        photo = try members.decodeIfPresent(String.self, forKey: .sha256).map { sha256 in
            PhotoMembers(
                sha256: sha256, differs: try members.decodeIfPresent(String.self, forKey: .differs),
                expected: try members.decodeIfPresent(String.self, forKey: .expected),
                found: try members.decodeIfPresent(String.self, forKey: .found),
                held: try members.decodeIfPresent(Int64.self, forKey: .held),
                named: try members.decodeIfPresent(Bool.self, forKey: .named))
        }
        treeSize = try members.decodeIfPresent(Int64.self, forKey: .treeSize)
    }
}
