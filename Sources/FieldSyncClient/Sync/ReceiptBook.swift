import FieldSyncModel

/// The server's signed batch receipts, the device's proof of delivery, appended to
/// `<home>/receipts.ndjson` one per line (canonical JSON) once verified.
public enum ReceiptBook {
    /// Checks a receipt: a ``Receipt`` for this device, signed by the pinned server key, every event it
    /// lists the local event with that seq. Returns the events it vouches for.
    public static func verify(
        _ object: [String: JSONValue], serverKey: PublicKey, device: DeviceID, localID: (Int64) -> EventID?
    ) throws(ReceiptProblem) -> [Receipt.Delivered] {
        let receipt = try Receipt(signed: object)
        guard receipt.device == device else {
            throw ReceiptProblem("the receipt is for device \(receipt.device), not \(device)")
        }
        guard SignedObject.isValid(object, signedBy: serverKey) else {
            throw ReceiptProblem(
                "the receipt is not signed by the server key pinned at enrollment (\(serverKey.base64URL))")
        }
        for event in receipt.events {
            guard let local = localID(event.seq), local.description == event.id else {
                throw ReceiptProblem(
                    "the receipt vouches for event \(event.id) as seq \(event.seq), which is not this log's")
            }
        }
        return receipt.events
    }

    /// Appends a verified receipt, and returns once it is on disk.
    public static func keep(_ receipt: [String: JSONValue], home: ClientHome) throws {
        try DurableFile.append(CanonicalJSON.bytes(.object(receipt)) + [0x0a], to: home.receipts, mode: 0o600)
    }
}
