// The model's values as `Codable` members, written as the protocol writes them (a device id, a key in
// base64url, a digest in hex, a time in RFC 3339, a problem's four members), for the documents where
// `Codable` is enough: a client's own files and the answers it reads. Events, exports and anything signed
// or hashed are read by `JSONParser`, whose strictness is the point there.

extension DeviceID: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeString(allowed: "a device id: 20 lowercase hex digits") { DeviceID($0) }
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeString(rawValue)
    }
}

extension PublicKey: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeString(allowed: "an Ed25519 public key: base64url of 32 bytes") {
            PublicKey(base64URL: $0)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeString(base64URL)
    }
}

extension SHA256Digest: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeString(allowed: "a SHA-256 digest: 64 lowercase hex digits") { SHA256Digest(hex: $0) }
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeString(hex)
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeString(allowed: "a time: RFC 3339 with its offset") { Timestamp(rfc3339: $0) }
    }

    /// Written in UTC with microseconds: `2024-02-08T08:00:00.000000Z`.
    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeString(rfc3339UTC)
    }
}

extension DeviceRole: Codable {
    public init(from decoder: any Decoder) throws {
        let roles = DeviceRole.allCases.map(\.rawValue).joined(separator: ", ")
        self = try decoder.decodeString(allowed: "a role: one of \(roles)") { DeviceRole(rawValue: $0) }
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeString(rawValue)
    }
}

extension FieldError.Code: Codable {
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeString(allowed: "a problem code") { FieldError.Code($0) }
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeString(rawValue)
    }
}

/// `{"allowed":…,"code":…,"field":…,"problem":…}`, as ``FieldError/jsonValue`` writes it; a missing
/// `allowed` reads as empty.
extension FieldError: Codable {
    private enum CodingKeys: String, CodingKey {
        case field, code, problem, allowed
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            field: try members.decode(String.self, forKey: .field), code: try members.decode(Code.self, forKey: .code),
            problem: try members.decode(String.self, forKey: .problem),
            allowed: try members.decodeIfPresent(String.self, forKey: .allowed) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var members = encoder.container(keyedBy: CodingKeys.self)
        try members.encode(field, forKey: .field)
        try members.encode(code, forKey: .code)
        try members.encode(problem, forKey: .problem)
        try members.encode(allowed, forKey: .allowed)
    }
}

extension Decoder {
    /// A value written as one string, made by `make`; a string it refuses is named, with what is allowed.
    func decodeString<Value>(allowed: String, _ make: (String) -> Value?) throws -> Value {
        let container = try singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = make(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not \(allowed)")
        }
        return value
    }
}

extension Encoder {
    func encodeString(_ text: String) throws {
        var container = singleValueContainer()
        try container.encode(text)
    }
}
