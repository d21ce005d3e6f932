/// Reads events written under an older version of their type as the current version (PROTOCOL.md §15).
///
/// A signed event is never rewritten: it keeps, for ever, the `type` and `data` it was signed with, and
/// its hash, signature and chains are computed on those. When the catalogue moves a type to a new
/// version, every older version gets one step that maps its `data` to the next version's; reading an
/// old event applies the steps in turn, up to the current version, and decodes the result with the
/// current reader. So the fold, validation and everything downstream see current versions only, while
/// verifiers check what was written.
///
/// Steps are pure and total: data valid under its version always maps to data valid under the next.
/// A change that cannot be mapped that way is a new type, not a new version.
public struct Upcaster: Sendable {
    /// One version step of one type.
    public struct Step: Sendable {
        /// The older type, such as `fieldsync.turnout.counted.v1`.
        public let from: String
        /// The type it becomes, the same name one version up, such as `fieldsync.turnout.counted.v2`.
        public let to: String
        /// The older `data` as the newer version's.
        public let transform: @Sendable (JSONValue) -> JSONValue

        public init(from: String, to: String, transform: @escaping @Sendable (JSONValue) -> JSONValue) {
            precondition(Self.name(of: from) == Self.name(of: to), "a step keeps the type's name: \(from) → \(to)")
            precondition(Self.version(of: to) == Self.version(of: from).map { $0 + 1 }, "a step goes one version up")
            self.from = from
            self.to = to
            self.transform = transform
        }

        static func name(of type: String) -> Substring? {
            guard let dot = type.lastIndex(of: ".") else { return nil }
            return type[..<dot]
        }

        static func version(of type: String) -> Int? {
            guard let dot = type.lastIndex(of: "."), type[type.index(after: dot)...].hasPrefix("v") else { return nil }
            return Int(type[type.index(dot, offsetBy: 2)...])
        }
    }

    private let steps: [String: Step]

    public init(_ steps: [Step]) {
        self.steps = Dictionary(steps.map { ($0.from, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The catalogue's steps. Version 1 of every type is current: nothing to upcast yet.
    public static let catalogue = Upcaster([])

    /// The current type an event written as `type` is read as, and its `data` as that type's:
    /// `type` and `data` themselves when no step starts from `type`.
    public func upcast(type: String, data: JSONValue?) -> (type: String, data: JSONValue?) {
        var current = (type: type, data: data)
        var taken = 0
        while let step = steps[current.type], taken < steps.count {
            current = (step.to, current.data.map(step.transform))
            taken += 1
        }
        return current
    }

    /// The catalogue type an event written as `type` is read as; nil when it is none.
    public func currentType(of type: String) -> EventType? {
        EventType(rawValue: upcast(type: type, data: nil).type)
    }
}
