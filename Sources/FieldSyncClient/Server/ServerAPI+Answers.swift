import FieldSyncModel

/// `{device, role, name, token, tokenExpires, position, server: {publicKey, name}}`; `tokenExpires` is null
/// (or missing) for a token that never expires.
extension ServerAPI.Enrolled: Decodable {
    private enum CodingKeys: String, CodingKey {
        case device, role, name, token, tokenExpires, position, server
    }

    private enum ServerKeys: String, CodingKey {
        case publicKey, name
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        let server = try members.nestedContainer(keyedBy: ServerKeys.self, forKey: .server)
        device = try members.decode(DeviceID.self, forKey: .device)
        role = try members.decode(DeviceRole.self, forKey: .role)
        name = try members.decodeIfPresent(String.self, forKey: .name) ?? ""
        token = try members.decode(String.self, forKey: .token)
        tokenExpires = try members.decodeIfPresent(Timestamp.self, forKey: .tokenExpires)
        position = try members.decodeIfPresent(Int64.self, forKey: .position) ?? 0
        serverKey = try server.decode(PublicKey.self, forKey: .publicKey)
        serverName = try server.decodeIfPresent(String.self, forKey: .name) ?? ""
    }
}

/// `{token, tokenExpires}`; `tokenExpires` is null (or missing) for a token that never expires.
extension ServerAPI.RotatedToken: Decodable {
    private enum CodingKeys: String, CodingKey {
        case token
        case expires = "tokenExpires"
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        token = try members.decode(String.self, forKey: .token)
        expires = try members.decodeIfPresent(Timestamp.self, forKey: .expires)
    }
}

extension ServerAPI {
    /// What `POST /v1/enrollment-codes` answers, of which the client needs only the code.
    struct IssuedCode: Decodable {
        var code: String
    }
}
