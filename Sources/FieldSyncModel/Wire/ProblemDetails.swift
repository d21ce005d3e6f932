/// An `application/problem+json` document (RFC 9457), as the server writes it (``jsonValue``) and clients
/// read it (`Decodable`): `{"type": "urn:fieldsync:problem:<slug>", "title", "status", "detail",
/// "errors"?, …}` with the extension members some kinds add: a refused batch's `results`
/// (`batch-invalid`), `retryAfter` (the limits' 429 and 503), `expired` (`token-expired`).
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

    public init(
        _ kind: ProblemType, title: String, status: Int, detail: String, errors: [FieldError] = [],
        results: [PushResult] = [], retryAfter: Int64? = nil, expired: Timestamp? = nil
    ) {
        self.type = kind.urn
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.results = results
        self.retryAfter = retryAfter
        self.expired = expired
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
    }
}
