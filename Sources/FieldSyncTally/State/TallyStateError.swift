/// Stored fold state that cannot be read back: written by another version, or changed behind the
/// projector's back. The projector then folds the log again instead.
public struct TallyStateError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
