import FieldSyncModel

/// What `fieldsync init` learned and every later command needs: the server, this device's identity
/// and credentials, and the server's public key, pinned at enrollment. Stored in `profile.json` (0600).
public struct Profile: Sendable, Hashable {
    /// The server's base URL, such as `http://127.0.0.1:8080`, without a trailing slash.
    public var server: String
    public var device: DeviceID
    /// The name of the person using the device, as enrolled.
    public var name: String
    public var role: DeviceRole
    /// The bearer token given at enrollment, or by the last `fieldsync token rotate`. A secret: never printed.
    public var token: String
    /// When the token stops working; nil: never.
    public var tokenExpires: Timestamp?
    /// The server's key, pinned at enrollment: reference data and receipts must be signed by it.
    public var serverKey: PublicKey
    /// The name the server goes by.
    public var serverName: String
    /// The position of this device's enrollment event in the server's log.
    public var enrolledAt: Int64
    /// The election the server's reference data defines, as fetched at `init` and refreshed by `sync`;
    /// nil before the server defines one. Its calendar governs when observations may be made.
    public var election: ElectionDefinition?

    public init(
        server: String, device: DeviceID, name: String, role: DeviceRole, token: String, serverKey: PublicKey,
        serverName: String, enrolledAt: Int64, tokenExpires: Timestamp? = nil,
        election: ElectionDefinition? = nil
    ) {
        self.server = server
        self.device = device
        self.name = name
        self.role = role
        self.token = token
        self.tokenExpires = tokenExpires
        self.serverKey = serverKey
        self.serverName = serverName
        self.enrolledAt = enrolledAt
        self.election = election
    }

    /// The election's calendar: when observations may be made, and the local time zone; nil before
    /// the server defines the election.
    public var calendar: ElectionCalendar? { election?.calendar }

    /// The version of `profile.json`'s layout.
    static let version = 1
}

/// `profile.json`: `{"device","election"?,"enrolledAt","name","role","server","serverKey","serverName",
/// "token","tokenExpires"?,"version":1}`, `election` the members of the election definition. `serverName`
/// may be missing (read as empty); `election` is missing before the server defines one, and an older
/// profile's election id (a string) reads as none until the next `sync` fetches the definition;
/// `tokenExpires` is missing for a token that never expires.
extension Profile: Codable {
    private enum CodingKeys: String, CodingKey {
        case server, device, name, role, token, tokenExpires, serverKey, serverName, enrolledAt, election, version
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            server: try members.decode(String.self, forKey: .server),
            device: try members.decode(DeviceID.self, forKey: .device),
            name: try members.decode(String.self, forKey: .name),
            role: try members.decode(DeviceRole.self, forKey: .role),
            token: try members.decode(String.self, forKey: .token),
            serverKey: try members.decode(PublicKey.self, forKey: .serverKey),
            serverName: try members.decodeIfPresent(String.self, forKey: .serverName) ?? "",
            enrolledAt: try members.decode(Int64.self, forKey: .enrolledAt),
            tokenExpires: try members.decodeIfPresent(Timestamp.self, forKey: .tokenExpires),
            election: (try? members.decodeIfPresent(ElectionDefinition.self, forKey: .election)) ?? nil)
    }

    public func encode(to encoder: any Encoder) throws {
        var members = encoder.container(keyedBy: CodingKeys.self)
        try members.encode(server, forKey: .server)
        try members.encode(device, forKey: .device)
        try members.encode(name, forKey: .name)
        try members.encode(role, forKey: .role)
        try members.encode(token, forKey: .token)
        try members.encodeIfPresent(tokenExpires, forKey: .tokenExpires)
        try members.encode(serverKey, forKey: .serverKey)
        try members.encode(serverName, forKey: .serverName)
        try members.encode(enrolledAt, forKey: .enrolledAt)
        try members.encodeIfPresent(election, forKey: .election)
        try members.encode(Profile.version, forKey: .version)
    }
}

/// The profile is missing, damaged, or cannot be made.
public struct ProfileError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
