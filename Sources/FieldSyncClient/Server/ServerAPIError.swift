import FieldSyncModel

/// Why a call to the server did not give the answer wanted, sorted by what the caller can do about it.
public enum ServerAPIError: Error, Sendable, CustomStringConvertible {
    /// Nothing answered: no route, connection refused, cut, or timed out. Worth trying again.
    case unreachable(String)
    /// The server answered with a 5xx, or 429 (too many requests): worth trying again.
    case serverFailure(status: Int, ProblemDetails?)
    /// The credentials or the enrollment code were refused (401, 403, 410): trying again will not help.
    case refused(status: Int, ProblemDetails?)
    /// Any other 4xx: the request was wrong.
    case rejected(status: Int, ProblemDetails?)
    /// The answer could not be read.
    case badAnswer(String)

    /// The HTTP statuses that refuse the caller rather than the request: 401, 403 and 410.
    public static let refusalStatuses: Set<Int> = [401, 403, 410]

    /// Whether trying again later may succeed.
    public var isTransient: Bool {
        switch self {
        case .unreachable, .serverFailure: true
        case .refused, .rejected, .badAnswer: false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let why): "the server cannot be reached: \(why)"
        case .serverFailure(let status, let problem): "the server failed (HTTP \(status))" + Self.detail(problem)
        case .refused(let status, let problem): "the server refused (HTTP \(status))" + Self.detail(problem)
        case .rejected(let status, let problem):
            "the server rejected the request (HTTP \(status))" + Self.detail(problem)
        case .badAnswer(let why): "the server's answer cannot be read: \(why)"
        }
    }

    private static func detail(_ problem: ProblemDetails?) -> String {
        guard let problem else { return "" }
        return ": " + problem.detail
    }
}

/// An `application/problem+json` answer (RFC 9457).
public struct ProblemDetails: Sendable, Hashable, Decodable {
    /// The stable kind, such as `urn:fieldsync:problem:device-revoked`.
    public var type: String
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    /// `batch-invalid`: the result of each event of the refused batch, as a push answer gives them.
    public var results: [PushResult]

    /// The last part of the type: `device-revoked`.
    public var kind: String { String(type.split(separator: ":").last ?? "") }

    /// Reads a problem body; nil if it is not one.
    public init?(body: [UInt8]) {
        guard let problem = try? ClientJSON.decode(ProblemDetails.self, from: body) else { return nil }
        self = problem
    }

    private enum CodingKeys: String, CodingKey {
        case type, title, detail, errors, results
    }

    /// `type` is required; a missing `detail` reads as the title.
    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        type = try members.decode(String.self, forKey: .type)
        title = try members.decodeIfPresent(String.self, forKey: .title) ?? ""
        detail = try members.decodeIfPresent(String.self, forKey: .detail) ?? title
        errors = try members.decodeIfPresent([FieldError].self, forKey: .errors) ?? []
        results = try members.decodeIfPresent([PushResult].self, forKey: .results) ?? []
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
