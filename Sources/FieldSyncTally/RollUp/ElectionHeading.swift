import FieldSyncModel

/// The election as the city's roll-up names it (`election`, PROTOCOL.md §13 "Roll-up document"): what a
/// heading over the tallies needs, so that a reader of `GET /v1/tallies` does not fetch the reference data
/// for it. Taken from the log's `fieldsync.election.defined.v1` as it stands.
public struct ElectionHeading: Hashable, Sendable, CanonicalPart {
    /// Such as `karachi-2024`.
    public let id: String
    /// Such as "Pakistan general election 2024, Karachi".
    public let name: String
    /// When polling opens, as the definition writes it.
    public let pollingOpens: ObservedTime
    /// Whether the election's data is invented (a demo).
    public let synthetic: Bool

    init(_ election: ElectionDefinition) {
        id = election.id
        name = election.name
        pollingOpens = election.pollingOpens
        synthetic = election.synthetic
    }

    func write(to writer: inout CanonicalWriter) {
        writer.object { w in
            w.member("id", id)
            w.member("name", name)
            w.member("pollingOpens", pollingOpens.text)
            w.member("synthetic", synthetic)
        }
    }
}
