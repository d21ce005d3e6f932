/// What `fieldsync token rotate` does: asks the server for a new token with the current one (the server
/// refuses the old one from then on) and saves it in the profile, replacing the file atomically. Holds
/// the profile's sync lock meanwhile, so that no sync of this profile sends the old token after it stopped
/// working.
public struct TokenRotation: Sendable {
    public let home: ClientHome

    public init(home: ClientHome) {
        self.home = home
    }

    /// Rotates the token over `client`; returns the profile as saved, with its new token.
    public func run(client: ServerAPIClient) async throws -> Profile {
        let store = ProfileStore(home: home)
        return try await FileLock.withLock(home.syncLock, timeout: .seconds(30)) {
            var profile = try store.profile()
            let rotated = try await ServerAPI(client: client, server: profile.server, token: profile.token)
                .rotateToken()
            profile.token = rotated.token
            profile.tokenExpires = rotated.expires
            try store.save(profile)
            return profile
        }
    }
}
