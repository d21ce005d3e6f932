import AsyncHTTPClient
import NIOCore

extension AuditServer {
    /// The HTTP client the commands share for the life of the process: ``ServerAPI/configuration(trusting:)``
    /// without its read timeout (a tally as of a past moment may take minutes to compute) and without
    /// retrying a connection the server refuses until the request's deadline (which made a wrong `--server`
    /// hang for a minute or more): a refused or unanswered connection fails within 10 seconds.
    public static let client: HTTPClient = {
        var configuration = ServerAPI.configuration()
        configuration.timeout = .init(connect: .seconds(10))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
