extension Payload {
    /// The `data` of an event of `type` read straight from its JSON text, without a tree, for the types
    /// whose `data` is a flat object (see ``PlainObject``) and is read that way: a turnout count, most of a
    /// polling day's events, a station's opening and closing, and a device's enrollment and assignment,
    /// most of a national election's reference events (two for each of about 181,000 reporters). Nil for
    /// any other type or text; ``decode(type:data:)`` on the parsed text then accepts or reports it.
    /// Whenever this gives a payload, that decoder gives the same one, and its ``jsonValue`` is the parsed
    /// text.
    public static func plain(type: EventType, text: UnsafeBufferPointer<UInt8>) -> Payload? {
        switch type {
        case .turnoutCounted: TurnoutCount(plain: text).map { .turnoutCounted($0) }
        case .stationOpened: StationOpened(plain: text).map { .stationOpened($0) }
        case .stationClosed: StationClosed(plain: text).map { .stationClosed($0) }
        case .deviceEnrolled: DeviceEnrollment(plain: text).map { .deviceEnrolled($0) }
        case .deviceAssigned: StationAssignment(plain: text).map { .deviceAssigned($0) }
        default: nil
        }
    }

    /// Appends the canonical form (RFC 8785) of ``jsonValue``: those ``plain(type:text:)`` reads written
    /// directly, the others' through the tree. The bytes are the same either way.
    func writeCanonicalData(into out: inout [UInt8]) {
        switch self {
        case .turnoutCounted(let count): count.writeCanonicalData(into: &out)
        case .stationOpened(let opening): opening.writeCanonicalData(into: &out)
        case .stationClosed(let closing): closing.writeCanonicalData(into: &out)
        case .deviceEnrolled(let enrollment): enrollment.writeCanonicalData(into: &out)
        case .deviceAssigned(let assignment): assignment.writeCanonicalData(into: &out)
        default: CanonicalJSON.write(jsonValue, into: &out)
        }
    }
}
