import FieldSyncModel

/// Something an editor must see: a stable code, a one-line message, where it applies and the ids
/// of the events behind it.
///
/// Flags are derived from the set of events only, so their messages are the same whatever order the
/// events arrived in. They are listed in ``TallyFlag/<(_:_:)`` order: by code, then by the events.
public struct TallyFlag: Hashable, Sendable, Comparable, TallyDocument, CanonicalPart {
    public let code: FlagCode
    public let scope: FlagScope
    /// One line, in the editors' words.
    public let message: String
    /// The events behind the flag, in the order the message names them.
    public let events: [EventID]

    public init(code: FlagCode, scope: FlagScope, message: String, events: [EventID]) {
        self.code = code
        self.scope = scope
        self.message = message
        self.events = events
    }

    public static func < (lhs: TallyFlag, rhs: TallyFlag) -> Bool {
        if lhs.code != rhs.code { return lhs.code < rhs.code }
        if lhs.scope != rhs.scope { return lhs.scope < rhs.scope }
        if lhs.events != rhs.events { return lhs.events.lexicographicallyPrecedes(rhs.events) }
        return lhs.message < rhs.message
    }

    public var canonicalBytes: [UInt8] { CanonicalWriter.document { write(to: &$0) } }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("code", code.rawValue)
            w.member("events", events)
            w.member("message", message)
            w.member("scope", scope.kind.rawValue)
            w.member("subject", scope.code)
        }
    }
}
