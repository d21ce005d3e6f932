/// Where an editor's or auditor's server is and the token to read it with.
///
/// Taken from the command line first (`--server`, `--token`), then from the environment
/// (`FIELDSYNC_SERVER`, `FIELDSYNC_TOKEN`), then from the profile `fieldsync init` made under `--home`
/// (see ``resolve(server:token:environment:profile:home:)``).
public struct ReadCredentials: Hashable, Sendable {
    /// The server's base URL, without a trailing `/`: `http://127.0.0.1:8080`.
    public let server: String
    /// The bearer token the device got at enrollment.
    public let token: String

    /// Credentials from a base URL and a token; throws if the URL is not `http://…` or `https://…` or the
    /// token is empty.
    public init(server: String, token: String) throws(CredentialsProblem) {
        var base = server.trimmingSpaces()
        while base.hasSuffix("/") { base.removeLast() }
        guard let scheme = ["http://", "https://"].first(where: { base.lowercased().hasPrefix($0) }),
            base.count > scheme.count, !base.contains(" ")
        else {
            throw CredentialsProblem(
                "'\(server)' is not a server URL (allowed: http://HOST:PORT or https://HOST, "
                    + "such as http://127.0.0.1:8080)")
        }
        let token = token.trimmingSpaces()
        guard !token.isEmpty else {
            throw CredentialsProblem("the token is empty (allowed: the token the device got at enrollment)")
        }
        self.server = base
        self.token = token
    }

    /// The credentials to use: each of server and token from the first of the command line, the
    /// environment and the profile that has it. `home` is where the profile was looked for, named in the
    /// error when there is none.
    ///
    /// The profile's token goes only to the profile's server: with a server given otherwise, a token must
    /// be given too, so that a device's token is never sent to a server it was not enrolled with.
    public static func resolve(
        server: String?, token: String?, environment: [String: String], profile: ReadCredentials? = nil,
        home: ClientHome? = nil
    ) throws(CredentialsProblem) -> ReadCredentials {
        let fromProfile =
            profile != nil
            ? "" : home.map { ", or the profile `fieldsync init` makes in --home DIR (none in \($0))" } ?? ""
        guard let url = server ?? environment["FIELDSYNC_SERVER"] ?? profile?.server else {
            throw CredentialsProblem(
                "no server given (allowed: --server URL or FIELDSYNC_SERVER, such as http://127.0.0.1:8080"
                    + fromProfile + ")")
        }
        let profileToken = profile.flatMap { profile in
            (try? ReadCredentials(server: url, token: profile.token))?.server == profile.server ? profile.token : nil
        }
        guard let token = token ?? environment["FIELDSYNC_TOKEN"] ?? profileToken else {
            let otherServer = profile.map { " (the profile's token is only sent to its server, \($0.server))" } ?? ""
            throw CredentialsProblem(
                "no token given (allowed: --token TOKEN or FIELDSYNC_TOKEN, the token of an editor's or auditor's "
                    + "device from fieldsync init\(fromProfile))\(otherServer)")
        }
        return try ReadCredentials(server: url, token: token)
    }
}

/// Credentials that cannot be used: what is missing or wrong, and what is allowed.
public struct CredentialsProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
