/// What a device (or the server) wants to say, before it is numbered, chained and signed.
public struct EventDraft: Hashable, Sendable {
    public var type: EventType
    public var subject: String
    /// The observed time, RFC 3339 with an offset, as it will be written.
    public var time: String
    public var data: JSONValue

    public init(type: EventType, subject: String, time: String, data: JSONValue) {
        self.type = type
        self.subject = subject
        self.time = time
        self.data = data
    }

    /// A draft of `payload`'s type. The subject of a reference event is the code, id or device it
    /// defines unless given; an observation needs its station's code.
    public init(payload: Payload, subject: String? = nil, time: ObservedTime) {
        self.type = payload.type
        self.subject = subject ?? payload.referenceSubject ?? ""
        self.time = time.text
        self.data = payload.jsonValue
    }
}
