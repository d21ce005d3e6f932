import FieldSyncModel

/// Why a call to the server did not give the answer wanted, sorted by what the caller can do about it.
public enum ServerAPIError: Error, Sendable, CustomStringConvertible {
    /// Nothing answered: no route, connection refused, cut, or timed out; the answer broke off. Worth
    /// trying again. Its text names the server: `cannot reach http://…: nothing answers (connection refused)`.
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
        case .unreachable(let why): why
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

extension ProblemDetails {
    /// Reads a problem body; nil if it is not one.
    public init?(body: [UInt8]) {
        guard let problem = try? ClientJSON.decode(ProblemDetails.self, from: body) else { return nil }
        self = problem
    }
}
