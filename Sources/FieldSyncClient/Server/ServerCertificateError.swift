/// A certificate file given to trust for the server's TLS that cannot be used.
public struct ServerCertificateError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
