import FieldSyncModel
import Foundation

/// A device enrolled on the server under test: its key, credentials and chain, and observations to push.
struct TestDevice: Sendable {
    let key: SigningKey
    var token: String
    let device: DeviceID
    let role: DeviceRole
    var chain: DeviceChain

    init(key: SigningKey, token: String, device: DeviceID, role: DeviceRole) {
        self.key = key
        self.token = token
        self.device = device
        self.role = role
        self.chain = DeviceChain(device: device)
    }

    /// The device's next turnout count at the fixture's station, signed and chained.
    mutating func nextTurnout(votes: Int = 10, minute: Int = 0) -> Event {
        try! chain.sign(Self.turnoutDraft(votes: votes, minute: minute), key: key)
    }

    /// A turnout count during polling hours at the fixture's station.
    static func turnoutDraft(
        votes: Int = 10, minute: Int = 0, station: StationCode = ReferenceFixture.station.code
    )
        -> EventDraft
    {
        let time = ObservedTime(
            Timestamp(rfc3339: "2024-02-08T10:00:00+05:00")!.adding(minutes: Int64(minute % 400)), offsetMinutes: 300)
        return EventDraft(
            payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: votes)), subject: station.rawValue, time: time)
    }

    /// An event object signed again with `key` over whatever its members now claim (source, type, data):
    /// what a device can send, whether or not the server should take it.
    static func resigned(_ object: [String: JSONValue], key: SigningKey) -> JSONValue {
        var object = object
        let hash = SHA256Digest.hash(
            EventHash.canonicalForm(
                id: EventID(object["id"]?.stringValue ?? "")!, source: object["source"]?.stringValue ?? "",
                type: object["type"]?.stringValue ?? "", time: object["time"]?.stringValue ?? "",
                subject: object["subject"]?.stringValue ?? "", data: object["data"] ?? .null,
                seq: object["seq"]?.integerValue ?? 0,
                prevHash: SHA256Digest(hex: object["prevhash"]?.stringValue ?? "") ?? .zero))
        object["signature"] = .string(Base64URL.encode(key.signature(for: hash)))
        return .object(object)
    }

    /// Events as a batch body.
    static func batch(_ events: [Event]) -> [UInt8] {
        CanonicalJSON.bytes(.array(events.map(\.jsonValue)))
    }

    static func batch(objects: [JSONValue]) -> [UInt8] {
        CanonicalJSON.bytes(.array(objects))
    }
}
