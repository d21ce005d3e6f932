/// The server's signed chain head (PROTOCOL.md §8.3) as `GET /v1/chain/head` serves it and as an export
/// file ends with it: `{"type":"fieldsync.chain-head.v1","position":…,"chain":…,"time":…,"signature":…}`,
/// with the `publicKey` member the API adds, all covered by the signature.
///
/// Only the `type` is checked here; whether the head is sound is ``LogVerifier/verify(_:)``'s question.
public struct SignedChainHead: Hashable, Sendable {
    /// The `type` of a signed chain head.
    public static let type = "fieldsync.chain-head.v1"

    /// The head's members, as signed.
    public let object: [String: JSONValue]

    /// A head from parsed JSON; nil unless it is an object whose `type` is ``type``.
    public init?(json: JSONValue) {
        guard case .object(let object) = json, object["type"] == .string(Self.type) else { return nil }
        self.object = object
    }

    /// A head from the bytes of one line or an HTTP body; nil unless it is JSON and a head.
    public init?(bytes: some Collection<UInt8>) {
        guard let json = try? JSONParser.parse(bytes) else { return nil }
        self.init(json: json)
    }

    /// The last position the head pins; nil if the member is missing or not an integer.
    public var position: Int64? { object["position"]?.integerValue }

    /// The global chain link at ``position``, as written.
    public var chain: String? { object["chain"]?.stringValue }

    /// When the server signed it, as written.
    public var time: String? { object["time"]?.stringValue }

    /// The head in canonical form and a line feed: the last line of an export file.
    public var line: [UInt8] {
        var out = CanonicalJSON.bytes(.object(object))
        out.append(0x0a)
        return out
    }
}
