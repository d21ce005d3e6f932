/// The `data` of one type of event in the catalogue, decoded.
public protocol CataloguePayload: Hashable, Sendable {
    /// The event type whose `data` this is.
    static var eventType: EventType { get }
    /// The `data` object for an event.
    var jsonValue: JSONValue { get }
}

/// A payload read member by member; every problem lands in the reader.
protocol ReadablePayload: CataloguePayload {
    init?(reading reader: inout ObjectReader)
}

/// Limits on text fields, in Unicode code points.
public enum TextLimit {
    /// Names of people, places, constituencies, stations, the server.
    public static let name = 200
    /// District names.
    public static let district = 100
    /// Free text: incident descriptions, reasons for corrections and revocations.
    public static let description = 2000
}
