import FieldSyncModel

/// The server's signed batch receipts, the device's proof of delivery, appended to
/// `<home>/receipts.ndjson` one per line (canonical JSON) once verified.
public enum ReceiptBook {
    /// One event a receipt vouches for.
    public struct Delivered: Sendable, Hashable {
        public var seq: Int64
        public var id: String
        public var position: Int64
    }

    /// Checks a receipt: type `fieldsync.receipt.v1`, this device, signed by the pinned server key, and
    /// every event it lists is the local event with that seq. Returns the events it vouches for.
    public static func verify(
        _ receipt: [String: JSONValue], serverKey: PublicKey, device: DeviceID, localID: (Int64) -> EventID?
    ) throws(ReceiptProblem) -> [Delivered] {
        guard receipt["type"] == "fieldsync.receipt.v1" else {
            throw ReceiptProblem("the receipt's type is \(receipt["type"].map { "\($0)" } ?? "missing")")
        }
        guard receipt["device"] == .string(device.rawValue) else {
            throw ReceiptProblem("the receipt is for device \(receipt["device"].map { "\($0)" } ?? "?"), not \(device)")
        }
        guard SignedObject.isValid(receipt, signedBy: serverKey) else {
            throw ReceiptProblem(
                "the receipt is not signed by the server key pinned at enrollment (\(serverKey.base64URL))")
        }
        guard case .array(let events)? = receipt["events"] else { throw ReceiptProblem("the receipt lists no events") }
        var delivered = [Delivered]()
        for entry in events {
            guard case .integer(let seq)? = entry["seq"], case .string(let id)? = entry["id"],
                case .integer(let position)? = entry["position"]
            else { throw ReceiptProblem("a receipt entry lacks seq, id or position: \(entry)") }
            guard let local = localID(seq), local.description == id else {
                throw ReceiptProblem("the receipt vouches for event \(id) as seq \(seq), which is not this log's")
            }
            delivered.append(Delivered(seq: seq, id: id, position: position))
        }
        return delivered
    }

    /// Appends a verified receipt, and returns once it is on disk.
    public static func keep(_ receipt: [String: JSONValue], home: ClientHome) throws {
        try DurableFile.append(CanonicalJSON.bytes(.object(receipt)) + [0x0a], to: home.receipts, mode: 0o600)
    }
}

/// A receipt from the server that does not hold up.
public struct ReceiptProblem: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
