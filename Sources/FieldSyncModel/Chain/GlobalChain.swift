/// The server's global hash chain: every stored event, in position order, linked to the one
/// before it. Tampering with, inserting, reordering or removing a stored event changes every
/// link after it.
///
/// The link at position `p` is the SHA-256 of the canonical JSON (RFC 8785) of
///
///     {"event":"<event hash, hex>","position":p,"previous":"<link p-1, hex>",
///      "received":"<received time, RFC 3339 UTC, 6 fraction digits>","signature":"<base64url>"}
///
/// where the link before position 1 is 32 zero bytes. All values are digits, lowercase hex,
/// base64url or the characters of a UTC time, so no escaping ever applies and the canonical form
/// is exactly the text written here, without spaces.
public enum GlobalChain {
    /// The link before the first event.
    public static let genesis = SHA256Digest.zero

    /// The bytes hashed to make the link at `position`.
    public static func linkInput(
        previous: SHA256Digest,
        position: Int64,
        eventHash: SHA256Digest,
        received: Timestamp,
        signature: [UInt8]
    ) -> String {
        "{\"event\":\"\(eventHash.hex)\",\"position\":\(position),\"previous\":\"\(previous.hex)\","
            + "\"received\":\"\(received.rfc3339UTC)\",\"signature\":\"\(Base64URL.encode(signature))\"}"
    }

    /// The link at `position`, following `previous`.
    public static func link(
        previous: SHA256Digest,
        position: Int64,
        eventHash: SHA256Digest,
        received: Timestamp,
        signature: [UInt8]
    ) -> SHA256Digest {
        SHA256Digest.hash(
            linkInput(
                previous: previous, position: position, eventHash: eventHash, received: received,
                signature: signature))
    }
}
