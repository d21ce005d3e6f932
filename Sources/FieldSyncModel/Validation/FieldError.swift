/// One thing wrong with an event: which field, what is wrong with it, and what is allowed.
///
/// `field` is a path from the top of the event: `seq`, `data.votes.NA-248-C07`,
/// `data.replacement.data.votesCast`; empty for the event as a whole. Reads well on a command line
/// (``description``) and in JSON (``jsonValue``).
public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    /// A stable name for the kind of problem, for programs (`missing-member`, `unknown-station`…).
    public var code: Code
    /// What is wrong, in a sentence without a capital or a full stop.
    public var problem: String
    /// What would have been accepted.
    public var allowed: String

    public init(field: String, code: Code, problem: String, allowed: String) {
        self.field = field
        self.code = code
        self.problem = problem
        self.allowed = allowed
    }

    /// `data.votesCast: -3 is negative (allowed: an integer from 0 to 9007199254740991)`.
    public var description: String {
        (field.isEmpty ? "" : field + ": ") + problem + (allowed.isEmpty ? "" : " (allowed: \(allowed))")
    }

    /// `{"allowed":…,"code":…,"field":…,"problem":…}`.
    public var jsonValue: JSONValue {
        .object([
            "field": .string(field), "code": .string(code.rawValue), "problem": .string(problem),
            "allowed": .string(allowed),
        ])
    }

    /// The kind of a problem. New kinds may be added; match on the ones you handle.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        // Shape.
        public static let invalidJSON = Code("invalid-json")
        public static let missingMember = Code("missing-member")
        public static let unknownMember = Code("unknown-member")
        public static let wrongType = Code("wrong-type")
        public static let invalidFormat = Code("invalid-format")
        public static let notAllowed = Code("not-allowed")
        public static let outOfRange = Code("out-of-range")
        public static let tooLong = Code("too-long")
        public static let empty = Code("empty")
        public static let duplicate = Code("duplicate")
        // Envelope.
        public static let unknownType = Code("unknown-type")
        public static let unknownVersion = Code("unknown-version")
        public static let sourceMismatch = Code("source-mismatch")
        public static let subjectMismatch = Code("subject-mismatch")
        public static let badSignature = Code("bad-signature")
        public static let chainBroken = Code("chain-broken")
        public static let hashMismatch = Code("hash-mismatch")
        /// An export line that is JSON but not the canonical form of what it says.
        public static let notCanonical = Code("not-canonical")
        // Against the reference data.
        public static let unknownStation = Code("unknown-station")
        public static let unknownConstituency = Code("unknown-constituency")
        public static let unknownCandidate = Code("unknown-candidate")
        public static let unknownParty = Code("unknown-party")
        public static let unknownDevice = Code("unknown-device")
        public static let candidateNotStanding = Code("candidate-not-standing")
        public static let constituencyNotOfStation = Code("constituency-not-of-station")
        public static let missingCandidate = Code("missing-candidate")
        public static let districtMismatch = Code("district-mismatch")
        public static let deviceRevoked = Code("device-revoked")
        public static let roleNotAllowed = Code("role-not-allowed")
        public static let alreadyDefined = Code("already-defined")
        // Figures and times.
        public static let aboveRegistered = Code("above-registered")
        public static let totalsMismatch = Code("totals-mismatch")
        public static let outsideWindow = Code("outside-window")
        public static let afterEventTime = Code("after-event-time")
        // Corrections.
        public static let unknownEvent = Code("unknown-event")
        public static let notCorrectable = Code("not-correctable")
        public static let typeMismatch = Code("type-mismatch")
    }
}

/// Why an event could not be read: every problem found, not only the first.
public struct EventDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
