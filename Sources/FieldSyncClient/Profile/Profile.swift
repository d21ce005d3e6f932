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
    /// Which election's calendar applies: `karachi-2024`.
    public var election: String

    public init(
        server: String, device: DeviceID, name: String, role: DeviceRole, token: String, serverKey: PublicKey,
        serverName: String, enrolledAt: Int64, tokenExpires: Timestamp? = nil, election: String = Profile.karachi2024
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

    public static let karachi2024 = "karachi-2024"

    /// The election's calendar: when observations may be made, and the local time zone.
    public var calendar: ElectionCalendar { .karachi2024 }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "server": .string(server), "device": .string(device.rawValue), "name": .string(name),
            "role": .string(role.rawValue), "token": .string(token), "serverKey": .string(serverKey.base64URL),
            "serverName": .string(serverName), "enrolledAt": .integer(enrolledAt), "election": .string(election),
            "version": 1,
        ]
        if let tokenExpires { object["tokenExpires"] = .string(tokenExpires.rfc3339UTC) }
        return .object(object)
    }

    /// Reads `profile.json`; nil members are reported as one error naming them.
    public init(json: JSONValue) throws(ProfileError) {
        guard case .string(let server)? = json["server"], case .string(let deviceText)? = json["device"],
            let device = DeviceID(deviceText), case .string(let name)? = json["name"],
            case .string(let roleText)? = json["role"], let role = DeviceRole(rawValue: roleText),
            case .string(let token)? = json["token"], case .string(let keyText)? = json["serverKey"],
            let serverKey = PublicKey(base64URL: keyText), case .integer(let enrolledAt)? = json["enrolledAt"]
        else {
            throw ProfileError("profile.json is damaged: it lacks the server, device, role, token or server key")
        }
        self.init(
            server: server, device: device, name: name, role: role, token: token, serverKey: serverKey,
            serverName: json["serverName"]?.stringValue ?? "", enrolledAt: enrolledAt,
            tokenExpires: json["tokenExpires"]?.stringValue.flatMap { Timestamp(rfc3339: $0) },
            election: json["election"]?.stringValue ?? Profile.karachi2024)
    }
}

/// The profile is missing, damaged, or cannot be made.
public struct ProfileError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
