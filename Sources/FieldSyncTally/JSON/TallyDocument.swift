import FieldSyncModel

/// A tally that is a JSON document: station, seat, district and city tallies, and provenance.
public protocol TallyDocument {
    /// The document in canonical form (RFC 8785): the same bytes for the same set of events.
    var canonicalBytes: [UInt8] { get }
}

extension TallyDocument {
    /// The document as a JSON value: ``canonicalBytes``, parsed. `CanonicalJSON.bytes` of it gives
    /// ``canonicalBytes`` back.
    public var jsonValue: JSONValue {
        try! JSONParser.parse(canonicalBytes)
    }
}
