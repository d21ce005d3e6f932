import FieldSyncModel

/// Why a read from the server failed, in one line for the command line.
public struct AuditServerError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// No answer: the server is down, the address is wrong, the network dropped.
        case unreachable
        /// The server answered with an error status (its problem details in the description).
        case refused(status: Int)
        /// The server answered, but not with what the protocol says.
        case badAnswer
    }

    public let kind: Kind
    public let description: String
    /// Every field error of a refusal's problem details, for a command that shows them all.
    public let errors: [FieldError]

    public init(_ kind: Kind, _ description: String, errors: [FieldError] = []) {
        self.kind = kind
        self.description = description
        self.errors = errors
    }

    /// A failure of the HTTP layer, sorted the same way.
    init(_ error: ServerAPIError) {
        switch error {
        case .unreachable(let why): self.init(.unreachable, why)
        case .serverFailure(let status, let problem), .refused(let status, let problem),
            .rejected(let status, let problem):
            self.init(.refused(status: status), problem?.line(status: status) ?? "HTTP \(status)")
        case .badAnswer: self.init(.badAnswer, error.description)
        }
    }
}
